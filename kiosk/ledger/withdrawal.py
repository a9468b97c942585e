"""Withdrawal (除籍), re-accession of a found copy, and corrections.

A withdrawn copy's row stays in the ledger, marked, and its number is retired forever
(永久欠番). A copy withdrawn as lost that turns up again is accessioned anew: a new number,
linked to the old one (その他の受入). Corrections change a copy's current values and are
kept as events with the value before and after; nothing is deleted.
"""

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.ledger.accession import RegisteredCopy, write_copies
from kiosk.ledger.call_numbers import settle_tiers
from kiosk.clock import ledger_today
from kiosk.errors import KioskError, NotFound
from kiosk.events import record_event
from kiosk.ledger.fiscal import fiscal_year
from kiosk.ledger.funds import parse_choice
from kiosk.ledger.sheets import LedgerRow, copy_row, find_copy
from kiosk.db.models import Copy
from kiosk.db.storage import Database
from kiosk.text_limits import check_fields


class WithdrawalReason(StrEnum):
    LOST = "lost"  # 紛失
    WORN = "worn"  # 破損・汚損
    DISCARDED = "discarded"  # 廃棄
    OTHER = "other"  # その他


WITHDRAWAL_LABELS_JA = {
    WithdrawalReason.LOST: "紛失",
    WithdrawalReason.WORN: "破損・汚損",
    WithdrawalReason.DISCARDED: "廃棄",
    WithdrawalReason.OTHER: "その他",
}

# For display, with the reasons 合本 and 分本 set (kiosk.ledger.rebinding), which are not chosen on their own.
REASON_LABELS_JA = {**WITHDRAWAL_LABELS_JA, "bound": "合本", "split": "分本"}

# Fields staff may correct (the CLI's `kiosk correct` and the copy page's form, in this order),
# with their type; the registration number, dates, fund and ledger position are not among them.
CORRECTABLE = {
    "title": str, "authors": str, "publisher": str, "year": int, "price": int, "classification": str,
    "author_mark": str, "volume": str, "series_title": str, "source": str, "fund_note": str, "note": str,
}
CORRECTABLE_LABELS_JA = {
    "title": "書名", "authors": "著者名", "publisher": "発行所", "year": "刊年", "price": "価格",
    "classification": "分類記号", "author_mark": "図書記号", "volume": "巻次", "series_title": "叢書名",
    "source": "受入先", "fund_note": "財源の内訳", "note": "備考",
}


def parse_reason(text: str) -> WithdrawalReason:
    return parse_choice(WithdrawalReason, text, "withdrawal reason", "除籍理由", WITHDRAWAL_LABELS_JA)


MAX_WITHDRAWALS = 500  # in one go: a year-end weeding, not the whole collection by mistake


def withdraw(
    db: Database, library_id: int, number: int, reason: WithdrawalReason, *,
    on: date | None = None, note: str | None = None, actor: str,
) -> Copy:
    return withdraw_many(db, library_id, [number], reason, on=on, note=note, actor=actor)[0]


def withdraw_many(
    db: Database, library_id: int, numbers: list[int], reason: WithdrawalReason, *,
    on: date | None = None, note: str | None = None, actor: str,
) -> list[Copy]:
    """Withdraw the copies ``numbers`` (e.g. a year-end weeding) with one reason and date, all
    or none: a number that is not registered or already withdrawn refuses the whole batch,
    naming it, and nothing is changed."""
    numbers = _check_request(numbers, reason, note)
    with db.write() as session:
        on = on or ledger_today(session)
        copies = lock_withdrawable(session, library_id, numbers, on)
        for copy in copies:
            retire(session, library_id, copy, reason.value, on, note, actor)
        return copies


@dataclass(frozen=True)
class WithdrawalPlan:
    """A withdrawal checked and not yet done: what the confirmation screen shows before staff
    confirm it (the copies as the ledger has them, the reason and the note)."""

    rows: tuple[LedgerRow, ...]
    reason: WithdrawalReason
    note: str | None

    @property
    def numbers(self) -> tuple[int, ...]:
        return tuple(row.number for row in self.rows)

    @property
    def amount(self) -> int:
        return sum(row.price for row in self.rows)


def plan_withdrawal(db: Database, library_id: int, numbers: list[int], reason: WithdrawalReason, *,
                    note: str | None = None) -> WithdrawalPlan:
    """What ``withdraw_many`` would do, checked by the same rules, without doing it: a withdrawal
    cannot be undone (the number is retired), so the screens show this and ask once more. The
    same KioskError as ``withdraw_many`` for a copy that cannot go, a missing note, too many."""
    numbers = _check_request(numbers, reason, note)
    with db.read() as session:
        on = ledger_today(session)
        for number in numbers:
            _check_withdrawable(find_copy(session, library_id, number), on)
        return WithdrawalPlan(tuple(copy_row(session, library_id, number) for number in numbers), reason,
                              (note or "").strip() or None)


