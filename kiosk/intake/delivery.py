"""Inspecting a delivery (検収) and registering it: the kiosk's main workflow.

open an intake → attach the slip (optional) → scan each copy (matched to a slip line) →
inspect each copy (pages fine / 落丁・乱丁) → check against the slip → register the good
copies. A defective copy goes on the exchange list and gets no number. Nothing is registered
before staff have inspected every copy; registering marks the items in the same transaction
that gives the numbers, so a crash can neither lose nor double a copy.
"""

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from sqlalchemy import bindparam, func, insert, select, update
from sqlalchemy.orm import Session

from kiosk.ledger.accession import Accession, Book, CopyRequest, Registration, register_in
from kiosk.labels.callnumber import CallNumberRules
from kiosk.intake.call_numbers import item_proposal
from kiosk.intake.register_checks import (SlipDisagrees, UnconfirmedCallNumbers, discrepancies_accepted,
                                          discrepancy_fingerprint, unsettled_items)
from kiosk.printing.waiting_spines import hold_spines
from kiosk.settings import settings_for
from kiosk.intake.eligibility import CATEGORIES
from kiosk.errors import KioskError, NotFound
from kiosk.events import now, record_event
from kiosk.ledger.funds import Fund, Kind, check_kind_and_fund
from kiosk.lookup.record import LIMITS, BibRecord, Creator
from kiosk.db.models import Copy, Intake, IntakeItem, IntakeSlipLine, Vendor
from kiosk.ledger.prices import check_amount
from kiosk.codes.isbn import to_isbn13
from kiosk.intake.slip import Slip, SlipLine
from kiosk.db.storage import Database
from kiosk.text_limits import TextTooLong, check_fields, check_length


class IntakeStatus(StrEnum):
    """A delivery's status (stored as its value)."""

    OPEN = "open"  # 受入中: copies may be scanned, inspected, registered
    CLOSED = "closed"  # 締め切り: nothing more changes (no screen or command closes one today)


INTAKE_STATUS_LABELS_JA = {IntakeStatus.OPEN: "受入中", IntakeStatus.CLOSED: "締め切り"}


class Inspection(StrEnum):
    """What staff found when inspecting a scanned copy (stored as its value)."""

    PENDING = "pending"  # 未検品
    OK = "ok"  # ページOK: registered
    DEFECTIVE = "defective"  # 落丁・乱丁: goes back for exchange, no number


INSPECTION_LABELS_JA = {Inspection.PENDING: "未検品", Inspection.OK: "ページOK", Inspection.DEFECTIVE: "落丁・乱丁"}


def open_intake(db: Database, library_id: int, *, source: str, received_on: date, kind: Kind, fund: Fund,
                fund_note: str | None = None, actor: str, slip: Slip | None = None,
                mapping: dict | None = None) -> int:
    """A new delivery, with its slip when one came: both in one transaction, so a slip refused
    (a line too long or a number too big for the database) leaves no empty delivery behind."""
    if not source.strip():
        raise KioskError("the vendor or donor is required", "書店名または寄贈者名を入力してください")
    if kind is not Kind.OTHER:
        check_kind_and_fund(kind, fund)
    check_fields(Intake, {"source": source.strip(), "fund_note": fund_note})
    with db.write() as session:
        intake = Intake(library_id=library_id, source=source.strip(), received_on=received_on, kind=kind.value,
                        fund=fund.value, fund_note=fund_note, status=IntakeStatus.OPEN.value, created_at=now(), created_by=actor)
        session.add(intake)
        _remember_vendor(session, library_id, source.strip(), None)
        session.flush()
        record_event(session, library_id, actor, "intake_opened", details={"intake": intake.id, "source": source})
        if slip is not None:
            _replace_slip(session, intake, slip)
            if mapping:
                _remember_vendor(session, library_id, intake.source, mapping)
        return intake.id


