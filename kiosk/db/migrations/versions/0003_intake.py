"""Inspection of deliveries (検収): vendors with slip mappings, intakes, slip lines, scanned items.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22
"""
import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "vendors",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("library_id", sa.Integer(), sa.ForeignKey("libraries.id"), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("column_mapping", sa.JSON(), nullable=True),
        sa.Column("last_used", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("library_id", "name", name="uq_vendors_library_name"),
    )
    op.create_table(
        "intakes",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("library_id", sa.Integer(), sa.ForeignKey("libraries.id"), nullable=False),
        sa.Column("source", sa.String(200), nullable=False),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("fund", sa.String(32), nullable=False),
        sa.Column("fund_note", sa.String(200), nullable=True),
        sa.Column("slip_number", sa.String(64), nullable=True),
        sa.Column("slip_total", sa.Integer(), nullable=True),
        sa.Column("slip_encoding", sa.String(16), nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(100), nullable=False),
    )
    op.create_index("ix_intakes_library_id", "intakes", ["library_id"])
    op.create_table(
        "intake_slip_lines",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("intake_id", sa.Integer(), sa.ForeignKey("intakes.id"), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(500), nullable=False),
        sa.Column("isbn13", sa.String(13), nullable=True),
        sa.Column("isbn_text", sa.String(40), nullable=True),
        sa.Column("authors", sa.String(500), nullable=True),
        sa.Column("publisher", sa.String(200), nullable=True),
        sa.Column("list_price", sa.Integer(), nullable=True),
        sa.Column("unit_price", sa.Integer(), nullable=True),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("amount", sa.Integer(), nullable=True),
        sa.Column("c_code", sa.String(8), nullable=True),
    )
    op.create_index("ix_intake_slip_lines_intake_id", "intake_slip_lines", ["intake_id"])
    op.create_table(
        "intake_items",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("intake_id", sa.Integer(), sa.ForeignKey("intakes.id"), nullable=False),
        sa.Column("scanned_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("isbn13", sa.String(13), nullable=True),
        sa.Column("slip_line_id", sa.Integer(), sa.ForeignKey("intake_slip_lines.id"), nullable=True),
        sa.Column("record", sa.JSON(), nullable=True),
        sa.Column("list_price", sa.Integer(), nullable=True),
        sa.Column("c_code", sa.String(8), nullable=True),
        sa.Column("price", sa.Integer(), nullable=True),
        sa.Column("inspection", sa.String(16), nullable=False),
        sa.Column("category", sa.String(32), nullable=True),
        sa.Column("override_note", sa.Text(), nullable=True),
        sa.Column("removed", sa.Boolean(), nullable=False),
        sa.Column("copy_number", sa.Integer(), nullable=True),
    )
    op.create_index("ix_intake_items_intake_id", "intake_items", ["intake_id"])


def downgrade() -> None:
    for table in ("intake_items", "intake_slip_lines", "intakes", "vendors"):
        op.drop_table(table)
