"""Issue 17's school day, in the suite (slow): a 300-book delivery driven over HTTP through a real
waitress server, on SQLite and on PostgreSQL, then checked from the database and the PDFs it
served. The figures are printed (``-s`` shows them), never asserted: bench/bench_school_day.py
holds them against the targets."""

import subprocess
from collections import Counter

import pytest
from sqlalchemy import select

from kiosk.codes.itemcode import ItemCodeSettings, decode_item_code
from kiosk.db.models import Copy, Event
from kiosk.db.storage import open_database
from tests.printer.zbar import decode_pdf
from tests.soak.school_day import FIRST_NUMBER, figures_text, run_school_day

BOOKS = 300
NUMBERS = list(range(FIRST_NUMBER, FIRST_NUMBER + BOOKS))


def _pdf_pages(pdf: bytes, tmp_path) -> int:
    path = tmp_path / "document.pdf"
    path.write_bytes(pdf)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


def _pdf_text(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "document.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


@pytest.mark.slow
@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_a_300_book_school_day_over_http(make_database_url, backend, tmp_path):
    url = make_database_url(backend)
    day = run_school_day(url, books=BOOKS)
    print(f"\n[{backend}] " + figures_text(day))

    assert day.numbers == NUMBERS  # as the registered page links them
    assert not day.confirmation_asked  # every call number settled from its record: nothing to confirm
    assert f"登録しました: {BOOKS}冊" in day.registered_page

    db = open_database(url)
    try:
        with db.read() as session:
            copies = session.execute(select(Copy).where(Copy.library_id == day.library_id)
                                     .order_by(Copy.number)).scalars().all()
            events = session.execute(select(Event.number).where(Event.library_id == day.library_id,
                                                                Event.action == "registered")).scalars().all()
            assert [c.number for c in copies] == NUMBERS  # contiguous, none duplicated or skipped
            positions = {(c.series, c.fiscal_year, c.sheet, c.row) for c in copies}
            assert len(positions) == BOOKS and all(c.sheet and c.row for c in copies)  # each its own ledger row
            assert {c.call_number_state for c in copies} == {"record"}  # settled from the cached records
            assert all(c.classification and c.author_mark for c in copies)  # the cached NDC and reading
            assert Counter(events) == Counter(NUMBERS)  # one 'registered' event per copy, exactly once
    finally:
        db.dispose()

    # Spine and barcode labels: 300 of each on A4 sheets; every barcode read back is one of the copies.
    assert _pdf_pages(day.labels_pdf, tmp_path) >= 2
    decoded = [decode_item_code(data, ItemCodeSettings()) for _, data in decode_pdf(day.labels_pdf, dpi=200)]
    assert sorted(decoded) == NUMBERS
    labels_text = _pdf_text(day.labels_pdf, tmp_path)
    assert labels_text.count("ソーク小学校") == BOOKS  # the library's name on each barcode label

    # The ledger: the page lists its sheets, the PDF carries every number.
    assert f"購入 {copies[0].fiscal_year}年度 第1葉" in day.ledger_page
    ledger_text = _pdf_text(day.ledger_pdf, tmp_path)
    assert all(f" {number} " in ledger_text for number in NUMBERS)
