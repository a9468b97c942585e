"""Spine labels that wait for a call number (請求記号待ち).

A spine label is the one thing staff cannot undo once it is on the book, so it is never printed
blank or with a tier missing. A copy whose 分類記号 or 図書記号 is empty gets a job of its own in
the print queue, a spine label with the status ``waiting``; its barcode label prints with the
others (the label renderer leaves the spine out: printer/copy_labels.py). When the copy's call
number is set (kiosk.ledger.call_numbers), in the same transaction, its waiting job becomes an
ordinary queued one: kept for the next sheet, or for the printer the caller names.

Queries and writes here run in the caller's transaction (registration, enqueue, set).
"""

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from kiosk.db.models import Copy, PrintJob
from kiosk.db.storage import Database
from kiosk.events import now
from kiosk.printing.job_states import JobStatus, LabelKind


def incomplete_numbers(session: Session, library_id: int, numbers, *, lock: bool = False) -> list[int]:
    """Of ``numbers``, those whose call number lacks a tier (in the order given); with ``lock``,
    their rows locked (copies before print jobs, as every writer here takes them)."""
    wanted = set(numbers)
    if not wanted:
        return []
    query = select(Copy.number).where(
        Copy.library_id == library_id, Copy.number.in_(wanted),
        or_(Copy.classification.is_(None), Copy.classification == "",
            Copy.author_mark.is_(None), Copy.author_mark == ""))
    found = set(session.scalars(query.with_for_update() if lock else query))
    return [n for n in dict.fromkeys(numbers) if n in found]


def waiting_jobs(session: Session, library_id: int, *, lock: bool = False) -> list[PrintJob]:
    query = select(PrintJob).where(PrintJob.library_id == library_id,
                                   PrintJob.status == JobStatus.WAITING.value).order_by(PrintJob.id)
    if lock:
        query = query.with_for_update().execution_options(populate_existing=True)
    return list(session.scalars(query))


def hold_spines(session: Session, library_id: int, numbers, *, actor: str) -> list[int]:
    """A waiting spine-label job for each of ``numbers`` that lacks a tier and has none yet.
    Returns every number whose spine label waits."""
    held = incomplete_numbers(session, library_id, numbers, lock=True)
    already = {n for job in waiting_jobs(session, library_id) for n in job.numbers}
    for number in held:
        if number not in already:
            session.add(PrintJob(library_id=library_id, numbers=[number], kind=LabelKind.SPINE.value, printer=None,
                                 status=JobStatus.WAITING.value, attempts=0, created_at=now(), created_by=actor))
    session.flush()
    return held


def release_spines(session: Session, library_id: int, number: int, *, printer: str | None = None) -> list[int]:
    """The copy's call number is set: its waiting spine labels join the queue (for ``printer``,
    or None: the next sheet). Returns the jobs released."""
    released = []
    for job in waiting_jobs(session, library_id, lock=True):
        if number in job.numbers:
            job.status, job.printer = JobStatus.QUEUED.value, printer
            released.append(job.id)
    return released


def waiting_spine_numbers(db: Database, library_id: int, numbers=None) -> list[int]:
    """The copies (of ``numbers``, or all) whose spine label waits as 請求記号待ち, in number order:
    for the screens that say so (after 登録, the print queue)."""
    with db.read() as session:
        waiting = sorted({n for job in waiting_jobs(session, library_id) for n in job.numbers})
    return waiting if numbers is None else [n for n in waiting if n in set(numbers)]


def spines_left_out(db: Database, library_id: int, numbers) -> list[int]:
    """Of ``numbers``, the copies whose spine label a labels PDF leaves out (a tier of their call
    number is missing), in number order: for the command line to say so."""
    with db.read() as session:
        return sorted(set(incomplete_numbers(session, library_id, numbers)))
