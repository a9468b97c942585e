"""The holdings as MARC 21 (ISO 2709, UTF-8) for a library system: one bibliographic record per
book, and for each copy it holds a location field (852) and an item field (876), linked by $8
(MARC 21's holdings data embedded in a bibliographic record).

Which library: 003 and 040 carry its ISIL, and each 852 its ISIL ($a) and name ($b).

Per copy:
- 852 (location): $8 n\\p, $a ISIL (else the library's name), $b name, $h 分類記号, $i 図書記号,
  $p 登録番号 (registration number), $t copy number within the record.
- 876 (item): $8 n\\p, $a 登録番号, $p the barcode on the copy (kept from an imported ledger, else
  the number), $c price in yen, tax included, $d 受入年月日 (YYYYMMDD), $e 受入先 (source of
  acquisition), $x 財源 (the fund, as 「財源: 市費（図書費）」), $z 受入区分 (購入・寄贈・その他).
The book: 020 ISBN, 084 NDC ($2 njb), 245 title ($n volume, $c authors as written), 264 publisher
and year, 490 series; 001 is the library's first registration number of the book (K + number).
"""

import io
from datetime import datetime

from pymarc import Field, Leader, MARCWriter, Record, Subfield

from kiosk.ledger.holdings import Book, Holdings, LibraryName


def holdings_marc(holdings: Holdings, *, now: datetime | None = None) -> bytes:
    out = io.BytesIO()
    writer = MARCWriter(out)
    stamp = (now or datetime.now()).strftime("%Y%m%d%H%M%S.0")
    for book in holdings.books:
        writer.write(book_record(book, holdings.library, stamp))
    return out.getvalue()


def book_record(book: Book, library: LibraryName, stamp: str) -> Record:
    record = Record(force_utf8=True)
    record.leader = Leader("00000nam a2200000 i 4500")  # new, language material, monograph, UTF-8
    source = library.isil or library.name
    record.add_field(Field(tag="001", data=f"K{book.copies[0].number}"))
    record.add_field(Field(tag="003", data=source))
    record.add_field(Field(tag="005", data=stamp))
    record.add_field(Field(tag="008", data=_fixed(book, stamp)))
    if book.isbn:
        record.add_field(_field("020", " ", " ", ("a", book.isbn)))
    record.add_field(_field("040", " ", " ", ("a", source), ("b", "jpn"), ("c", source)))
    if book.classification:
        record.add_field(_field("084", " ", " ", ("a", book.classification), ("2", "njb")))
    record.add_field(_field("245", "0", "0", ("a", book.title), ("n", book.volume), ("c", book.authors)))
    if book.publisher or book.year:
        record.add_field(_field("264", " ", "1", ("b", book.publisher), ("c", str(book.year) if book.year else None)))
    if book.series_title:
        record.add_field(_field("490", "0", " ", ("a", book.series_title)))
    for index, copy in enumerate(book.copies, start=1):
        link = f"{index}\\p"
        record.add_field(_field("852", " ", " ", ("8", link), ("a", source), ("b", library.name),
                                ("h", copy.classification), ("i", copy.author_mark), ("p", str(copy.number)),
                                ("t", str(index))))
        record.add_field(_field("876", " ", " ", ("8", link), ("a", str(copy.number)), ("p", copy.barcode),
                                ("c", str(copy.price)), ("d", copy.acquired_on.strftime("%Y%m%d")),
                                ("e", copy.source), ("x", f"財源: {copy.fund_label}"), ("z", copy.kind_label)))
    return record


def _field(tag: str, first: str, second: str, *pairs: tuple[str, str | None]) -> Field:
    return Field(tag=tag, indicators=[first, second],
                 subfields=[Subfield(code, value) for code, value in pairs if value not in (None, "")])


def _fixed(book: Book, stamp: str) -> str:
    """008: entered on, a single known date (or none), Japan, Japanese."""
    dates = f"s{book.year}    " if book.year else "n        "
    return (stamp[2:8] + dates + "ja " + " " * 17 + "jpn" + " d")[:40].ljust(40)
