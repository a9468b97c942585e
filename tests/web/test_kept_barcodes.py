"""A barcode kept from an imported ledger finds its copy on the copy screen and on the weeding
list, through the same decode path as the kiosk's own labels."""

from kiosk.ledger.ledger_import import import_ledger

LEDGER = ("受入年月日,受入先,登録番号,書名,価格,財源,バーコード\r\n"
          "2019-05-10,ひまわり書店,1,はらぺこあおむし,1320,市費,S-000001\r\n"
          "2019-05-10,ひまわり書店,2,ぐりとぐら,1100,市費,\r\n")


def test_a_kept_barcode_finds_its_copy(app, client, tmp_path):
    path = tmp_path / "old.csv"
    path.write_text(LEDGER, encoding="cp932")
    library_id = 1
    import_ledger(app.extensions["kiosk_db"], library_id, path, dry_run=False, actor="t")
    assert client.get("/copies/?scan=S-000001").headers["Location"].endswith("/copies/1")
    assert client.get("/copies/?code=2").headers["Location"].endswith("/copies/2")  # a typed number still works
    refused = client.get("/copies/?scan=S-000009")
    assert refused.status_code == 400 and "バーコード" in refused.get_data(as_text=True)
