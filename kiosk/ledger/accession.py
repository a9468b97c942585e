"""Accession (受入): registration numbers, ledger positions and the copies' rows.

The pipeline for one registration, top to bottom:
1. everything the staff gave is checked and every price worked out, before the database
   is touched (bad input writes nothing);
2. in ONE transaction: the library's number counter is advanced (which locks it against
   every other kiosk and process), the ledger positions are worked out under that lock, and
   the delivery, the copies and their events are written. A failed or killed transaction
   leaves neither a gap nor a duplicate, because the counter and the rows commit together.
A PostgreSQL SEQUENCE is deliberately not used: it is not transactional and leaves gaps.
"""

from dataclasses import dataclass, field, replace
from typing import Callable
from datetime import date

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from kiosk.clock import ledger_today
from kiosk.intake.eligibility import check_eligible
from kiosk.errors import KioskError
from kiosk.events import now, record_events
from kiosk.ledger.fiscal import fiscal_year
from kiosk.ledger.funds import Fund, Kind, check_kind_and_fund, series_for
from kiosk.codes.isbn import to_isbn13
from kiosk.db.models import Copy, Delivery, Library
from kiosk.ledger.prices import PriceError, apply_discount, check_amount, split_lump_sum, tax_included
from kiosk.db.storage import Database
from kiosk.text_limits import check_fields

MAX_COPIES_PER_REGISTRATION = 10_000


@dataclass(frozen=True)
class Book:
    """What the ledger says about the book itself (fields 4-8 of the manual)."""

    title: str
    isbn: str | None = None
    volume: str | None = None
    series_title: str | None = None
    authors: str | None = None
    publisher: str | None = None
    year: int | None = None
    classification: str | None = None
    author_mark: str | None = None
    volume_mark: str | None = None  # 巻冊記号, the third tier as set (None: the 巻次 where the rules ask)
    call_number_state: str | None = None  # kiosk.labels.proposal.CallNumberState, when the desk settled it


@dataclass(frozen=True)
class CopyRequest:
    """One physical copy to register, with how its price is known."""

    book: Book
    list_price: int | None = None  # 本体価格 (without tax)
    price: int | None = None  # tax-included price as given
    discount: int = 0
    price_unknown: bool = False  # self-published, price unknown → 0 yen
    category: str | None = None  # a "not registered" category, see kiosk.intake.eligibility
    loaned: bool = False  # a magazine that is loaned is registered
    override_note: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class Accession:
    """How a batch of copies came in: one delivery slip, one donation, one re-accession."""

    kind: Kind
    fund: Fund
    source: str  # 受入先: the bookstore, or the donor
    on: date | None  # 受入年月日; None: today by the ledger's clock (kiosk.clock)
    fund_note: str | None = None
    slip_number: str | None = None
    slip_total: int | None = None  # 納品書の合計: checked against the rows
    lot_total: int | None = None  # a lump sum over all copies, split by list price


@dataclass(frozen=True)
class RegisteredCopy:
    number: int
    price: int
    rounding_adjusted: bool
    series: str
    fiscal_year: int
    sheet: int
    row: int
    title: str
    isbn: str | None

    def to_json(self) -> dict:
        return dict(self.__dict__)


@dataclass(frozen=True)
class Registration:
    delivery_id: int
    copies: list[RegisteredCopy]
    amount: int
    slip_total: int | None

    @property
    def difference(self) -> int | None:
        """Rows minus slip total: 0 when they agree, None when there is no slip total."""
        return None if self.slip_total is None else self.amount - self.slip_total

    def to_json(self) -> dict:
        return {
            "copies": [c.to_json() for c in self.copies],
            "delivery": {
                "id": self.delivery_id,
                "amount": self.amount,
                "slip_total": self.slip_total,
                "difference": self.difference,
            },
        }


@dataclass
class _Priced:
    price: int
    rounding_adjusted: bool = False
    notes: list[str] = field(default_factory=list)


