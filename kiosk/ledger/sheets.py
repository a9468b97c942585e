"""The accession ledger (図書台帳) as sheets: one row per copy, ten fields, sheet totals.

Purchase and donation rows run as separate sheet series; a new fiscal year starts a new
sheet in each. A sheet's count and amount cover every row written on it, withdrawn rows
included: the ledger is what was accessioned, and it must agree with the vendor's slip.
"""

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.errors import NotFound
from kiosk.ledger.funds import FUND_LABELS_JA
from kiosk.ledger.lost_numbers import LostNumbers, lost_numbers
from kiosk.db.models import Copy
from kiosk.db.storage import Database

SERIES_ORDER = {"purchase": 0, "donation": 1}
# What a ledger row is made of (ledger_row reads these by name, from a Copy or a row of them).
ROW_COLUMNS = (Copy.id, Copy.series, Copy.fiscal_year, Copy.sheet, Copy.row, Copy.acquired_on, Copy.source,
               Copy.number, Copy.classification, Copy.author_mark, Copy.title, Copy.volume, Copy.series_title,
               Copy.authors, Copy.publisher, Copy.year, Copy.price, Copy.fund, Copy.fund_note, Copy.kind, Copy.status,
               Copy.rounding_adjusted, Copy.price_note, Copy.withdrawn_on, Copy.withdrawal_reason, Copy.withdrawal_note,
               Copy.reaccession_of_id, Copy.isbn)


@dataclass
class LedgerRow:
    """The manual's ten fields, plus the marks staff need."""

    acquired_on: date  # ① 受入年月日
    source: str  # ② 受入先
    number: int  # ③ 登録番号
    call_number: str  # ④ 請求記号
    title: str  # ⑤ 書名 (巻次・叢書名)
    authors: str  # ⑥ 著者名
    publisher: str  # ⑦ 発行所
    year: int | None  # ⑧ 刊年
    price: int  # ⑨ 価格 (税込)
    fund: str  # ⑩ 財源
    fund_label: str
    kind: str
    status: str
    rounding_adjusted: bool
    price_note: str | None
    withdrawn_on: date | None
    withdrawal_reason: str | None
    reaccession_of: int | None
    isbn: str | None
    withdrawal_note: str | None = None  # what staff wrote when withdrawing it (or what 合本・分本 made of it)

    def to_json(self) -> dict:
        data = dict(self.__dict__)
        for key in ("acquired_on", "withdrawn_on"):
            data[key] = data[key].isoformat() if data[key] else None
        return data


@dataclass
class LedgerSheet:
    series: str
    fiscal_year: int
    sheet: int
    rows: list[LedgerRow] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.rows)

    @property
    def amount(self) -> int:
        return sum(row.price for row in self.rows)

    def to_json(self) -> dict:
        return {
            "series": self.series,
            "fiscal_year": self.fiscal_year,
            "sheet": self.sheet,
            "count": self.count,
            "amount": self.amount,
            "rows": [row.to_json() for row in self.rows],
        }


def ledger_sheets(
    session: Session, library_id: int, *, fiscal_year: int | None = None, series: str | None = None
) -> list[LedgerSheet]:
    query = select(*ROW_COLUMNS).where(Copy.library_id == library_id)
    if fiscal_year is not None:
        query = query.where(Copy.fiscal_year == fiscal_year)
    if series is not None:
        query = query.where(Copy.series == series)
    copies = session.execute(query).all()  # plain rows: a third of the time of entities at 100,000 copies
    number_of = old_numbers(session, copies)
    copies.sort(key=lambda c: (SERIES_ORDER[c.series], c.fiscal_year, c.sheet, c.row))
    sheets: list[LedgerSheet] = []
    for copy in copies:
        if not sheets or (sheets[-1].series, sheets[-1].fiscal_year, sheets[-1].sheet) != (
            copy.series, copy.fiscal_year, copy.sheet
        ):
            sheets.append(LedgerSheet(copy.series, copy.fiscal_year, copy.sheet))
        sheets[-1].rows.append(ledger_row(copy, number_of.get(copy.reaccession_of_id)))
    return sheets


