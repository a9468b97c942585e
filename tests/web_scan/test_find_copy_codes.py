"""本をさがす and the weeding list read a code through the one rule (read_copy_number), in the
real app: a label from a scanner that drops NW-7's letters is that copy, a number typed by
hand is that number, and what could be a cut barcode is refused with the reason."""

from datetime import date

import pytest

from kiosk.ledger.accession import Accession, Book, CopyRequest, register
from kiosk.ledger.funds import Fund, Kind
from kiosk.codes.itemcode import ItemCodeSettings, encode_item_number
from kiosk.settings import set_staff_pin

LABEL_1005 = encode_item_number(1005, ItemCodeSettings())  # A000010054A (mod11)


@pytest.fixture
def shelves(app):
    """Copies 1001-1060: so copy 1005 and the copy a cut code would wrongly name both exist."""
    db = app.extensions["kiosk_db"]
    accession = Accession(kind=Kind.PURCHASE, fund=Fund.CITY, source="ひまわり書店", on=date(2026, 11, 20))
    register(db, 1, accession, [CopyRequest(Book(f"本 {n}"), price=1000) for n in range(1001, 1061)], actor="t")
    with db.write() as session:
        set_staff_pin(session, 1, "2580", actor="t")
    return db


def opened(client, query: str) -> str:
    response = client.get("/copies/?" + query)
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return response.headers["Location"]


def refusal(client, query: str) -> str:
    response = client.get("/copies/?" + query)
    assert response.status_code == 400, response.headers.get("Location")
    return response.get_data(as_text=True)


def test_the_issue_case_000000051_is_copy_5_not_51(client):
    # The label of copy 5 (A000000051A) from a scanner that drops NW-7's start/stop letters.
    assert opened(client, "code=000000051").endswith("/copies/5")
    assert opened(client, "scan=000000051").endswith("/copies/5")


def test_a_label_scanned_with_or_without_its_letters_opens_that_copy(client, shelves):
    digits = LABEL_1005[1:-1]
    for query in (f"scan={LABEL_1005}", f"scan={digits}", f"code={digits}", f"code={LABEL_1005}"):
        location = opened(client, query)
        assert location.endswith("/copies/1005"), query
    assert "本 1005" in client.get("/copies/1005").get_data(as_text=True)


def test_a_number_typed_by_hand_is_that_number(client, shelves):
    assert opened(client, "code=1051").endswith("/copies/1051")
    assert opened(client, "code=%EF%BC%91%EF%BC%90%EF%BC%95%EF%BC%91").endswith("/copies/1051")  # full width １０５１


def test_what_could_be_a_cut_label_is_refused_not_another_copy(client, shelves):
    digits = LABEL_1005[1:-1]  # 000010054
    page = refusal(client, f"code={digits[1:]}")  # 00010054: the first 0 lost (would have been 10054)
    assert "0 を付けずに" in page
    page = refusal(client, "scan=1051")  # a scanner never sends a bare short number
    assert "途切れ" in page
    page = refusal(client, f"code={digits[:-1]}2")  # a wrong check digit
    assert "チェックデジット" in page


def test_the_weeding_list_reads_scans_and_typed_numbers_by_the_same_rule(client, shelves):
    client.post("/staff/login", data={"pin": "2580", "next": "/copies/withdraw"})
    page = client.get(f"/copies/withdraw?numbers=1001&scan={LABEL_1005[1:-1]}").get_data(as_text=True)
    assert 'name="numbers" value="1001,1005"' in page
    page = client.get("/copies/withdraw?numbers=1001&scan=1051").get_data(as_text=True)
    assert 'name="numbers" value="1001"' in page and "途切れ" in page  # refused, the list kept
    page = client.get("/copies/withdraw?numbers=1001&add=00001051").get_data(as_text=True)
    assert 'name="numbers" value="1001"' in page and "0 を付けずに" in page
    page = client.get("/copies/withdraw?numbers=1001&add=1051").get_data(as_text=True)
    assert 'name="numbers" value="1001,1051"' in page
    page = client.get("/copies/withdraw?numbers=1001&add=1002-1004,1010").get_data(as_text=True)
    assert 'name="numbers" value="1001,1002,1003,1004,1010"' in page
    page = client.get("/copies/withdraw?numbers=1001&add=0001002-1004").get_data(as_text=True)
    assert 'name="numbers" value="1001"' in page and "0 を付けずに" in page