class SlipMismatch(KioskError):
    """The copies' prices do not add up to the delivery slip's total (納品書の合計)."""

    def __init__(self, amount: int, slip_total: int):
        difference = amount - slip_total
        super().__init__(
            f"the copies add up to {amount} yen but the slip total is {slip_total} yen "
            f"(difference {difference:+} yen): check the slip with the vendor, or accept the difference",
            f"台帳の合計 {amount:,}円 が納品書の合計 {slip_total:,}円 と {difference:+,}円 違います。"
            "納品書を確認してください",
        )
        self.amount, self.slip_total, self.difference = amount, slip_total, difference


def register(
    db: Database, library_id: int, accession: Accession, requests: list[CopyRequest], *, actor: str,
    accept_difference: bool = False,
    in_same_transaction: Callable[[Session, list[RegisteredCopy]], None] | None = None,
) -> Registration:
    """Register copies in one transaction and give each its number and ledger position.

    With a slip total, the copies' prices must add up to it (the ledger must agree with the
    vendor's slip); ``accept_difference`` registers anyway and reports the difference.
    ``in_same_transaction`` is called with the new copies before the commit, for writes that
    must stand or fall with the numbers.
    """
    with db.read() as session:  # outside the write lock: pricing needs only the rounding rule
        prepared = prepare(session, library_id, accession, requests, accept_difference=accept_difference)
    with db.write() as session:
        registration = write_prepared(session, library_id, prepared, actor)
        if in_same_transaction is not None:
            in_same_transaction(session, registration.copies)
    return registration


def register_in(session: Session, library_id: int, accession: Accession, requests: list[CopyRequest], *,
                actor: str, accept_difference: bool = False) -> Registration:
    """``register`` inside the caller's write transaction: for a caller that must decide what to
    register under its own lock (an inspected delivery), so deciding and numbering are one."""
    prepared = prepare(session, library_id, accession, requests, accept_difference=accept_difference)
    return write_prepared(session, library_id, prepared, actor)


@dataclass(frozen=True)
class Prepared:
    """Copies checked and priced, ready to be numbered: nothing is written yet."""

    accession: Accession
    rows: list[dict]
    amount: int
    slip_total: int | None


def prepare(session: Session, library_id: int, accession: Accession, requests: list[CopyRequest], *,
            accept_difference: bool = False) -> Prepared:
    """Check every request and work out every price (bad input raises before anything is written)."""
    requests = [_checked_request(r) for r in requests]
    today = ledger_today(session)
    if accession.on is None:
        accession = replace(accession, on=today)
    _check_accession(accession, len(requests), today)
    rounding = session.scalar(select(Library.tax_rounding).where(Library.id == library_id))
    if rounding is None:
        raise KioskError(f"no library {library_id}", f"図書館 {library_id} が見つかりません")
    priced = price_copies(accession, requests, rounding)
    slip_total = _slip_total(accession)
    amount = sum(p.price for p in priced)
    if slip_total is not None and amount != slip_total and not accept_difference:
        raise SlipMismatch(amount, slip_total)
    rows = [_copy_row(accession, request, p) for request, p in zip(requests, priced)]
    for key in _DESK_KEYS:  # set only when the desk settled them: a batch without them writes what it always did
        if all(row[key] is None for row in rows):
            for row in rows:
                del row[key]
    return Prepared(accession, rows, amount, slip_total)


_DESK_KEYS = ("volume_mark", "call_number_state")  # what the desk's call-number step adds (migration 0008)


def write_prepared(session: Session, library_id: int, prepared: Prepared, actor: str) -> Registration:
    delivery_id = _insert_delivery(session, library_id, prepared.accession, actor)
    registered = write_copies(session, library_id, [dict(row) for row in prepared.rows], delivery_id, actor)
    return Registration(delivery_id, registered, prepared.amount, prepared.slip_total)


