"""NdlSruSource and OpenBdSource against a real HTTP server on 127.0.0.1, one test per
fault: each fault gives a clear status (LookupFailed) or None, never a wrong record."""

import time

import pytest

from kiosk.lookup.faults import LookupFailed
from kiosk.lookup.sources import (DEFAULT_NDL_SRU_URL, LookupSettings, NdlSruSource,
                                  OpenBdSource, build_remote_sources)

from tests.lookup.conftest import NDL_PATH, OPENBD_PATH
from tests.lookup.fake_service import Reply, fixture

HARAPEKO = "9784033280103"
NDL_XML = fixture("ndl/sru-dcndl-xml-9784033280103.xml")
OPENBD_JSON = fixture("openbd/get-9784033280103.json")
JSON_TYPE = "application/json; charset=utf-8"


def fault(source, isbn13=HARAPEKO) -> LookupFailed:
    with pytest.raises(LookupFailed) as error:
        source.lookup(isbn13)
    return error.value


def test_ndl_lookup_sends_an_sru_dcndl_isbn_query(service, settings):
    service.script(NDL_PATH, Reply(NDL_XML))
    record = NdlSruSource(settings=settings).lookup(HARAPEKO)
    assert record.title == "はらぺこあおむし" and record.source == "ndl"
    query = service.requests[0].query
    assert query["operation"] == ["searchRetrieve"] and query["recordSchema"] == ["dcndl"]
    assert query["query"] == [f'isbn="{HARAPEKO}"'] and query["onlyBib"] == ["true"]


def test_string_packed_response_over_http(service, settings):
    service.script(NDL_PATH, Reply(fixture("ndl/sru-string-two-records-9784999990023.xml")))
    record = NdlSruSource(settings=settings).lookup("9784999990023")
    assert record.ndl_bib_id == "000000000023"


def test_openbd_lookup_and_base_url_forms(service, settings):
    service.script(OPENBD_PATH, Reply(OPENBD_JSON, content_type=JSON_TYPE))
    for base in (service.base, service.base + "/v1", service.base + "/v1/get/"):
        record = OpenBdSource(base, settings=settings).lookup(HARAPEKO)
        assert record.c_code == "8797"
    assert all(seen.query == {"isbn": [HARAPEKO]} for seen in service.requests)


def test_base_urls_come_from_the_environment(service):
    env = {"KIOSK_NDL_SRU_URL": service.base + NDL_PATH, "KIOSK_OPENBD_URL": service.base,
           "KIOSK_LOOKUP_TIMEOUT": "2"}
    settings = LookupSettings.from_env(env)
    assert settings.limits.total_timeout == 2.0
    ndl, openbd = build_remote_sources(settings)
    assert ndl.base_url == service.base + NDL_PATH
    assert openbd.base_url == service.base + OPENBD_PATH
    assert LookupSettings.from_env({}).ndl_sru_url == DEFAULT_NDL_SRU_URL


def test_unknown_isbn_is_none(service, settings):
    service.script(NDL_PATH, Reply(fixture("ndl/sru-empty.xml")))
    service.script(OPENBD_PATH, Reply(b"[null]", content_type=JSON_TYPE))
    assert NdlSruSource(settings=settings).lookup(HARAPEKO) is None
    assert OpenBdSource(settings=settings).lookup(HARAPEKO) is None


def test_a_server_that_hangs_is_cut_off_at_the_limit(service, settings):
    service.script(NDL_PATH, Reply(NDL_XML, delay=10))
    started = time.monotonic()
    error = fault(NdlSruSource(settings=settings))
    elapsed = time.monotonic() - started
    assert error.status == "timeout"
    assert elapsed < settings.limits.total_timeout + 0.3


def test_a_server_that_trickles_bytes_is_cut_off_at_the_limit(service, settings):
    service.script(NDL_PATH, Reply(NDL_XML, trickle=0.2))
    started = time.monotonic()
    assert fault(NdlSruSource(settings=settings)).status == "timeout"
    assert time.monotonic() - started < settings.limits.total_timeout + 0.3