def vendor_mapping(db: Database, library_id: int, name: str) -> dict | None:
    """The slip column mapping remembered for this vendor, if any."""
    with db.read() as session:
        vendor = session.scalar(select(Vendor).where(Vendor.library_id == library_id, Vendor.name == name))
        return vendor.column_mapping if vendor else None


def vendors(db: Database, library_id: int) -> list[str]:
    with db.read() as session:
        query = select(Vendor.name).where(Vendor.library_id == library_id).order_by(Vendor.last_used.desc())
        return list(session.scalars(query))


def attach_slip(db: Database, intake_id: int, slip: Slip, *, mapping: dict | None = None) -> None:
    """Put the slip's lines on the intake (replacing an earlier slip) and re-match the scans."""
    with db.write() as session:
        intake = _open(session, intake_id, lock=True)
        _replace_slip(session, intake, slip)
        if mapping:
            _remember_vendor(session, intake.library_id, intake.source, mapping)


def add_slip_line(db: Database, intake_id: int, *, title: str, quantity: int, isbn: str | None = None,
                  unit_price: int | None = None) -> None:
    """One line of a slip typed in by hand (the bookseller sent only paper). The slip's total
    becomes the sum of its lines, and scans already made are matched again. Read and rewritten
    under the delivery's lock, so two lines typed at once are both kept."""
    if not title.strip():
        raise KioskError("a slip line needs a title", "書名を入力してください")
    if quantity < 1:
        raise KioskError("the quantity must be 1 or more", "数量は1以上にしてください")
    if unit_price is not None:
        check_amount(unit_price, "unit price", "税込単価")
    check_fields(IntakeSlipLine, {"title": title.strip()})
    isbn13 = to_isbn13(isbn) if isbn else None
    with db.write() as session:
        intake = _open(session, intake_id, lock=True)
        lines = [SlipLine(line=l.position, title=l.title, isbn13=l.isbn13, isbn_text=l.isbn_text, authors=l.authors,
                          publisher=l.publisher, list_price=l.list_price, unit_price=l.unit_price,
                          quantity=l.quantity, amount=l.amount, c_code=l.c_code)
                 for l in _lines(session, intake_id)]
        lines.append(SlipLine(line=len(lines) + 1, title=title.strip(), isbn13=isbn13, unit_price=unit_price,
                              quantity=quantity))
        _replace_slip(session, intake, Slip(encoding="typed", lines=lines, slip_number=intake.slip_number))


def _replace_slip(session: Session, intake: Intake, slip: Slip) -> None:
    _check_slip_text(slip)
    items = _items(session, intake.id)
    for item in items:
        item.slip_line_id = None
    session.flush()
    for line in _lines(session, intake.id):
        session.delete(line)
    session.flush()
    # One executemany, not an ORM object per line: a 300-line slip's objects and their flush were
    # most of its import (the lines are read back from the database below, by _match and _lines).
    rows = [
        {"intake_id": intake.id, "position": position, "title": line.title, "isbn13": line.isbn13,
         "isbn_text": line.isbn_text, "authors": line.authors, "publisher": line.publisher,
         "list_price": line.list_price, "unit_price": line.unit_price, "quantity": line.quantity,
         "amount": line.expected_amount, "c_code": line.c_code}
        for position, line in enumerate(slip.lines, start=1)]
    if rows:
        session.connection().execute(insert(IntakeSlipLine.__table__), rows)
    intake.slip_number = slip.slip_number
    intake.slip_total = slip.total_amount if slip.total_amount is not None else slip.amount
    intake.slip_encoding = slip.encoding
    session.flush()
    for item in items:  # in scan order; each match is flushed before the next is counted
        if not item.removed:
            item.slip_line_id = _match(session, intake.id, item.isbn13)
            session.flush()


