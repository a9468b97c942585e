"""Staff members with their own PINs, and the PIN throttle (wrong PINs per kiosk).

The one staff PIN kept until now in the library's settings (``staff.pin_hash``) becomes the
first staff member, the administrator 管理者, with the same hash: existing kiosks keep working
with the same PIN.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23
"""
from datetime import datetime, timezone

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

TZ_DATETIME = sa.DateTime(timezone=True)
FIRST_ADMIN_NAME = "管理者"
# kiosk.settings kept "salt$digest" from scrypt with n=2**14, r=8, p=1; kiosk.staff writes the
# parameters too. The hash itself is the same.
LEGACY_PREFIX = "scrypt$16384$8$1$"

settings_table = sa.table("library_settings", sa.column("library_id", sa.Integer()), sa.column("data", sa.JSON()))


def upgrade() -> None:
    op.create_table(
        "staff_members",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("library_id", sa.Integer(), sa.ForeignKey("libraries.id"), nullable=False),
        sa.Column("name", sa.String(30), nullable=False),
        sa.Column("pin_hash", sa.String(200), nullable=False),
        sa.Column("is_admin", sa.Boolean(), nullable=False),
        sa.Column("created_at", TZ_DATETIME, nullable=False),
        sa.Column("created_by", sa.String(100), nullable=False),
        sa.UniqueConstraint("library_id", "name", name="uq_staff_members_library_name"),
    )
    op.create_table(
        "staff_pin_throttles",
        sa.Column("library_id", sa.Integer(), sa.ForeignKey("libraries.id"), primary_key=True),
        sa.Column("kiosk_id", sa.String(64), primary_key=True),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("last_failure_at", TZ_DATETIME, nullable=True),
        sa.Column("next_allowed_at", TZ_DATETIME, nullable=True),
    )
    op.create_table(
        "staff_pin_failures",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("library_id", sa.Integer(), sa.ForeignKey("libraries.id"), nullable=False),
        sa.Column("kiosk_id", sa.String(64), nullable=False),
        sa.Column("kiosk_name", sa.String(100), nullable=False),
        sa.Column("at", TZ_DATETIME, nullable=False),
        sa.Column("staff_name", sa.String(30), nullable=True),
        sa.Column("remote", sa.String(64), nullable=True),
    )
    op.create_index("ix_staff_pin_failures_library_at", "staff_pin_failures", ["library_id", "at"])
    _move_pins_to_staff()


def _move_pins_to_staff() -> None:
    connection = op.get_bind()
    members = sa.table("staff_members", *(sa.column(name) for name in
                                          ("library_id", "name", "pin_hash", "is_admin", "created_at", "created_by")))
    for library_id, data in connection.execute(sa.select(settings_table.c.library_id, settings_table.c.data)).all():
        staff = dict((data or {}).get("staff") or {})
        pin_hash = staff.pop("pin_hash", None)
        if "pin_hash" not in ((data or {}).get("staff") or {}):
            continue
        if pin_hash:
            connection.execute(members.insert().values(
                library_id=library_id, name=FIRST_ADMIN_NAME, pin_hash=LEGACY_PREFIX + pin_hash, is_admin=True,
                created_at=datetime.now(timezone.utc), created_by="migration 0006 (the staff PIN)"))
        connection.execute(settings_table.update().where(settings_table.c.library_id == library_id)
                           .values(data={**data, "staff": staff}))


def downgrade() -> None:
    """The first administrator's PIN goes back into the settings, if it has the old parameters."""
    connection = op.get_bind()
    first_admins = connection.execute(sa.text(
        "SELECT library_id, pin_hash FROM staff_members WHERE is_admin ORDER BY id")).all()
    hashes: dict = {}
    for library_id, pin_hash in first_admins:
        if pin_hash.startswith(LEGACY_PREFIX):
            hashes.setdefault(library_id, pin_hash[len(LEGACY_PREFIX):])
    for library_id, data in connection.execute(sa.select(settings_table.c.library_id, settings_table.c.data)).all():
        if library_id in hashes:
            staff = {**((data or {}).get("staff") or {}), "pin_hash": hashes[library_id]}
            connection.execute(settings_table.update().where(settings_table.c.library_id == library_id)
                               .values(data={**data, "staff": staff}))
    op.drop_table("staff_pin_failures")
    op.drop_table("staff_pin_throttles")
    op.drop_table("staff_members")