def test_503_then_200_is_retried(service, settings):
    service.script(NDL_PATH, Reply(b"busy", 503, "text/plain"), Reply(NDL_XML))
    assert NdlSruSource(settings=settings).lookup(HARAPEKO).title == "はらぺこあおむし"
    assert service.count(NDL_PATH) == 2


def test_a_timeout_then_an_answer_is_retried(service, settings):
    service.script(NDL_PATH, Reply(NDL_XML, delay=0.8), Reply(NDL_XML))
    assert NdlSruSource(settings=settings).lookup(HARAPEKO) is not None
    assert service.count(NDL_PATH) == 2


def test_persistent_503_fails_after_the_retries(service, settings):
    service.script(NDL_PATH, Reply(b"busy", 503, "text/plain"))
    error = fault(NdlSruSource(settings=settings))
    assert error.status == "http_error" and "503" in str(error)
    assert service.count(NDL_PATH) == 1 + settings.limits.retries


def test_404_is_not_retried(service, settings):
    service.script(OPENBD_PATH, Reply(b"no", 404, "text/plain"))
    assert fault(OpenBdSource(settings=settings)).status == "http_error"
    assert service.count(OPENBD_PATH) == 1


def test_html_page_with_status_200(service, settings):
    service.script(NDL_PATH, Reply(fixture("ndl/html-error-page.html"),
                                   content_type="text/html; charset=utf-8"))
    error = fault(NdlSruSource(settings=settings))
    assert error.status == "html_page" and "フィルタ" in error.ja


def test_html_page_sent_as_xml(service, settings):
    service.script(OPENBD_PATH, Reply(fixture("ndl/html-error-page.html"),
                                      content_type="application/json"))
    assert fault(OpenBdSource(settings=settings)).status == "html_page"