def add_scan(db: Database, intake_id: int, isbn13: str, *, record: BibRecord | None = None,
             list_price: int | None = None, c_code: str | None = None) -> int:
    """A scanned copy: kept at once (before any lookup finishes), matched to a slip line."""
    with db.write() as session:
        _open(session, intake_id, lock=True)
        line_id = _match(session, intake_id, isbn13)
        item = IntakeItem(intake_id=intake_id, scanned_at=now(), isbn13=isbn13, slip_line_id=line_id,
                          record=record.to_json() if record else None, list_price=list_price, c_code=c_code,
                          inspection=Inspection.PENDING.value, removed=False)
        session.add(item)
        session.flush()
        return item.id


def update_item(db: Database, item_id: int, *, of_intake: int | None = None, **changes) -> None:
    """Change what staff may change on a scanned copy before it is registered: ``record``
    (a BibRecord, e.g. when a lookup arrives or staff type one), ``list_price``, ``c_code``,
    ``price`` (tax included), ``inspection``, ``category`` and ``override_note``, ``removed``."""
    allowed = {"record", "list_price", "c_code", "price", "inspection", "category", "override_note", "removed"}
    unknown = set(changes) - allowed
    if unknown:
        raise KioskError(f"cannot change {', '.join(sorted(unknown))}", "変更できない項目です")
    if changes.get("inspection") is not None:
        try:
            changes["inspection"] = Inspection(changes["inspection"]).value
        except ValueError:
            raise KioskError(f"inspection must be one of {tuple(i.value for i in Inspection)}", "検品の結果が正しくありません") from None
    for key in ("price", "list_price"):
        if changes.get(key) is not None:
            check_amount(changes[key], key.replace("_", " "), "価格")
    check_fields(IntakeItem, {"override_note": changes.get("override_note")})
    if changes.get("category") and changes["category"] not in CATEGORIES:
        raise KioskError(f"unknown category {changes['category']!r}", "区分が正しくありません")
    with db.write() as session:
        found = _item(session, item_id)
        if of_intake is not None and found.intake_id != of_intake:  # a copy of another delivery (or school)
            raise NotFound(f"no scanned copy {item_id} in delivery {of_intake}",
                           f"スキャンした本 {item_id} はこの納品にありません")
        _open(session, found.intake_id, lock=True)
        item = _item(session, item_id, fresh=True)
        if item.copy_number is not None:
            raise KioskError(f"copy {item.copy_number} is already registered: correct the ledger instead",
                             f"登録番号 {item.copy_number} として登録済みです。台帳の訂正をしてください")
        if "record" in changes:
            changes["record"] = changes["record"].to_json() if changes["record"] else None
        for key, value in changes.items():
            setattr(item, key, value)


ROLES = ("著", "作", "文", "絵", "訳", "編")  # the typed-record form's choices (著者の役割)


def typed_record(isbn13: str | None, title: str, authors: str = "", publisher: str | None = None, *,
                 title_reading: str | None = None, creators: tuple = (), year: int | None = None,
                 ndc: str | None = None) -> BibRecord:
    """The record staff typed for a copy no source knew: ``authors`` as names separated by 、, or
    ``creators`` as (name, reading, role) triples (role one of ROLES); the title's reading, the
    year and the class (NDC) when staff give them. Every text checked against what the ledger
    keeps (too long is refused, never cut)."""
    people = [(name.strip(), None, None) for name in authors.split("、") if name.strip()]
    people += [(name.strip(), (reading or "").strip() or None, role or None) for name, reading, role in creators
               if name and name.strip()]
    for name, reading, role in people:
        check_length("authors", name, LIMITS["name"])
        check_length("reading", reading, LIMITS["reading"])
        if role is not None and role not in ROLES:
            raise KioskError(f"role {role!r} is not one of {ROLES}", "著者の役割が正しくありません")
    check_fields(Copy, {"authors": "、".join(name for name, _, _ in people) or None, "classification": ndc})
    if year is not None and not 1000 <= year <= 2999:
        raise KioskError(f"year {year} is not a year", f"出版年 {year} は正しくありません")
    if ndc and not re.fullmatch(r"\d{1,3}(\.\d{1,8})?", ndc.strip()):
        raise KioskError(f"class {ndc!r} is not an NDC number", "分類はNDCの数字で入力してください（例 913.6）")
    return BibRecord(isbn13=isbn13 or None, title=title, source="typed", publisher=publisher or None,
                     title_reading=title_reading or None, year=year, ndc9=ndc.strip() if ndc else None,
                     creators=tuple(Creator(name, reading, role) for name, reading, role in people))


