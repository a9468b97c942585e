"""On a server shared by a city's schools, a kiosk acts on its own library's print jobs and delivery copies only."""

from datetime import date

from kiosk.ledger.accession import Accession, Book, CopyRequest, register
from kiosk.ledger.funds import Fund, Kind
from kiosk.library import create_library
from kiosk.db.models import PrintJob
from kiosk.printing.queue import enqueue


def test_another_librarys_job_cannot_be_cancelled_or_retried(client, app):
    db = app.extensions["kiosk_db"]
    with db.write() as session:
        other = create_library(session, "となり小学校図書館", isil="JP-7654321", first_number=1, actor="t").id
    app.config["LIBRARY"] = "1"  # two libraries now: this kiosk serves the first
    accession = Accession(kind=Kind.PURCHASE, fund=Fund.CITY, source="書店", on=date.today())
    (copy,) = register(db, other, accession, [CopyRequest(Book("となりの本"), price=100)], actor="t").copies
    job = enqueue(db, other, [copy.number], kind="both", printer=None, actor="t")
    for action in ("cancel", "retry", "printed"):
        reply = client.post(f"/printing/jobs/{job}", data={"action": action})
        assert reply.status_code == 404, (action, reply.status_code)
    with db.read() as session:
        assert session.get(PrintJob, job).status == "queued"


def test_a_copy_of_another_delivery_cannot_be_changed_through_this_one(client, app):
    from kiosk.intake.delivery import add_scan, open_intake
    from kiosk.db.models import IntakeItem

    db = app.extensions["kiosk_db"]
    mine = open_intake(db, 1, source="書店", received_on=date.today(), kind=Kind.PURCHASE, fund=Fund.CITY, actor="t")
    with db.write() as session:
        other_library = create_library(session, "となり小学校図書館", isil="JP-7654321", actor="t").id
    app.config["LIBRARY"] = "1"
    theirs = open_intake(db, other_library, source="書店", received_on=date.today(), kind=Kind.PURCHASE,
                         fund=Fund.CITY, actor="t")
    their_item = add_scan(db, theirs, "9784033280103")
    reply = client.post(f"/deliveries/{mine}/items/{their_item}", data={"inspection": "defective"})
    assert reply.status_code == 404
    with db.read() as session:
        assert session.get(IntakeItem, their_item).inspection == "pending"