def test_truncated_body(service, settings):
    service.script(NDL_PATH, Reply(NDL_XML, truncate_to=len(NDL_XML) // 2))
    assert fault(NdlSruSource(settings=settings)).status == "truncated"


def test_shift_jis_declared_but_utf8_body(service, settings):
    service.script(NDL_PATH, Reply(NDL_XML, content_type="application/xml; charset=Shift_JIS"))
    error = fault(NdlSruSource(settings=settings))
    assert error.status == "encoding" and "UTF-8" in str(error)


def test_utf8_declared_but_shift_jis_body(service, settings):
    body = OPENBD_JSON.decode("utf-8").encode("cp932")
    service.script(OPENBD_PATH, Reply(body, content_type=JSON_TYPE))
    assert fault(OpenBdSource(settings=settings)).status == "encoding"


def test_shift_jis_declared_and_sent_is_read_correctly(service, settings):
    text = NDL_XML.decode("utf-8").replace('encoding="UTF-8"', 'encoding="Shift_JIS"')
    service.script(NDL_PATH, Reply(text.encode("shift_jis"), content_type="application/xml"))
    record = NdlSruSource(settings=settings).lookup(HARAPEKO)
    assert record.title == "はらぺこあおむし" and record.publisher == "偕成社"


def test_malformed_xml_and_json(service, settings):
    service.script(NDL_PATH, Reply(b"<searchRetrieveResponse><oops></searchRetrieveResponse>"))
    service.script(OPENBD_PATH, Reply(b'[{"summary": }]', content_type=JSON_TYPE))
    assert fault(NdlSruSource(settings=settings)).status == "malformed"
    assert fault(OpenBdSource(settings=settings)).status == "malformed"


def test_empty_body(service, settings):
    service.script(OPENBD_PATH, Reply(b"", content_type=JSON_TYPE))
    assert fault(OpenBdSource(settings=settings)).status == "malformed"


def test_record_with_missing_fields(service, settings):
    service.script(NDL_PATH, Reply(fixture("ndl/sru-xml-no-title-9784999990078.xml")))
    assert fault(NdlSruSource(settings=settings), "9784999990078").status == "incomplete"


def test_an_answer_for_another_isbn(service, settings):
    service.script(OPENBD_PATH, Reply(fixture("openbd/get-other-isbn.json"),
                                      content_type=JSON_TYPE))
    assert fault(OpenBdSource(settings=settings)).status == "mismatch"


def test_a_huge_body_is_refused(service, settings):
    from dataclasses import replace
    small = replace(settings, limits=replace(settings.limits, max_body=1000))
    service.script(NDL_PATH, Reply(NDL_XML))
    assert fault(NdlSruSource(settings=small)).status == "too_large"


def test_nothing_listening_is_unreachable_and_quick(settings):
    import socket
    with socket.socket() as probe:  # a port that was free a moment ago
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    started = time.monotonic()
    error = fault(NdlSruSource(f"http://127.0.0.1:{port}/api/sru", settings=settings))
    assert error.status == "unreachable" and time.monotonic() - started < 1.2


def test_polite_interval_between_requests(service, settings):
    from dataclasses import replace
    polite = replace(settings, openbd_min_interval=0.3)
    service.script(OPENBD_PATH, Reply(OPENBD_JSON, content_type=JSON_TYPE))
    source = OpenBdSource(settings=polite)
    source.lookup(HARAPEKO)
    source.lookup(HARAPEKO)
    first, second = service.requests
    assert second.at - first.at >= 0.28


def test_the_circuit_opens_after_repeated_failures(service, settings):
    service.script(NDL_PATH, Reply(b"down", 500, "text/plain"))
    from dataclasses import replace
    no_retry = replace(settings, limits=replace(settings.limits, retries=0))
    source = NdlSruSource(settings=no_retry)
    for _ in range(no_retry.failure_threshold):
        assert fault(source).status == "http_error"
    asked = service.count(NDL_PATH)
    started = time.monotonic()
    error = fault(source)
    assert error.status == "circuit_open" and "しばらく" in error.ja
    assert service.count(NDL_PATH) == asked and time.monotonic() - started < 0.05


def test_not_found_and_bad_records_do_not_open_the_circuit(service, settings):
    service.script(OPENBD_PATH, Reply(fixture("openbd/get-other-isbn.json"),
                                      content_type=JSON_TYPE))
    source = OpenBdSource(settings=settings)
    for _ in range(settings.failure_threshold + 1):
        assert fault(source).status == "mismatch"
    assert source.breaker.state == "closed"


def test_after_the_cooldown_a_trial_request_goes_out_and_closes_the_circuit(service, settings):
    from dataclasses import replace

    from tests.lookup.test_resilience import FakeClock
    clock = FakeClock()
    down = Reply(b"down", 500, "text/plain")
    service.script(NDL_PATH, down, down, down, Reply(NDL_XML))
    source = NdlSruSource(settings=replace(settings, limits=replace(settings.limits, retries=0)),
                          clock=clock)
    for _ in range(3):
        fault(source)
    assert fault(source).status == "circuit_open" and service.count(NDL_PATH) == 3
    clock.now += settings.cooldown
    assert source.lookup(HARAPEKO).title == "はらぺこあおむし"
    assert source.breaker.state == "closed" and service.count(NDL_PATH) == 4


def test_a_burst_queues_for_polite_slots_instead_of_timing_out(service, settings):
    import threading
    from dataclasses import replace
    polite = replace(settings, ndl_min_interval=0.4)  # 4 lookups need 1.2 s > the 1 s limit
    service.script(NDL_PATH, Reply(NDL_XML))
    source = NdlSruSource(settings=polite)
    results = []
    threads = [threading.Thread(target=lambda: results.append(source.lookup(HARAPEKO)))
               for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(5)
    assert len(results) == 4 and all(r.title == "はらぺこあおむし" for r in results)
    assert source.breaker.state == "closed"
