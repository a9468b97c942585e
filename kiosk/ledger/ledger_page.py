"""The ledger screens' read models: the sheets (図書台帳) of a library and a year, and the year's
figures (監査), each read in one transaction with the library they belong to."""

from dataclasses import dataclass

from sqlalchemy.orm import Session

from kiosk.db.models import Library
from kiosk.db.storage import Database
from kiosk.errors import KioskError
from kiosk.library import LibraryInfo, find_library, list_libraries
from kiosk.ledger.lost_numbers import LostNumbers, lost_numbers
from kiosk.ledger.sheets import LedgerSheet, ledger_sheets, ledger_years
from kiosk.ledger.year_figures import YearReport, year_report


@dataclass(frozen=True)
class LedgerPage:
    library: LibraryInfo
    libraries: tuple[LibraryInfo, ...]
    years: tuple[int, ...]  # the fiscal years with copies or 欠番, newest first
    year: int | None  # the year shown; None: every year
    sheets: tuple[LedgerSheet, ...]
    lost: tuple[LostNumbers, ...]  # the 欠番 recorded in the year shown (every year's: all)


def ledger_page(db: Database, library_ref: str | None, *, year: int | None, every_year: bool = False) -> LedgerPage | None:
    """The ledger of the library named (else the first) for ``year``, else its newest year:
    one year at a time unless ``every_year``, as years of sheets would be megabytes on a kiosk.
    None while the database holds no library."""
    with db.read() as session:
        libraries = list_libraries(session)
        if not libraries:
            return None
        library = find_library(session, library_ref or libraries[0].id)
        every_lost = lost_numbers(session, library.id)
        years = sorted(set(ledger_years(session, library.id)) | {gap.fiscal_year for gap in every_lost}, reverse=True)
        shown = None if every_year else year or (years[0] if years else None)
        return LedgerPage(LibraryInfo.of(library), tuple(map(LibraryInfo.of, libraries)), tuple(years), shown,
                          tuple(ledger_sheets(session, library.id, fiscal_year=shown)),
                          tuple(gap for gap in every_lost if shown is None or gap.fiscal_year == shown))


def library_sheets(db: Database, library_ref: str | None,
                   year: int | None) -> tuple[LibraryInfo, list[LedgerSheet], list[LostNumbers]]:
    """The sheets and 欠番 of the library named (else the first), of one fiscal year or (None)
    all: the CSV."""
    with db.read() as session:
        library = _named_or_first(session, library_ref)
        return (LibraryInfo.of(library), ledger_sheets(session, library.id, fiscal_year=year),
                lost_numbers(session, library.id, fiscal_year=year))


def named_library(db: Database, library_ref: str | None) -> LibraryInfo:
    """The library named (id or ISIL), else the first: whose ledger a download is."""
    with db.read() as session:
        return LibraryInfo.of(_named_or_first(session, library_ref))


def library_year_report(db: Database, library_ref: str | None, fiscal_year: int) -> tuple[LibraryInfo, YearReport]:
    """The year's figures of the library named (else the first)."""
    with db.read() as session:
        library = _named_or_first(session, library_ref)
        return LibraryInfo.of(library), year_report(session, library.id, fiscal_year)


def _named_or_first(session: Session, library_ref: str | None) -> Library:
    libraries = list_libraries(session)
    if not libraries:
        raise KioskError("no library yet: run 'kiosk init'", "図書館がまだ登録されていません")
    return find_library(session, library_ref or libraries[0].id)
