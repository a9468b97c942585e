"""The holdings as TSV for a school library system to import: one row per copy held, the same
facts as the MARC 21 export (kiosk.ledger.marc_export), each row naming the library (name and
ISIL). UTF-8 without a BOM, LF line ends; a tab or line break inside a value becomes a space."""

import re

from kiosk.ledger.holdings import Holdings

HEADINGS = ["図書館名", "ISIL", "登録番号", "バーコード", "請求記号", "分類記号", "図書記号", "受入年月日", "価格",
            "財源", "受入区分", "受入先", "ISBN", "書名", "巻次", "叢書名", "著者名", "発行所", "刊年"]


def holdings_tsv(holdings: Holdings) -> bytes:
    library = holdings.library
    lines = ["\t".join(HEADINGS)]
    for book in holdings.books:
        for copy in book.copies:
            cells = [library.name, library.isil, copy.number, copy.barcode, copy.call_number, copy.classification,
                     copy.author_mark, copy.acquired_on.isoformat(), copy.price, copy.fund_label, copy.kind_label,
                     copy.source, book.isbn, book.title, book.volume, book.series_title, book.authors,
                     book.publisher, book.year]
            lines.append("\t".join(_cell(value) for value in cells))
    return ("\n".join(lines) + "\n").encode("utf-8")


def _cell(value) -> str:
    if value is None:
        return ""
    return re.sub(r"[\t\r\n]+", " ", value) if isinstance(value, str) else str(value)
