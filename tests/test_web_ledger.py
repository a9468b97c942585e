"""The ledger page through Flask's test client, on both backends."""

import pytest

from kiosk.ledger.fiscal import fiscal_year
from kiosk.ledger.accession import Book, CopyRequest, register
from kiosk.ledger.withdrawal import WithdrawalReason, withdraw
from web import create_app

from tests.core.helpers import purchase


@pytest.fixture
def client(database_url):
    app = create_app(database_url, {"TESTING": True, "SECRET_KEY": "test", "LOOKUP_OFFLINE": True})
    yield app.test_client(), app.extensions["kiosk_db"]
    app.extensions["kiosk_db"].dispose()


def test_empty_database_explains_how_to_start(client):
    http, _ = client
    page = http.get("/ledger/").get_data(as_text=True)
    assert "kiosk init" in page and "図書館がまだ登録されていません" in page


def test_ledger_page_shows_sheets_totals_and_escapes_titles(client, today):
    http, db = client
    from kiosk.library import create_library

    with db.write() as session:
        library_id = create_library(session, "ひまわり小学校", actor="t").id
    register(db, library_id, purchase(today), [CopyRequest(Book("<script>alert(1)</script>"), price=1100),
                                              CopyRequest(Book("ぐりとぐら"), price=990)], actor="t")
    withdraw(db, library_id, 2, WithdrawalReason.WORN, on=today, actor="t")
    page = http.get("/ledger/").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert f"購入 {fiscal_year(today)}年度 第1葉" in page
    assert "2冊 2,090円" in page and "除籍" in page
    assert 'href="/printing/checklist.pdf?numbers=1,2"' in page  # the sheet's processing checklist


def test_bad_year_gives_a_japanese_message(client):
    http, db = client
    from kiosk.library import create_library

    with db.write() as session:
        create_library(session, "ひまわり小学校", actor="t")
    response = http.get("/ledger/?year=abc")
    assert response.status_code == 400 and "年度は数字で" in response.get_data(as_text=True)


def test_the_years_figures_and_the_csv_from_the_ledger_page(client, today):
    import csv
    import io

    from kiosk.library import create_library
    from tests.core.helpers import donation

    http, db = client
    with db.write() as session:
        library_id = create_library(session, "ひまわり小学校", actor="t").id
    register(db, library_id, purchase(today), [CopyRequest(Book("=1+1"), price=1100), CopyRequest(Book("ぐりとぐら"), price=990)],
             actor="t")
    register(db, library_id, donation(today), [CopyRequest(Book("寄贈の本"), price=0)], actor="t")
    withdraw(db, library_id, 2, WithdrawalReason.WORN, on=today, actor="t")
    year = fiscal_year(today)
    page = http.get("/ledger/").get_data(as_text=True)
    assert f'href="/ledger/year?year={year}"' in page and f'href="/ledger/ledger.csv?year={year}&amp;encoding=sjis"' in page

    figures = http.get(f"/ledger/year?year={year}").get_data(as_text=True)
    assert "購入 市費（図書費）" in figures and "2,090" in figures and "寄贈 寄贈（無償）" in figures
    assert "破損・汚損" in figures and "1〜3" in figures
    assert "0円でも冊数に入ります" in figures

    response = http.get(f"/ledger/ledger.csv?year={year}&encoding=sjis")
    assert response.headers["Content-Type"] == "text/csv; charset=shift_jis"
    assert f'filename="ledger-{year}.csv"' in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.data.decode("cp932"))))
    assert [row[2] for row in rows[1:]] == ["1", "2", "3"] and rows[1][4] == "'=1+1"
    assert rows[2][13].endswith("破損・汚損")
    bad = http.get("/ledger/ledger.csv?encoding=ebcdic")
    assert bad.status_code == 400 and "文字コードは utf-8 か sjis です" in bad.get_data(as_text=True)
    assert http.get("/ledger/year?year=20x6").status_code == 400


def test_the_ledger_page_shows_one_year_at_a_time(client, today):
    from datetime import timedelta

    from kiosk.library import create_library

    http, db = client
    with db.write() as session:
        library_id = create_library(session, "ひまわり小学校", actor="t").id
    last_year = today - timedelta(days=400)
    register(db, library_id, purchase(last_year), [CopyRequest(Book("去年の本"), price=1100)], actor="t")
    register(db, library_id, purchase(today), [CopyRequest(Book("今年の本"), price=990)], actor="t")
    this, before = fiscal_year(today), fiscal_year(last_year)
    page = http.get("/ledger/").get_data(as_text=True)
    assert "今年の本" in page and "去年の本" not in page and f"図書台帳 {this}年度" in page
    assert f'href="/ledger/?year={before}"' in page and 'href="/ledger/?year=all"' in page
    assert "去年の本" in http.get(f"/ledger/?year={before}").get_data(as_text=True)
    everything = http.get("/ledger/?year=all").get_data(as_text=True)
    assert "今年の本" in everything and "去年の本" in everything


def test_a_kiosk_shows_its_own_librarys_ledger_only(client, today):
    """Two schools on one database: the kiosk bound to the first never shows the second's
    ledger, whatever ``?library=`` says; unbound, it asks to be bound (docs/city.md)."""
    from kiosk.library import create_library

    http, db = client
    with db.write() as session:
        first = create_library(session, "ひまわり小学校", isil="JP-0000001", actor="t").id
        second = create_library(session, "あさがお小学校", isil="JP-0000002", actor="t").id
    register(db, first, purchase(today), [CopyRequest(Book("ぐりとぐら"), price=1100)], actor="t")
    register(db, second, purchase(today), [CopyRequest(Book("となりのトトロ"), price=1100)], actor="t")
    unbound = http.get("/ledger/")
    assert unbound.status_code == 400 and "複数の図書館があります" in unbound.get_data(as_text=True)
    http.application.config["LIBRARY"] = str(first)
    page = http.get("/ledger/").get_data(as_text=True)
    assert "ひまわり小学校" in page and "ぐりとぐら" in page and "/printing/checklist.pdf" in page
    for asked in (str(second), "JP-0000002", "JP-9999999", "99"):
        refused = http.get(f"/ledger/?library={asked}")
        text = refused.get_data(as_text=True)
        assert refused.status_code == 404 and "ほかの図書館のデータは表示も変更もできません" in text, asked
        assert "あさがお小学校" not in text and "となりのトトロ" not in text
    assert http.get("/ledger/?library=JP-0000001").status_code == 200  # its own, by ISIL


def test_numbers_lost_at_a_restore_are_on_the_ledger_screen_and_in_its_csv(client, today):
    from kiosk.library import create_library
    from kiosk.ledger.lost_numbers import continue_after

    http, db = client
    with db.write() as session:
        library_id = create_library(session, "ひまわり小学校", first_number=1001, actor="t").id
    register(db, library_id, purchase(today), [CopyRequest(Book("ぐりとぐら"), price=990)], actor="t")
    with db.write() as session:
        continue_after(session, library_id, 1004, source="復元: kiosk-20261201-090000.sqlite3", actor="t")
    page = http.get("/ledger/").get_data(as_text=True)
    assert 'id="lost-numbers"' in page and "1002〜1004" in page and "復元時に失われた番号" in page
    data = http.get(f"/ledger/ledger.csv?year={fiscal_year(today)}").get_data().decode("utf-8-sig")
    assert [line.split(",")[2] for line in data.splitlines()[1:]] == ["1001", "1002", "1003", "1004"]
