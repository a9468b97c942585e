"""The kiosk's tables (SQLAlchemy 2 ORM).

The schema itself is created only by the Alembic migrations in ``kiosk/migrations``; the test
suite checks that these models and the migrations agree.

Rules the database enforces on its own, so that no code path can break them:
- a registration number is unique per library (``uq_copies_library_number``) and never
  changes once written (trigger, see the migration);
- copies and events are never deleted; events are never changed (triggers);
- a library's number counter never goes backwards (trigger).
"""

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class Library(Base):
    """A school library (学校図書館). Every copy, number and sheet belongs to one."""

    __tablename__ = "libraries"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    isil: Mapped[str | None] = mapped_column(String(16), unique=True)
    first_number: Mapped[int] = mapped_column(Integer)
    # The next registration number to give. Raised in the same transaction that writes the
    # copies, so the row lock on it serialises allocation and a rollback leaves no gap.
    next_number: Mapped[int] = mapped_column(Integer)
    sheet_rows: Mapped[int] = mapped_column(Integer, default=10)
    tax_rounding: Mapped[str] = mapped_column(String(16), default="floor")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    __table_args__ = (
        CheckConstraint("first_number >= 0", name="ck_libraries_first_number"),
        CheckConstraint("next_number >= first_number", name="ck_libraries_next_number"),
        CheckConstraint("sheet_rows > 0", name="ck_libraries_sheet_rows"),
    )


class Delivery(Base):
    """One batch of copies accessioned together: a vendor's delivery or a donation."""

    __tablename__ = "deliveries"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    library_id: Mapped[int] = mapped_column(ForeignKey("libraries.id"), index=True)
    received_on: Mapped[date] = mapped_column(Date)
    source: Mapped[str] = mapped_column(String(200))  # 受入先: bookstore or donor
    kind: Mapped[str] = mapped_column(String(16))
    fund: Mapped[str] = mapped_column(String(32))
    slip_number: Mapped[str | None] = mapped_column(String(64))
    slip_total: Mapped[int | None] = mapped_column(Integer)  # 納品書の合計 (tax included)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    created_by: Mapped[str] = mapped_column(String(100))


