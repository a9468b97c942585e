"""The print queue: labels wait here until a printer has taken them.

A job is marked ``sending`` (committed) before its bytes go to the printer, and ``sent`` after.
A printer that is off, out of labels or answers an error leaves the job ``failed`` with the
reason, to be retried or sent to another printer; nothing is lost. A job found ``sending`` after
a crash may or may not have printed: it is never resent by itself, staff decide (reprint or
mark done), so nothing is printed twice without someone choosing to.
"""

from dataclasses import dataclass
from typing import Callable

from sqlalchemy import select

from kiosk.errors import KioskError, NotFound
from kiosk.events import now, record_event
from kiosk.db.models import Copy, PrintJob
from kiosk.printing.errors import PrinterError, PrintOutcomeUnknown  # re-exported: callers import them from here too
from kiosk.printing.job_states import (JOB_STATUS_LABELS_JA, LABEL_KIND_LABELS_JA, STATUS_JA, JobStatus,  # re-exported
                                       LabelKind, parse_label_kind)
from kiosk.printing.waiting_spines import hold_spines, incomplete_numbers
from kiosk.db.storage import Database
from kiosk.text_limits import check_fields

OPEN = (JobStatus.QUEUED, JobStatus.SENDING, JobStatus.FAILED, JobStatus.WAITING)  # on the 印刷 screen
SENDABLE = (JobStatus.QUEUED, JobStatus.FAILED)


@dataclass(frozen=True)
class JobView:
    id: int
    numbers: list[int]
    kind: LabelKind
    printer: str | None
    status: JobStatus
    attempts: int
    last_error: str | None
    last_error_ja: str | None

    @property
    def status_ja(self) -> str:
        return self.status.ja


def enqueue(db: Database, library_id: int, numbers: list[int], *, kind: str = LabelKind.BOTH,
            printer: str | None, actor: str) -> int:
    """Queue labels for registered copies; ``printer`` None collects them for a sheet. The spine
    label of a copy whose call number lacks a tier is not in the job: it waits in a job of its own
    (請求記号待ち, kiosk.printing.waiting_spines) while its barcode label prints with the others.
    KioskError when that leaves nothing to print."""
    kind = parse_label_kind(kind)
    if not numbers:
        raise KioskError("no copies to print", "印刷する本がありません")
    with db.write() as session:
        known = set(session.scalars(select(Copy.number).where(Copy.library_id == library_id,
                                                              Copy.number.in_(numbers))))
        unknown = sorted(set(numbers) - known)
        if unknown:
            raise NotFound(f"no copies numbered {unknown[:5]}", f"登録番号 {unknown[0]} の本はありません")
        printed = list(numbers)
        if kind.has_spine:
            if kind is LabelKind.SPINE:
                waiting = set(incomplete_numbers(session, library_id, numbers))
                printed = [n for n in numbers if n not in waiting]
                if not printed:
                    raise KioskError(f"copies {sorted(waiting)[:5]} have no complete call number: set it first",
                                     "請求記号が決まっていないため、背ラベルは印刷できません（請求記号待ち）。"
                                     "先に請求記号を決めてください")
            hold_spines(session, library_id, numbers, actor=actor)
        job = PrintJob(library_id=library_id, numbers=printed, kind=kind.value, printer=printer, status=JobStatus.QUEUED.value,
                       attempts=0, created_at=now(), created_by=actor)
        session.add(job)
        session.flush()
        return job.id


def send(db: Database, job_id: int, deliver: Callable[[JobView], None], *, actor: str) -> JobView:
    """Hand a queued or failed job to ``deliver`` (the printer backend). Raises PrinterError
    after recording the failure; the job stays in the queue."""
    with db.write() as session:
        job = _job(session, job_id)
        if job.status not in SENDABLE:
            raise KioskError(f"job {job_id} is {job.status}: only a queued or failed job is sent",
                             f"印刷ジョブ {job_id} は「{JobStatus(job.status).ja}」のため送れません")
        if job.printer is None:
            raise KioskError(f"job {job_id} has no printer: choose one", "プリンターを選んでください")
        job.status, job.attempts = JobStatus.SENDING.value, job.attempts + 1
        view = _view(job)
    try:
        deliver(view)
    except PrintOutcomeUnknown as error:
        _finish(db, job_id, JobStatus.SENDING, error, actor)
        raise
    except PrinterError as error:
        _finish(db, job_id, JobStatus.FAILED, error, actor)
        raise
    return _finish(db, job_id, JobStatus.SENT, None, actor)


