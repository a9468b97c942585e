"""Alembic environment: migrations run on the connection kiosk.db.storage.migrate() hands in."""

from alembic import context
from sqlalchemy import create_engine

from kiosk.db.models import Base

target_metadata = Base.metadata


def run_migrations_online() -> None:
    connection = context.config.attributes.get("connection")
    if connection is not None:
        context.configure(connection=connection, target_metadata=target_metadata)
        with context.begin_transaction():
            context.run_migrations()
        return
    # `alembic -x url=... upgrade head` from a shell, for administrators.
    from kiosk.db.storage import normalise_url
    from kiosk import config

    url = context.get_x_argument(as_dictionary=True).get("url") or config.database_url()
    engine = create_engine(normalise_url(url))
    with engine.begin() as conn:
        context.configure(connection=conn, target_metadata=target_metadata)
        with context.begin_transaction():
            context.run_migrations()


run_migrations_online()