class Copy(Base):
    """One physical copy and its ledger row (図書台帳の1行)."""

    __tablename__ = "copies"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    library_id: Mapped[int] = mapped_column(ForeignKey("libraries.id"))
    number: Mapped[int] = mapped_column(Integer)  # 登録番号
    delivery_id: Mapped[int | None] = mapped_column(ForeignKey("deliveries.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # purchase / donation / other
    series: Mapped[str] = mapped_column(String(16))  # ledger sheet series: purchase / donation
    fund: Mapped[str] = mapped_column(String(32))  # 財源
    fund_note: Mapped[str | None] = mapped_column(String(200))
    acquired_on: Mapped[date] = mapped_column(Date)  # 受入年月日
    fiscal_year: Mapped[int] = mapped_column(Integer)  # 年度
    sheet: Mapped[int] = mapped_column(Integer)
    row: Mapped[int] = mapped_column(Integer)
    source: Mapped[str] = mapped_column(String(200))  # 受入先
    isbn: Mapped[str | None] = mapped_column(String(13), index=True)
    title: Mapped[str] = mapped_column(String(500))
    volume: Mapped[str | None] = mapped_column(String(100))
    series_title: Mapped[str | None] = mapped_column(String(300))
    authors: Mapped[str | None] = mapped_column(String(500))
    publisher: Mapped[str | None] = mapped_column(String(200))
    year: Mapped[int | None] = mapped_column(Integer)  # 刊年; blank when unknown
    classification: Mapped[str | None] = mapped_column(String(20))  # 分類記号
    author_mark: Mapped[str | None] = mapped_column(String(20))  # 図書記号
    list_price: Mapped[int | None] = mapped_column(Integer)  # 本体価格
    discount: Mapped[int] = mapped_column(Integer, default=0)
    price: Mapped[int] = mapped_column(Integer)  # 価格 (tax included) as entered in the ledger
    price_note: Mapped[str | None] = mapped_column(String(200))
    rounding_adjusted: Mapped[bool] = mapped_column(Boolean, default=False)  # 端数調整
    eligibility_category: Mapped[str | None] = mapped_column(String(32))
    override_note: Mapped[str | None] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)
    reaccession_of_id: Mapped[int | None] = mapped_column(ForeignKey("copies.id"), unique=True)
    status: Mapped[str] = mapped_column(String(16), default="active")
    withdrawn_on: Mapped[date | None] = mapped_column(Date)
    withdrawal_reason: Mapped[str | None] = mapped_column(String(16))
    withdrawal_note: Mapped[str | None] = mapped_column(Text)
    registered_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    registered_by: Mapped[str] = mapped_column(String(100))
    # The copy's barcode from an imported ledger's system, when it is not the kiosk's own item
    # code of its number: a scan of it finds the copy (kiosk.ledger.scanned_copies).
    item_barcode: Mapped[str | None] = mapped_column(String(40))
    # The third tier (巻冊記号) as set at the desk, when it is not the 巻次 as written.
    volume_mark: Mapped[str | None] = mapped_column(String(20))
    # How the call number was settled: kiosk.ledger.call_numbers.CallNumberState (None: before issue 14).
    call_number_state: Mapped[str | None] = mapped_column(String(16))

    __table_args__ = (
        UniqueConstraint("library_id", "number", name="uq_copies_library_number"),
        Index("uq_copies_library_item_barcode", "library_id", "item_barcode", unique=True),
        UniqueConstraint(
            "library_id", "series", "fiscal_year", "sheet", "row", name="uq_copies_ledger_position"
        ),
        CheckConstraint("price >= 0", name="ck_copies_price"),
        CheckConstraint("discount >= 0", name="ck_copies_discount"),
        CheckConstraint("status IN ('active', 'withdrawn')", name="ck_copies_status"),
        CheckConstraint("series IN ('purchase', 'donation')", name="ck_copies_series"),
        CheckConstraint("kind IN ('purchase', 'donation', 'other')", name="ck_copies_kind"),
    )


class Event(Base):
    """The append-only log: every change, with time, who and what."""

    __tablename__ = "events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    library_id: Mapped[int] = mapped_column(ForeignKey("libraries.id"))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    actor: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(32))
    copy_id: Mapped[int | None] = mapped_column(ForeignKey("copies.id"))
    number: Mapped[int | None] = mapped_column(Integer)
    details: Mapped[dict] = mapped_column(JSON)

    __table_args__ = (Index("ix_events_library_number", "library_id", "number"),)


class CachedRecord(Base):
    """A bibliographic record looked up or typed, kept so the kiosk works offline.

    Shared by every library in the database: a book's data does not depend on the school.
    The newest record for an ISBN is the one used; older ones stay as history.
    """

    __tablename__ = "bib_records"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    isbn13: Mapped[str] = mapped_column(String(13))
    source: Mapped[str] = mapped_column(String(16))  # ndl / openbd / sample / typed / import
    fetched_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    record: Mapped[dict] = mapped_column(JSON)

    __table_args__ = (Index("ix_bib_records_isbn13_id", "isbn13", "id"),)


class Vendor(Base):
    """A bookseller (or donor) a library receives from, with its slip's column mapping."""

    __tablename__ = "vendors"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    library_id: Mapped[int] = mapped_column(ForeignKey("libraries.id"))
    name: Mapped[str] = mapped_column(String(200))
    column_mapping: Mapped[dict | None] = mapped_column(JSON)  # slip header → field
    last_used: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    __table_args__ = (UniqueConstraint("library_id", "name", name="uq_vendors_library_name"),)


class Intake(Base):
    """A delivery being inspected (検収): its slip, its scanned copies, until registered."""

    __tablename__ = "intakes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    library_id: Mapped[int] = mapped_column(ForeignKey("libraries.id"), index=True)
    source: Mapped[str] = mapped_column(String(200))  # vendor or donor
    received_on: Mapped[date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(16))
    fund: Mapped[str] = mapped_column(String(32))
    fund_note: Mapped[str | None] = mapped_column(String(200))
    slip_number: Mapped[str | None] = mapped_column(String(64))
    slip_total: Mapped[int | None] = mapped_column(Integer)
    slip_encoding: Mapped[str | None] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16))  # open / closed
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    created_by: Mapped[str] = mapped_column(String(100))