def fill_record(db: Database, item_id: int, record: BibRecord) -> bool:
    """Give a scanned copy the record a lookup found, unless it has one already (staff may have
    typed it meanwhile) or is registered. True if the record was taken."""
    with db.write() as session:
        _intake(session, _item(session, item_id).intake_id, lock=True)
        item = _item(session, item_id, fresh=True)
        if item.record is not None or item.copy_number is not None or item.removed:
            return False
        item.record = record.to_json()
        return True


@dataclass
class LineCheck:
    position: int
    title: str
    isbn13: str | None
    quantity: int
    scanned: int  # good or not yet inspected
    defective: int  # delivered, but going back for exchange
    unit_price: int | None

    @property
    def missing(self) -> int:
        """Copies the vendor did not deliver (a defective copy was delivered: it is on the
        exchange list instead)."""
        return max(self.quantity - self.scanned - self.defective, 0)


@dataclass
class SlipCheck:
    """What inspection found against the slip (for the screen and the vendor's report)."""

    has_slip: bool
    lines: list[LineCheck] = field(default_factory=list)
    extra: list[int] = field(default_factory=list)  # item ids not on the slip (or beyond its quantity)
    price_differences: list[tuple[int, int, int]] = field(default_factory=list)  # (item, slip, scanned)
    defective: list[int] = field(default_factory=list)  # item ids for the exchange list
    pending: list[int] = field(default_factory=list)  # item ids not inspected yet
    slip_total: int | None = None
    lines_total: int = 0

    @property
    def missing(self) -> list[LineCheck]:
        return [line for line in self.lines if line.missing]

    @property
    def agrees(self) -> bool:
        """The slip is right: every line delivered, nothing extra, prices and total agree."""
        total_ok = self.slip_total is None or self.slip_total == self.lines_total
        return not (self.missing or self.extra or self.price_differences) and total_ok


def check_intake(db: Database, intake_id: int) -> SlipCheck:
    with db.read() as session:
        intake = _intake(session, intake_id)
        return _check(intake, _lines(session, intake_id), [i for i in _items(session, intake_id) if not i.removed])


def _check(intake: Intake, lines: list[IntakeSlipLine], items: list[IntakeItem]) -> SlipCheck:
    check = SlipCheck(has_slip=bool(lines), slip_total=intake.slip_total if lines else None)
    by_line = {line.id: line for line in lines}
    linked_to: dict[int, list[IntakeItem]] = defaultdict(list)
    for item in items:
        linked_to[item.slip_line_id].append(item)
    for line in lines:
        linked = linked_to[line.id]
        defective = sum(1 for item in linked if item.inspection == Inspection.DEFECTIVE)
        check.lines.append(LineCheck(line.position, line.title, line.isbn13, line.quantity,
                                     len(linked) - defective, defective, line.unit_price))
        check.lines_total += line.amount or 0
    for item in items:
        line = by_line.get(item.slip_line_id)
        if lines and line is None:
            check.extra.append(item.id)
        if line and line.list_price is not None and item.list_price is not None and line.list_price != item.list_price:
            check.price_differences.append((item.id, line.list_price, item.list_price))
        if item.inspection == Inspection.DEFECTIVE:
            check.defective.append(item.id)
        elif item.inspection == Inspection.PENDING:
            check.pending.append(item.id)
    return check


