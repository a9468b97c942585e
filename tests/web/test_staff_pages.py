"""Staff-only screens: the PIN, its time-out, withdrawing and re-accessioning, settings."""

import time

import pytest

from kiosk.ledger.accession import Accession, Book, CopyRequest, register
from kiosk.ledger.funds import Fund, Kind
from kiosk.codes.itemcode import ItemCodeSettings, encode_item_number
from kiosk.settings import set_staff_pin
from datetime import date


@pytest.fixture
def registered(app):
    db = app.extensions["kiosk_db"]
    accession = Accession(kind=Kind.PURCHASE, fund=Fund.CITY, source="ひまわり書店", on=date(2026, 11, 20))
    register(db, 1, accession, [CopyRequest(Book("ぐりとぐら"), price=1100)] * 2, actor="t")
    with db.write() as session:
        set_staff_pin(session, 1, "2580", actor="t")
    return db


def _sign_in(client, pin="2580"):
    return client.post("/staff/login", data={"pin": pin, "next": "/copies/1001"})


def test_copy_is_found_by_number_and_by_its_barcode(client, registered):
    assert client.get("/copies/?code=1001").headers["Location"].endswith("/copies/1001")
    barcode = encode_item_number(1002, ItemCodeSettings())
    assert client.get(f"/copies/?code={barcode}").headers["Location"].endswith("/copies/1002")
    page = client.get("/copies/1001").get_data(as_text=True)
    assert "ぐりとぐら" in page and "職員ログイン" in page
    response = client.get("/copies/?code=9784033280103")
    assert response.status_code == 400 and "登録番号" in response.get_data(as_text=True)
    assert client.get("/copies/4242").status_code == 404


def test_withdrawal_needs_the_staff_pin(client, registered):
    refused = client.post("/copies/1001/withdraw", data={"reason": "lost"})
    assert refused.status_code == 403
    wrong = _sign_in(client, "0000")
    assert wrong.status_code == 403 and "暗証番号が違います" in wrong.get_data(as_text=True)
    assert _sign_in(client).headers["Location"].endswith("/copies/1001")
    client.post("/copies/1001/withdraw", data={"reason": "lost", "confirmed": "1"})
    page = client.get("/copies/1001").get_data(as_text=True)
    assert "除籍" in page and "紛失" in page
    found = client.post("/copies/1001/reaccession")
    assert found.headers["Location"].endswith("/copies/1003")
    assert "旧登録番号" in client.get("/copies/1003").get_data(as_text=True)


def test_staff_session_times_out(client, registered, monkeypatch):
    _sign_in(client)
    assert client.get("/settings/").status_code == 200
    later = time.time() + 11 * 60
    monkeypatch.setattr(time, "time", lambda: later)
    assert client.get("/settings/").status_code == 302  # back to the PIN


def test_next_after_sign_in_stays_on_this_kiosk(client, registered):
    response = client.post("/staff/login", data={"pin": "2580", "next": "https://evil.example/"})
    assert response.headers["Location"] == "/"


def test_settings_are_saved_and_bad_values_refused(client, registered):
    _sign_in(client)
    assert client.post("/settings/item_code", data={"symbology": "code39", "check": "mod10w3"}).status_code == 302
    assert 'value="code39" selected' in client.get("/settings/").get_data(as_text=True)
    bad = client.post("/settings/item_code", data={"check": "luhn"})
    assert bad.status_code == 400
    bad_isil = client.post("/settings/library", data={"isil": "JP-12"})
    assert bad_isil.status_code == 400 and "ISIL" in bad_isil.get_data(as_text=True)
    late_first_number = client.post("/settings/library", data={"first_number": "1"})
    assert late_first_number.status_code == 400 and "登録済み" in late_first_number.get_data(as_text=True)
    assert client.post("/settings/pin", data={"pin": "12"}).status_code == 400
    assert client.post("/settings/pin", data={"pin": "13579"}).status_code == 302
    client.post("/staff/logout")
    assert _sign_in(client, "13579").status_code == 302


def test_lookup_sources_set_on_screen_apply_to_the_running_kiosk(client, registered, app):
    _sign_in(client)
    assert [s.name for s in app.extensions["lookup_chain"].sources] == ["ndl", "sample"]  # the test's environment
    assert client.post("/settings/lookup", data={"sources": "google,ndl"}).status_code == 400
    assert client.post("/settings/lookup", data={"sources": "openbd,ndl", "offline": "on"}).status_code == 302
    assert [s.name for s in app.extensions["lookup_chain"].sources] == ["openbd", "ndl", "sample"]
    assert app.extensions["intake_scanner"].background.offline is True
    client.post("/settings/lookup", data={"sources": ""})
    assert [s.name for s in app.extensions["lookup_chain"].sources] == ["sample"]
    assert 'value="" selected' in client.get("/settings/").get_data(as_text=True)


