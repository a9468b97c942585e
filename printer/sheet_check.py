"""Whether a label sheet's figures can be printed on: every template is checked here when it is
read (printer.templates) and before the converter ships one (printer.sheets.convert).

Template databases are transcriptions, and some are wrong: gLabels 3.4.1 has Hisago OP3010
with four 83.8 mm columns on A4 (they end 68 mm past the page), LibreOffice A-one 29233 has
14 rows ending at 524 mm. Printing those would put labels off the sheet or over each other,
so such a sheet is refused with the reason, never laid out.

Within ``SLACK_MM`` a figure is taken as rounding: a pitch that much shorter than its label
(gLabels' Hisago OP3015, 24 mm labels every 23 mm) lays the labels out in the pitch, and a
label that much past the page's edge is kept (the printer cannot print there anyway).
"""

from dataclasses import dataclass

SLACK_MM = 1.0
TOUCH_MM = 0.01  # labels closer than this are "touching", not overlapping


@dataclass(frozen=True)
class Grid:
    """One gLabels ``<Layout>``: nx × ny labels from (x0, y0), dx and dy apart (mm)."""

    nx: int
    ny: int
    x0: float
    y0: float
    dx: float
    dy: float


class SheetFault(ValueError):
    """Why a sheet cannot be printed on: ``str()`` for the log, ``ja`` for the screen."""

    def __init__(self, message: str, ja: str):
        super().__init__(message)
        self.ja = ja


def lay_out(page_mm: tuple[float, float], label_mm: tuple[float, float],
            grids: list[Grid]) -> tuple[tuple[float, float], tuple[tuple[float, float], ...]]:
    """The label size to draw and each label's top-left corner in reading order, or SheetFault."""
    page_w, page_h = page_mm
    if not (page_w > 0 and page_h > 0):
        raise SheetFault(f"page size {page_w:g} × {page_h:g} mm is not a page", f"用紙の大きさ（{page_w:g}×{page_h:g}mm）が正しくありません")
    width, height = label_mm
    if not (width > 0 and height > 0):
        raise SheetFault(f"label size {width:g} × {height:g} mm is not a label", f"ラベルの大きさ（{width:g}×{height:g}mm）が正しくありません")
    if not grids:
        raise SheetFault("no labels are laid out", "ラベルの配置がありません")
    for grid in dict.fromkeys(grids):  # a <Layout> given twice is one set of labels
        width = _fitted("across", grid.nx, grid.dx, width, "横")
        height = _fitted("down", grid.ny, grid.dy, height, "縦")
    origins = sorted({(g.x0 + i * g.dx, g.y0 + j * g.dy) for g in dict.fromkeys(grids)
                      for j in range(g.ny) for i in range(g.nx)}, key=lambda xy: (round(xy[1], 2), xy[0]))
    expected = sum(g.nx * g.ny for g in dict.fromkeys(grids))
    if len(origins) != expected:
        raise SheetFault(f"{expected} labels are laid out but only {len(origins)} places differ: labels lie on each other",
                         f"ラベルの枚数（{expected}）と位置の数（{len(origins)}）が合いません。ラベルが重なっています")
    _inside((page_w, page_h), (width, height), origins)
    _apart((width, height), origins)
    return (width, height), tuple(origins)


def _fitted(direction: str, count: int, pitch: float, size: float, ja_direction: str) -> float:
    if not isinstance(count, int) or count < 1:
        raise SheetFault(f"{count!r} labels {direction}: at least 1", f"{ja_direction}の枚数（{count}）が正しくありません")
    if count == 1:
        return size
    if not pitch > 0:
        raise SheetFault(f"{count} labels {direction} with a pitch of {pitch:g} mm", f"{ja_direction}の間隔（{pitch:g}mm）が正しくありません")
    if pitch >= size:
        return size
    if size - pitch <= SLACK_MM + 1e-9:
        return pitch
    raise SheetFault(f"labels {size:g} mm {'wide' if direction == 'across' else 'high'} every {pitch:g} mm {direction}: "
                     "each would lie over the next",
                     f"ラベル（{ja_direction} {size:g}mm）の間隔が {pitch:g}mm しかなく、隣のラベルと重なります")


def _inside(page: tuple[float, float], label: tuple[float, float], origins) -> None:
    for number, (x, y) in enumerate(origins, 1):
        if x < -SLACK_MM or y < -SLACK_MM or x + label[0] > page[0] + SLACK_MM or y + label[1] > page[1] + SLACK_MM:
            right, bottom = _mm(max(x for x, _ in origins) + label[0]), _mm(max(y for _, y in origins) + label[1])
            raise SheetFault(
                f"label {number} at ({_mm(x)}, {_mm(y)}) mm is off the {_mm(page[0])} × {_mm(page[1])} mm page "
                f"(the labels reach {right} × {bottom} mm)",
                f"ラベルが用紙（{_mm(page[0])}×{_mm(page[1])}mm）からはみ出しています（{number}枚目から。"
                f"右下の端は {right}×{bottom}mm）")


def _apart(label: tuple[float, float], origins) -> None:
    """No two labels share any area (a sweep down the page: only labels less than a label's
    height below can meet it)."""
    width, height = label
    by_y = sorted(range(len(origins)), key=lambda k: origins[k][1])
    for place, k in enumerate(by_y):
        x, y = origins[k]
        for other in by_y[place + 1:]:
            other_x, other_y = origins[other]
            if other_y - y >= height - TOUCH_MM:
                break
            if abs(other_x - x) < width - TOUCH_MM:
                first, second = sorted((k + 1, other + 1))
                raise SheetFault(f"labels {first} and {second} overlap (at ({_mm(x)}, {_mm(y)}) and "
                                 f"({_mm(other_x)}, {_mm(other_y)}) mm)",
                                 f"{first}枚目と{second}枚目のラベルが重なっています")


def _mm(value: float) -> str:
    return f"{round(value, 2) + 0.0:g}"