@dataclass
class ItemView:
    id: int
    isbn13: str | None
    title: str | None
    authors: str | None
    publisher: str | None
    year: int | None
    record_source: str | None
    list_price: int | None
    c_code: str | None
    price: int | None  # what the ledger will get, when known (tax included)
    slip_line: int | None  # the slip line's position
    inspection: Inspection
    category: str | None
    override_note: str | None
    copy_number: int | None
    ndc: str | None
    problem: str | None = None  # why it cannot be registered as it is (e.g. no title yet), in English
    problem_ja: str | None = None  # the same, for the screen
    call_number: dict | None = None  # kiosk.labels.proposal.CallNumberProposal.to_json(): tiers, why, 推定/未定

    def to_json(self) -> dict:
        return dict(self.__dict__)


@dataclass(frozen=True)
class IntakeHead:
    """The delivery without its copies: what a screen's heading and a row's answer need."""

    id: int
    library_id: int
    source: str
    received_on: date
    kind: str
    fund: str
    slip_number: str | None
    status: IntakeStatus
    has_slip: bool


@dataclass(frozen=True)
class IntakeView(IntakeHead):
    """The whole delivery with every copy and the check against its slip (the 照合 screen)."""

    items: list[ItemView]
    check: SlipCheck

    @property
    def scanned(self) -> int:
        return len(self.items)

    @property
    def expected(self) -> int | None:
        return sum(line.quantity for line in self.check.lines) if self.check.has_slip else None


def intake_view(db: Database, intake_id: int) -> IntakeView:
    """Everything the scan screen shows about a delivery, newest scan first."""
    with db.read() as session:
        return read_intake_view(session, intake_id)


def read_intake_view(session: Session, intake_id: int) -> IntakeView:
    """intake_view in the caller's read (the discrepancy report reads its library in the same one)."""
    intake = _intake(session, intake_id)
    rules = settings_for(session, intake.library_id).callnumber
    lines = {line.id: line for line in _lines(session, intake_id)}
    items = [i for i in _items(session, intake_id) if not i.removed]
    check = _check(intake, list(lines.values()), items)
    views = [_item_view(item, lines.get(item.slip_line_id), rules) for item in reversed(items)]
    return IntakeView(intake.id, intake.library_id, intake.source, intake.received_on, intake.kind, intake.fund,
                      intake.slip_number, IntakeStatus(intake.status), check.has_slip, views, check)


def intake_library(db: Database, intake_id: int) -> int:
    """The library an intake belongs to (NotFound if there is no such intake)."""
    with db.read() as session:
        return _intake(session, intake_id).library_id


def open_intakes(db: Database, library_id: int) -> list[Intake]:
    with db.read() as session:
        query = select(Intake).where(Intake.library_id == library_id, Intake.status == IntakeStatus.OPEN.value).order_by(Intake.id.desc())
        return list(session.scalars(query))


def _item_view(item: IntakeItem, line: IntakeSlipLine | None, rules: CallNumberRules = CallNumberRules()) -> ItemView:
    record = BibRecord.from_json(item.record) if item.record else None
    request, problem = None, None
    proposal = item_proposal(item, record, line, rules)
    try:
        request = _copy_request(item, line, rules, proposal, record)
    except KioskError as refused:  # shown on the row, not only when 登録 is pressed
        problem = refused
    price = request.price if request and request.price is not None else None
    return ItemView(
        id=item.id, isbn13=item.isbn13,
        title=request.book.title if request else None,
        authors=request.book.authors if request else None,
        publisher=request.book.publisher if request else None,
        year=record.year if record else None,
        record_source=record.source if record else None,
        list_price=request.list_price if request else item.list_price,
        c_code=item.c_code or (record.c_code if record else None) or (line.c_code if line else None),
        price=price, slip_line=line.position if line else None, inspection=Inspection(item.inspection),
        category=item.category, override_note=item.override_note, copy_number=item.copy_number,
        ndc=(record.ndc9 or record.ndc10) if record else None,
        problem=str(problem) if problem else None, problem_ja=problem.ja if problem else None,
        call_number=proposal.to_json(),
    )