def _check_request(numbers: list[int], reason: WithdrawalReason, note: str | None) -> list[int]:
    """The numbers once each, checked with the reason and note before anything is read."""
    numbers = list(dict.fromkeys(numbers))
    if not numbers:
        raise KioskError("no copies to withdraw", "除籍する本を指定してください")
    _check_batch(numbers)
    if reason is WithdrawalReason.OTHER and not (note or "").strip():
        raise KioskError("withdrawal for 'other' reasons needs a note", "除籍理由「その他」の場合は内容を記入してください")
    check_fields(Copy, {"withdrawal_note": note})
    return numbers


def lock_withdrawable(session: Session, library_id: int, numbers: list[int], on: date) -> list[Copy]:
    """The copies ``numbers``, locked, in that order, each one that can be withdrawn on ``on``;
    else the first problem, naming the copy (for a weeding, and for 合本・分本)."""
    if on > ledger_today(session):
        raise KioskError(f"withdrawal date {on} is in the future", f"除籍日 {on} が未来の日付です")
    found = {copy.number: copy for copy in session.scalars(
        select(Copy).where(Copy.library_id == library_id, Copy.number.in_(numbers))
        .order_by(Copy.number).with_for_update())}
    for number in numbers:
        if number not in found:
            raise NotFound(f"no copy with registration number {number}", f"登録番号 {number} の本はありません")
        _check_withdrawable(found[number], on)
    return [found[number] for number in numbers]


@dataclass(frozen=True)
class Candidate:
    """A copy on a planned withdrawal, as the ledger has it, and why it cannot go (None: it can)."""

    number: int
    row: LedgerRow | None  # None: no copy has this number
    problem_ja: str | None
    problem: str | None = None  # the same in English


def withdrawal_candidates(session: Session, library_id: int, numbers: list[int], on: date | None = None) -> list[Candidate]:
    """What ``withdraw_many`` would do with ``numbers``, without doing it: for the check screen."""
    on = on or ledger_today(session)
    _check_batch(set(numbers))
    candidates = []
    for number in dict.fromkeys(numbers):
        try:
            copy = find_copy(session, library_id, number)
        except NotFound as missing:
            candidates.append(Candidate(number, None, missing.ja, str(missing)))
            continue
        try:
            _check_withdrawable(copy, on)
            problem = None
        except KioskError as refused:
            problem = refused
        candidates.append(Candidate(number, copy_row(session, library_id, number), problem and problem.ja,
                                    problem and str(problem)))
    return candidates


def retire(session: Session, library_id: int, copy: Copy, reason: str, on: date, note: str | None, actor: str,
           details: dict | None = None) -> None:
    """Mark ``copy`` withdrawn (its row stays, its number is retired) and log it."""
    copy.status, copy.withdrawn_on, copy.withdrawal_reason, copy.withdrawal_note = "withdrawn", on, reason, note
    record_event(session, library_id, actor, "withdrawn", copy_id=copy.id, number=copy.number,
                 details={"reason": reason, "on": on.isoformat(), "note": note, **(details or {})})


def _check_batch(numbers) -> None:
    if len(numbers) > MAX_WITHDRAWALS:
        raise KioskError(f"at most {MAX_WITHDRAWALS} copies in one withdrawal",
                         f"一度に除籍できるのは{MAX_WITHDRAWALS}冊までです")


def _check_withdrawable(copy: Copy, on: date) -> None:
    if copy.status == "withdrawn":
        raise KioskError(
            f"copy {copy.number} was already withdrawn on {copy.withdrawn_on}",
            f"登録番号 {copy.number} はすでに除籍されています（{copy.withdrawn_on}）",
        )
    if on < copy.acquired_on:
        raise KioskError(
            f"withdrawal date {on} is before the copy was accessioned ({copy.acquired_on})",
            f"除籍日 {on} が受入年月日 {copy.acquired_on} より前です",
        )


