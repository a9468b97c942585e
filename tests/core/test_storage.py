"""The schema: made by migrations, matching the models, and guarding its own rules."""

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError, IntegrityError

from kiosk.ledger.accession import Accession, Book, CopyRequest, register
from kiosk.ledger.funds import Fund, Kind
from kiosk.db.models import Base
from alembic import command
from alembic.script import ScriptDirectory

from kiosk.db.storage import alembic_config, create_kiosk_engine, is_current, normalise_url, open_database


def test_migrations_and_models_agree(db):
    with db.engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert diff == []


def test_new_database_is_created_by_migrations(empty_database_url):
    database_url = empty_database_url
    database = open_database(database_url)
    try:
        assert is_current(database.engine)
        with database.engine.connect() as connection:
            head = ScriptDirectory.from_config(alembic_config()).get_current_head()
            assert connection.execute(text("SELECT version_num FROM alembic_version")).scalar() == head
    finally:
        database.dispose()


def test_the_schema_revision_open_database_checks_is_the_newest_migration():
    """kiosk.db.storage checks a database without importing Alembic, against SCHEMA_REVISION: a new
    migration must move it (else every open would migrate again, or a stale schema pass)."""
    from kiosk.db.storage import SCHEMA_REVISION

    assert ScriptDirectory.from_config(alembic_config()).get_current_head() == SCHEMA_REVISION


def test_an_older_schema_is_not_current(empty_database_url):
    database_url = empty_database_url
    engine = create_kiosk_engine(database_url)
    try:
        assert not is_current(engine)  # empty: no alembic_version
        cfg = alembic_config()
        with engine.execution_options(kiosk_write=True).begin() as connection:
            cfg.attributes["connection"] = connection
            command.upgrade(cfg, "0005")
        assert not is_current(engine)
    finally:
        engine.dispose()


def test_opening_twice_does_not_migrate_again(database_url):
    open_database(database_url).dispose()
    database = open_database(database_url)
    with database.engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM alembic_version")).scalar() == 1
    database.dispose()


def test_sqlite_runs_in_wal_mode_with_full_sync(make_database_url):
    database = open_database(make_database_url("sqlite"))
    with database.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    database.dispose()


def test_postgres_urls_use_psycopg3():
    assert normalise_url("postgresql://u@h:5432/d").startswith("postgresql+psycopg://")
    assert normalise_url("postgres://u@h/d").startswith("postgresql+psycopg://")
    assert normalise_url("sqlite:///x.db") == "sqlite:///x.db"


def _one_copy(db, library_id, today):
    accession = Accession(kind=Kind.PURCHASE, fund=Fund.CITY, source="ひまわり書店", on=today)
    return register(db, library_id, accession, [CopyRequest(Book("ぐりとぐら"), price=1100)], actor="t").copies[0]


@pytest.mark.parametrize(
    "statement",
    [
        "DELETE FROM copies",
        "UPDATE copies SET number = number + 100",
        "DELETE FROM events",
        "UPDATE events SET actor = 'someone else'",
        "UPDATE libraries SET next_number = next_number - 1",
    ],
)
def test_database_refuses_to_lose_or_rewrite_the_record(db, library_id, today, statement):
    _one_copy(db, library_id, today)
    with pytest.raises(DBAPIError):
        with db.engine.begin() as connection:
            connection.execute(text(statement))
    with db.read() as session:
        assert session.execute(text("SELECT number FROM copies")).scalars().all() == [1001]
        assert session.execute(text("SELECT next_number FROM libraries")).scalar() == 1002
        assert session.execute(text("SELECT count(*) FROM events")).scalar() == 2  # created + registered


def test_duplicate_number_is_refused_by_the_database(db, library_id, today):
    _one_copy(db, library_id, today)
    with pytest.raises(IntegrityError):
        with db.engine.begin() as connection:
            connection.execute(text(
                "INSERT INTO copies (library_id, number, kind, series, fund, acquired_on, fiscal_year, sheet, row, "
                "source, title, discount, price, rounding_adjusted, status, registered_at, registered_by) "
                "SELECT library_id, number, kind, series, fund, acquired_on, fiscal_year, sheet, row + 1, source, "
                "title, discount, price, rounding_adjusted, status, registered_at, registered_by FROM copies"
            ))


def test_an_older_database_is_upgraded_with_its_ledger_intact(empty_database_url, today):
    database_url = empty_database_url
    engine = create_kiosk_engine(database_url)
    cfg = alembic_config()
    with engine.execution_options(kiosk_write=True).begin() as connection:
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, "0001")
    engine.dispose()
    database = open_database(database_url, migrate_if_needed=False)
    from kiosk.library import create_library

    with database.write() as session:
        library_id = create_library(session, "旧版の図書館", first_number=7, actor="t").id
    _one_copy(database, library_id, today)
    database.dispose()
    upgraded = open_database(database_url)
    try:
        assert is_current(upgraded.engine)
        with upgraded.read() as session:
            assert session.execute(text("SELECT number, title FROM copies")).all() == [(7, "ぐりとぐら")]
    finally:
        upgraded.dispose()


def test_opening_a_current_database_imports_no_alembic_and_help_no_sqlalchemy(empty_database_url):
    database_url = empty_database_url
    """Start-up (issue 13, part 10): Alembic is imported only to migrate, and `kiosk --help`
    loads no SQLAlchemy. Fresh interpreters, so nothing imported by the tests counts."""
    import subprocess
    import sys

    open_database(database_url).dispose()  # migrated now
    opened = subprocess.run([sys.executable, "-c", "import sys\nfrom kiosk.db.storage import open_database\n"
                             f"open_database({database_url!r}).dispose()\n"
                             "print(sorted({m.split('.')[0] for m in sys.modules} & {'alembic', 'mako'}))"],
                            capture_output=True, text=True, check=True)
    assert opened.stdout.strip() == "[]"
    helped = subprocess.run([sys.executable, "-c", "import sys\nfrom kiosk_app.cli import main\n"
                             "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
                             "print('sqlalchemy' in sys.modules, 'printer' in sys.modules)"],
                            capture_output=True, text=True, check=True)
    assert helped.stdout.strip().splitlines()[-1] == "False False"
