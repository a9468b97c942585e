"""The ledger screens' read models: the sheets (図書台帳) of the kiosk's library and a year, and
the year's figures (監査), each read in one transaction with the library they belong to.

Each takes the library's id, the kiosk's own (web.context.current_library): a kiosk shows no
other school's ledger (docs/city.md; the board of education's view is kiosk/board.py)."""

from dataclasses import dataclass

from sqlalchemy.orm import Session

from kiosk.db.models import Library
from kiosk.db.storage import Database
from kiosk.errors import NotFound
from kiosk.library import LibraryInfo
from kiosk.ledger.lost_numbers import LostNumbers, lost_numbers
from kiosk.ledger.sheets import LedgerSheet, ledger_sheets, ledger_years
from kiosk.ledger.year_figures import YearReport, year_report


@dataclass(frozen=True)
class LedgerPage:
    library: LibraryInfo
    years: tuple[int, ...]  # the fiscal years with copies or 欠番, newest first
    year: int | None  # the year shown; None: every year
    sheets: tuple[LedgerSheet, ...]
    lost: tuple[LostNumbers, ...]  # the 欠番 recorded in the year shown (every year's: all)


def ledger_page(db: Database, library_id: int, *, year: int | None, every_year: bool = False) -> LedgerPage:
    """The library's ledger for ``year``, else its newest year: one year at a time unless
    ``every_year``, as years of sheets would be megabytes on a kiosk."""
    with db.read() as session:
        library = _library(session, library_id)
        every_lost = lost_numbers(session, library.id)
        years = sorted(set(ledger_years(session, library.id)) | {gap.fiscal_year for gap in every_lost}, reverse=True)
        shown = None if every_year else year or (years[0] if years else None)
        return LedgerPage(LibraryInfo.of(library), tuple(years), shown,
                          tuple(ledger_sheets(session, library.id, fiscal_year=shown)),
                          tuple(gap for gap in every_lost if shown is None or gap.fiscal_year == shown))


def library_sheets(db: Database, library_id: int,
                   year: int | None) -> tuple[LibraryInfo, list[LedgerSheet], list[LostNumbers]]:
    """The library's sheets and 欠番, of one fiscal year or (None) all: the CSV."""
    with db.read() as session:
        library = _library(session, library_id)
        return (LibraryInfo.of(library), ledger_sheets(session, library.id, fiscal_year=year),
                lost_numbers(session, library.id, fiscal_year=year))


def library_year_report(db: Database, library_id: int, fiscal_year: int) -> tuple[LibraryInfo, YearReport]:
    """The library's figures for the fiscal year."""
    with db.read() as session:
        return LibraryInfo.of(_library(session, library_id)), year_report(session, library_id, fiscal_year)


def _library(session: Session, library_id: int) -> Library:
    library = session.get(Library, library_id)
    if library is None:
        raise NotFound(f"no library {library_id}", f"図書館 {library_id} が見つかりません")
    return library