def reaccession(db: Database, library_id: int, number: int, *, on: date | None = None, actor: str) -> RegisteredCopy:
    """A copy withdrawn as lost has turned up: give it a new number, linked to the old one.

    The new row keeps the old copy's book, fund, series and price (it is the same copy), and
    its kind is 'other' (その他の受入).
    """
    with db.write() as session:
        on = on or ledger_today(session)
        old = find_copy(session, library_id, number, lock=True)
        if old.status != "withdrawn" or old.withdrawal_reason != WithdrawalReason.LOST:
            raise KioskError(
                f"copy {number} was not withdrawn as lost: only a lost copy that is found is re-accessioned",
                f"登録番号 {number} は紛失で除籍された本ではないため、再受入できません",
            )
        again = session.scalar(select(Copy.number).where(Copy.reaccession_of_id == old.id))
        if again is not None:
            raise KioskError(
                f"copy {number} was already re-accessioned as {again}",
                f"登録番号 {number} はすでに {again} として再受入されています",
            )
        row = {
            column: getattr(old, column)
            for column in ("series", "fund", "fund_note", "source", "isbn", "title", "volume", "series_title",
                           "authors", "publisher", "year", "classification", "author_mark", "list_price",
                           "discount", "price", "eligibility_category", "override_note")
        }
        row.update(
            kind="other", acquired_on=on, fiscal_year=fiscal_year(on), status="active",
            rounding_adjusted=False, reaccession_of_id=old.id,
            price_note=f"紛失除籍（登録番号 {number}）の再受入", note=None,
        )
        (new,) = write_copies(session, library_id, [row], None, actor)
        record_event(session, library_id, actor, "found", copy_id=old.id, number=number,
                     details={"reaccessioned_as": new.number})
        return new


def weeding_list(db: Database, library_id: int, numbers: list[int]) -> list[Candidate]:
    """withdrawal_candidates in a read of its own: the weeding screen's list."""
    with db.read() as session:
        return withdrawal_candidates(session, library_id, numbers)


def correct_typed(db: Database, library_id: int, number: int, form: dict[str, str], *, reason: str,
                  actor: str) -> dict:
    """Correct what a form changed: of its correctable fields, those whose value (stripped)
    differs from the copy's now, read under the copy's lock in the correction's own transaction.
    KioskError when nothing changed."""
    with db.write() as session:
        current = correctable_values(find_copy(session, library_id, number, lock=True))
        changes = {key: form[key].strip() for key in current if key in form and form[key].strip() != current[key]}
        if not changes:
            raise KioskError("nothing was changed", "変更された項目がありません")
        return _correct(session, library_id, number, _typed_corrections(changes, reason), reason=reason, actor=actor)


def correctable_values(copy: Copy) -> dict[str, str]:
    """The correctable fields' current values as a form shows them ("" for none)."""
    return {name: "" if getattr(copy, name) is None else str(getattr(copy, name)) for name in CORRECTABLE}


def correct(db: Database, library_id: int, number: int, changes: dict[str, str], *, reason: str, actor: str) -> dict:
    """Correct fields of a copy's ledger row; the old and new values go in the event log."""
    typed = _typed_corrections(changes, reason)
    with db.write() as session:
        return _correct(session, library_id, number, typed, reason=reason, actor=actor)


def _typed_corrections(changes: dict[str, str], reason: str) -> dict:
    """The changes as the ledger stores them, each checked; KioskError for any wrong one."""
    if not (reason or "").strip():
        raise KioskError("a correction needs a reason", "訂正の理由を記入してください")
    typed = {}
    for name, value in changes.items():
        if name not in CORRECTABLE:
            raise KioskError(
                f"{name!r} cannot be corrected (correctable: {', '.join(CORRECTABLE)})",
                f"「{name}」は訂正できない項目です",
            )
        try:
            typed[name] = CORRECTABLE[name](value) if value not in ("", None) else None
        except ValueError:
            raise KioskError(f"{name} must be a whole number (got {value!r})", f"{name} は整数で入力してください") from None
    if typed.get("price") is not None and typed["price"] < 0:
        raise KioskError("price must be 0 or more", "価格は0以上にしてください")
    if "price" in typed and typed["price"] is None:
        raise KioskError("price cannot be blank (use 0)", "価格は空欄にできません（0円なら0）")
    if "title" in typed and not typed["title"]:
        raise KioskError("title cannot be blank", "書名は空欄にできません")
    check_fields(Copy, typed)
    return typed


def _correct(session: Session, library_id: int, number: int, typed: dict, *, reason: str, actor: str) -> dict:
    copy = find_copy(session, library_id, number, lock=True)
    before = {name: getattr(copy, name) for name in typed}
    for name, value in typed.items():
        setattr(copy, name, value)
    if "classification" in typed or "author_mark" in typed:  # the spine label waits, or no longer
        settle_tiers(session, copy, actor=actor)
    record_event(session, library_id, actor, "corrected", copy_id=copy.id, number=number,
                 details={"before": before, "after": typed, "reason": reason})
    return {"before": before, "after": typed}
