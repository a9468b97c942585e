"""The fiscal year's figures for the audit (監査): copies and amounts accessioned, by kind and
fund; copies withdrawn, by reason; the registration numbers used; the holdings at the start
and the end of the year. Registered donations are counted by copies even at 0 yen (the
manual: 金額が0円であっても監査で冊数の報告をしなければならない).

The 欠番 recorded in the year (numbers lost at a restore, or skipped by an imported ledger:
kiosk.ledger.lost_numbers) are given beside the numbers given, so the audit accounts for every
number: given to a copy, or lost and retired.

A copy counts in the year of its acceptance date (受入年月日) and, if withdrawn, in the year of
its withdrawal date, so that holdings at the end = at the start + accessioned − withdrawn.
"""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import Session

from kiosk.errors import KioskError
from kiosk.ledger.funds import FUND_LABELS_JA, KIND_LABELS_JA
from kiosk.db.models import Copy, Library
from kiosk.db.storage import Database
from kiosk.ledger.lost_numbers import LostNumbers, lost_numbers
from kiosk.ledger.withdrawal import REASON_LABELS_JA

KIND_ORDER = {"purchase": 0, "donation": 1, "other": 2}


@dataclass(frozen=True)
class AccessionLine:
    kind: str
    fund: str
    label: str  # e.g. 購入 市費（図書費）
    copies: int
    amount: int
    zero_yen: int  # copies entered at 0 yen (given free, price unknown): counted all the same


@dataclass(frozen=True)
class WithdrawalLine:
    reason: str
    label: str
    copies: int
    amount: int


@dataclass(frozen=True)
class YearReport:
    library_name: str
    fiscal_year: int
    accessions: tuple[AccessionLine, ...]
    withdrawals: tuple[WithdrawalLine, ...]
    numbers: tuple[int, int] | None  # first and last registration number given in the year
    holdings_start: int  # copies held on April 1
    holdings_end: int  # copies held on March 31
    lost: tuple[LostNumbers, ...] = ()  # 欠番 recorded in the year

    @property
    def start(self) -> date:
        return date(self.fiscal_year, 4, 1)

    @property
    def end(self) -> date:
        return date(self.fiscal_year + 1, 3, 31)

    @property
    def accessioned(self) -> int:
        return sum(line.copies for line in self.accessions)

    @property
    def accessioned_amount(self) -> int:
        return sum(line.amount for line in self.accessions)

    @property
    def withdrawn(self) -> int:
        return sum(line.copies for line in self.withdrawals)

    @property
    def numbers_given(self) -> int:
        """Registration numbers given to copies accessioned in the year: one a copy."""
        return self.accessioned

    @property
    def numbers_lost(self) -> int:
        return sum(gap.count for gap in self.lost)

    def kind_total(self, kind: str) -> tuple[int, int]:
        lines = [line for line in self.accessions if line.kind == kind]
        return sum(line.copies for line in lines), sum(line.amount for line in lines)

    def to_json(self) -> dict:
        return {
            "library": self.library_name, "fiscal_year": self.fiscal_year,
            "period": [self.start.isoformat(), self.end.isoformat()],
            "accessions": [line.__dict__ for line in self.accessions],
            "accessioned": {"copies": self.accessioned, "amount": self.accessioned_amount,
                            **{kind: dict(zip(("copies", "amount"), self.kind_total(kind))) for kind in KIND_ORDER}},
            "withdrawals": [line.__dict__ for line in self.withdrawals],
            "withdrawn": self.withdrawn,
            "numbers": list(self.numbers) if self.numbers else None,
            "numbers_given": self.numbers_given,
            "numbers_lost": self.numbers_lost,
            "lost_numbers": [gap.to_json() for gap in self.lost],
            "holdings": {"start": self.holdings_start, "end": self.holdings_end},
        }


def read_year_report(db: Database, library_id: int, fiscal_year: int) -> YearReport:
    """year_report in a read of its own (`kiosk audit`)."""
    with db.read() as session:
        return year_report(session, library_id, fiscal_year)


def year_report(session: Session, library_id: int, fiscal_year: int, *, with_lost: bool = True) -> YearReport:
    """The year's figures; ``with_lost=False`` leaves out the 欠番, which are read from the event
    log (the board of education's role may not read it: scripts/board-role.sql)."""
    if not 1989 <= fiscal_year <= 2200:
        raise KioskError(f"fiscal year {fiscal_year} is out of range", f"年度 {fiscal_year} は指定できません")
    library = session.get(Library, library_id)
    if library is None:
        raise KioskError(f"no library {library_id}", f"図書館 {library_id} が見つかりません")
    start, end = date(fiscal_year, 4, 1), date(fiscal_year + 1, 3, 31)
    mine = Copy.library_id == library_id
    accessions = session.execute(
        select(Copy.kind, Copy.fund, func.count(), func.coalesce(func.sum(Copy.price), 0),
               func.sum(case((Copy.price == 0, 1), else_=0)))
        .where(mine, Copy.fiscal_year == fiscal_year).group_by(Copy.kind, Copy.fund)).all()
    withdrawals = session.execute(
        select(Copy.withdrawal_reason, func.count(), func.coalesce(func.sum(Copy.price), 0))
        .where(mine, Copy.withdrawn_on.between(start, end)).group_by(Copy.withdrawal_reason)).all()
    first, last = session.execute(
        select(func.min(Copy.number), func.max(Copy.number)).where(mine, Copy.fiscal_year == fiscal_year)).one()
    return YearReport(
        library_name=library.name,
        fiscal_year=fiscal_year,
        accessions=tuple(sorted(
            (AccessionLine(kind, fund, f"{KIND_LABELS_JA.get(kind, kind)} {FUND_LABELS_JA.get(fund, fund)}",
                           copies, int(amount), int(zero)) for kind, fund, copies, amount, zero in accessions),
            key=lambda line: (_place(KIND_ORDER, line.kind), _place(FUND_LABELS_JA, line.fund)))),
        withdrawals=tuple(sorted(
            (WithdrawalLine(reason, REASON_LABELS_JA.get(reason, reason), copies, int(amount))
             for reason, copies, amount in withdrawals),
            key=lambda line: _place(REASON_LABELS_JA, line.reason))),
        numbers=(first, last) if first is not None else None,
        holdings_start=_held_on(session, mine, start, before=True),
        holdings_end=_held_on(session, mine, end, before=False),
        lost=tuple(lost_numbers(session, library_id, fiscal_year=fiscal_year)) if with_lost else (),
    )


def _place(order, key) -> int:
    """Where ``key`` comes in the manual's order (the order of ``order``'s keys); unknown last."""
    keys = list(order)
    return keys.index(key) if key in keys else len(keys)


def _held_on(session: Session, mine, day: date, *, before: bool) -> int:
    """Copies held at the start of ``day`` (before=True) or at its end."""
    if before:
        accepted, kept = Copy.acquired_on < day, or_(Copy.withdrawn_on.is_(None), Copy.withdrawn_on >= day)
    else:
        accepted, kept = Copy.acquired_on <= day, or_(Copy.withdrawn_on.is_(None), Copy.withdrawn_on > day)
    return session.scalar(select(func.count()).where(and_(mine, accepted, kept)))