def test_staff_correct_a_ledger_row_and_the_old_value_is_kept(client, registered):
    assert client.post("/copies/1001/correct", data={"title": "x", "reason": "誤記"}).status_code == 403
    _sign_in(client)
    page = client.get("/copies/1001").get_data(as_text=True)
    assert "台帳の訂正" in page and 'name="title" value="ぐりとぐら"' in page
    response = client.post("/copies/1001/correct", data={"title": "ぐりとぐら（新版）", "price": "1,100", "reason": "誤記"})
    assert response.status_code == 400  # "1,100" is not a whole number: nothing changes
    assert client.post("/copies/1001/correct", data={"title": "ぐりとぐら（新版）", "reason": ""}).status_code == 400
    assert client.post("/copies/1001/correct", data={"title": "ぐりとぐら", "reason": "x"}).status_code == 400  # no change
    assert client.post("/copies/1001/correct", data={"title": "ぐりとぐら（新版）", "year": "1967", "reason": "誤記"}).status_code == 302
    page = client.get("/copies/1001").get_data(as_text=True)
    assert "ぐりとぐら（新版）" in page and "訂正（誤記）" in page


def test_staff_override_the_spine_tiers_and_the_labels_carry_them(client, registered, tmp_path):
    """分類記号, 図書記号 and the volume typed on the copy screen are kept with the copy (the old
    values in its history) and are what its spine label prints."""
    import shutil
    import subprocess

    if shutil.which("pdftotext") is None:
        pytest.skip("poppler-utils not installed (scripts/install-system-packages.sh test installs it)")
    from kiosk.settings import change_settings

    with registered.write() as session:
        change_settings(session, 1, "callnumber", {"volume_tier": True}, actor="t")
    _sign_in(client)
    assert client.post("/copies/1002/correct", data={"classification": "E", "author_mark": "ナカ", "volume": "1",
                                                       "reason": "請求記号の指定"}).status_code == 302
    path = tmp_path / "spine.pdf"
    path.write_bytes(client.get("/printing/labels.pdf?numbers=1001-1002&kind=spine").data)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert text.split() == ["E", "ナカ", "1"]  # 1001 has no tiers at all: an empty label
    assert "訂正（請求記号の指定）" in client.get("/copies/1002").get_data(as_text=True)


def test_a_weeding_scanned_checked_and_withdrawn_all_at_once(client, registered):
    from kiosk.ledger.accession import Accession

    register(registered, 1, Accession(kind=Kind.PURCHASE, fund=Fund.CITY, source="ひまわり書店", on=date(2026, 11, 21)),
             [CopyRequest(Book("<b>太字</b>"), price=550)] * 3, actor="t")  # 1003-1005
    assert client.get("/copies/withdraw").headers["Location"].startswith("/staff/login")  # staff only
    _sign_in(client)
    barcode = encode_item_number(1002, ItemCodeSettings())
    page = client.get(f"/copies/withdraw?numbers=1001&add={barcode}").get_data(as_text=True)
    assert 'name="numbers" value="1001,1002"' in page and "2冊を除籍する" in page
    page = client.get("/copies/withdraw?numbers=1001,1002&add=1003-1005&reason=worn").get_data(as_text=True)
    assert "5冊を除籍する" in page and "&lt;b&gt;太字&lt;/b&gt;" in page and "<b>太字" not in page
    assert 'value="worn" checked' in page
    garbled = client.get("/copies/withdraw?numbers=1001,1002&add=9784033280103").get_data(as_text=True)
    assert "この図書館の本のバーコード（登録番号）ではありません" in garbled and 'value="1001,1002"' in garbled
    dropped = client.get("/copies/withdraw?numbers=1001,1002,1003&drop=1002").get_data(as_text=True)
    assert 'name="numbers" value="1001,1003"' in dropped

    client.post("/copies/1004/withdraw", data={"reason": "lost", "confirmed": "1"})  # meanwhile, one went another way
    blocked = client.get("/copies/withdraw?numbers=1001,1003,1004,4242").get_data(as_text=True)
    assert "すでに除籍されています" in blocked and "登録番号 4242 の本はありません" in blocked
    assert 'id="weeding-submit" disabled' in blocked
    refused = client.post("/copies/withdraw", data={"numbers": "1001,1003,1004", "reason": "worn"})
    assert refused.status_code == 400 and "登録番号 1004 はすでに除籍されています" in refused.get_data(as_text=True)
    assert "除籍" not in client.get("/copies/1001").get_data(as_text=True).split("</h2>")[0]  # nothing changed

    done = client.post("/copies/withdraw", data={"numbers": "1001,1003,1005", "reason": "worn", "confirmed": "1"})
    assert done.headers["Location"].endswith("/copies/withdrawn?numbers=1001,1003,1005")
    listed = client.get(done.headers["Location"]).get_data(as_text=True)
    assert "除籍しました: 3冊" in listed and listed.count("破損・汚損") == 3 and "合計 2,200円" in listed
    assert client.post("/copies/withdraw", data={"numbers": "1002", "reason": "other"}).status_code == 400  # needs a note


