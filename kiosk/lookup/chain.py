"""Looking an ISBN up: the cache first, then each source in order; and doing it off the
scan path, so recording a scan never waits on the network.

Only a remote source's valid record for exactly the ISBN asked is put into the cache:
never a failure, never "not found" (the book may be catalogued tomorrow), never a record
for another ISBN.
"""

import logging
import queue
import threading
from dataclasses import dataclass
from typing import Callable, Iterable, Protocol, runtime_checkable

from kiosk.codes.isbn import to_isbn13
from kiosk.lookup.faults import LookupFailed
from kiosk.lookup.record import BibRecord
from kiosk.lookup.sources import LookupSource

log = logging.getLogger(__name__)


@runtime_checkable
class Cache(Protocol):
    """The kiosk's store of records looked up or typed (the lead implements it on the
    database). ``get`` returns the stored record as stored, with its original ``source``."""

    def get(self, isbn13: str) -> BibRecord | None: ...

    def put(self, record: BibRecord) -> None: ...


class MemoryCache:
    """A dict-backed Cache, for tests and for a kiosk running without a database."""

    def __init__(self, records: Iterable[BibRecord] = ()):
        self._records = {r.isbn13: r for r in records}
        self._lock = threading.Lock()

    def get(self, isbn13: str) -> BibRecord | None:
        with self._lock:
            return self._records.get(isbn13)

    def put(self, record: BibRecord) -> None:
        with self._lock:
            self._records[record.isbn13] = record

    def __len__(self) -> int:
        return len(self._records)


@dataclass(frozen=True)
class SourceStatus:
    """What one source said: found, not_found, failed, skipped (offline / circuit open)
    or not_tried (an earlier source answered)."""

    source: str
    status: str
    detail: str | None = None
    ja: str | None = None
    fault: str | None = None  # LookupFailed.status when failed or skipped by the breaker

    def to_json(self) -> dict:
        return {"source": self.source, "status": self.status, "fault": self.fault,
                "detail": self.detail, "ja": self.ja}


@dataclass(frozen=True)
class LookupResult:
    """The answer for one ISBN: the record (or None), the source that gave it (``cache``
    when it came from the cache), and what every source said."""

    isbn13: str
    record: BibRecord | None
    source: str | None
    statuses: tuple[SourceStatus, ...]

    @property
    def found(self) -> bool:
        return self.record is not None

    def to_json(self) -> dict:
        """``kiosk lookup ISBN --json``: the record's keys, ``source`` as above, ``origin``
        (where the record first came from) and ``statuses``. Not found: ``record: null``."""
        statuses = [s.to_json() for s in self.statuses]
        if self.record is None:
            return {"isbn13": self.isbn13, "source": None, "record": None,
                    "statuses": statuses}
        return {**self.record.to_json(), "source": self.source,
                "origin": self.record.source, "statuses": statuses}