class IntakeSlipLine(Base):
    __tablename__ = "intake_slip_lines"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    intake_id: Mapped[int] = mapped_column(ForeignKey("intakes.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(500))
    isbn13: Mapped[str | None] = mapped_column(String(13))
    isbn_text: Mapped[str | None] = mapped_column(String(40))
    authors: Mapped[str | None] = mapped_column(String(500))
    publisher: Mapped[str | None] = mapped_column(String(200))
    list_price: Mapped[int | None] = mapped_column(Integer)
    unit_price: Mapped[int | None] = mapped_column(Integer)
    quantity: Mapped[int] = mapped_column(Integer)
    amount: Mapped[int | None] = mapped_column(Integer)
    c_code: Mapped[str | None] = mapped_column(String(8))


class IntakeItem(Base):
    """One physical copy scanned during inspection."""

    __tablename__ = "intake_items"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    intake_id: Mapped[int] = mapped_column(ForeignKey("intakes.id"), index=True)
    scanned_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    isbn13: Mapped[str | None] = mapped_column(String(13))
    slip_line_id: Mapped[int | None] = mapped_column(ForeignKey("intake_slip_lines.id"))
    record: Mapped[dict | None] = mapped_column(JSON)  # the bibliographic record shown
    list_price: Mapped[int | None] = mapped_column(Integer)  # from the 192 code or the record
    c_code: Mapped[str | None] = mapped_column(String(8))
    price: Mapped[int | None] = mapped_column(Integer)  # staff's tax-included price, overrides
    inspection: Mapped[str] = mapped_column(String(16))  # pending / ok / defective
    category: Mapped[str | None] = mapped_column(String(32))
    override_note: Mapped[str | None] = mapped_column(Text)
    removed: Mapped[bool] = mapped_column(Boolean)  # scanned by mistake
    copy_number: Mapped[int | None] = mapped_column(Integer)  # once registered
    # The call number staff confirmed or typed at the desk (kiosk.intake.call_numbers); until
    # then (confirmed_at None) the card shows the proposal. Carried to the copy when registered.
    classification: Mapped[str | None] = mapped_column(String(20))
    author_mark: Mapped[str | None] = mapped_column(String(20))
    volume_mark: Mapped[str | None] = mapped_column(String(20))
    call_number_confirmed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    call_number_confirmed_by: Mapped[str | None] = mapped_column(String(100))


class LibrarySettings(Base):
    """A library's kiosk settings (labels, printers, scanner, call numbers, staff PIN) as JSON,
    validated by kiosk.settings; every change is an event."""

    __tablename__ = "library_settings"

    library_id: Mapped[int] = mapped_column(ForeignKey("libraries.id"), primary_key=True)
    data: Mapped[dict] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class PrintJob(Base):
    """Labels to print for some copies: kept until a printer has taken them."""

    __tablename__ = "print_jobs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    library_id: Mapped[int] = mapped_column(ForeignKey("libraries.id"), index=True)
    numbers: Mapped[list] = mapped_column(JSON)  # registration numbers, in order
    kind: Mapped[str] = mapped_column(String(16))  # spine / barcode / both
    printer: Mapped[str | None] = mapped_column(String(300))  # backend URL; None: collect for a sheet
    status: Mapped[str] = mapped_column(String(16))  # queued / sending / sent / failed / cancelled
    attempts: Mapped[int] = mapped_column(Integer)
    last_error: Mapped[str | None] = mapped_column(Text)
    last_error_ja: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    created_by: Mapped[str] = mapped_column(String(100))
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class StaffMember(Base):
    """A member of staff (職員): a name for the event log and a PIN (a salted scrypt hash, see
    kiosk.staff). An administrator adds and removes the others."""

    __tablename__ = "staff_members"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    library_id: Mapped[int] = mapped_column(ForeignKey("libraries.id"))
    name: Mapped[str] = mapped_column(String(30))
    pin_hash: Mapped[str] = mapped_column(String(200))
    is_admin: Mapped[bool] = mapped_column(Boolean)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    created_by: Mapped[str] = mapped_column(String(100))

    __table_args__ = (UniqueConstraint("library_id", "name", name="uq_staff_members_library_name"),)


class PinThrottle(Base):
    """Wrong PINs in a row at one kiosk, and when the next try is allowed (kiosk.staff)."""

    __tablename__ = "staff_pin_throttles"

    library_id: Mapped[int] = mapped_column(ForeignKey("libraries.id"), primary_key=True)
    kiosk_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer)
    last_failure_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    next_allowed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class PinFailure(Base):
    """One wrong PIN (or unknown name) at sign-in, shown on the settings screen."""

    __tablename__ = "staff_pin_failures"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    library_id: Mapped[int] = mapped_column(ForeignKey("libraries.id"))
    kiosk_id: Mapped[str] = mapped_column(String(64))
    kiosk_name: Mapped[str] = mapped_column(String(100))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    staff_name: Mapped[str | None] = mapped_column(String(30))  # the name chosen, as sent
    remote: Mapped[str | None] = mapped_column(String(64))  # the browser's address

    __table_args__ = (Index("ix_staff_pin_failures_library_at", "library_id", "at"),)