def test_back_up_now_from_the_settings_screen(client, registered, app, tmp_path, monkeypatch):
    monkeypatch.setenv("KIOSK_BACKUP_DIR", str(tmp_path / "usb"))
    _sign_in(client)
    if app.extensions["kiosk_db"].dialect != "sqlite":
        assert 'id="backup-now"' not in client.get("/settings/").get_data(as_text=True)  # its server's job
        return
    page = client.get("/settings/").get_data(as_text=True)
    assert str(tmp_path / "usb") in page and "まだありません" in page
    done = client.post("/settings/backup")
    made = sorted((tmp_path / "usb").glob("kiosk-*.sqlite3"))
    assert len(made) == 1 and made[0].name in done.headers["Location"]
    page = client.get(done.headers["Location"]).get_data(as_text=True)
    assert f"バックアップしました（{made[0].name}）" in page and f"最新 <strong>{made[0].name}</strong>" in page
    monkeypatch.setenv("KIOSK_BACKUP_DIR", str(made[0]))  # a file, not a folder: cannot be written
    refused = client.post("/settings/backup")
    assert refused.status_code == 400 and "バックアップを" in refused.get_data(as_text=True)
    assert client.post("/settings/backup", headers={"X-CSRF-Token": "forged"}).status_code in (400, 403)


def test_bind_from_the_list_and_split_from_the_copy(client, registered):
    from kiosk.ledger.accession import Accession

    register(registered, 1, Accession(kind=Kind.PURCHASE, fund=Fund.CITY, source="ひまわり書店", on=date(2026, 11, 21)),
             [CopyRequest(Book("こどものとも"), price=440)] * 3 + [CopyRequest(Book("ナルニア国ものがたり"), price=1000)],
             actor="t")  # 1003-1006
    assert client.post("/copies/bind", data={"numbers": "1003-1005"}).status_code == 403  # staff only
    _sign_in(client)
    listed = client.get("/copies/withdraw?numbers=1003,1004,1005").get_data(as_text=True)
    assert "この3冊を合本する" in listed
    bound = client.post("/copies/bind", data={"numbers": "1003,1004,1005", "volume": "2026年度"})
    assert bound.headers["Location"].endswith("/copies/1007")
    page = client.get("/copies/1007").get_data(as_text=True)
    assert "こどものとも 2026年度" in page and "1,320円" in page and "合本（旧登録番号 1003・1004・1005）" in page
    assert "（合本）" in client.get("/copies/1003").get_data(as_text=True)
    assert 'id="split-form"' in client.get("/copies/1006").get_data(as_text=True)
    refused = client.post("/copies/1006/split", data={"volumes": "上"})
    assert refused.status_code == 400 and "分本は2〜50冊に" in refused.get_data(as_text=True)
    split = client.post("/copies/1006/split", data={"volumes": "上、下"})
    assert split.headers["Location"].endswith("/copies/1008")
    assert "ナルニア国ものがたり 上" in client.get("/copies/1008").get_data(as_text=True)
    assert "（分本）" in client.get("/copies/1006").get_data(as_text=True)


def test_a_weeding_list_of_more_than_five_hundred_is_refused(client, registered):
    _sign_in(client)
    refused = client.get("/copies/withdraw?numbers=1001&add=1-501")
    assert refused.status_code == 400 and "一度に除籍できるのは500冊までです" in refused.get_data(as_text=True)
