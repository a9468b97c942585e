"""What staff type on the screen: registration numbers ("1001-1005,1010") and short lists
("上、下", "登録印、小口印")."""

import re

from kiosk.errors import KioskError


def typed_items(text: str) -> list[str]:
    """A list as typed: separated by 、 ， , or spaces (full-width too)."""
    return [part for part in re.split(r"[、，,\s]+", text) if part]


def parse_numbers(text: str) -> list[int]:
    """'1001-1005,1010' → [1001, …, 1005, 1010]."""
    numbers: list[int] = []
    for part in (p.strip() for p in text.split(",")):
        if not part:
            continue
        low, dash, high = part.partition("-")
        if not low.strip().isdigit() or (dash and not high.strip().isdigit()):
            raise KioskError(f"{part!r} is not a number or a range like 1001-1010",
                             f"「{part}」は登録番号か範囲（例 1001-1010）ではありません")
        first, last = int(low), int(high) if dash else int(low)
        if last < first or last - first > 10_000:
            raise KioskError(f"range {part!r} is backwards or too long", f"範囲「{part}」が正しくありません")
        numbers.extend(range(first, last + 1))
    if not numbers:
        raise KioskError("no registration numbers given", "登録番号を指定してください")
    return numbers
