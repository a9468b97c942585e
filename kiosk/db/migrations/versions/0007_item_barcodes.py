"""Item barcodes kept from an imported ledger: a copy's own label from the school's earlier
system (or a paper ledger's labels), so a scan of it still finds the copy.

Nullable (a copy the kiosk registered has its number as its barcode) and unique per library,
as a unique index: SQLite cannot add a constraint without rebuilding the table, and rebuilding
``copies`` would drop its triggers. NULLs never collide in a unique index, on either backend.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03
"""
import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("copies", sa.Column("item_barcode", sa.String(40), nullable=True))
    op.create_index("uq_copies_library_item_barcode", "copies", ["library_id", "item_barcode"], unique=True)


def downgrade() -> None:
    op.drop_index("uq_copies_library_item_barcode", table_name="copies")
    op.drop_column("copies", "item_barcode")
