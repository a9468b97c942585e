"""The desk's call-number step through Flask's test client: the second confirmations before 登録,
請求記号待ち after it and on the print queue, and a waiting copy's call number set from its page."""

import re

from kiosk.intake.slip import Slip, SlipLine
from kiosk.intake.delivery import attach_slip
from kiosk.lookup import BibRecord, Creator
from kiosk.lookup.cache import DatabaseCache
from tests.web.test_delivery_pages import second_confirmation

NDL = BibRecord(isbn13="9784003101018", title="坊っちゃん", source="ndl", ndc9="913.6", price=500,
                creators=(Creator("夏目漱石", "ナツメ, ソウセキ", "著"),))
UNKNOWN = "9784062748681"  # no source knows it: the slip line alone


def _delivery(client, db, slip_lines=()):
    started = client.post("/deliveries/", data={"source": "ひまわり書店", "received_on": "2026-11-20", "kind": "purchase"})
    intake = int(re.search(r"/deliveries/(\d+)", started.headers["Location"]).group(1))
    if slip_lines:
        attach_slip(db, intake, Slip(encoding="typed", lines=list(slip_lines)))
    return intake


def _scan_ok(client, intake, code):
    item = client.post(f"/deliveries/{intake}/scans", json={"code": code}).get_json()["item"]["id"]
    client.post(f"/deliveries/{intake}/items/{item}", data={"inspection": "ok"})
    return item


def test_unsettled_call_numbers_are_listed_before_registering_and_need_their_own_button(client, db):
    DatabaseCache(db).put(NDL)
    intake = _delivery(client, db, [SlipLine(line=1, title="日本の歴史 1", isbn13=UNKNOWN, quantity=1, unit_price=1650,
                                             c_code="8321"),
                                    SlipLine(line=2, title="坊っちゃん", isbn13=NDL.isbn13, quantity=1, unit_price=550)])
    unknown, settled = _scan_ok(client, intake, UNKNOWN), _scan_ok(client, intake, NDL.isbn13)
    card = client.get(f"/deliveries/{intake}").get_data(as_text=True)
    assert card.count('class="badge estimated"') == 2  # 日本の歴史: 210 and ニ, both 推定
    asked = client.post(f"/deliveries/{intake}/register")
    page = asked.get_data(as_text=True)
    assert asked.status_code == 409 and "請求記号が推定または未定の本: 1冊" in page
    assert f'id="unsettled-{unknown}"' in page and f'id="unsettled-{settled}"' not in page
    assert "Cコード 8321" in page and "推定" in page and 'class="button big second-confirm"' in page
    assert second_confirmation(asked) == {"accept_discrepancies": "", "accept_items": str(unknown)}
    registered = client.post(f"/deliveries/{intake}/register", data=second_confirmation(asked))
    assert "登録しました: 2冊" in registered.get_data(as_text=True)


def test_a_delivery_that_disagrees_with_its_slip_needs_the_second_confirmation_of_what_was_shown(client, db):
    DatabaseCache(db).put(NDL)
    intake = _delivery(client, db, [SlipLine(line=1, title="坊っちゃん", isbn13=NDL.isbn13, quantity=2, unit_price=550)])
    _scan_ok(client, intake, NDL.isbn13)
    check = client.get(f"/deliveries/{intake}/check").get_data(as_text=True)
    assert 'name="accept"' not in check  # the check screen's button no longer registers on its own
    asked = client.post(f"/deliveries/{intake}/register")
    assert asked.status_code == 409 and "納品書との差異" in asked.get_data(as_text=True)
    shown = second_confirmation(asked)
    assert shown["accept_discrepancies"] and shown["accept_items"] == ""
    _scan_ok(client, intake, NDL.isbn13)  # meanwhile the missing copy arrives... and one more: now an extra copy
    _scan_ok(client, intake, NDL.isbn13)
    again = client.post(f"/deliveries/{intake}/register", data=shown)
    assert again.status_code == 409 and "過剰" in again.get_data(as_text=True)
    done = client.post(f"/deliveries/{intake}/register", data=second_confirmation(again))
    assert "登録しました: 3冊" in done.get_data(as_text=True)


def test_a_copy_without_a_call_number_waits_on_the_print_queue_until_set_from_its_page(client, db):
    intake = _delivery(client, db, [SlipLine(line=1, title="ABC", isbn13=UNKNOWN, quantity=1, unit_price=1650)])
    _scan_ok(client, intake, UNKNOWN)
    asked = client.post(f"/deliveries/{intake}/register")
    registered = client.post(f"/deliveries/{intake}/register", data=second_confirmation(asked)).get_data(as_text=True)
    assert 'id="spine-waiting"' in registered and "請求記号待ち: 1冊" in registered
    queue = client.get("/printing/").get_data(as_text=True)
    assert "請求記号待ち" in queue and 'href="/copies/1001#cn-set"' in queue
    copy = client.get("/copies/1001").get_data(as_text=True)
    assert 'id="cn-set-form"' in copy and 'id="spine-waiting"' in copy
    refused = client.post("/copies/1001/callnumber", data={"top": "210", "bottom": ""})
    assert refused.status_code == 400 and "図書記号を入力してください" in refused.get_data(as_text=True)
    assert client.post("/copies/1001/callnumber", data={"top": "210", "bottom": "エ"}).status_code == 302
    queue = client.get("/printing/").get_data(as_text=True)
    assert "請求記号待ち" not in queue and "あとでシートに印刷: 1冊分" in queue
    job = re.search(r'name="jobs" value="(\d+)"', queue).group(1)
    sheet = client.get(f"/printing/collected.pdf?jobs={job}")
    assert sheet.status_code == 200 and sheet.mimetype == "application/pdf"
    copy = client.get("/copies/1001").get_data(as_text=True)
    assert 'id="cn-set-form"' not in copy and "210 エ" in copy.replace("\u3000", " ").replace("／", " ")


def test_the_typed_record_form_takes_readings_roles_year_and_class_and_gives_a_settled_call_number(client, db):
    intake = _delivery(client, db)
    item = client.post(f"/deliveries/{intake}/scans", json={"code": UNKNOWN}).get_json()["item"]["id"]
    page = client.get(f"/deliveries/{intake}").get_data(as_text=True)
    for field in ("title_reading", "author_1_reading", "author_1_role", "year", "ndc"):
        assert f'name="{field}"' in page
    reply = client.post(f"/deliveries/{intake}/items/{item}", headers={"Accept": "application/json"}, data={
        "isbn13": UNKNOWN, "title": "がっこうのほん", "title_reading": "ガッコウ ノ ホン", "author_1": "東野圭吾",
        "author_1_reading": "ヒガシノ ケイゴ", "author_1_role": "作", "author_2": "林明子", "author_2_role": "絵",
        "year": "2024", "price": "1100", "ndc": "913.6"}).get_json()
    cn = reply["item"]["call_number"]
    assert (cn["top"], cn["bottom"], cn["estimated"], cn["sources"]["top"]) == ("913", "ヒ", [], "staff")
    assert reply["item"]["authors"] == "東野圭吾 作、林明子 絵" and reply["item"]["year"] == 2024
    wrong = client.post(f"/deliveries/{intake}/items/{item}", data={"title": "x", "author_1": "a", "author_1_role": "監督"})
    assert wrong.status_code == 400 and "役割" in wrong.get_data(as_text=True)
