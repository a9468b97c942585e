"""openBD /v1/get responses: summary and ONIX, [null] for unknown, nothing wrong kept."""

import pytest

from kiosk.lookup.faults import LookupFailed
from kiosk.lookup.openbd import parse_openbd_response

from tests.lookup.fake_service import fixture

HARAPEKO = "9784033280103"


def failure(body, isbn13=HARAPEKO) -> LookupFailed:
    with pytest.raises(LookupFailed) as error:
        parse_openbd_response(body, isbn13)
    return error.value


def test_the_shared_fixture():
    record = parse_openbd_response(fixture("openbd/get-9784033280103.json"), HARAPEKO)
    assert record.source == "openbd" and record.title == "はらぺこあおむし"
    assert record.title_reading == "ハラペコアオムシ"
    assert [(c.name, c.reading, c.role) for c in record.creators] == [
        ("エリック・カール", "カール,エリック", "作"), ("もりひさし", "モリ,ヒサシ", "訳")]
    assert (record.price, record.c_code, record.year, record.publisher) == (1200, "8797", 1976, "偕成社")


def test_unknown_isbn_is_not_found():
    assert parse_openbd_response(fixture("openbd/get-unknown.json"), HARAPEKO) is None


def test_subtitle_series_roles_and_the_price_without_tax():
    record = parse_openbd_response(fixture("openbd/get-subtitle-series-9784999990016.json"),
                                   "9784999990016")
    assert record.title == "しらないまちのちず : まいごのねこをさがして"
    assert record.series == "しらないまち文庫 ; 12" and record.volume == "上"
    assert record.price == 1300  # type 03; the tax-included 04 (1430) is never used
    assert [(c.name, c.role) for c in record.creators] == [
        ("山田 花子", "作"), ("川本 太郎", "絵"), ("森 次郎", "監修")]
    assert (record.extent, record.c_code, record.year) == ("95p", "8093", 2019)


def test_summary_only():
    record = parse_openbd_response(fixture("openbd/get-summary-only-9784999990023.json"),
                                   "9784999990023")
    assert [(c.name, c.reading, c.role) for c in record.creators] == [
        ("ジェーン・ドウ", None, "文"), ("さとう いちろう", "サトウ イチロウ", "訳")]
    assert record.year == 2021 and "価格" in record.note


def test_tax_included_price_alone_is_not_used():
    record = parse_openbd_response(fixture("openbd/get-tax-included-only-9784999990047.json"),
                                   "9784999990047")
    assert record.price is None and "税抜" in record.note


def test_answer_for_another_isbn_is_a_mismatch():
    assert failure(fixture("openbd/get-other-isbn.json")).status == "mismatch"


def test_record_without_title_is_incomplete():
    error = failure(fixture("openbd/get-no-title-9784999990078.json"), "9784999990078")
    assert error.status == "incomplete"


@pytest.mark.parametrize("body, status", [
    (b'[{"summary": {"isbn": "9784033280103", "tit', "truncated"),
    (b"{not json}", "malformed"),
    (b'{"isbn": "9784033280103"}', "malformed"),
    (b"[]", "malformed"),
    (b"[null, null]", "malformed"),
    (b'["9784033280103"]', "malformed"),
])
def test_broken_json(body, status):
    assert failure(body).status == status


def test_html_instead_of_json():
    assert failure(fixture("ndl/html-error-page.html")).status == "html_page"
