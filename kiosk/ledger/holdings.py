"""The library's holdings (蔵書) for a library system: the copies it holds now, grouped by book,
with which library holds them. Read in one query; MARC 21 and TSV exports are drawn from it.

A book is its ISBN; without one, its title, volume, series, authors, publisher and year. Withdrawn
copies are not holdings (the ledger keeps them; the ledger's own exports show them).
"""

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.db.models import Copy, Library
from kiosk.ledger.funds import FUND_LABELS_JA, KIND_LABELS_JA
from kiosk.ledger.sheets import call_number_text


@dataclass(frozen=True)
class LibraryName:
    """Which library an export is of: every export says so."""

    id: int
    name: str
    isil: str | None

    @property
    def heading(self) -> str:
        return self.name + (f"（ISIL {self.isil}）" if self.isil else "")


@dataclass(frozen=True)
class HeldCopy:
    number: int  # 登録番号
    barcode: str  # the barcode on the copy: a kept one from an imported ledger, else its number
    classification: str | None
    author_mark: str | None
    call_number: str
    acquired_on: date
    price: int  # tax included, yen
    fund: str
    fund_label: str  # 財源, with its note
    kind_label: str
    source: str  # 受入先


@dataclass
class Book:
    isbn: str | None
    title: str
    volume: str | None
    series_title: str | None
    authors: str | None
    publisher: str | None
    year: int | None
    classification: str | None
    copies: list[HeldCopy] = field(default_factory=list)


@dataclass(frozen=True)
class Holdings:
    library: LibraryName
    books: list[Book]

    @property
    def copies(self) -> int:
        return sum(len(book.copies) for book in self.books)


def library_name(session: Session, library_id: int) -> LibraryName:
    library = session.get(Library, library_id)
    return LibraryName(library.id, library.name, library.isil)


def holdings(session: Session, library_id: int) -> Holdings:
    columns = (Copy.number, Copy.item_barcode, Copy.isbn, Copy.title, Copy.volume, Copy.series_title, Copy.authors,
               Copy.publisher, Copy.year, Copy.classification, Copy.author_mark, Copy.acquired_on, Copy.price,
               Copy.fund, Copy.fund_note, Copy.kind, Copy.source)
    rows = session.execute(select(*columns).where(Copy.library_id == library_id, Copy.status == "active")
                           .order_by(Copy.number)).all()
    books: dict[tuple, Book] = {}
    for r in rows:
        key = ("isbn", r.isbn) if r.isbn else ("text", r.title, r.volume, r.series_title, r.authors, r.publisher, r.year)
        book = books.get(key)
        if book is None:
            book = books[key] = Book(r.isbn, r.title, r.volume, r.series_title, r.authors, r.publisher, r.year,
                                     r.classification)
        call = call_number_text(r)
        book.copies.append(HeldCopy(
            number=r.number, barcode=r.item_barcode or str(r.number), classification=r.classification,
            author_mark=r.author_mark, call_number=call, acquired_on=r.acquired_on, price=r.price, fund=r.fund,
            fund_label=FUND_LABELS_JA.get(r.fund, r.fund) + (f"（{r.fund_note}）" if r.fund_note else ""),
            kind_label=KIND_LABELS_JA.get(r.kind, r.kind), source=r.source))
    return Holdings(library_name(session, library_id), list(books.values()))
