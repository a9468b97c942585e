"""Opening the database: SQLite (default, WAL) or PostgreSQL (psycopg 3), migrated by Alembic.

Alembic is imported only to migrate: opening a database that is already current reads its
``alembic_version`` with plain SQL and compares it with SCHEMA_REVISION, the newest migration's
id (a test keeps the two equal). Every ``kiosk`` command opens the database, and importing
Alembic would cost each of them about 80 ms.

SQLite notes. ``synchronous=FULL``: a number whose label was printed must survive a power cut,
so every commit is flushed to disk. Write transactions start with ``BEGIN IMMEDIATE`` so two
kiosks never both read the counter and then fail to upgrade their lock; ``busy_timeout``
makes the second one wait instead of failing.

Who owns the transaction: queries take a session; use cases (what a view or command calls)
take the database and own exactly one transaction; screens get read models.

- A query (``ledger_sheets(session, …)``) runs inside a transaction its caller opened, so
  several queries can share one consistent read.
- A use case (``register_intake(db, …)``, ``change_library(db, …)``) opens one ``db.write()`` or
  ``db.read()`` itself: all or nothing, and the locks it takes (the library row for settings
  and the first number, ``lock_library``) are held inside it.
- A screen gets a frozen dataclass read in one transaction (``intake_view``, ``copy_page``,
  ``staff_screen``, ``LibraryInfo``), never ORM rows.

So ``read()``/``write()`` are called in kiosk/ only: web/ and kiosk_app/ never open a
transaction (tests/test_architecture.py scans for it). See docs/architecture.md.
"""

from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from kiosk import config

MIGRATIONS = Path(__file__).parent / "migrations"
SCHEMA_REVISION = "0008"  # the newest migration in migrations/versions (tests/core/test_storage.py checks)
_MIGRATION_LOCK_KEY = 7_301_992  # pg_advisory_xact_lock key: one migrator at a time


class Database:
    """An engine and the two kinds of session the domain uses."""

    def __init__(self, engine: Engine):
        self.engine = engine
        self._reads = sessionmaker(engine, expire_on_commit=False)
        self._writes = sessionmaker(
            engine.execution_options(kiosk_write=True), expire_on_commit=False
        )

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One write transaction: committed on success, rolled back on any exception."""
        with self._writes() as session, session.begin():
            yield session

    @contextmanager
    def read(self) -> Iterator[Session]:
        with self._reads() as session, session.begin():
            yield session

    def dispose(self) -> None:
        self.engine.dispose()


def normalise_url(url: str) -> str:
    """``postgresql://`` and ``postgres://`` mean psycopg 3 here (SQLAlchemy's default is psycopg2)."""
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


def create_kiosk_engine(url: str) -> Engine:
    url = normalise_url(url)
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 60})
        _configure_sqlite(engine)
        return engine
    # executemany as psycopg's pipeline of one short prepared statement, not SQLAlchemy's
    # "insertmanyvalues" (one statement with a placeholder per cell, parsed whole each time)
    return create_engine(url, pool_pre_ping=True, use_insertmanyvalues=False)


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None  # we emit BEGIN ourselves, below
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=60000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        if connection.get_execution_options().get("kiosk_write"):
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            connection.exec_driver_sql("BEGIN")


def alembic_config():
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


def migrate(engine: Engine) -> None:
    """Bring the schema to the latest migration (a new database is created this way)."""
    from alembic import command

    cfg = alembic_config()
    with engine.execution_options(kiosk_write=True).begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_MIGRATION_LOCK_KEY})")
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, "head")


def is_current(engine: Engine) -> bool:
    """The schema is at SCHEMA_REVISION (a new database has no alembic_version table yet)."""
    with engine.connect() as connection:
        if not inspect(connection).has_table("alembic_version"):
            return False
        return connection.execute(text("SELECT version_num FROM alembic_version")).scalars().all() == [SCHEMA_REVISION]


def open_database(url: str | None = None, *, migrate_if_needed: bool = True) -> Database:
    """The kiosk's database at ``url`` (default: ``KIOSK_DATABASE_URL`` or the SQLite file)."""
    engine = create_kiosk_engine(url or config.database_url())
    if migrate_if_needed and not is_current(engine):
        migrate(engine)
    return Database(engine)
