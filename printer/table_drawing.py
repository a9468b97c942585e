"""A ruled table on a printed form (printer.mm_canvas), as the ledger, the checklist, the
delivery discrepancy report and the 除籍リスト draw theirs: columns left to right, a grey
heading row, a cell's text cut to its column, a thin rule under each row, the frame and the
column edges once the rows are down. Sizes in millimetres from the page's top-left corner."""

from dataclasses import dataclass
from typing import Sequence

from printer.mm_canvas import Canvas

PAD = 1.2  # between a column's edge and its text


@dataclass(frozen=True)
class Column:
    heading: str
    width: float  # mm
    align: str = "left"  # left / right / centre
    heading_lines: int = 1  # more: the heading centred in up to this many lines (a narrow tick-box column)
    heading_pt: float | None = None  # its own size, else the heading row's


class Table:
    """Columns side by side from ``left``; the last column's right edge is the table's."""

    def __init__(self, columns: Sequence[Column], left: float):
        self.columns = tuple(columns)
        self.left = left
        self.xs = []
        x = left
        for column in self.columns:
            self.xs.append(x)
            x += column.width
        self.right = x

    def edges(self) -> list[float]:
        return self.xs + [self.right]

    def head(self, canvas: Canvas, top: float, height: float, size_pt: float) -> None:
        """The heading row: grey, each heading on its column, a rule under it."""
        canvas.box(self.left, top, self.right - self.left, height, fill_grey=0.9)
        baseline = top + height * 0.5 + size_pt * 0.18
        for column, x in zip(self.columns, self.xs):
            size = column.heading_pt or size_pt
            if column.heading_lines > 1:
                lines = canvas.wrap(column.heading, size, column.width - 1.5, column.heading_lines)
                step = size * 0.45
                first = top + height * 0.5 + size * 0.18 - step * (len(lines) - 1) / 2
                for n, line in enumerate(lines):
                    canvas.text(line, x + column.width / 2, first + step * n, size, align="centre",
                                width=column.width - 1)
            else:
                canvas.text(column.heading, x + PAD, baseline, size, width=column.width - 2 * PAD)
        canvas.line(self.left, top + height, self.right, top + height, width=0.6)

    def cell(self, canvas: Canvas, index: int, text: str, baseline: float, size_pt: float) -> None:
        """``text`` in column ``index``, aligned as the column is, cut with … where it would not fit."""
        column, x = self.columns[index], self.xs[index]
        room = column.width - 2 * PAD
        if column.align == "right":
            canvas.text(text, x + column.width - PAD, baseline, size_pt, align="right", width=room)
        elif column.align == "centre":
            canvas.text(text, x + column.width / 2, baseline, size_pt, align="centre", width=room)
        else:
            canvas.text(text, x + PAD, baseline, size_pt, width=room)

    def row(self, canvas: Canvas, values: Sequence[str], top: float, height: float, size_pt: float) -> None:
        """One row of plain values (one line each) and the thin rule under it."""
        baseline = top + height * 0.5 + size_pt * 0.18
        for index, value in enumerate(values):
            self.cell(canvas, index, value, baseline, size_pt)
        self.rule(canvas, top + height)

    def rule(self, canvas: Canvas, y: float, *, width: float = 0.2, grey: float = 0.6) -> None:
        canvas.line(self.left, y, self.right, y, width=width, grey=grey)

    def frame(self, canvas: Canvas, top: float, bottom: float, *, outer: float = 0.8, inner: float = 0.3) -> None:
        """The table's top and bottom rules and every column edge, from ``top`` to ``bottom``."""
        canvas.line(self.left, top, self.right, top, width=outer)
        canvas.line(self.left, bottom, self.right, bottom, width=outer)
        for x in self.edges():
            canvas.line(x, top, x, bottom, width=inner)
