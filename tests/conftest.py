"""Shared fixtures: a fresh kiosk database per test, on SQLite and on PostgreSQL.

PostgreSQL tests read KIOSK_TEST_POSTGRES_URL. When it is set they must run (an unreachable
server fails them); when it is not, they are skipped with a visible reason. Each test gets its
own schema on the server, so concurrent runs never collide.
"""

import os
import uuid
from datetime import date
from urllib.parse import quote

import pytest
from sqlalchemy import create_engine, text

from kiosk.db.storage import normalise_url, open_database
from kiosk.library import create_library

POSTGRES_ENV = "KIOSK_TEST_POSTGRES_URL"
BACKENDS = ["sqlite", "postgresql"]


def postgres_url() -> str | None:
    return os.environ.get(POSTGRES_ENV) or None


def _with_search_path(url: str, schema: str) -> str:
    separator = "&" if "?" in url else "?"
    return f"{url}{separator}options={quote(f'-csearch_path={schema}')}"


@pytest.fixture
def make_database_url(tmp_path):
    """A factory: make_database_url('sqlite'|'postgresql') -> URL of a new, empty database."""
    schemas = []
    admin_url = postgres_url()

    def make(backend: str) -> str:
        if backend == "sqlite":
            return f"sqlite:///{tmp_path / f'kiosk-{uuid.uuid4().hex[:8]}.sqlite3'}"
        if admin_url is None:
            pytest.skip(f"{POSTGRES_ENV} is not set: PostgreSQL tests skipped (set it to run them)")
        schema = f"kiosk_test_{uuid.uuid4().hex[:12]}"
        engine = create_engine(normalise_url(admin_url))
        with engine.begin() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
        engine.dispose()
        schemas.append(schema)
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
