"""The same state-changing request released by several tabs on two kiosks at the same moment:
exactly one of them acts, the others are told why and write nothing (SQLite file and PostgreSQL).
Each test makes its own deliveries and copies on the module's library, so tests stay apart."""

from datetime import date

import pytest
from sqlalchemy import func, select

from kiosk.ledger.accession import Accession, Book, CopyRequest, register
from kiosk.ledger.funds import Fund, Kind
from kiosk.intake.delivery import add_scan, open_intake, update_item
from kiosk.lookup.record import BibRecord
from kiosk.db.models import Copy, Event, IntakeItem, IntakeSlipLine, Library, PrintJob
from kiosk.printing.queue import enqueue
from kiosk.settings import settings_for
from kiosk.ledger.withdrawal import WithdrawalReason, withdraw

pytestmark = pytest.mark.timeout(300)


def _inspected_delivery(desk, copies: int) -> tuple[int, list[int]]:
    intake = open_intake(desk.db, desk.library_id, source="競合書店", received_on=date.today(), kind=Kind.PURCHASE,
                         fund=Fund.CITY, actor="t")
    items = []
    for n in range(copies):
        isbn = "9784033280103"
        item = add_scan(desk.db, intake, isbn, record=BibRecord(isbn13=isbn, title=f"競合の本 {intake}-{n}", source="typed",
                                                             ndc9="913", title_reading="キョウゴウ ノ ホン"),
                        list_price=1000)
        update_item(desk.db, item, inspection="ok")
        items.append(item)
    return intake, items


def _registered(desk, count: int) -> list[int]:
    accession = Accession(kind=Kind.PURCHASE, fund=Fund.CITY, source="競合書店", on=date.today())
    book = Book("競合の本", classification="913", author_mark="キ")  # a whole call number: its spine label prints
    result = register(desk.db, desk.library_id, accession, [CopyRequest(book, price=500)] * count, actor="t")
    return [copy.number for copy in result.copies]


def _events(desk, action: str, number: int | None = None) -> int:
    with desk.db.read() as session:
        query = select(func.count()).select_from(Event).where(Event.library_id == desk.library_id,
                                                              Event.action == action)
        if number is not None:
            query = query.where(Event.number == number)
        return session.scalar(query)


def _numbers_are_contiguous(desk) -> None:
    with desk.db.read() as session:
        numbers = sorted(session.scalars(select(Copy.number).where(Copy.library_id == desk.library_id)))
        library = session.get(Library, desk.library_id)
        assert numbers == list(range(library.first_number, library.next_number))


def _one_acted(replies, ok_status=(200, 302)) -> list:
    acted = [r for r in replies if r.status_code in ok_status]
    refused = [r for r in replies if r not in acted]
    assert len(acted) == 1, [(r.status_code, r.text[:200]) for r in replies]
    assert all(400 <= r.status_code < 500 for r in refused), [(r.status_code, r.text[:300]) for r in refused]
    return refused


def test_a_delivery_registered_by_many_taps_at_once_gets_its_numbers_once(desk):
    for _ in range(6):
        intake, items = _inspected_delivery(desk, 3)
        before = _events(desk, "registered")
        replies = desk.race(f"/deliveries/{intake}/register", {})
        refused = _one_acted(replies)
        for reply in refused:
            assert reply.status_code == 409 and "この納品はすでに登録されています" in reply.text
        with desk.db.read() as session:
            numbers = list(session.scalars(select(IntakeItem.copy_number).where(IntakeItem.id.in_(items))))
            copies = session.scalar(select(func.count()).select_from(Copy).where(Copy.number.in_(numbers)))
        assert None not in numbers and len(set(numbers)) == 3 and copies == 3
        assert _events(desk, "registered") - before == 3
        shown = f"{min(numbers)}〜{max(numbers)}"
        assert all(shown in reply.text for reply in refused)
    _numbers_are_contiguous(desk)


def test_one_copy_withdrawn_by_many_taps_is_withdrawn_once(desk):
    (number,) = _registered(desk, 1)
    replies = desk.race(f"/copies/{number}/withdraw", {"reason": "worn", "confirmed": "1"})
    for reply in _one_acted(replies):
        assert "すでに除籍されています" in reply.text
    assert _events(desk, "withdrawn", number) == 1


def test_a_weeding_sent_twice_at_once_withdraws_each_copy_once(desk):
    numbers = _registered(desk, 5)
    replies = desk.race("/copies/withdraw", {"numbers": f"{numbers[0]}-{numbers[-1]}", "reason": "discarded",
                                           "confirmed": "1"})
    _one_acted(replies)
    assert [_events(desk, "withdrawn", n) for n in numbers] == [1] * 5


def test_a_lost_copy_found_twice_at_once_is_reaccessioned_once(desk):
    (number,) = _registered(desk, 1)
    withdraw(desk.db, desk.library_id, number, WithdrawalReason.LOST, actor="t")
    replies = desk.race(f"/copies/{number}/reaccession", {})
    for reply in _one_acted(replies):
        assert "すでに" in reply.text and "再受入されています" in reply.text
    with desk.db.read() as session:
        old = session.scalar(select(Copy.id).where(Copy.library_id == desk.library_id, Copy.number == number))
        assert session.scalar(select(func.count()).select_from(Copy).where(Copy.reaccession_of_id == old)) == 1
    _numbers_are_contiguous(desk)