class AlreadyRegistered(KioskError):
    """A second 登録 on a delivery whose copies already have their numbers (a double tap, a
    second tab): nothing more is written, and the numbers given are named."""

    def __init__(self, intake_id: int, numbers: list[int]):
        given = _ranges(numbers)
        super().__init__(f"delivery {intake_id} is already registered (numbers {given})",
                         f"この納品はすでに登録されています（登録番号 {given}）")
        self.numbers = numbers


def register_intake(db: Database, intake_id: int, *, actor: str, on: date | None = None,
                    accept_discrepancies: bool | str = False, accept_call_numbers=(),
                    rules: CallNumberRules | None = None) -> Registration:
    """Give numbers to every inspected, good, not yet registered copy of the intake.

    Exactly once: the copies are chosen, numbered and marked in one write transaction that
    holds the delivery's lock, so a second 登録 at the same moment waits, then finds nothing
    left to register and is refused with the numbers the first one gave.

    Two things need a second, deliberate confirmation (kiosk.intake.register_checks): a delivery
    that disagrees with its slip (``accept_discrepancies``: the fingerprint of the check staff
    saw, or True from a command), and copies whose call number has a tier estimated (推定) or
    missing (未定) (``accept_call_numbers``: the ids of the copies staff saw listed, or True).
    A copy registered with a missing tier has its spine label wait as 請求記号待ち."""
    with db.write() as session:
        intake = _open(session, intake_id, lock=True)
        rules = rules or settings_for(session, intake.library_id).callnumber
        lines = {line.id: line for line in _lines(session, intake_id)}
        items = [i for i in _items(session, intake_id) if not i.removed]
        check = _check(intake, list(lines.values()), items)
        good = [item for item in items if item.inspection == Inspection.OK and item.copy_number is None]
        registered = sorted(item.copy_number for item in items if item.copy_number is not None)
        if not good and registered and not check.pending:
            raise AlreadyRegistered(intake_id, registered)
        if check.pending:
            raise KioskError(f"{len(check.pending)} copies are not inspected yet: inspect every copy first",
                             f"検品がまだの本が{len(check.pending)}冊あります。すべて検品してから登録してください")
        if not check.agrees and not discrepancies_accepted(check, accept_discrepancies):
            raise SlipDisagrees(intake_id, discrepancy_fingerprint(check))
        if not good:
            raise KioskError("no inspected copy is waiting to be registered", "登録を待っている本がありません")
        records = {item.id: BibRecord.from_json(item.record) if item.record else None for item in good}
        proposals = {item.id: item_proposal(item, records[item.id], lines.get(item.slip_line_id), rules)
                     for item in good}
        unsettled = unsettled_items(proposals)
        if unsettled and accept_call_numbers is not True and not set(unsettled) <= set(accept_call_numbers or ()):
            raise UnconfirmedCallNumbers(intake_id, unsettled)
        requests = [_copy_request(item, lines.get(item.slip_line_id), rules, proposals[item.id], records[item.id])
                    for item in good]
        accession = Accession(kind=Kind(intake.kind), fund=Fund(intake.fund), source=intake.source,
                              on=on, fund_note=intake.fund_note, slip_number=intake.slip_number)
        registration = register_in(session, intake.library_id, accession, requests, actor=actor)
        _mark_registered(session, intake_id, [item.id for item in good], [c.number for c in registration.copies])
        hold_spines(session, intake.library_id, [c.number for c in registration.copies], actor=actor)
        return registration


