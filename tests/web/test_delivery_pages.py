"""The delivery flow through Flask's test client: every route and its error paths."""

import io
import re
from pathlib import Path

from kiosk.lookup.cache import DatabaseCache
from kiosk.lookup import BibRecord, Creator

SLIP = (Path(__file__).parents[1] / "delivery" / "fixtures" / "slip-himawari-sjis.csv").read_bytes()
ISBNS = ["9784033280103", "9784834000825", "9784003101018", "9784003101018", "9784834006254", "9784591123454",
         "9784062748681", "9784062748681", "9784062748681"]


def _start(client, slip=SLIP, source="ひまわり書店", kind="purchase"):
    data = {"source": source, "received_on": "2026-11-20", "kind": kind}
    if slip is not None:
        data["slip"] = (io.BytesIO(slip), "slip.csv")
    response = client.post("/deliveries/", data=data, content_type="multipart/form-data")
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(re.search(r"/deliveries/(\d+)", response.headers["Location"]).group(1))


def second_confirmation(page) -> dict:
    """What the confirmation screen's own button sends: the hidden fields of its form."""
    html = page.get_data(as_text=True)
    return {name: value for name, value in re.findall(r'name="(accept_\w+)" value="([^"]*)"', html)}


def _scan(client, intake, code):
    return client.post(f"/deliveries/{intake}/scans", json={"code": code})


def test_post_without_csrf_token_is_refused(client):
    response = client.client.post("/deliveries/", data={"source": "x"})
    assert response.status_code == 403


def test_post_from_another_origin_is_refused(client):
    response = client.post("/deliveries/", data={"source": "x"}, headers={"Origin": "http://evil.example"})
    assert response.status_code == 403


def test_delivery_date_comes_from_the_slip_unless_given(client):
    intake = _start_without_date(client)
    assert "2026-11-20" in client.get(f"/deliveries/{intake}").get_data(as_text=True)


def _start_without_date(client):
    response = client.post("/deliveries/", data={"source": "ひまわり書店", "kind": "purchase",
                                                 "slip": (io.BytesIO(SLIP), "slip.csv")},
                           content_type="multipart/form-data")
    return int(re.search(r"/deliveries/(\d+)", response.headers["Location"]).group(1))


def test_home_new_and_index_pages(client):
    assert "新しい納品" in client.get("/").get_data(as_text=True)
    assert 'name="source"' in client.get("/deliveries/new").get_data(as_text=True)
    intake = _start(client)
    index = client.get("/deliveries/").get_data(as_text=True)
    assert f"/deliveries/{intake}" in index and "ひまわり書店" in index


def test_whole_delivery_through_the_pages(client, app):
    DatabaseCache(app.extensions["kiosk_db"]).put(BibRecord(
        isbn13="9784033280103", title="はらぺこあおむし", source="ndl", publisher="偕成社",
        creators=(Creator("エリック・カール", role="作"),)))
    intake = _start(client)
    replies = [_scan(client, intake, code) for code in ISBNS]
    assert all(r.status_code == 200 for r in replies)
    first = replies[0].get_json()
    assert first["item"]["title"] == "はらぺこあおむし" and "はらぺこあおむし" in first["row"]
    assert "スキャン 9 冊 ／ 納品書 9 冊" in replies[-1].get_json()["counts"]
    items = [r.get_json()["item"]["id"] for r in replies]
    for item in items[1:]:
        client.post(f"/deliveries/{intake}/items/{item}", data={"inspection": "ok"})
    tapped = client.post(f"/deliveries/{intake}/items/{items[0]}", data={"inspection": "defective"},
                         headers={"Accept": "application/json"})
    assert tapped.get_json()["item"]["inspection"] == "defective"
    check = client.get(f"/deliveries/{intake}/check").get_data(as_text=True)
    assert "納品書と一致しています" in check and "交換する本" in check
    asked = client.post(f"/deliveries/{intake}/register")  # slip-only copies: call numbers estimated or missing
    assert asked.status_code == 409 and 'id="confirm-register"' in asked.get_data(as_text=True)
    page = client.post(f"/deliveries/{intake}/register", data=second_confirmation(asked)).get_data(as_text=True)
    assert "登録しました: 8冊" in page and "1001" in page and "1008" in page
    assert 'href="/printing/checklist.pdf?numbers=1001-1008"' in page  # the processing checklist, to tick by hand
    ledger = client.get("/ledger/").get_data(as_text=True)
    assert "購入 2026年度 第1葉" in ledger


def test_register_before_inspection_is_refused_in_japanese(client):
    intake = _start(client)
    _scan(client, intake, ISBNS[0])
    response = client.post(f"/deliveries/{intake}/register")
    assert response.status_code == 400 and "検品がまだの本" in response.get_data(as_text=True)


def test_bad_scans_get_japanese_messages_and_nothing_is_recorded(client):
    intake = _start(client)
    wrong = _scan(client, intake, "9784033280104")
    assert wrong.status_code == 422 and "チェックデジット" in wrong.get_json()["message"]
    magazine = _scan(client, intake, "4910123450612")  # a magazine's JAN: not registered unless loaned
    assert magazine.status_code == 422 and magazine.get_json()["kind"] == "magazine"
    assert "雑誌は登録しません" in magazine.get_json()["message"]
    garbage = _scan(client, intake, "<img src=x>")
    assert garbage.status_code == 422 and garbage.get_json()["kind"] == "unknown"
    price_first = _scan(client, intake, "1928797012008")
    assert price_first.status_code == 422
    assert client.get(f"/deliveries/{intake}/items.json").get_json()["scanned"] == 0