def test_binding_and_splitting_tapped_twice_happen_once(desk):
    parts = _registered(desk, 3)
    for reply in _one_acted(desk.race("/copies/bind", {"numbers": ",".join(map(str, parts))})):
        assert "すでに除籍されています" in reply.text
    (whole,) = _registered(desk, 1)
    _one_acted(desk.race(f"/copies/{whole}/split", {"volumes": "上、下"}))
    with desk.db.read() as session:
        made = session.scalar(select(func.count()).select_from(Copy).where(
            Copy.library_id == desk.library_id, Copy.price_note.in_(
                [f"合本（旧登録番号 {'・'.join(map(str, parts))}）", f"分本（旧登録番号 {whole}）"])))
    assert made == 1 + 2
    _numbers_are_contiguous(desk)


def test_corrections_at_once_are_applied_one_after_another_and_each_logged_with_its_before(desk):
    (number,) = _registered(desk, 1)
    titles = [f"訂正 {i}" for i in range(8)]
    replies = desk.race(f"/copies/{number}/correct", [{"title": t, "reason": "誤記"} for t in titles])
    assert all(r.status_code == 302 for r in replies), [r.text[:200] for r in replies]
    with desk.db.read() as session:
        events = list(session.scalars(select(Event).where(Event.number == number, Event.action == "corrected")
                                      .order_by(Event.id)))
        final = session.scalar(select(Copy.title).where(Copy.library_id == desk.library_id, Copy.number == number))
    chain = [e.details["before"]["title"] for e in events] + [final]
    assert chain[0] == "競合の本" and sorted(chain[1:]) == sorted(titles)
    assert all(e.details["after"]["title"] == chain[i + 1] for i, e in enumerate(events))  # no before was stale


def test_slip_lines_typed_at_once_on_two_kiosks_are_all_kept(desk):
    intake, _ = _inspected_delivery(desk, 0)
    titles = [f"手入力の行 {i}" for i in range(8)]
    replies = desk.race(f"/deliveries/{intake}/slip-lines", [{"title": t, "quantity": "1"} for t in titles])
    assert all(r.status_code == 302 for r in replies), [r.text[:200] for r in replies]
    with desk.db.read() as session:
        lines = list(session.execute(select(IntakeSlipLine.position, IntakeSlipLine.title)
                                     .where(IntakeSlipLine.intake_id == intake).order_by(IntakeSlipLine.position)))
    assert sorted(title for _, title in lines) == sorted(titles)
    assert [position for position, _ in lines] == list(range(1, 9))


def test_a_failed_print_job_retried_twice_at_once_prints_once(desk):
    numbers = _registered(desk, 2)
    folder = desk.data_dir / "retried-labels"  # a PDF printer writes only under the kiosk's data directory
    job = enqueue(desk.db, desk.library_id, numbers, kind="spine", printer=f"pdf:{folder}", actor="t")
    replies = desk.race(f"/printing/jobs/{job}", {"action": "retry"})
    assert len([r for r in replies if r.status_code == 302 and "error" not in r.headers["location"]]) >= 1
    assert len(list(folder.glob("*.pdf"))) == 1
    with desk.db.read() as session:
        sent = session.scalar(select(func.count()).select_from(Event).where(Event.action == "print_sent"))
        assert session.get(PrintJob, job).attempts == 1
    assert sent >= 1 and _job_events(desk, job, "print_sent") == 1


def _job_events(desk, job: int, action: str) -> int:
    with desk.db.read() as session:
        return sum(1 for e in session.scalars(select(Event).where(Event.action == action))
                   if e.details.get("job") == job)


def test_a_collected_sheet_marked_printed_twice_at_once_is_marked_once(desk):
    numbers = _registered(desk, 2)
    job = enqueue(desk.db, desk.library_id, numbers, kind="both", printer=None, actor="t")
    _one_acted(desk.race("/printing/collected/printed", {"jobs": str(job)}))
    assert _job_events(desk, job, "print_sent") == 1


def test_settings_sections_saved_at_once_are_all_kept(desk):
    forms = {"scanner": {"prefix": "]E0"}, "lookup": {"sources": "openbd"},
             "item_code": {"width": "9"}, "processing": {"steps": "登録印、バーコード"}}
    paths = list(forms)
    replies = desk.race_requests([(f"/settings/{p}", forms[p]) for p in paths])
    assert all(r.status_code == 302 for r in replies), [r.text[:300] for r in replies]
    with desk.db.read() as session:
        saved = settings_for(session, desk.library_id)
    assert saved.scanner.prefix == "]E0" and saved.lookup.sources == ("openbd",)
    assert saved.item_code.width == 9 and saved.processing.steps == ("登録印", "バーコード")