def _mark_registered(session: Session, intake_id: int, item_ids: list[int], numbers: list[int]) -> None:
    """Each item gets its number only if it has none: a conditional update that must match every
    row, or the whole registration rolls back (a second line of defence behind the lock).

    One short statement executed for every item (an executemany): a single UPDATE with a CASE of
    every item compiled a statement of hundreds of parameters, the slowest part of a 300-copy 登録."""
    items = IntakeItem.__table__
    session.flush()  # Core does not autoflush, and expire_all below would drop what was pending
    marked = session.connection().execute(
        update(items).where(items.c.id == bindparam("item_id"), items.c.copy_number.is_(None))
        .values(copy_number=bindparam("given")),
        [{"item_id": item_id, "given": number} for item_id, number in zip(item_ids, numbers)],
    ).rowcount
    if marked != len(item_ids):
        raise KioskError(f"delivery {intake_id}: {len(item_ids) - marked} copies were registered meanwhile; "
                         "nothing was registered now",
                         "この納品は別の画面で登録されました。今回は何も登録していません。画面を開き直してください")
    session.expire_all()


def _ranges(numbers: list[int]) -> str:
    """1001, 1002, 1003, 1007 → '1001〜1003、1007' (for the screen)."""
    parts, run = [], []
    for number in sorted(numbers):
        if run and number != run[-1] + 1:
            parts.append(run)
            run = []
        run.append(number)
    if run:
        parts.append(run)
    return "、".join(str(r[0]) if len(r) == 1 else f"{r[0]}〜{r[-1]}" for r in parts)


def _copy_request(item: IntakeItem, line: IntakeSlipLine | None, rules: CallNumberRules | None = None,
                  proposal=None, record: BibRecord | None = None) -> CopyRequest:
    if record is None and item.record:
        record = BibRecord.from_json(item.record)
    proposal = proposal or item_proposal(item, record, line, rules or CallNumberRules())
    call = proposal.call_number()
    title = (record.title if record else None) or (line.title if line else None)
    if not title:
        raise KioskError(f"the copy scanned as {item.isbn13} has no title yet: type it in",
                         f"ISBN {item.isbn13} の本の書名がありません。書名を入力してください")
    book = Book(
        title=title, isbn=item.isbn13,
        volume=record.volume if record else None, series_title=record.series if record else None,
        authors=_authors(record) or (line.authors if line else None),
        publisher=(record.publisher if record else None) or (line.publisher if line else None),
        year=record.year if record else None,
        classification=call.top or None, author_mark=call.bottom or None,
        volume_mark=proposal.volume.value if proposal.volume and proposal.confirmed else None,
        call_number_state=proposal.state.value,
    )
    if item.price is not None:
        price, list_price = item.price, None
    elif line is not None and line.unit_price is not None:
        price, list_price = line.unit_price, line.list_price
    else:
        price, list_price = None, item.list_price or (line.list_price if line else None) or (record.price if record else None)
    return CopyRequest(book=book, price=price, list_price=list_price, category=item.category,
                       override_note=item.override_note)


def _authors(record: BibRecord | None) -> str | None:
    """著者名 for the ledger: every creator with their role (picture books: text and pictures)."""
    if record is None or not record.creators:
        return None
    return "、".join(f"{c.name} {c.role}".strip() if c.role else c.name for c in record.creators)


# The INTEGER columns' range on both backends (PostgreSQL refuses more; SQLite's driver
# overflows past 64 bits): a slip's number beyond it is a misread, not a price.
LARGEST_SLIP_NUMBER = 2_147_483_647