def price_copies(accession: Accession, requests: list[CopyRequest], rounding: str) -> list[_Priced]:
    """Each copy's ledger price, by the manual's rules (see kiosk.ledger.prices)."""
    if accession.lot_total is not None:
        shares = split_lump_sum(accession.lot_total, [r.list_price for r in requests])
        if accession.fund is Fund.GIFT:
            raise PriceError("a free gift has no lump-sum price", "無償の寄贈には一括価格はありません")
        return [_Priced(s.price, s.rounding_adjusted, ["端数調整"] if s.rounding_adjusted else []) for s in shares]
    return [_price_one(accession, request, rounding) for request in requests]


def _price_one(accession: Accession, request: CopyRequest, rounding: str) -> _Priced:
    if accession.fund is Fund.GIFT:
        printed = request.price if request.price is not None else request.list_price
        note = "無償で入手のため0円" + (f"（表示価格 {printed:,}円）" if printed else "")
        return _Priced(0, notes=[note])
    if request.price_unknown:
        return _Priced(0, notes=["価格不明のため0円（自費出版など）"])
    if request.price is not None:
        base, notes = request.price, []
    elif request.list_price is not None:
        base = tax_included(request.list_price, accession.on, rounding)
        notes = [f"本体 {request.list_price:,}円 + 税"]
    else:
        raise PriceError(
            f"no price for {request.book.title!r}: give the list price, the tax-included price, "
            "or mark the price unknown",
            f"「{request.book.title}」の価格がありません（本体価格か税込価格を入力してください）",
        )
    if request.discount:
        base = apply_discount(base, request.discount)
        notes.append(f"値引き {request.discount:,}円")
    return _Priced(base, notes=notes)


_BOOK_TEXT = ("title", "volume", "series_title", "authors", "publisher", "classification", "author_mark", "volume_mark")


def _checked_request(request: CopyRequest) -> CopyRequest:
    book = request.book
    if not book.title or not book.title.strip():
        raise KioskError("every copy needs a title", "書名を入力してください")
    isbn = to_isbn13(book.isbn) if book.isbn else None
    check_fields(Copy, {name: getattr(book, name) for name in _BOOK_TEXT}
                 | {"override_note": request.override_note, "note": request.note})
    for value, what, what_ja in (
        (request.list_price, "list price", "本体価格"),
        (request.price, "price", "価格"),
    ):
        if value is not None:
            check_amount(value, what, what_ja)
    check_amount(request.discount, "discount", "値引き")
    if request.discount and request.price is not None and request.discount > request.price:
        apply_discount(request.price, request.discount)  # raises with the message
    if book.year is not None and not 1000 <= book.year <= 9999:
        raise KioskError(f"year {book.year} is not a year", f"刊年 {book.year} は正しくありません")
    check_eligible(request.category, loaned=request.loaned, override_note=request.override_note)
    if isbn != book.isbn:
        request = CopyRequest(**{**request.__dict__, "book": Book(**{**book.__dict__, "isbn": isbn})})
    return request


def _check_accession(accession: Accession, count: int, today: date) -> None:
    if count == 0:
        raise KioskError("nothing to register", "登録する本がありません")
    if count > MAX_COPIES_PER_REGISTRATION:
        raise KioskError(
            f"at most {MAX_COPIES_PER_REGISTRATION} copies in one registration",
            f"一度に登録できるのは{MAX_COPIES_PER_REGISTRATION}冊までです",
        )
    if accession.kind is not Kind.OTHER:
        check_kind_and_fund(accession.kind, accession.fund)
    if not accession.source or not accession.source.strip():
        raise KioskError(
            "the source (bookstore or donor) is required", "受入先（書店名または寄贈者名）を入力してください"
        )
    check_fields(Copy, {"source": accession.source, "fund_note": accession.fund_note})
    check_fields(Delivery, {"slip_number": accession.slip_number})
    if accession.on > today:
        raise KioskError(
            f"acceptance date {accession.on} is in the future",
            f"受入年月日 {accession.on} が未来の日付です",
        )
    if accession.fund is Fund.OTHER and not (accession.fund_note or "").strip():
        raise KioskError(
            "fund 'other' needs a note saying what paid for it",
            "財源「その他」の場合は内訳を記入してください",
        )
    if accession.slip_total is not None:
        check_amount(accession.slip_total, "slip total", "納品書の合計")


