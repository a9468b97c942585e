"""Accession core: libraries, deliveries, copies (the ledger) and the event log.

Revision ID: 0001
Revises:
Create Date: 2026-11-22
"""
import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

TZ_DATETIME = sa.DateTime(timezone=True)

# Rules kept by the database itself, whatever code talks to it.
SQLITE_TRIGGERS = [
    """CREATE TRIGGER copies_no_delete BEFORE DELETE ON copies
       BEGIN SELECT RAISE(ABORT, 'ledger rows are never deleted: withdraw the copy instead'); END""",
    """CREATE TRIGGER copies_number_fixed BEFORE UPDATE OF number, library_id ON copies
       WHEN NEW.number IS NOT OLD.number OR NEW.library_id IS NOT OLD.library_id
       BEGIN SELECT RAISE(ABORT, 'a registration number never changes'); END""",
    """CREATE TRIGGER events_no_update BEFORE UPDATE ON events
       BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END""",
    """CREATE TRIGGER events_no_delete BEFORE DELETE ON events
       BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END""",
    """CREATE TRIGGER libraries_counter_forward BEFORE UPDATE OF next_number ON libraries
       WHEN NEW.next_number < OLD.next_number
       BEGIN SELECT RAISE(ABORT, 'registration numbers are never reused'); END""",
]

POSTGRESQL_TRIGGERS = [
    """CREATE FUNCTION kiosk_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN RAISE EXCEPTION '%', TG_ARGV[0]; END $$""",
    """CREATE FUNCTION kiosk_copies_number_fixed() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         IF NEW.number <> OLD.number OR NEW.library_id <> OLD.library_id THEN
           RAISE EXCEPTION 'a registration number never changes';
         END IF;
         RETURN NEW;
       END $$""",
    """CREATE FUNCTION kiosk_counter_forward() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         IF NEW.next_number < OLD.next_number THEN
           RAISE EXCEPTION 'registration numbers are never reused';
         END IF;
         RETURN NEW;
       END $$""",
    """CREATE TRIGGER copies_no_delete BEFORE DELETE ON copies FOR EACH ROW
       EXECUTE FUNCTION kiosk_refuse('ledger rows are never deleted: withdraw the copy instead')""",
    """CREATE TRIGGER copies_number_fixed BEFORE UPDATE ON copies FOR EACH ROW
       EXECUTE FUNCTION kiosk_copies_number_fixed()""",
    """CREATE TRIGGER events_no_update BEFORE UPDATE OR DELETE ON events FOR EACH ROW
       EXECUTE FUNCTION kiosk_refuse('the event log is append-only')""",
    """CREATE TRIGGER libraries_counter_forward BEFORE UPDATE ON libraries FOR EACH ROW
       EXECUTE FUNCTION kiosk_counter_forward()""",
]


