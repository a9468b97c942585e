"""LookupChain (cache first, sources in order, only good remote records cached) and
BackgroundLookup (scans never wait on the network)."""

import threading
import time

import pytest

from kiosk.codes.isbn import InvalidISBN
from kiosk.lookup.chain import BackgroundLookup, LookupChain, MemoryCache
from kiosk.lookup.faults import LookupFailed
from kiosk.lookup.record import BibRecord
from kiosk.lookup.sources import NdlSruSource, OpenBdSource

from tests.lookup.conftest import NDL_PATH, OPENBD_PATH
from tests.lookup.fake_service import Reply, fixture

HARAPEKO = "9784033280103"


def book(isbn13=HARAPEKO, source="ndl", title="はらぺこあおむし") -> BibRecord:
    return BibRecord(isbn13=isbn13, title=title, source=source)


class Scripted:
    """A source that answers from a script: a record, None, or an exception to raise."""

    def __init__(self, name, answer, remote=True):
        self.name, self.answer, self.remote, self.calls = name, answer, remote, 0

    def lookup(self, isbn13):
        self.calls += 1
        if isinstance(self.answer, Exception):
            raise self.answer
        return self.answer


class NeverAnswers:
    name, remote = "ndl", True

    def __init__(self):
        self.gate = threading.Event()

    def lookup(self, isbn13):
        self.gate.wait()
        return None


def test_first_record_wins_and_the_others_are_not_asked():
    ndl = Scripted("ndl", book())
    openbd = Scripted("openbd", book(source="openbd"))
    result = LookupChain([ndl, openbd]).lookup("4-03-328010-3")
    assert result.source == "ndl" and result.isbn13 == HARAPEKO
    assert [(s.source, s.status) for s in result.statuses] == [("ndl", "found"), ("openbd", "not_tried")]
    assert openbd.calls == 0


def test_faults_and_not_found_fall_through_to_the_next_source():
    ndl = Scripted("ndl", LookupFailed("ndl", "timeout", HARAPEKO))
    openbd = Scripted("openbd", book(source="openbd"))
    result = LookupChain([ndl, openbd]).lookup(HARAPEKO)
    assert result.source == "openbd"
    assert result.statuses[0].status == "failed" and result.statuses[0].fault == "timeout"
    assert "スキャンは記録済み" in result.statuses[0].ja


def test_remote_records_are_cached_and_served_from_the_cache():
    cache = MemoryCache()
    ndl = Scripted("ndl", book())
    chain = LookupChain([ndl], cache)
    assert chain.lookup(HARAPEKO).source == "ndl"
    again = chain.lookup(HARAPEKO)
    assert again.source == "cache" and again.record.source == "ndl" and ndl.calls == 1
    data = again.to_json()
    assert data["source"] == "cache" and data["origin"] == "ndl" and data["title"] == "はらぺこあおむし"


def test_failures_not_found_and_wrong_records_are_never_cached():
    cache = MemoryCache()
    sources = [Scripted("ndl", LookupFailed("ndl", "malformed", HARAPEKO)),
               Scripted("openbd", book("9784999990016", source="openbd")),
               Scripted("other", None)]
    result = LookupChain(sources, cache).lookup(HARAPEKO)
    assert result.record is None and len(cache) == 0
    assert [s.status for s in result.statuses] == ["not_found", "failed", "failed", "not_found"]
    assert result.statuses[2].fault == "mismatch"
    assert result.to_json()["record"] is None


def test_local_sources_are_not_cached():
    cache = MemoryCache()
    LookupChain([Scripted("sample", book(source="sample"), remote=False)], cache).lookup(HARAPEKO)
    assert len(cache) == 0


def test_offline_skips_remote_sources():
    ndl = Scripted("ndl", book())
    sample = Scripted("sample", book(source="sample"), remote=False)
    result = LookupChain([ndl, sample]).lookup(HARAPEKO, offline=True)
    assert result.source == "sample" and ndl.calls == 0
    assert result.statuses[0].status == "skipped" and result.statuses[0].detail == "offline"


def test_a_broken_source_or_cache_does_not_stop_the_lookup():
    class BrokenCache(MemoryCache):
        def get(self, isbn13):
            raise RuntimeError("disk")

    chain = LookupChain([Scripted("ndl", ValueError("bug")), Scripted("openbd", book())],
                        BrokenCache())
    result = chain.lookup(HARAPEKO)
    assert result.found and [s.status for s in result.statuses] == ["failed", "failed", "found"]


def test_invalid_isbn_is_refused_before_any_source():
    ndl = Scripted("ndl", book())
    with pytest.raises(InvalidISBN):
        LookupChain([ndl]).lookup("9784033280104")
    assert ndl.calls == 0


def test_chain_over_http_ndl_down_openbd_answers(service, settings):
    service.script(NDL_PATH, Reply(b"down", 503, "text/plain"))
    service.script(OPENBD_PATH, Reply(fixture("openbd/get-9784033280103.json"),
                                      content_type="application/json"))
    cache = MemoryCache()
    chain = LookupChain([NdlSruSource(settings=settings), OpenBdSource(settings=settings)], cache)
    result = chain.lookup(HARAPEKO)
    assert result.source == "openbd" and cache.get(HARAPEKO).source == "openbd"
    assert result.statuses[1].fault == "http_error"


def test_submit_returns_at_once_when_the_source_never_answers():
    source = NeverAnswers()
    background = BackgroundLookup(LookupChain([source]), workers=2)
    try:
        started = time.perf_counter()
        for n in range(100):
            background.submit(HARAPEKO if n == 0 else "9784999990016", lambda result: None)
        assert time.perf_counter() - started < 0.05
        assert background.pending() == 2
    finally:
        source.gate.set()
        background.shutdown(wait=True, timeout=2)


def test_callbacks_get_the_result_and_duplicates_share_one_lookup():
    gate = threading.Event()
    ndl = Scripted("ndl", book())
    original = ndl.lookup
    ndl.lookup = lambda isbn13: (gate.wait(2), original(isbn13))[1]
    background = BackgroundLookup(LookupChain([ndl]))
    results, done = [], threading.Event()

    def collect(result):
        results.append(result)
        if len(results) == 2:
            done.set()

    assert background.submit(HARAPEKO, collect) is True
    assert background.submit("4033280103", collect) is False
    gate.set()
    assert done.wait(2)
    background.shutdown(wait=True, timeout=2)
    assert ndl.calls == 1 and all(r.record.title == "はらぺこあおむし" for r in results)


def test_a_failing_callback_does_not_kill_the_worker():
    background = BackgroundLookup(LookupChain([Scripted("ndl", book())]), workers=1)
    done = threading.Event()
    background.submit(HARAPEKO, lambda result: 1 / 0)
    time.sleep(0.05)
    background.submit(HARAPEKO, lambda result: done.set())
    assert done.wait(2)
    background.shutdown(wait=True, timeout=2)


def test_submit_refuses_a_bad_isbn_synchronously():
    background = BackgroundLookup(LookupChain([]))
    with pytest.raises(InvalidISBN):
        background.submit("12345", lambda result: None)
    background.shutdown()
