"""Rules the touch screen and the CLI share come from the domain, once: the default fund, the
correctable fields, the history's labels."""

import re
from datetime import date

import pytest
from sqlalchemy import select

from kiosk.ledger.accession import Accession, Book, CopyRequest, register
from kiosk.events import ACTION_LABELS_JA
from kiosk.ledger.funds import Fund, Kind, default_fund, infer_kind
from kiosk.db.models import Copy, Intake
from kiosk.settings import set_staff_pin
from kiosk.ledger.withdrawal import CORRECTABLE, CORRECTABLE_LABELS_JA


@pytest.mark.parametrize("kind, fund", [(Kind.PURCHASE, Fund.CITY), (Kind.DONATION, Fund.GIFT),
                                        (Kind.OTHER, Fund.CITY)])
def test_the_default_fund_and_the_kind_a_fund_implies(kind, fund):
    assert default_fund(kind) is fund
    assert infer_kind(Fund.CITY) is Kind.PURCHASE
    assert {infer_kind(other) for other in Fund if other is not Fund.CITY} == {Kind.DONATION}


@pytest.mark.parametrize("kind", list(Kind))
def test_a_new_delivery_without_a_fund_gets_the_domains_default(client, app, kind):
    response = client.post("/deliveries/", data={"source": "ひまわり書店", "received_on": "2026-11-20",
                                                  "kind": kind.value})
    assert response.status_code == 302
    with app.extensions["kiosk_db"].read() as session:
        assert session.scalar(select(Intake.fund)) == default_fund(kind).value


@pytest.fixture
def registered(app):
    db = app.extensions["kiosk_db"]
    accession = Accession(kind=Kind.PURCHASE, fund=Fund.CITY, source="ひまわり書店", on=date(2026, 11, 20))
    register(db, 1, accession, [CopyRequest(Book("ぐりとぐら"), price=1100)], actor="t")
    with db.write() as session:
        set_staff_pin(session, 1, "2580", actor="t")
    return db


def test_the_copy_page_offers_every_correctable_field_and_corrects_each(client, registered):
    client.post("/staff/login", data={"pin": "2580", "next": "/copies/1001"})
    page = client.get("/copies/1001").get_data(as_text=True)
    form = page[page.index("台帳の訂正"):]
    assert re.findall(r'<input name="(\w+)" value=', form) == list(CORRECTABLE) == list(CORRECTABLE_LABELS_JA)
    for label in CORRECTABLE_LABELS_JA.values():
        assert f"<label>{label} <input" in form
    response = client.post("/copies/1001/correct", data={"note": "背が傷んでいる", "series_title": "こどものとも",
                                                         "title": "ぐりとぐら", "reason": "追記"})
    assert response.status_code == 302
    with registered.read() as session:
        copy = session.scalar(select(Copy))
        assert (copy.note, copy.series_title, copy.title) == ("背が傷んでいる", "こどものとも", "ぐりとぐら")
    page = client.get("/copies/1001").get_data(as_text=True)
    assert f"{ACTION_LABELS_JA['corrected']}（追記）" in page and ACTION_LABELS_JA["registered"] in page