def test_price_code_after_isbn_goes_on_that_copy(client):
    from kiosk.codes.isbn import isbn13_check_digit

    intake = _start(client, slip=None, source="山田さん", kind="donation")
    _scan(client, intake, "9784033280103")
    code = "192879701200" + isbn13_check_digit("192879701200")
    reply = _scan(client, intake, code).get_json()
    assert reply["ok"] and reply["item"]["list_price"] == 1200 and reply["item"]["c_code"] == "8797"


def test_unknown_book_typed_in_and_hostile_text_is_escaped(client):
    intake = _start(client, slip=None, source="寄贈者", kind="donation")
    item = _scan(client, intake, "9784834000825").get_json()["item"]["id"]
    page = client.get(f"/deliveries/{intake}").get_data(as_text=True)
    assert "書誌が見つかりません" in page
    client.post(f"/deliveries/{intake}/items/{item}",
                data={"title": "<script>alert(1)</script>", "authors": "<b>x</b>", "isbn13": "9784834000825"})
    page = client.get(f"/deliveries/{intake}").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<b>x</b>" not in page


def test_bad_form_input(client):
    response = client.post("/deliveries/", data={"source": "", "kind": "purchase"})
    assert response.status_code == 400 and "書店名" in response.get_data(as_text=True)
    response = client.post("/deliveries/", data={"source": "x", "kind": "purchase", "fund": "pta"})
    assert response.status_code == 400 and "寄贈" in response.get_data(as_text=True)
    response = client.post("/deliveries/", data={"source": "x", "received_on": "20th Nov"})
    assert response.status_code == 400 and "日付" in response.get_data(as_text=True)
    bad_slip = client.post("/deliveries/", data={"source": "x", "slip": (io.BytesIO(b"\x81\x20\xff"), "s.csv")},
                           content_type="multipart/form-data")
    assert bad_slip.status_code == 400 and "文字コード" in bad_slip.get_data(as_text=True)
    intake = _start(client)
    item = _scan(client, intake, ISBNS[0]).get_json()["item"]["id"]
    response = client.post(f"/deliveries/{intake}/items/{item}", data={"price": "abc"})
    assert response.status_code == 400
    assert client.get("/deliveries/999").status_code == 404


def test_english_switch(client):
    response = client.get("/language/en?next=/deliveries/new")
    assert response.status_code == 302
    page = client.get("/deliveries/new").get_data(as_text=True)
    assert "Bookseller or donor" in page and 'lang="en"' in page


def test_unknown_slip_columns_are_mapped_on_screen_and_remembered(client):
    slip = "タイトル名,コード,部数,売価\nぐりとぐら,9784834000825,1,1100\n".encode("cp932")
    first = client.post("/deliveries/", data={"source": "あおば書房", "kind": "purchase",
                                              "slip": (io.BytesIO(slip), "s.csv")}, content_type="multipart/form-data")
    page = first.get_data(as_text=True)
    assert first.status_code == 400 and "列の対応" in page and "タイトル名" in page
    carried = re.search(r'name="slip_data" value="([^"]+)"', page).group(1)
    headers = dict(re.findall(r'name="header_(\d+)" value="([^"]+)"', page))
    chosen = {"タイトル名": "title", "コード": "isbn", "部数": "quantity", "売価": "unit_price"}
    data = {"source": "あおば書房", "kind": "purchase", "slip_data": carried}
    for index, header in headers.items():
        data[f"header_{index}"] = header
        data[f"column_{index}"] = chosen[header]
    second = client.post("/deliveries/", data=data)
    assert second.status_code == 302
    intake = int(re.search(r"/deliveries/(\d+)", second.headers["Location"]).group(1))
    assert "納品書 1 冊" in client.get(f"/deliveries/{intake}").get_data(as_text=True)
    # the next slip from the same vendor is read with the remembered mapping
    again = client.post("/deliveries/", data={"source": "あおば書房", "kind": "purchase",
                                              "slip": (io.BytesIO(slip), "s.csv")}, content_type="multipart/form-data")
    assert again.status_code == 302


def test_a_paper_slip_typed_in_line_by_line(client):
    intake = _start(client, slip=None)
    _scan(client, intake, ISBNS[0])
    assert "納品書の行を入力" in client.get(f"/deliveries/{intake}/check").get_data(as_text=True)
    response = client.post(f"/deliveries/{intake}/slip-lines",
                           data={"isbn": ISBNS[0], "title": "はらぺこあおむし", "quantity": "2", "unit_price": "1320"})
    assert response.status_code == 302
    check = client.get(f"/deliveries/{intake}/check").get_data(as_text=True)
    assert "不足" in check and "はらぺこあおむし" in check and "2,640円" in check  # 2 ordered, 1 scanned so far
    assert client.post(f"/deliveries/{intake}/slip-lines", data={"isbn": "9784033280104", "title": "x"}).status_code == 400
    assert client.post(f"/deliveries/{intake}/slip-lines", data={"title": "x", "quantity": "0"}).status_code == 400
    _scan(client, intake, ISBNS[0])
    assert "納品書と一致しています" in client.get(f"/deliveries/{intake}/check").get_data(as_text=True)