def _slip_total(accession: Accession) -> int | None:
    """The total the rows must reach: the slip's, or else the lump sum's."""
    return accession.slip_total if accession.slip_total is not None else accession.lot_total


def _insert_delivery(session: Session, library_id: int, accession: Accession, actor: str) -> int:
    return session.scalar(
        insert(Delivery)
        .values(
            library_id=library_id,
            received_on=accession.on,
            source=accession.source.strip(),
            kind=accession.kind.value,
            fund=accession.fund.value,
            slip_number=accession.slip_number,
            slip_total=_slip_total(accession),
            created_at=now(),
            created_by=actor,
        )
        .returning(Delivery.id)
    )


def _copy_row(accession: Accession, request: CopyRequest, priced: _Priced) -> dict:
    book = request.book
    notes = [n for n in (request.note,) if n]
    return {
        "kind": accession.kind.value,
        "series": series_for(accession.fund),
        "fund": accession.fund.value,
        "fund_note": accession.fund_note,
        "acquired_on": accession.on,
        "fiscal_year": fiscal_year(accession.on),
        "source": accession.source.strip(),
        "isbn": book.isbn,
        "title": book.title.strip(),
        "volume": book.volume,
        "series_title": book.series_title,
        "authors": book.authors,
        "publisher": book.publisher,
        "year": book.year,
        "classification": book.classification,
        "author_mark": book.author_mark,
        "volume_mark": book.volume_mark,
        "call_number_state": book.call_number_state,
        "list_price": request.list_price,
        "discount": request.discount,
        "price": priced.price,
        "price_note": "、".join(priced.notes) or None,
        "rounding_adjusted": priced.rounding_adjusted,
        "eligibility_category": request.category,
        "override_note": request.override_note,
        "note": "\n".join(notes) or None,
        "reaccession_of_id": None,
        "status": "active",
    }


def write_copies(
    session: Session, library_id: int, rows: list[dict], delivery_id: int | None, actor: str
) -> list[RegisteredCopy]:
    """Allocate numbers and ledger positions under the counter's lock, and write the rows."""
    first, sheet_rows = _advance_counter(session, library_id, len(rows))
    positions = _ledger_positions(session, library_id, rows, sheet_rows)
    at = now()
    for offset, (row, (sheet, line)) in enumerate(zip(rows, positions)):
        row.update(
            library_id=library_id,
            number=first + offset,
            delivery_id=delivery_id,
            sheet=sheet,
            row=line,
            registered_at=at,
            registered_by=actor,
        )
    # Core, not the ORM bulk path: this runs while the counter is locked, so it must be quick.
    by_number = insert_copy_rows(session, library_id, rows)
    ids = [(by_number[row["number"]], row["number"]) for row in rows]
    record_events(
        session,
        library_id,
        actor,
        [
            {
                "action": "registered",
                "copy_id": copy_id,
                "number": number,
                "details": _event_details(row),
            }
            for (copy_id, number), row in zip(ids, rows)
        ],
    )
    return [
        RegisteredCopy(
            number=row["number"],
            price=row["price"],
            rounding_adjusted=row["rounding_adjusted"],
            series=row["series"],
            fiscal_year=row["fiscal_year"],
            sheet=row["sheet"],
            row=row["row"],
            title=row["title"],
            isbn=row["isbn"],
        )
        for row in rows
    ]


