"""The import screen for an existing ledger, through the Flask test client on SQLite and
PostgreSQL: staff only; a file with bad rows is refused whole, its report (row, column, Japanese
reason) on the screen; a good one is checked first (nothing written), then imported, all of it,
only after a deliberate confirmation; the same use case as `kiosk import-ledger`."""

import io
import re
from html import unescape

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from kiosk.db.models import Copy
from kiosk.ledger.sheets import ledger_sheets
from kiosk.settings import set_staff_pin

GOOD = ("受入年月日,受入先,登録番号,請求記号,書名,著者名,発行所,刊年,価格,財源,除籍,バーコード\r\n"
        "2019-04-02,ひまわり書店,1,913 カ,かいけつゾロリ,原ゆたか,ポプラ社,1987,990,市費,,OLD-1\r\n"
        "2019-04-02,ひまわり書店,2,E ナ,ぐりとぐら,なかがわりえこ,福音館書店,1967,1100,市費,2020-03-01 紛失,OLD-2\r\n"
        "2019-05-10,山田花子さん,4,289 ヤ,寄贈の本,,,,0,寄贈,,\r\n")
BAD = ("受入年月日,受入先,登録番号,書名,価格\r\n"
       "2019-04-02,ひまわり書店,1,かいけつゾロリ,990\r\n"
       "2019-13-40,ひまわり書店,2,ぐりとぐら,1100\r\n"
       "2019-04-02,ひまわり書店,1,坊っちゃん,abc\r\n")


@pytest.fixture
def staff(app, client):
    db = app.extensions["kiosk_db"]
    with db.write() as session:
        set_staff_pin(session, 1, "2580", actor="t")
    client.post("/staff/login", data={"pin": "2580", "next": "/ledger/import/"})
    return db


def copies(db) -> int:
    with db.read() as session:
        return session.scalar(select(func.count()).select_from(Copy))


def upload(client, name: str, data: bytes):
    return client.post("/ledger/import/", data={"ledger": (io.BytesIO(data), name)}, content_type="multipart/form-data")


def test_staff_only(app, client):
    with app.extensions["kiosk_db"].write() as session:
        set_staff_pin(session, 1, "2580", actor="t")
    assert client.get("/ledger/import/").headers["Location"].startswith("/staff/login")
    assert upload(client, "good.csv", GOOD.encode()).status_code == 403
    assert copies(app.extensions["kiosk_db"]) == 0
    assert 'id="ledger-import" href="/ledger/import/"' in client.get("/ledger/").get_data(as_text=True)


def test_a_file_with_bad_rows_is_refused_whole_with_its_report(client, staff):
    page = client.get("/ledger/import/").get_data(as_text=True)
    assert 'enctype="multipart/form-data"' in page and 'id="import-confirm"' not in page
    refused = upload(client, "bad.csv", BAD.encode("cp932"))
    text = unescape(refused.get_data(as_text=True))
    assert refused.status_code == 422 and "1行も取り込んでいません" in text
    problems = re.findall(r"<tr><td[^>]*>([^<]*)</td><td[^>]*>([^<]*)</td><td[^>]*>([^<]*)</td></tr>", text)
    assert ("3行目", "受入年月日") in [p[:2] for p in problems] and ("4行目", "価格") in [p[:2] for p in problems]
    assert any(where == "4行目" and column == "登録番号" for where, column, _ in problems)  # 1 twice
    assert all(reason for *_, reason in problems) and 'id="import-confirm"' not in text
    assert copies(staff) == 0
    unreadable = upload(client, "ledger.xlsx", b"not a workbook")
    assert unreadable.status_code == 400 and "xlsx形式のブックではありません" in unescape(unreadable.get_data(as_text=True))
    nothing = client.post("/ledger/import/", data={})
    assert nothing.status_code == 400 and "ファイル" in unescape(nothing.get_data(as_text=True))


def test_a_good_file_is_checked_then_imported_after_confirmation(client, staff):
    checked = upload(client, "daicho.csv", GOOD.encode("utf-8-sig"))
    text = unescape(checked.get_data(as_text=True))
    assert checked.status_code == 200 and "まだ何も取り込んでいません" in text and copies(staff) == 0
    assert re.search(r"登録番号</th><td class=\"number\">1〜4<", text) and "3</td>" in text
    # 3 is not in the file; the kiosk was set to start at 1001, so 5-1000 are not given either
    assert re.search(r"欠番（ファイルにない番号）</th><td class=\"number\">3、5〜1000<", text)
    name = re.search(r'name="ledger_name" value="([^"]*)"', text).group(1)
    carried = re.search(r'name="ledger_data" value="([^"]*)"', text).group(1)
    assert name == "daicho.csv" and 'name="confirm" value="1" required' in text

    again = client.post("/ledger/import/", data={"ledger_name": name, "ledger_data": carried})  # not confirmed
    assert again.status_code == 200 and "まだ何も取り込んでいません" in unescape(again.get_data(as_text=True))
    assert copies(staff) == 0

    done = client.post("/ledger/import/", data={"ledger_name": name, "ledger_data": carried, "confirm": "1"})
    text = unescape(done.get_data(as_text=True))
    assert done.status_code == 200 and "3行を取り込みました" in text and "次の登録番号は 1001 です" in text
    with staff.read() as session:
        rows = {row.number: row for sheet in ledger_sheets(session, 1) for row in sheet.rows}
    assert sorted(rows) == [1, 2, 4] and rows[2].status == "withdrawn" and rows[1].title == "かいけつゾロリ"
    twice = client.post("/ledger/import/", data={"ledger_name": name, "ledger_data": carried, "confirm": "1"})
    assert twice.status_code == 422 and copies(staff) == 3  # its numbers are taken now: refused whole


def test_an_xlsx_ledger_too(client, staff):
    book = Workbook()
    sheet = book.active
    sheet.append(["昔の図書原簿"])
    sheet.append(["受入年月日", "受入先", "登録番号", "書名", "価格", "財源"])
    sheet.append(["2018-04-02", "ひまわり書店", 10, "モチモチの木", 1430, "市費"])
    out = io.BytesIO()
    book.save(out)
    checked = unescape(upload(client, "genbo.xlsx", out.getvalue()).get_data(as_text=True))
    carried = re.search(r'name="ledger_data" value="([^"]*)"', checked).group(1)
    done = client.post("/ledger/import/", data={"ledger_name": "genbo.xlsx", "ledger_data": carried, "confirm": "1"})
    assert "1行を取り込みました" in unescape(done.get_data(as_text=True)) and copies(staff) == 1
