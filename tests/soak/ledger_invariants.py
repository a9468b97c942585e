"""The ledger's invariants after many kiosks worked on it at once (tests/soak/test_many_kiosks.py):
each check returns what is wrong in plain words, an empty list when nothing is."""

from collections import Counter

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kiosk.db.models import Copy, Event, Intake, IntakeItem, Library, PrintJob
from kiosk.ledger.lost_numbers import lost_numbers


def check_ledger(session: Session, library_id: int) -> list[str]:
    """What is wrong with the library's numbers, events, deliveries and print jobs (empty: nothing).
    Numbers run contiguously from the first (a recorded 欠番 is the only allowed hole), none
    twice; every copy has exactly one 'registered' event and no event registers a number twice;
    no copy is withdrawn twice; every intake item's number is a copy; a delivery registered at
    all has every inspected copy registered; every print job's numbers are copies."""
    problems = []
    library = session.get(Library, library_id)
    numbers = list(session.scalars(select(Copy.number).where(Copy.library_id == library_id)))
    counted = Counter(numbers)
    lost = {n for gap in lost_numbers(session, library_id) for n in gap.numbers()}
    problems += number_problems(numbers, library.first_number, library.next_number, lost)

    registered = Counter(session.scalars(select(Event.number).where(Event.library_id == library_id,
                                                                    Event.action == "registered")))
    wrong = sorted(n for n in set(counted) | set(registered) if registered.get(n, 0) != 1)
    if wrong:
        problems.append(f"numbers without exactly one 'registered' event: "
                        f"{[(n, registered.get(n, 0)) for n in wrong[:20]]}")
    withdrawn = Counter(session.scalars(select(Event.number).where(Event.library_id == library_id,
                                                                  Event.action == "withdrawn")))
    twice_withdrawn = sorted(n for n, c in withdrawn.items() if c > 1)
    if twice_withdrawn:
        problems.append(f"copies withdrawn twice: {twice_withdrawn[:20]}")
    status = dict(session.execute(select(Copy.number, Copy.status).where(Copy.library_id == library_id)).all())
    disagree = sorted(n for n, s in status.items() if (s == "withdrawn") != (withdrawn.get(n, 0) == 1))
    if disagree:
        problems.append(f"copies whose status and 'withdrawn' events disagree: {disagree[:20]}")

    items = session.execute(
        select(IntakeItem.intake_id, IntakeItem.copy_number, IntakeItem.inspection, IntakeItem.removed)
        .join(Intake, Intake.id == IntakeItem.intake_id).where(Intake.library_id == library_id)).all()
    item_numbers = Counter(item.copy_number for item in items if item.copy_number is not None)
    dangling = sorted(n for n in item_numbers if n not in counted)
    if dangling:
        problems.append(f"intake items whose number is no copy: {dangling[:20]}")
    shared = sorted(n for n, c in item_numbers.items() if c > 1)
    if shared:
        problems.append(f"one number on several intake items: {shared[:20]}")
    by_intake: dict[int, list] = {}
    for item in items:
        by_intake.setdefault(item.intake_id, []).append(item)
    half = sorted(intake for intake, its in by_intake.items()
                  if any(i.copy_number is not None for i in its)
                  and any(i.copy_number is None and i.inspection == "ok" and not i.removed for i in its))
    if half:
        problems.append(f"deliveries registered in part (an inspected copy left without a number): {half[:20]}")

    for job_id, job_numbers in session.execute(select(PrintJob.id, PrintJob.numbers)
                                               .where(PrintJob.library_id == library_id)):
        unknown = [n for n in job_numbers if n not in counted]
        if unknown:
            problems.append(f"print job {job_id} names numbers that are no copy: {unknown[:20]}")
    return problems


def number_problems(numbers: list[int], first: int, next_number: int, lost: set[int]) -> list[str]:
    """The registration numbers given (``numbers``, as the copies have them) against the counter:
    each of first..next_number-1 given once or recorded as 欠番, none twice, none outside."""
    problems = []
    counted = Counter(numbers)
    twice = sorted(n for n, c in counted.items() if c > 1)
    if twice:
        problems.append(f"numbers given twice: {twice[:20]}")
    expected = set(range(first, next_number))
    missing = sorted(expected - set(counted) - lost)
    if missing:
        problems.append(f"numbers skipped (no copy, no 欠番): {missing[:20]}")
    beyond = sorted(set(counted) - expected)
    if beyond:
        problems.append(f"numbers outside {first}..{next_number - 1}: {beyond[:20]}")
    given_and_lost = sorted(set(counted) & lost)
    if given_and_lost:
        problems.append(f"numbers both given and recorded as 欠番: {given_and_lost[:20]}")
    return problems


def label_job_problems(jobs: list[tuple[int, ...]], answered_ok: Counter, unknown: Counter) -> list[str]:
    """Each label request a client saw done is one print job, exactly: as many jobs for those
    numbers as requests answered ok, plus at most those whose answer was lost or a fault."""
    made = Counter(jobs)
    problems = []
    for numbers in sorted(set(made) | set(answered_ok)):
        low, high = answered_ok[numbers], answered_ok[numbers] + unknown[numbers]
        if not low <= made[numbers] <= high:
            problems.append(f"labels for {list(numbers)}: {made[numbers]} print jobs, {low} requests done"
                            f" and {unknown[numbers]} unknown")
    return problems[:20]


def ledger_counts(session: Session, library_id: int) -> dict[str, int]:
    def count(model, *where) -> int:
        return session.scalar(select(func.count()).select_from(model).where(*where))

    return {"copies": count(Copy, Copy.library_id == library_id),
            "withdrawn": count(Copy, Copy.library_id == library_id, Copy.status == "withdrawn"),
            "deliveries": count(Intake, Intake.library_id == library_id),
            "print_jobs": count(PrintJob, PrintJob.library_id == library_id)}
