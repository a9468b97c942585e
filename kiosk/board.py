"""The board of education's view (教育委員会): every school of a city's server, the fiscal
year's accessions (copies and amounts, by kind), withdrawals and holdings at both ends of the
year, per school and in total, and its CSV.

Read only, and meant to run as a PostgreSQL role that can only SELECT the tables it reads
(scripts/board-role.sql, docs/city.md): each school's figures are ``year_report``'s, the same
code as the school's own ``kiosk audit``, read in one transaction so the total is of one moment.
"""

from dataclasses import dataclass

from sqlalchemy import inspect, text

from kiosk.db.storage import SCHEMA_REVISION, Database
from kiosk.errors import KioskError
from kiosk.ledger.csv_export import table_csv
from kiosk.ledger.year_figures import KIND_ORDER, YearReport, year_report
from kiosk.library import LibraryInfo, list_libraries

KINDS = tuple(KIND_ORDER)  # purchase, donation, other


@dataclass(frozen=True)
class Figures:
    """One school's year, or the city's total: what the board's table shows in a row."""

    accessioned: int
    accessioned_amount: int
    by_kind: dict[str, tuple[int, int]]  # kind -> (copies, amount)
    zero_yen: int  # copies accessioned at 0 yen (counted all the same)
    withdrawn: int
    withdrawn_amount: int
    holdings_start: int
    holdings_end: int

    @classmethod
    def of(cls, report: YearReport) -> "Figures":
        return cls(report.accessioned, report.accessioned_amount, {kind: report.kind_total(kind) for kind in KINDS},
                   sum(line.zero_yen for line in report.accessions), report.withdrawn,
                   sum(line.amount for line in report.withdrawals), report.holdings_start, report.holdings_end)

    @classmethod
    def total(cls, parts: list["Figures"]) -> "Figures":
        return cls(sum(p.accessioned for p in parts), sum(p.accessioned_amount for p in parts),
                   {kind: (sum(p.by_kind[kind][0] for p in parts), sum(p.by_kind[kind][1] for p in parts))
                    for kind in KINDS},
                   sum(p.zero_yen for p in parts), sum(p.withdrawn for p in parts),
                   sum(p.withdrawn_amount for p in parts), sum(p.holdings_start for p in parts),
                   sum(p.holdings_end for p in parts))

    def to_json(self) -> dict:
        return {"accessioned": {"copies": self.accessioned, "amount": self.accessioned_amount,
                                **{kind: {"copies": c, "amount": a} for kind, (c, a) in self.by_kind.items()},
                                "zero_yen": self.zero_yen},
                "withdrawn": {"copies": self.withdrawn, "amount": self.withdrawn_amount},
                "holdings": {"start": self.holdings_start, "end": self.holdings_end}}


@dataclass(frozen=True)
class SchoolYear:
    library: LibraryInfo
    figures: Figures


@dataclass(frozen=True)
class BoardReport:
    fiscal_year: int
    schools: tuple[SchoolYear, ...]
    total: Figures

    def to_json(self) -> dict:
        return {"fiscal_year": self.fiscal_year,
                "schools": [{"library": school.library.name, "isil": school.library.isil, **school.figures.to_json()}
                            for school in self.schools],
                "total": self.total.to_json()}


CSV_HEADINGS = ["図書館名", "ISIL", "年度", "受入 冊数", "受入 金額", "購入 冊数", "購入 金額", "寄贈 冊数", "寄贈 金額",
                "その他 冊数", "その他 金額", "うち0円 冊数", "除籍 冊数", "除籍 金額", "年度初め 蔵書冊数", "年度末 蔵書冊数"]


def board_report(db: Database, fiscal_year: int) -> BoardReport:
    """Every school's figures for the fiscal year and their total, in one read."""
    check_schema(db)
    with db.read() as session:
        schools = tuple(SchoolYear(LibraryInfo.of(library),
                                   Figures.of(year_report(session, library.id, fiscal_year, with_lost=False)))
                        for library in list_libraries(session))
    return BoardReport(fiscal_year, schools, Figures.total([school.figures for school in schools]))


def board_csv(report: BoardReport, encoding: str = "utf-8") -> bytes:
    """One row per school, then 合計; UTF-8 with a BOM or Shift_JIS, as the ledger CSV."""
    def row(name: str, isil: str, figures: Figures) -> list:
        kinds = [value for kind in KINDS for value in figures.by_kind[kind]]
        return [name, isil, report.fiscal_year, figures.accessioned, figures.accessioned_amount, *kinds,
                figures.zero_yen, figures.withdrawn, figures.withdrawn_amount, figures.holdings_start,
                figures.holdings_end]

    rows = [CSV_HEADINGS, *(row(s.library.name, s.library.isil or "", s.figures) for s in report.schools),
            row("合計", "", report.total)]
    return table_csv(rows, encoding)


def refuse_on_a_school_kiosk(bound: str | None) -> None:
    """The board's view covers every school: a kiosk bound to one (KIOSK_LIBRARY) does not show it."""
    if bound:
        raise KioskError(
            f"this kiosk is bound to library {bound} (KIOSK_LIBRARY): the board's view of every school is not "
            "shown on a school's kiosk",
            "このキオスクは一つの学校の専用です（KIOSK_LIBRARY）。教育委員会の集計は学校のキオスクでは表示できません")


def check_schema(db: Database) -> None:
    """The board's role can read but not migrate: a database not at this kiosk's schema is
    refused with what to do, instead of a failed migration."""
    with db.engine.connect() as connection:
        current = (inspect(connection).has_table("alembic_version")
                   and connection.execute(text("SELECT version_num FROM alembic_version")).scalars().all())
    if current != [SCHEMA_REVISION]:
        raise KioskError(
            f"the database's schema is {current or 'not created'}, not {SCHEMA_REVISION}: the board's role cannot "
            "migrate it; have it migrated (kiosk migrate, as the database's owner) first",
            "データベースの版がこのソフトウェアと合いません。管理者が kiosk migrate を実行してから開いてください")
