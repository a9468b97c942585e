"""Scans into an intake without waiting on the network.

A scan is written at once, with the record if a local source (the cache, the sample
catalogue) knows the book; otherwise the remote lookup runs in the background and the record
fills in when it arrives. A dead network never slows a scan.

What became of each background lookup is kept for the life of the process (LookupOutcomes),
so the scan screen can say it: still looking, taking long (type the title, or wait: a late
answer still fills the row in), or given up: not found, the sources did not answer, offline.
"""

import logging
import threading
import time
import weakref
from collections import OrderedDict
from dataclasses import dataclass
from typing import Callable, Iterable

from kiosk.intake.delivery import add_scan, fill_record
from kiosk.lookup import BackgroundLookup, LookupChain, LookupResult
from kiosk.db.storage import Database

log = logging.getLogger(__name__)

LOOKING, FOUND, NOT_FOUND, FAILED, OFFLINE = "looking", "found", "not_found", "failed", "offline"
SLOW = "slow"  # still looking after ``slow_after`` seconds: the screen offers the typed form


@dataclass(frozen=True)
class LookupOutcome:
    state: str  # looking / found / not_found / failed / offline
    at: float  # time.monotonic() when the lookup was queued (looking) or ended


def outcome_of(result: LookupResult, remote_sources: set[str]) -> str:
    """found; not_found when a remote source answered that it does not know the ISBN;
    offline when every remote source was skipped for being offline; otherwise failed (every
    remote source timed out, failed or is resting behind its circuit breaker)."""
    if result.record is not None:
        return FOUND
    remote = [s for s in result.statuses if s.source in remote_sources]
    if any(s.status == "not_found" for s in remote):
        return NOT_FOUND
    if remote and all(s.status == "skipped" and s.fault is None for s in remote):
        return OFFLINE
    return FAILED if remote else NOT_FOUND


class LookupOutcomes:
    """Item id → LookupOutcome, for the life of the process (the newest ``keep``)."""

    def __init__(self, keep: int = 50_000):
        self.keep = keep
        self._outcomes: OrderedDict[int, LookupOutcome] = OrderedDict()
        self._lock = threading.Lock()

    def set(self, item_id: int, state: str) -> None:
        with self._lock:
            self._outcomes[item_id] = LookupOutcome(state, time.monotonic())
            self._outcomes.move_to_end(item_id)
            while len(self._outcomes) > self.keep:
                self._outcomes.popitem(last=False)

    def get(self, item_id: int) -> LookupOutcome | None:
        with self._lock:
            return self._outcomes.get(item_id)


_per_database: "weakref.WeakKeyDictionary[Database, LookupOutcomes]" = weakref.WeakKeyDictionary()
_per_database_lock = threading.Lock()


def outcomes_for(db: Database) -> LookupOutcomes:
    """The process's outcomes for this database: shared by every IntakeScanner built on it, so
    they outlive a scanner rebuilt when the lookup settings change."""
    with _per_database_lock:
        if db not in _per_database:
            _per_database[db] = LookupOutcomes()
        return _per_database[db]


class IntakeScanner:
    slow_after = 8.0  # seconds of looking before the screen says it takes long

    def __init__(self, db: Database, chain: LookupChain, background: BackgroundLookup,
                 on_record: Callable[[int, LookupResult], None] | None = None,
                 outcomes: LookupOutcomes | None = None):
        self.db = db
        self.chain = chain
        self.background = background
        self.on_record = on_record  # e.g. push the record to the open page
        self.outcomes = outcomes if outcomes is not None else outcomes_for(db)

    def scan(self, intake_id: int, isbn13: str, *, list_price: int | None = None, c_code: str | None = None) -> int:
        """Record one scanned copy; returns the item id. Only local sources are asked here."""
        local = self.chain.lookup(isbn13, offline=True)
        item_id = add_scan(self.db, intake_id, isbn13, record=local.record, list_price=list_price, c_code=c_code)
        if local.record is not None:
            return item_id
        if self.background.offline:  # the background would ask the same local sources again
            self.outcomes.set(item_id, outcome_of(local, self._remote_names()))
            if self.on_record is not None:
                self.on_record(item_id, local)
            return item_id
        self.outcomes.set(item_id, LOOKING)  # before submit: the answer may come at once
        self.background.submit(isbn13, lambda result: self._arrived(item_id, result))
        return item_id

    def lookup_state(self, item_id: int) -> str | None:
        """looking, slow, found, not_found, failed, offline; None when this process did not
        look the copy up (it had a record at the scan, or was scanned before a restart)."""
        outcome = self.outcomes.get(item_id)
        if outcome is None:
            return None
        if outcome.state == LOOKING and time.monotonic() - outcome.at >= self.slow_after:
            return SLOW
        return outcome.state

    def lookup_states(self, item_ids: Iterable[int]) -> dict[int, str | None]:
        return {item_id: self.lookup_state(item_id) for item_id in item_ids}

    def _arrived(self, item_id: int, result: LookupResult) -> None:
        state = outcome_of(result, self._remote_names())
        if result.record is not None:
            try:
                fill_record(self.db, item_id, result.record)
            except Exception:  # the scan is kept whatever happens to its lookup
                log.exception("could not store the record for item %s", item_id)
                state = FAILED
        self.outcomes.set(item_id, state)
        if state != FOUND:
            log.info("lookup for item %s ended %s: %s", item_id, state,
                     "; ".join(f"{s.source} {s.status}" for s in result.statuses))
        if self.on_record is not None:
            self.on_record(item_id, result)

    def _remote_names(self) -> set[str]:
        return {source.name for source in self.chain.sources if getattr(source, "remote", False)}
