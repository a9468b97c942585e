"""The board of education's view through a real read-only role: scripts/board-role.sql run with
psql on the test server makes the role; `kiosk board` and `kiosk serve --board` connect as it.
The figures agree with each school's own `kiosk audit`; the CSV reads back in UTF-8 (BOM) and
Shift_JIS; a write is refused by PostgreSQL itself (not only by the app), and every school's
rows are the same after as before."""

import csv
import io
import json
import shutil
import subprocess
import uuid
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from kiosk.board import CSV_HEADINGS
from kiosk.db.storage import normalise_url
from kiosk_app.cli import main
from tests import throwaway_postgres
from tests.conftest import postgres_url
from tests.served_kiosk import Kiosk
from tests.two_schools import dump, two_schools

ROOT = Path(__file__).resolve().parents[2]
YEAR = "2025"  # the schools' copies were registered and withdrawn in fiscal 2025; the imported rows in 2024

pytestmark = pytest.mark.timeout(300)


def _psql() -> str:
    found = shutil.which("psql") or (throwaway_postgres.binaries() and str(throwaway_postgres.binaries() / "psql"))
    if not found:
        pytest.skip("psql is not installed (apt-get install postgresql-client)")
    return found


@pytest.fixture(scope="module")
def board(tmp_path_factory):
    """The two schools, and the board's role made by the project's script: (db, owner URL, board URL, schools)."""
    tmp = tmp_path_factory.mktemp("board")
    with two_schools(tmp) as (db, url, schools):
        owner = make_url(normalise_url(postgres_url()))
        schema = make_url(url).query["options"].split("=", 1)[1]
        role, password = f"kiosk_board_{uuid.uuid4().hex[:8]}", uuid.uuid4().hex
        made = subprocess.run(
            [_psql(), "-h", owner.host or "127.0.0.1", "-p", str(owner.port or 5432), "-U", owner.username or "postgres",
             "-d", owner.database, "-v", f"role={role}", "-v", f"password={password}", "-v", f"schema={schema}",
             "-f", str(ROOT / "scripts" / "board-role.sql")], capture_output=True, text=True, timeout=60)
        assert made.returncode == 0, made.stderr
        board_url = owner.set(username=role, password=password).render_as_string(hide_password=False)
        try:
            yield db, url, board_url, schools, tmp
        finally:
            engine = create_engine(normalise_url(postgres_url()))
            with engine.begin() as connection:
                connection.execute(text(f'DROP OWNED BY "{role}"'))
                connection.execute(text(f'DROP ROLE "{role}"'))
            engine.dispose()


def _kiosk(url: str, tmp: Path, *args: str, library: str | None = None, expect: int = 0):
    env = {"KIOSK_DATABASE_URL": url, "KIOSK_LIBRARY": library, "KIOSK_DATA_DIR": str(tmp / "data"),
           "KIOSK_STAFF": "教育委員会"}
    result = CliRunner().invoke(main, list(args), env=env)
    assert result.exit_code == expect, (result.stdout, result.stderr, result.exception)
    return result


def test_the_boards_figures_agree_with_each_schools_own_audit(board):
    db, url, board_url, schools, tmp = board
    figures = json.loads(_kiosk(board_url, tmp, "board", "--year", YEAR, "--json").stdout)
    assert [school["library"] for school in figures["schools"]] == [school.name for school in schools]
    for school, seen in zip(schools, figures["schools"]):
        audit = json.loads(_kiosk(url, tmp, "audit", "--year", YEAR, "--json", library=school.isil).stdout)
        assert seen["accessioned"]["copies"] == audit["accessioned"]["copies"] == 4  # the delivery's copy is this year's
        assert seen["accessioned"]["amount"] == audit["accessioned"]["amount"]
        for kind in ("purchase", "donation", "other"):
            assert seen["accessioned"][kind] == audit["accessioned"][kind]
        assert seen["withdrawn"]["copies"] == audit["withdrawn"] == 2
        assert seen["withdrawn"]["amount"] == sum(line["amount"] for line in audit["withdrawals"])
        assert seen["holdings"] == audit["holdings"] == {"start": 2, "end": 4}
    total = figures["total"]
    assert total["accessioned"]["copies"] == 8 and total["withdrawn"]["copies"] == 4
    assert total["holdings"] == {"start": 4, "end": 8}
    assert total["accessioned"]["amount"] == sum(s["accessioned"]["amount"] for s in figures["schools"])
    text_out = _kiosk(board_url, tmp, "board", "--year", YEAR).stdout
    assert "合計\t受入 8冊" in text_out and f"{schools[1].name}\t受入 4冊" in text_out