def _check_slip_text(slip: Slip) -> None:
    """Every line's text and number fits the database, or the slip is refused naming the line."""
    check_fields(Intake, {"slip_number": slip.slip_number})
    total = slip.total_amount if slip.total_amount is not None else slip.amount
    if abs(total) > LARGEST_SLIP_NUMBER:
        raise KioskError(f"the slip's total {total} yen is too large to be a delivery's total",
                         "納品書の合計金額が大きすぎます。数字を確かめてください")
    for line in slip.lines:
        try:
            check_fields(IntakeSlipLine, {"title": line.title, "isbn_text": line.isbn_text, "authors": line.authors,
                                          "publisher": line.publisher, "c_code": line.c_code})
        except TextTooLong as long:
            raise KioskError(f"slip line {line.line}: {long}", f"納品書の{line.line}行目: {long.ja}") from None
        numbers = {"list price": line.list_price, "unit price": line.unit_price, "quantity": line.quantity,
                   "amount": line.expected_amount}
        for what, value in numbers.items():
            if value is not None and abs(value) > LARGEST_SLIP_NUMBER:
                raise KioskError(f"slip line {line.line}: the {what} {value} is too large",
                                 f"納品書の{line.line}行目: 数字が大きすぎます（{value}）")


def _match(session: Session, intake_id: int, isbn13: str | None) -> int | None:
    """The first slip line for this ISBN that still expects copies; None if there is none.
    A defective copy does not hold its place: its replacement takes the line. By query, so a
    scan never reads the whole delivery."""
    if not isbn13:
        return None
    lines = session.execute(select(IntakeSlipLine.id, IntakeSlipLine.quantity).where(
        IntakeSlipLine.intake_id == intake_id, IntakeSlipLine.isbn13 == isbn13).order_by(IntakeSlipLine.position)).all()
    for line_id, quantity in lines:
        taken = session.scalar(select(func.count()).select_from(IntakeItem).where(  # intake_id: its index
            IntakeItem.intake_id == intake_id, IntakeItem.slip_line_id == line_id, IntakeItem.removed.is_(False),
            IntakeItem.inspection != Inspection.DEFECTIVE.value))
        if taken < quantity:
            return line_id
    return None


def _remember_vendor(session: Session, library_id: int, name: str, mapping: dict | None) -> None:
    vendor = session.scalar(select(Vendor).where(Vendor.library_id == library_id, Vendor.name == name))
    if vendor is None:
        session.add(Vendor(library_id=library_id, name=name, column_mapping=mapping, last_used=now()))
    else:
        vendor.last_used = now()
        if mapping:
            vendor.column_mapping = mapping


def _intake(session: Session, intake_id: int, *, lock: bool = False) -> Intake:
    """The intake; with ``lock``, its row locked until the transaction ends: every write to a
    delivery takes this lock first, so what is read under it stays true until the commit
    (SQLite's BEGIN IMMEDIATE already serialises writers; PostgreSQL needs the row lock)."""
    if lock:
        intake = session.scalar(select(Intake).where(Intake.id == intake_id).with_for_update()
                                .execution_options(populate_existing=True))
    else:
        intake = session.get(Intake, intake_id)
    if intake is None:
        raise NotFound(f"no delivery {intake_id}", f"納品 {intake_id} が見つかりません")
    return intake


def _open(session: Session, intake_id: int, *, lock: bool = False) -> Intake:
    intake = _intake(session, intake_id, lock=lock)
    if intake.status != IntakeStatus.OPEN:
        raise KioskError(f"delivery {intake_id} is closed", f"納品 {intake_id} は締め切られています")
    return intake


def _item(session: Session, item_id: int, *, fresh: bool = False) -> IntakeItem:
    """The item; ``fresh`` reads it again from the database (after its delivery was locked)."""
    item = session.get(IntakeItem, item_id, populate_existing=fresh)
    if item is None:
        raise NotFound(f"no scanned copy {item_id}", f"スキャンした本 {item_id} が見つかりません")
    return item


def _lines(session: Session, intake_id: int) -> list[IntakeSlipLine]:
    query = select(IntakeSlipLine).where(IntakeSlipLine.intake_id == intake_id).order_by(IntakeSlipLine.position)
    return list(session.scalars(query))


def _items(session: Session, intake_id: int) -> list[IntakeItem]:
    return list(session.scalars(select(IntakeItem).where(IntakeItem.intake_id == intake_id).order_by(IntakeItem.id)))