def upgrade() -> None:
    op.create_table(
        "libraries",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("isil", sa.String(16), nullable=True, unique=True),
        sa.Column("first_number", sa.Integer(), nullable=False),
        sa.Column("next_number", sa.Integer(), nullable=False),
        sa.Column("sheet_rows", sa.Integer(), nullable=False),
        sa.Column("tax_rounding", sa.String(16), nullable=False),
        sa.Column("created_at", TZ_DATETIME, nullable=False),
        sa.CheckConstraint("first_number >= 0", name="ck_libraries_first_number"),
        sa.CheckConstraint("next_number >= first_number", name="ck_libraries_next_number"),
        sa.CheckConstraint("sheet_rows > 0", name="ck_libraries_sheet_rows"),
    )
    op.create_table(
        "deliveries",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("library_id", sa.Integer(), sa.ForeignKey("libraries.id"), nullable=False),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column("source", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("fund", sa.String(32), nullable=False),
        sa.Column("slip_number", sa.String(64), nullable=True),
        sa.Column("slip_total", sa.Integer(), nullable=True),
        sa.Column("created_at", TZ_DATETIME, nullable=False),
        sa.Column("created_by", sa.String(100), nullable=False),
    )
    op.create_index("ix_deliveries_library_id", "deliveries", ["library_id"])
    op.create_table(
        "copies",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("library_id", sa.Integer(), sa.ForeignKey("libraries.id"), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("delivery_id", sa.Integer(), sa.ForeignKey("deliveries.id"), nullable=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("series", sa.String(16), nullable=False),
        sa.Column("fund", sa.String(32), nullable=False),
        sa.Column("fund_note", sa.String(200), nullable=True),
        sa.Column("acquired_on", sa.Date(), nullable=False),
        sa.Column("fiscal_year", sa.Integer(), nullable=False),
        sa.Column("sheet", sa.Integer(), nullable=False),
        sa.Column("row", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(200), nullable=False),
        sa.Column("isbn", sa.String(13), nullable=True),
        sa.Column("title", sa.String(500), nullable=False),
        sa.Column("volume", sa.String(100), nullable=True),
        sa.Column("series_title", sa.String(300), nullable=True),
        sa.Column("authors", sa.String(500), nullable=True),
        sa.Column("publisher", sa.String(200), nullable=True),
        sa.Column("year", sa.Integer(), nullable=True),
        sa.Column("classification", sa.String(20), nullable=True),
        sa.Column("author_mark", sa.String(20), nullable=True),
        sa.Column("list_price", sa.Integer(), nullable=True),
        sa.Column("discount", sa.Integer(), nullable=False),
        sa.Column("price", sa.Integer(), nullable=False),
        sa.Column("price_note", sa.String(200), nullable=True),
        sa.Column("rounding_adjusted", sa.Boolean(), nullable=False),
        sa.Column("eligibility_category", sa.String(32), nullable=True),
        sa.Column("override_note", sa.Text(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column(
            "reaccession_of_id", sa.Integer(), sa.ForeignKey("copies.id"), nullable=True, unique=True
        ),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("withdrawn_on", sa.Date(), nullable=True),
        sa.Column("withdrawal_reason", sa.String(16), nullable=True),
        sa.Column("withdrawal_note", sa.Text(), nullable=True),
        sa.Column("registered_at", TZ_DATETIME, nullable=False),
        sa.Column("registered_by", sa.String(100), nullable=False),
        sa.UniqueConstraint("library_id", "number", name="uq_copies_library_number"),
        sa.UniqueConstraint(
            "library_id", "series", "fiscal_year", "sheet", "row", name="uq_copies_ledger_position"
        ),
        sa.CheckConstraint("price >= 0", name="ck_copies_price"),
        sa.CheckConstraint("discount >= 0", name="ck_copies_discount"),
        sa.CheckConstraint("status IN ('active', 'withdrawn')", name="ck_copies_status"),
        sa.CheckConstraint("series IN ('purchase', 'donation')", name="ck_copies_series"),
        sa.CheckConstraint("kind IN ('purchase', 'donation', 'other')", name="ck_copies_kind"),
    )
    op.create_index("ix_copies_delivery_id", "copies", ["delivery_id"])
    op.create_index("ix_copies_isbn", "copies", ["isbn"])
    op.create_table(
        "events",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("library_id", sa.Integer(), sa.ForeignKey("libraries.id"), nullable=False),
        sa.Column("at", TZ_DATETIME, nullable=False),
        sa.Column("actor", sa.String(100), nullable=False),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("copy_id", sa.Integer(), sa.ForeignKey("copies.id"), nullable=True),
        sa.Column("number", sa.Integer(), nullable=True),
        sa.Column("details", sa.JSON(), nullable=False),
    )
    op.create_index("ix_events_library_number", "events", ["library_id", "number"])
    triggers = POSTGRESQL_TRIGGERS if op.get_bind().dialect.name == "postgresql" else SQLITE_TRIGGERS
    for statement in triggers:
        op.execute(statement)


def downgrade() -> None:
    raise NotImplementedError("the ledger is never dropped by a migration")