def retry_elsewhere(db: Database, job_id: int, printer: str) -> None:
    check_fields(PrintJob, {"printer": printer})
    with db.write() as session:
        job = _job(session, job_id)
        if job.status not in SENDABLE:
            raise KioskError(f"job {job_id} is {job.status}", f"印刷ジョブ {job_id} は変更できません")
        job.printer, job.status = printer, JobStatus.QUEUED.value


def resolve_unknown(db: Database, job_id: int, *, printed: bool, actor: str) -> None:
    """After a crash mid-send: staff say whether the labels came out (done) or not (queue again)."""
    with db.write() as session:
        job = _job(session, job_id)
        if job.status != JobStatus.SENDING:
            raise KioskError(f"job {job_id} is not waiting for a check", "確認が必要な印刷ジョブではありません")
        job.status = (JobStatus.SENT if printed else JobStatus.QUEUED).value
        record_event(session, job.library_id, actor, "print_checked", details={"job": job_id, "printed": printed})


def cancel(db: Database, job_id: int, *, actor: str) -> None:
    with db.write() as session:
        job = _job(session, job_id)
        if job.status in (JobStatus.SENT, JobStatus.CANCELLED):
            raise KioskError(f"job {job_id} is already {job.status}", f"印刷ジョブ {job_id} は取り消せません")
        job.status = JobStatus.CANCELLED.value
        record_event(session, job.library_id, actor, "print_cancelled", details={"job": job_id})


def check_job_library(db: Database, job_id: int, library_id: int) -> None:
    """NotFound unless job ``job_id`` is one of this library's: a kiosk of one school never
    retries, cancels or marks another school's jobs on a shared server."""
    with db.read() as session:
        if session.scalar(select(PrintJob.library_id).where(PrintJob.id == job_id)) != library_id:
            raise NotFound(f"no print job {job_id} in library {library_id}", f"印刷ジョブ {job_id} がありません")


def jobs(db: Database, library_id: int, *, open_only: bool = True) -> list[JobView]:
    with db.read() as session:
        query = select(PrintJob).where(PrintJob.library_id == library_id).order_by(PrintJob.id)
        if open_only:
            query = query.where(PrintJob.status.in_([status.value for status in OPEN]))
        return [_view(job) for job in session.scalars(query)]


def collected(db: Database, library_id: int) -> list[JobView]:
    """Jobs kept to be printed later on a sheet (queued with no printer), oldest first."""
    return [job for job in jobs(db, library_id) if job.printer is None and job.status == JobStatus.QUEUED]


def sheet_printed(db: Database, library_id: int, job_ids: list[int], *, actor: str) -> None:
    """Staff printed the sheet of these collected jobs: they are done. Only the jobs that were
    on the sheet are named, so a job collected while the sheet was printing stays queued."""
    with db.write() as session:
        for job_id in sorted(set(job_ids)):  # locked in one order, so two sheets never deadlock
            job = _job(session, job_id)
            if job.library_id != library_id or job.printer is not None or job.status != JobStatus.QUEUED:
                raise KioskError(f"job {job_id} is not a collected job waiting for a sheet",
                                 f"印刷ジョブ {job_id} はシート印刷待ちではありません")
            job.status, job.sent_at = JobStatus.SENT.value, now()
            record_event(session, library_id, actor, "print_sent",
                         details={"job": job_id, "printer": None, "numbers": job.numbers, "sheet": True})


def _finish(db: Database, job_id: int, status: JobStatus, error: KioskError | None, actor: str) -> JobView:
    with db.write() as session:
        job = _job(session, job_id)
        job.status = status.value
        job.last_error = str(error) if error else None
        job.last_error_ja = error.ja if error else None
        if status == JobStatus.SENT:
            job.sent_at = now()
        record_event(session, job.library_id, actor,
                     "print_unconfirmed" if status == JobStatus.SENDING else f"print_{status}",
                     details={"job": job_id, "printer": job.printer, "numbers": job.numbers,
                              "error": job.last_error})
        return _view(job)


def _job(session, job_id: int) -> PrintJob:
    """The job, its row locked until the transaction ends: every change of a job's status
    checks the status it reads, so two taps (two kiosks) never both send or both mark it."""
    job = session.scalar(select(PrintJob).where(PrintJob.id == job_id).with_for_update()
                         .execution_options(populate_existing=True))
    if job is None:
        raise NotFound(f"no print job {job_id}", f"印刷ジョブ {job_id} がありません")
    return job


def _view(job: PrintJob) -> JobView:
    return JobView(job.id, list(job.numbers), LabelKind(job.kind), job.printer, JobStatus(job.status), job.attempts,
                   job.last_error, job.last_error_ja)
