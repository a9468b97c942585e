"""Shared fixtures: a fresh kiosk database per test, on SQLite and on PostgreSQL.

PostgreSQL tests read KIOSK_TEST_POSTGRES_URL. When it is set they must run (an unreachable
server fails them); when it is not, they are skipped with a visible reason. Each test gets its
own schema on the server, so concurrent runs never collide.
"""

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
import subprocess
import uuid
from datetime import date
from urllib.parse import quote

import psycopg
import pytest
from sqlalchemy import create_engine, text

from kiosk.db.storage import normalise_url, open_database
from kiosk.library import create_library

POSTGRES_ENV = "KIOSK_TEST_POSTGRES_URL"
BACKENDS = ["sqlite", "postgresql"]


def postgres_url() -> str | None:
    return os.environ.get(POSTGRES_ENV) or None


@contextmanager
def own_postgres_schema(prefix: str) -> Iterator[str]:
    """The URL of a new, empty PostgreSQL schema of its own (for fixtures wider than one test),
    dropped afterwards; the test is skipped when no server is configured."""
    admin = postgres_url()
    if admin is None:
        pytest.skip(f"{POSTGRES_ENV} is not set: PostgreSQL tests skipped (set it to run them)")
    schema = f"{prefix}_{uuid.uuid4().hex[:12]}"
    engine = create_engine(normalise_url(admin))
    with engine.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield _with_search_path(admin, schema)
    finally:
        with engine.begin() as connection:
            connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        engine.dispose()


def _with_search_path(url: str, schema: str) -> str:
    separator = "&" if "?" in url else "?"
    return f"{url}{separator}options={quote(f'-csearch_path={schema}')}"


class _MigratedTemplates:
    """A database made by the real migrations once per test run, copied for each test.

    Migrating a new database takes ~0.1 s on SQLite and ~0.5 s on PostgreSQL; the suite opens
    about a thousand. The copy is the migrations' own output: the SQLite file as they left it,
    and PostgreSQL's schema as ``pg_dump`` writes it, replayed under the test's schema name. Tests
    of the migrations themselves ask for an empty database (``empty=True``)."""

    def __init__(self, directory):
        self.directory = directory
        self._sqlite = None
        self._postgres_sql = None

    def sqlite(self, path) -> None:
        if self._sqlite is None:
            template = self.directory / "migrated-template.sqlite3"
            open_database(f"sqlite:///{template}").dispose()
            self._sqlite = template
        shutil.copyfile(self._sqlite, path)

    def postgres(self, admin_url: str, schema: str) -> bool:
        """Make ``schema`` as the migrations make it; False when pg_dump is not installed."""
        if self._postgres_sql is None:
            self._postgres_sql = self._dump_postgres_template(admin_url) if shutil.which("pg_dump") else ""
        if not self._postgres_sql:
            return False
        with psycopg.connect(admin_url) as connection:  # no parameters: psycopg runs the whole script
            connection.execute(self._postgres_sql.replace(_TEMPLATE_SCHEMA, schema))
        return True

    @staticmethod
    def _dump_postgres_template(admin_url: str) -> str:
        engine = create_engine(normalise_url(admin_url))
        with engine.begin() as connection:
            connection.execute(text(f'DROP SCHEMA IF EXISTS "{_TEMPLATE_SCHEMA}" CASCADE'))
            connection.execute(text(f'CREATE SCHEMA "{_TEMPLATE_SCHEMA}"'))
        try:
            open_database(_with_search_path(admin_url, _TEMPLATE_SCHEMA)).dispose()
            dumped = subprocess.run(["pg_dump", "--dbname", admin_url, "--schema", _TEMPLATE_SCHEMA, "--no-owner",
                                     "--no-privileges", "--inserts"], capture_output=True, text=True, check=True)
        finally:
            with engine.begin() as connection:
                connection.execute(text(f'DROP SCHEMA IF EXISTS "{_TEMPLATE_SCHEMA}" CASCADE'))
            engine.dispose()
        # psql's own commands (\restrict …) are not SQL
        return "\n".join(line for line in dumped.stdout.splitlines() if not line.startswith("\\"))


# Unique to this run, so replacing it in the dump can touch nothing else.
_TEMPLATE_SCHEMA = f"kiosk_template_{uuid.uuid4().hex[:12]}"


@pytest.fixture(scope="session")
def migrated_templates(tmp_path_factory) -> _MigratedTemplates:
    return _MigratedTemplates(tmp_path_factory.mktemp("migrated"))


@pytest.fixture
def make_database_url(tmp_path, migrated_templates):
    """A factory: make_database_url('sqlite'|'postgresql') -> URL of a new database at the newest
    schema (a copy of one the migrations made); ``empty=True`` for one with no tables at all."""
    schemas = []
    admin_url = postgres_url()

    def make(backend: str, *, empty: bool = False) -> str:
        if backend == "sqlite":
            path = tmp_path / f"kiosk-{uuid.uuid4().hex[:8]}.sqlite3"
            if not empty:
                migrated_templates.sqlite(path)
            return f"sqlite:///{path}"
        if admin_url is None:
            pytest.skip(f"{POSTGRES_ENV} is not set: PostgreSQL tests skipped (set it to run them)")
        schema = f"kiosk_test_{uuid.uuid4().hex[:12]}"
        schemas.append(schema)
        if empty or not migrated_templates.postgres(admin_url, schema):
            engine = create_engine(normalise_url(admin_url))
            with engine.begin() as connection:
                connection.execute(text(f'CREATE SCHEMA "{schema}"'))
            engine.dispose()
        return _with_search_path(admin_url, schema)

    yield make
    if schemas:
        engine = create_engine(normalise_url(admin_url))
        with engine.begin() as connection:
            for schema in schemas:
                connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        engine.dispose()


@pytest.fixture(params=BACKENDS)
def backend(request) -> str:
    return request.param


@pytest.fixture
def database_url(make_database_url, backend) -> str:
    return make_database_url(backend)


@pytest.fixture
def empty_database_url(make_database_url, backend) -> str:
    """A database with no tables: for tests of the migrations."""
    return make_database_url(backend, empty=True)


@pytest.fixture
def db(database_url):
    database = open_database(database_url)
    yield database
    database.dispose()


@pytest.fixture
def library_id(db) -> int:
    with db.write() as session:
        return create_library(session, "ひまわり小学校図書館", isil="JP-1234567", first_number=1001,
                              actor="test").id


@pytest.fixture
def today() -> date:
    return date.today()


def stop_waitress(server, thread, app=None) -> None:
    """Stop a waitress server running in ``thread`` without closing its sockets under its own
    select() (which fails with EBADF): the loop is ended from inside, then everything closed.
    With ``app``, its scan broker is closed first, so open event streams end at once."""
    if app is not None and "scan_broker" in app.extensions:
        app.extensions["scan_broker"].close()
    server.trigger.pull_trigger(lambda: server._map.clear())  # asyncore's loop runs while its map has sockets
    thread.join(10)
    server.task_dispatcher.shutdown()
    server.close()