def insert_copy_rows(session: Session, library_id: int, rows: list[dict]) -> dict[int, int]:
    """Write ledger rows (each with its ``number``); their ids by number.

    A plain executemany, then the ids by one probe of the library/number index: an INSERT …
    RETURNING of many rows is one statement with a placeholder per cell, which psycopg parses
    whole on every call (0.3 s of a 1,000-copy delivery on PostgreSQL), while an executemany is
    sent as one pipeline of a short prepared statement (kiosk.db.storage turns SQLAlchemy's
    "insertmanyvalues" off for PostgreSQL)."""
    copies = Copy.__table__
    connection = session.connection()
    connection.execute(copies.insert(), rows)
    numbers = {row["number"] for row in rows}
    found = connection.execute(select(copies.c.number, copies.c.id).where(
        copies.c.library_id == library_id, copies.c.number.between(min(numbers), max(numbers)))).all()
    return {number: copy_id for number, copy_id in found if number in numbers}


def _advance_counter(session: Session, library_id: int, count: int) -> tuple[int, int]:
    """Take ``count`` numbers: the UPDATE locks the library row until this transaction ends."""
    result = session.execute(
        update(Library)
        .where(Library.id == library_id)
        .values(next_number=Library.next_number + count)
        .returning(Library.next_number, Library.sheet_rows)
        # No ORM bookkeeping over the session's objects (hundreds of delivery items): nothing in
        # this transaction reads Library.next_number back from an object.
        .execution_options(synchronize_session=False)
    ).one_or_none()
    if result is None:
        raise KioskError(f"no library {library_id}", f"図書館 {library_id} が見つかりません")
    next_number, sheet_rows = result
    return next_number - count, sheet_rows


def _ledger_positions(session: Session, library_id: int, rows: list[dict], sheet_rows: int) -> list[tuple[int, int]]:
    """(sheet, row) for each new row: each series fills its own sheets, and a new fiscal year
    starts a new sheet. Runs under the counter lock, so no other writer interleaves."""
    last: dict[str, tuple[int, int, int]] = {}  # series -> (fiscal year, sheet, row)
    positions = []
    for row in rows:
        series, year = row["series"], row["fiscal_year"]
        if series not in last:
            last[series] = _last_position(session, library_id, series)
        last_year, sheet, line = last[series]
        if year < last_year:
            raise KioskError(
                f"acceptance date {row['acquired_on']} is in fiscal year {year}, "
                f"but the {series} ledger has already started fiscal year {last_year}",
                f"受入年月日 {row['acquired_on']} は{year}年度ですが、台帳はすでに{last_year}年度に進んでいます",
            )
        if year > last_year:
            sheet, line = 0, 0
        sheet, line = (sheet, line + 1) if 0 < line < sheet_rows else (sheet + 1, 1)
        last[series] = (year, sheet, line)
        positions.append((sheet, line))
    return positions


def _last_position(session: Session, library_id: int, series: str) -> tuple[int, int, int]:
    """The series' last (fiscal year, sheet, row): one probe of the ledger-position index."""
    found = session.execute(
        select(Copy.fiscal_year, Copy.sheet, Copy.row)
        .where(Copy.library_id == library_id, Copy.series == series)
        .order_by(Copy.fiscal_year.desc(), Copy.sheet.desc(), Copy.row.desc())
        .limit(1)
    ).one_or_none()
    return tuple(found) if found else (0, 0, 0)


def _event_details(row: dict) -> dict:
    keys = ("kind", "series", "fund", "source", "isbn", "title", "price", "price_note", "rounding_adjusted",
            "eligibility_category", "override_note", "sheet", "row", "fiscal_year")
    details = {key: row[key] for key in keys if row.get(key) is not None}
    details["acquired_on"] = row["acquired_on"].isoformat()
    if row.get("reaccession_of_id"):
        details["reaccession_of_id"] = row["reaccession_of_id"]
    return details