def ledger_years(session: Session, library_id: int) -> list[int]:
    """The fiscal years that have ledger rows, newest first."""
    return list(session.scalars(select(Copy.fiscal_year).where(Copy.library_id == library_id)
                                .distinct().order_by(Copy.fiscal_year.desc())))


def ledger_row(copy: Copy, reaccession_of: int | None = None) -> LedgerRow:
    return LedgerRow(
        acquired_on=copy.acquired_on,
        source=copy.source,
        number=copy.number,
        call_number=call_number_text(copy),
        title=full_title(copy),
        authors=copy.authors or "",
        publisher=copy.publisher or "",
        year=copy.year,
        price=copy.price,
        fund=copy.fund,
        fund_label=FUND_LABELS_JA.get(copy.fund, copy.fund) + (f"（{copy.fund_note}）" if copy.fund_note else ""),
        kind=copy.kind,
        status=copy.status,
        rounding_adjusted=copy.rounding_adjusted,
        price_note=copy.price_note,
        withdrawn_on=copy.withdrawn_on,
        withdrawal_reason=copy.withdrawal_reason,
        reaccession_of=reaccession_of,
        isbn=copy.isbn,
        withdrawal_note=copy.withdrawal_note,
    )


def full_title(copy: Copy) -> str:
    """書名 with 巻次 and 叢書名, so copies of a set can be told apart."""
    title = copy.title
    if copy.volume:
        title += f" {copy.volume}"
    if copy.series_title:
        title += f"（{copy.series_title}）"
    return title


def call_number_text(copy: Copy) -> str:
    return " ".join(part for part in (copy.classification, copy.author_mark) if part)


def old_numbers(session: Session, copies) -> dict[int, int]:
    """Copy id → registration number, for the copies these were re-accessioned from."""
    wanted = {c.reaccession_of_id for c in copies if c.reaccession_of_id}
    if not wanted:
        return {}
    return dict(session.execute(select(Copy.id, Copy.number).where(Copy.id.in_(wanted))).all())


def copies_numbered(session: Session, library_id: int, numbers: list[int]) -> dict[int, Copy]:
    """The copies ``numbers``, by number; NotFound names the first that is not registered."""
    copies = {c.number: c for c in session.scalars(
        select(Copy).where(Copy.library_id == library_id, Copy.number.in_(numbers)))}
    missing = [n for n in numbers if n not in copies]
    if missing:
        raise NotFound(f"no copies numbered {missing[:5]}", f"登録番号 {missing[0]} の本はありません")
    return copies


def find_copy(session: Session, library_id: int, number: int, *, lock: bool = False) -> Copy:
    """The copy with registration number ``number`` (NotFound if there is none); with ``lock``,
    its row locked until the transaction ends."""
    query = select(Copy).where(Copy.library_id == library_id, Copy.number == number)
    if lock:
        query = query.with_for_update()
    copy = session.scalar(query)
    if copy is None:
        raise NotFound(f"no copy with registration number {number}", f"登録番号 {number} の本はありません")
    return copy


def copy_row(session: Session, library_id: int, number: int) -> LedgerRow:
    """One copy's ledger row, found by its registration number (NotFound if there is none)."""
    copy = find_copy(session, library_id, number)
    return ledger_row(copy, old_numbers(session, [copy]).get(copy.reaccession_of_id))


def read_ledger(db: Database, library_id: int, *, fiscal_year: int | None = None,
                series: str | None = None) -> tuple[list[LedgerSheet], list[LostNumbers]]:
    """ledger_sheets and the 欠番 recorded (of the year, if one is given), in one read of their
    own (`kiosk ledger`)."""
    with db.read() as session:
        return (ledger_sheets(session, library_id, fiscal_year=fiscal_year, series=series),
                lost_numbers(session, library_id, fiscal_year=fiscal_year))


def rows_numbered(db: Database, library_id: int, numbers: list[int]) -> list[LedgerRow]:
    """The ledger rows of copies ``numbers``, in that order, in one read (NotFound for a number
    with no copy): the list of copies just withdrawn."""
    with db.read() as session:
        return [copy_row(session, library_id, number) for number in numbers]
