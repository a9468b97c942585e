"""Bibliographic cache: every record looked up or typed, with its source and time.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""
import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "bib_records",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("isbn13", sa.String(13), nullable=False),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("fetched_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("record", sa.JSON(), nullable=False),
    )
    op.create_index("ix_bib_records_isbn13_id", "bib_records", ["isbn13", "id"])


def downgrade() -> None:
    op.drop_index("ix_bib_records_isbn13_id", "bib_records")
    op.drop_table("bib_records")
