"""The demo slip of the README's first run (kiosk/data/demo-slip.csv): it is what its builder
makes from the shipped sample catalogue, and a delivery from it goes through offline, end to
end: every book found, registered without a question, every spine label with both tiers."""

import csv
import io
import re
import subprocess

import pytest
from sqlalchemy import select

from kiosk.db.models import Copy
from kiosk.intake.demo_slip import DEMO_SLIP, render, sample_records
from tests.web.conftest import KioskClient, offline_kiosk_app


def _lines() -> list[dict]:
    rows = list(csv.DictReader(io.StringIO(DEMO_SLIP.read_bytes().decode("cp932"))))
    return [row for row in rows if row["行"]]  # not the 合計 row


def test_the_shipped_demo_slip_is_what_its_builder_makes():
    assert DEMO_SLIP.read_bytes() == render(sample_records()), "run: python -m kiosk.intake.demo_slip"
    lines = _lines()
    assert 20 <= len(lines) <= 30 and len({row["ISBN"] for row in lines}) == len(lines)


@pytest.fixture
def offline_app(database_url, tmp_path, monkeypatch):
    """The kiosk as scripts/run.sh starts it: the bundled sample catalogue, no network."""
    app = offline_kiosk_app(database_url, tmp_path, monkeypatch, bundled_sample=True)
    yield app
    app.extensions["kiosk_db"].dispose()


def test_a_delivery_from_the_demo_slip_goes_through_offline_with_both_tiers_on_every_label(offline_app, tmp_path):
    client = KioskClient(offline_app.test_client())
    started = client.post("/deliveries/", data={"source": "ひまわり書店", "kind": "purchase",
                                                "slip": (io.BytesIO(DEMO_SLIP.read_bytes()), "demo-slip.csv")},
                          content_type="multipart/form-data")
    assert started.status_code == 302, started.get_data(as_text=True)[-800:]
    intake = int(re.search(r"/deliveries/(\d+)", started.headers["Location"]).group(1))
    lines = _lines()
    for row in lines:
        for _ in range(int(row["数量"])):
            scanned = client.post(f"/deliveries/{intake}/scans", json={"code": row["ISBN"]}).get_json()
            assert scanned["ok"] and scanned["item"]["title"], (row["ISBN"], scanned)
            client.post(f"/deliveries/{intake}/items/{scanned['item']['id']}", data={"inspection": "ok"})
    copies = sum(int(row["数量"]) for row in lines)

    registered = client.post(f"/deliveries/{intake}/register")  # no difference, no guessed tier: one tap
    assert registered.status_code == 200, registered.get_data(as_text=True)[-1500:]
    assert f"登録しました: {copies}冊" in registered.get_data(as_text=True)

    with offline_app.extensions["kiosk_db"].read() as session:
        rows = session.scalars(select(Copy).order_by(Copy.number))
        tiers = [(c.number, c.classification, c.author_mark) for c in rows]
    assert len(tiers) == copies and all(top and bottom for _, top, bottom in tiers), tiers
    pdf = client.get(f"/printing/labels.pdf?numbers=1001-{1000 + copies}&kind=spine")
    assert pdf.status_code == 200 and pdf.content_type == "application/pdf"
    (tmp_path / "labels.pdf").write_bytes(pdf.data)
    text = subprocess.run(["pdftotext", "-layout", str(tmp_path / "labels.pdf"), "-"], capture_output=True,
                          text=True, check=True).stdout
    for number, top, bottom in tiers:
        assert top in text and bottom in text, (number, top, bottom)
