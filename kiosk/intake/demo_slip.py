"""The demo delivery slip (kiosk/data/demo-slip.csv): 25 books of the sample catalogue as a
bookseller's Shift_JIS CSV, so a newcomer's first delivery works offline, end to end, labels
included (README, "Two commands").

    python -m kiosk.intake.demo_slip      # writes kiosk/data/demo-slip.csv

The books are chosen, not invented: the first of each NDC class in turn (so the labels show
classes from 0 to 9), among the records with a price, a class, an author with a reading and a Japanese ISBN (so
nothing is guessed: the first delivery registers with one tap).
Prices are the record's list price and 10% tax; two books come twice, as a real order does.
"""

import csv
import io
import sys
from pathlib import Path

from kiosk.lookup.assemble import BUNDLED_SAMPLE
from kiosk.lookup.catalogue_import import import_catalogue

DEMO_SLIP = Path(__file__).resolve().parents[1] / "data" / "demo-slip.csv"
BOOKS, TWICE = 25, 2
HEADER = ["行", "書名", "著者", "出版社", "ISBN", "本体価格", "税込単価", "数量", "金額"]


def sample_records() -> list:
    return import_catalogue(BUNDLED_SAMPLE).records


def demo_books(records) -> list:
    """BOOKS records, a class at a time (0, 1, … 9, 0, …), each class in catalogue order."""
    usable = [r for r in records if r.isbn13.startswith("9784") and r.price and (r.ndc10 or r.ndc9)
              and r.creators and r.creators[0].reading
              and r.creators and _encodable(r.title) and _encodable(_authors(r)) and _encodable(r.publisher or "")]
    by_class: dict[str, list] = {}
    for record in usable:
        by_class.setdefault((record.ndc10 or record.ndc9)[0], []).append(record)
    chosen = []
    while len(chosen) < BOOKS and any(by_class.values()):
        for digit in sorted(by_class):
            if by_class[digit] and len(chosen) < BOOKS:
                chosen.append(by_class[digit].pop(0))
    return chosen


def render(records) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADER)
    total = 0
    for line, record in enumerate(demo_books(records), start=1):
        quantity = 2 if line <= TWICE else 1
        unit = record.price * 110 // 100
        total += unit * quantity
        writer.writerow([line, record.title, _authors(record), record.publisher or "", record.isbn13,
                         record.price, unit, quantity, unit * quantity])
    writer.writerow(["", "合計", "", "", "", "", "", "", total])
    return out.getvalue().encode("cp932")


def _authors(record) -> str:
    return "／".join(creator.name for creator in record.creators[:2])


def _encodable(text: str) -> bool:
    try:
        text.encode("cp932")
    except UnicodeEncodeError:
        return False
    return True


def main() -> int:
    DEMO_SLIP.write_bytes(render(sample_records()))
    print(f"wrote {DEMO_SLIP}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