class LookupChain:
    """Tries the cache, then ``sources`` in order, and returns the first record."""

    def __init__(self, sources: Iterable[LookupSource], cache: Cache | None = None):
        self.sources = list(sources)
        self.cache = cache

    def lookup(self, isbn: str, offline: bool = False) -> LookupResult:
        """Look ``isbn`` (ISBN-10 or -13) up. ``offline`` uses only local sources.
        Raises InvalidISBN for a code that is not an ISBN; never raises for a source fault."""
        isbn13 = to_isbn13(isbn)
        statuses: list[SourceStatus] = []
        if self.cache is not None:
            cached = self._from_cache(isbn13, statuses)
            if cached is not None:
                return LookupResult(isbn13, cached, "cache", self._rest(statuses, 0))
        for index, source in enumerate(self.sources):
            if offline and source.remote:
                statuses.append(SourceStatus(source.name, "skipped", "offline",
                                             "オフラインのため問い合わせません"))
                continue
            record = self._ask(source, isbn13, statuses)
            if record is not None:
                if source.remote and self.cache is not None:
                    self._store(record)
                return LookupResult(isbn13, record, source.name,
                                    self._rest(statuses, index + 1))
        return LookupResult(isbn13, None, None, tuple(statuses))

    def _rest(self, statuses: list[SourceStatus], start: int) -> tuple[SourceStatus, ...]:
        return tuple(statuses) + tuple(
            SourceStatus(s.name, "not_tried") for s in self.sources[start:])

    def _from_cache(self, isbn13: str, statuses: list[SourceStatus]) -> BibRecord | None:
        try:
            record = self.cache.get(isbn13)
        except Exception as error:  # a broken cache must not stop the lookup
            log.exception("cache get failed for %s", isbn13)
            statuses.append(SourceStatus("cache", "failed", repr(error)[:200],
                                         "キャッシュを読めませんでした"))
            return None
        if record is not None and record.isbn13 == isbn13:
            statuses.append(SourceStatus("cache", "found"))
            return record
        statuses.append(SourceStatus("cache", "not_found"))
        return None

    def _ask(self, source: LookupSource, isbn13: str,
             statuses: list[SourceStatus]) -> BibRecord | None:
        try:
            record = source.lookup(isbn13)
        except LookupFailed as fault:
            status = "skipped" if fault.status == "circuit_open" else "failed"
            statuses.append(SourceStatus(source.name, status, str(fault), fault.ja, fault.status))
            return None
        except Exception as error:  # a buggy source is a failed source, not a crash
            log.exception("source %s raised for %s", source.name, isbn13)
            statuses.append(SourceStatus(source.name, "failed", repr(error)[:200],
                                         "検索中に予期しないエラーが起きました", "error"))
            return None
        if record is None:
            statuses.append(SourceStatus(source.name, "not_found"))
            return None
        if not isinstance(record, BibRecord) or record.isbn13 != isbn13:
            statuses.append(SourceStatus(source.name, "failed", "answered for another ISBN",
                                         "別のISBNの書誌が返されました", "mismatch"))
            return None
        statuses.append(SourceStatus(source.name, "found"))
        return record

    def _store(self, record: BibRecord) -> None:
        try:
            self.cache.put(record)
        except Exception:  # the record is still shown; it is just not kept
            log.exception("cache put failed for %s", record.isbn13)


class BackgroundLookup:
    """Runs lookups on worker threads: ``submit`` returns at once, the callback gets the
    LookupResult on a worker thread when it is ready. The same ISBN submitted again while
    its lookup runs joins that lookup instead of asking the services twice.

    Workers are daemon threads, so a service that never answers cannot keep the kiosk from
    exiting (each lookup ends at its time limit anyway)."""

    def __init__(self, chain: LookupChain, workers: int = 2, offline: bool = False):
        self.chain = chain
        self.offline = offline
        self._queue: queue.Queue = queue.Queue()
        self._waiting: dict[str, list[Callable[[LookupResult], None]]] = {}
        self._lock = threading.Lock()
        self._closed = False
        self._threads = [threading.Thread(target=self._work, name=f"lookup-worker-{i}",
                                          daemon=True) for i in range(max(1, workers))]
        for thread in self._threads:
            thread.start()

    def submit(self, isbn: str, callback: Callable[[LookupResult], None]) -> bool:
        """Queue a lookup; True if a new lookup was queued, False if it joined one.
        Raises InvalidISBN at once (no network) for a code that is not an ISBN."""
        isbn13 = to_isbn13(isbn)
        with self._lock:
            if self._closed:
                raise RuntimeError("BackgroundLookup is shut down")
            if isbn13 in self._waiting:
                self._waiting[isbn13].append(callback)
                return False
            self._waiting[isbn13] = [callback]
        self._queue.put(isbn13)
        return True

    def pending(self) -> int:
        """ISBNs queued or being looked up."""
        with self._lock:
            return len(self._waiting)

    def shutdown(self, wait: bool = False, timeout: float | None = None) -> None:
        with self._lock:
            self._closed = True
        for _ in self._threads:
            self._queue.put(None)
        if wait:
            for thread in self._threads:
                thread.join(timeout)

    def _work(self) -> None:
        while True:
            isbn13 = self._queue.get()
            if isbn13 is None:
                return
            try:
                result = self.chain.lookup(isbn13, offline=self.offline)
            except Exception as error:
                log.exception("lookup of %s failed", isbn13)
                result = LookupResult(isbn13, None, None, (
                    SourceStatus("chain", "failed", repr(error)[:200],
                                 "検索中に予期しないエラーが起きました", "error"),))
            with self._lock:
                callbacks = self._waiting.pop(isbn13, [])
            for callback in callbacks:
                try:
                    callback(result)
                except Exception:
                    log.exception("lookup callback failed for %s", isbn13)
