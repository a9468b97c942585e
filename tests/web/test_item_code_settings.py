"""設定 → 本のバーコード: symbology, check scheme, start/stop letters, digits and a Code 39
letter prefix chosen on the screen are saved, the labels printed then carry them (zbar reads
them back) and a scan of one finds the copy; a bad choice is refused in Japanese, nothing saved."""

from datetime import date

from kiosk.codes.itemcode import ItemCodeSettings, encode_item_number
from kiosk.ledger.accession import Accession, Book, CopyRequest, register
from kiosk.ledger.funds import Fund, Kind
from kiosk.scan.parser import ScanSettings, read_copy_number
from kiosk.settings import settings_for
from tests.printer.zbar import decode_pdf
from tests.web.test_settings_choices import settings_page

FORM = {"symbology": "code39", "check": "m10w21", "start": "A", "stop": "A", "width": "7", "prefix": " tku "}


def item_code(app) -> ItemCodeSettings:
    with app.extensions["kiosk_db"].read() as session:
        return settings_for(session, 1).item_code


def test_a_code39_prefix_chosen_on_screen_is_printed_and_read_back(client, app):
    settings_page(client, app)
    assert client.post("/settings/item_code", data=FORM).status_code == 302
    chosen = item_code(app)
    assert chosen == ItemCodeSettings(symbology="code39", check="m10w21", width=7, prefix="TKU")
    accession = Accession(kind=Kind.PURCHASE, fund=Fund.CITY, source="ひまわり書店", on=date(2026, 11, 20))
    register(app.extensions["kiosk_db"], 1, accession, [CopyRequest(Book("こころ"), price=500)] * 2, actor="t")
    decoded = sorted(decode_pdf(client.get("/printing/labels.pdf?numbers=1001-1002&kind=barcode").data))
    assert decoded == [("CODE-39", "TKU00010017"), ("CODE-39", "TKU00010025")]
    assert [read_copy_number(data, ScanSettings(item=chosen)) for _, data in decoded] == [1001, 1002]
    page = client.get("/settings/").get_data(as_text=True)
    assert 'name="prefix" value="TKU"' in page and "公共図書館に最も多い" in page


def test_nw7_letters_and_digits_chosen_on_screen(client, app):
    settings_page(client, app)
    client.post("/settings/item_code", data={**FORM, "symbology": "nw7", "start": "B", "stop": "D", "width": "10", "prefix": ""})
    assert encode_item_number(1001, item_code(app)) == "B00000010017D"


def test_a_prefix_on_nw7_is_refused_in_japanese_and_not_saved(client, app, caplog):
    settings_page(client, app)
    answer = client.post("/settings/item_code", data={**FORM, "symbology": "nw7"})
    assert answer.status_code == 400 and "Code 39 のときだけ使えます" in answer.get_data(as_text=True)
    assert "an item barcode prefix ('TKU') needs symbology code39, not nw7" in caplog.text
    answer = client.post("/settings/item_code", data={**FORM, "prefix": "T-1"})
    assert answer.status_code == 400 and "英大文字（A〜Z）6文字まで" in answer.get_data(as_text=True)
    assert item_code(app) == ItemCodeSettings()
