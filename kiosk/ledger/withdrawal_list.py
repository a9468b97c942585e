"""The 除籍リスト: the copies withdrawn in a fiscal year, a date range, or one weeding (the numbers
just withdrawn), each with its number, call number, title, acceptance date, price, withdrawal
date, reason and note, and the totals by reason, as a school files it with the ledger (read
model for printer.withdrawals_pdf and `kiosk report withdrawals`).

A copy bound into another (合本) or split (分本) is withdrawn too and is listed with that reason."""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.db.models import Copy
from kiosk.errors import KioskError, NotFound
from kiosk.ledger.holdings import LibraryName, library_name
from kiosk.ledger.sheets import call_number_text, full_title
from kiosk.ledger.withdrawal import REASON_LABELS_JA


@dataclass(frozen=True)
class WithdrawnRow:
    number: int
    call_number: str
    title: str
    acquired_on: date
    price: int
    withdrawn_on: date
    reason: str
    reason_ja: str
    note: str


@dataclass(frozen=True)
class ReasonTotal:
    reason: str
    reason_ja: str
    copies: int
    amount: int


@dataclass(frozen=True)
class WithdrawalList:
    library: LibraryName
    period_ja: str  # 「2026年度（2026-04-01〜2027-03-31）」, or the numbers of one weeding
    rows: tuple[WithdrawnRow, ...]

    @property
    def copies(self) -> int:
        return len(self.rows)

    @property
    def amount(self) -> int:
        return sum(row.price for row in self.rows)

    @property
    def by_reason(self) -> tuple[ReasonTotal, ...]:
        """Copies and amounts per reason, in the order the reasons are chosen (紛失, 破損・汚損, …)."""
        order = list(REASON_LABELS_JA)
        reasons = sorted({row.reason for row in self.rows}, key=lambda r: (order.index(r) if r in order else len(order), r))
        return tuple(ReasonTotal(reason, REASON_LABELS_JA.get(reason, reason),
                                 sum(1 for row in self.rows if row.reason == reason),
                                 sum(row.price for row in self.rows if row.reason == reason)) for reason in reasons)


def withdrawal_list(session: Session, library_id: int, *, fiscal_year: int | None = None,
                    start: date | None = None, end: date | None = None,
                    numbers: list[int] | None = None) -> WithdrawalList:
    """The copies withdrawn in ``fiscal_year`` (April 1 to March 31), or from ``start`` to ``end``
    (both included; either may be open), or the copies ``numbers`` (those of them withdrawn), in
    order of withdrawal date then number."""
    query = select(Copy).where(Copy.library_id == library_id, Copy.status == "withdrawn")
    if numbers is not None:
        if fiscal_year is not None or start or end:
            raise KioskError("give either the numbers or a period, not both", "登録番号か期間のどちらかを指定してください")
        query = query.where(Copy.number.in_(numbers))
        period = f"登録番号 {_ranges(numbers)}"
    else:
        if fiscal_year is not None:
            if start or end:
                raise KioskError("give either a fiscal year or dates, not both", "年度か期間のどちらかを指定してください")
            if not 1989 <= fiscal_year <= 2200:
                raise KioskError(f"fiscal year {fiscal_year} is out of range", f"年度 {fiscal_year} は指定できません")
            start, end = date(fiscal_year, 4, 1), date(fiscal_year + 1, 3, 31)
        if start and end and start > end:
            raise KioskError(f"the period starts ({start}) after it ends ({end})", "期間の始まりが終わりより後です")
        if start:
            query = query.where(Copy.withdrawn_on >= start)
        if end:
            query = query.where(Copy.withdrawn_on <= end)
        period = _period_ja(fiscal_year, start, end)
    rows = [WithdrawnRow(copy.number, call_number_text(copy), full_title(copy), copy.acquired_on, copy.price,
                         copy.withdrawn_on, copy.withdrawal_reason or "",
                         REASON_LABELS_JA.get(copy.withdrawal_reason, copy.withdrawal_reason or ""),
                         copy.withdrawal_note or "")
            for copy in session.scalars(query.order_by(Copy.withdrawn_on, Copy.number))]
    if numbers is not None and (unknown := sorted(set(numbers) - {row.number for row in rows})):
        # one weeding's list names its own copies: a number that is not one of this library's
        # withdrawn copies is a mistake (or another school's), never an empty page
        raise NotFound(f"no withdrawn copies {unknown} in library {library_id}",
                       f"除籍された登録番号 {_ranges(unknown)} が見つかりません")
    return WithdrawalList(library_name(session, library_id), period, tuple(rows))


def _period_ja(fiscal_year: int | None, start: date | None, end: date | None) -> str:
    span = f"{start.isoformat() if start else ''}〜{end.isoformat() if end else ''}"
    if fiscal_year is not None:
        return f"{fiscal_year}年度（{span}）"
    return "全期間" if not start and not end else span


def _ranges(numbers: list[int]) -> str:
    """1001, 1002, 1003, 1007 → 1001〜1003、1007."""
    parts: list[list[int]] = []
    for number in sorted(set(numbers)):
        if parts and number == parts[-1][-1] + 1:
            parts[-1].append(number)
        else:
            parts.append([number])
    return "、".join(str(run[0]) if len(run) == 1 else f"{run[0]}〜{run[-1]}" for run in parts)
