"""Call numbers confirmed at the desk (issue 14): what staff confirm for a scanned copy is kept
with it and carried to the copy when registered; a copy says how its call number was settled.

- intake_items: the three tiers staff confirmed or typed (分類記号, 図書記号, 巻冊記号) and who
  confirmed them when; NULL confirmed_at means the card still shows the proposal.
- copies.volume_mark: the third tier (巻冊記号) as set, when it is not the 巻次 as written.
- copies.call_number_state: how the call number was settled at registration (or set later):
  ``confirmed`` by staff, ``record`` (from the records and the school's rules, nothing
  estimated), ``estimated`` (registered with a 推定 tier after the second confirmation),
  ``missing`` (a tier was empty: its spine label waits as 請求記号待ち). NULL: registered
  before this revision, or by a command that gave the tiers itself.

Nullable columns only: nothing existing is rewritten, and SQLite adds them without rebuilding
``copies`` (whose triggers a rebuild would drop).

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-10
"""
import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("intake_items", sa.Column("classification", sa.String(20), nullable=True))
    op.add_column("intake_items", sa.Column("author_mark", sa.String(20), nullable=True))
    op.add_column("intake_items", sa.Column("volume_mark", sa.String(20), nullable=True))
    op.add_column("intake_items", sa.Column("call_number_confirmed_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("intake_items", sa.Column("call_number_confirmed_by", sa.String(100), nullable=True))
    op.add_column("copies", sa.Column("volume_mark", sa.String(20), nullable=True))
    op.add_column("copies", sa.Column("call_number_state", sa.String(16), nullable=True))


def downgrade() -> None:
    op.drop_column("copies", "call_number_state")
    op.drop_column("copies", "volume_mark")
    for name in ("call_number_confirmed_by", "call_number_confirmed_at", "volume_mark", "author_mark", "classification"):
        op.drop_column("intake_items", name)