@pytest.mark.parametrize("flag,encoding", [((), "utf-8-sig"), (("--sjis",), "cp932")])
def test_the_boards_csv_in_both_encodings(board, flag, encoding):
    _, _, board_url, schools, tmp = board
    path = tmp / f"board-{encoding}.csv"
    _kiosk(board_url, tmp, "board", "--year", YEAR, "--csv", str(path), *flag)
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") == (encoding == "utf-8-sig")
    rows = list(csv.reader(io.StringIO(data.decode(encoding))))
    assert rows[0] == CSV_HEADINGS
    assert [row[0] for row in rows[1:]] == [school.name for school in schools] + ["合計"]
    assert [row[1] for row in rows[1:3]] == [school.isil for school in schools]
    total = dict(zip(CSV_HEADINGS, rows[-1]))
    assert (total["受入 冊数"], total["除籍 冊数"], total["年度初め 蔵書冊数"], total["年度末 蔵書冊数"]) == ("8", "4", "4", "8")


def test_postgresql_itself_refuses_the_boards_writes(board):
    db, _, board_url, schools, tmp = board
    before = [dump(db, school.id) for school in schools]
    engine = create_engine(normalise_url(board_url))
    try:
        for statement in ("UPDATE copies SET price = 0", "DELETE FROM libraries",
                          "INSERT INTO libraries (name, first_number, next_number, sheet_rows, tax_rounding, created_at) "
                          "VALUES ('x', 1, 1, 10, 'floor', now())"):
            for read_write in (False, True):  # even in a transaction it asks to be read-write: no privilege
                with pytest.raises(DBAPIError) as refused, engine.connect() as connection:
                    if read_write:
                        connection.execute(text("SET TRANSACTION READ WRITE"))
                    connection.execute(text(statement))
                code = refused.value.orig.sqlstate
                assert code == ("42501" if read_write else "25006"), (statement, read_write, refused.value)
        with pytest.raises(DBAPIError) as refused, engine.connect() as connection:
            connection.execute(text("SELECT pin_hash FROM staff_members"))  # the PIN hashes are not the board's
        assert refused.value.orig.sqlstate == "42501"
    finally:
        engine.dispose()
    result = _kiosk(board_url, tmp, "register", "--title", "委員会の本", "--price", "100", "--source", "委員会",
                    library=schools[0].isil, expect=2)
    assert "読み取り専用" in result.stderr
    assert [dump(db, school.id) for school in schools] == before


def test_the_boards_web_page_reads_and_refuses_every_write(board):
    db, _, board_url, schools, tmp = board
    before = [dump(db, school.id) for school in schools]
    (tmp / "web").mkdir(exist_ok=True)
    served = Kiosk(board_url, tmp / "web", args=("--board",))
    try:
        served.wait_ready()
        with httpx.Client(base_url=served.url, timeout=30) as http:
            page = http.get("/", params={"year": YEAR})
            assert page.status_code == 200 and all(school.name in page.text for school in schools)
            assert "合計（2校）" in page.text and 'id="board-total"' in page.text
            sjis = http.get("/board.csv", params={"year": YEAR, "encoding": "sjis"})
            assert "shift_jis" in sjis.headers["content-type"]
            assert sjis.content.decode("cp932").splitlines()[-1].startswith("合計,,2025,8,")
            assert http.get("/board.csv", params={"year": YEAR}).content.startswith(b"\xef\xbb\xbf")
            for method in ("POST", "PUT", "PATCH", "DELETE"):
                for path in ("/", "/board.csv", "/staff/login", "/settings/library", "/deliveries/"):
                    refused = http.request(method, path, data={"name": "乗っ取り"})
                    assert refused.status_code == 405 and '<html lang="ja">' in refused.text, (method, path)
            for path in ("/staff/login", "/settings/", "/deliveries/", "/ledger/"):
                assert http.get(path).status_code == 404  # no kiosk screens at all
            assert "Content-Security-Policy" in page.headers
    finally:
        served.stop()
    assert [dump(db, school.id) for school in schools] == before
