"""The print queue: a printer that fails keeps the job; nothing printed twice by itself."""

import pytest

from kiosk.errors import KioskError, NotFound
from kiosk.printing.queue import (PrinterError, cancel, collected, enqueue, jobs, resolve_unknown, retry_elsewhere, send,
                               sheet_printed)

from tests.core.helpers import purchase, register_n


@pytest.fixture
def numbers(db, library_id, today):
    return [c.number for c in register_n(db, library_id, purchase(today), 3,
                                         book={"classification": "913", "author_mark": "ナ"}).copies]


class Printer:
    def __init__(self, fail_with=None):
        self.fail_with, self.received = fail_with, []

    def __call__(self, job):
        if self.fail_with:
            raise self.fail_with
        self.received.append(job.numbers)


OFF = PrinterError("printer at tcp://127.0.0.1:9 refused the connection", "プリンターの電源が入っていません")


def test_a_failed_job_stays_queued_with_the_reason_then_goes_elsewhere(db, library_id, numbers):
    job = enqueue(db, library_id, numbers, kind="both", printer="zpl:tcp://127.0.0.1:9", actor="t")
    with pytest.raises(PrinterError):
        send(db, job, Printer(OFF), actor="t")
    (view,) = jobs(db, library_id)
    assert (view.status, view.attempts, view.last_error_ja) == ("failed", 1, "プリンターの電源が入っていません")
    retry_elsewhere(db, job, "pdf:/tmp/labels")
    printer = Printer()
    sent = send(db, job, printer, actor="t")
    assert sent.status == "sent" and printer.received == [numbers] and jobs(db, library_id) == []
    with pytest.raises(KioskError):
        send(db, job, printer, actor="t")  # never printed twice by itself
    assert printer.received == [numbers]


def test_a_job_cut_off_mid_send_waits_for_staff(db, library_id, numbers):
    job = enqueue(db, library_id, numbers, printer="pdf:/tmp/x", actor="t")

    def crash(_job):
        raise SystemExit("power cut")

    with pytest.raises(SystemExit):
        send(db, job, crash, actor="t")
    (view,) = jobs(db, library_id)
    assert view.status == "sending"
    with pytest.raises(KioskError):
        send(db, job, Printer(), actor="t")
    resolve_unknown(db, job, printed=False, actor="司書")
    assert send(db, job, Printer(), actor="t").status == "sent"


def test_bad_jobs_are_refused(db, library_id, numbers):
    with pytest.raises(NotFound):
        enqueue(db, library_id, [numbers[0], 99999], printer=None, actor="t")
    with pytest.raises(KioskError):
        enqueue(db, library_id, numbers, kind="poster", printer=None, actor="t")
    sheet_job = enqueue(db, library_id, numbers, printer=None, actor="t")
    with pytest.raises(KioskError):
        send(db, sheet_job, Printer(), actor="t")  # no printer chosen yet
    cancel(db, sheet_job, actor="t")
    assert jobs(db, library_id) == []


def test_labels_kept_for_a_sheet_are_done_only_when_staff_say_the_sheet_printed(db, library_id, numbers):
    first = enqueue(db, library_id, numbers[:2], kind="both", printer=None, actor="t")
    to_printer = enqueue(db, library_id, numbers[2:], printer="pdf:/tmp/x", actor="t")
    assert [job.id for job in collected(db, library_id)] == [first]
    second = enqueue(db, library_id, numbers[2:], kind="spine", printer=None, actor="t")  # while the sheet prints
    sheet_printed(db, library_id, [first], actor="司書")
    assert [job.id for job in collected(db, library_id)] == [second]
    assert {job.id for job in jobs(db, library_id)} == {to_printer, second}
    for wrong in ([first], [to_printer], [999]):  # done already, bound for a printer, unknown
        with pytest.raises(KioskError):
            sheet_printed(db, library_id, wrong, actor="t")
    assert [job.id for job in collected(db, library_id)] == [second]
