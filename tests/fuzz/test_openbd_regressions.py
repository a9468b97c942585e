"""openBD bodies the fuzz tests found raising AttributeError: bytes json.loads cannot decode
(cut inside a UTF-8 character, or guessed as UTF-16/32) reached _looks_cut, which reads a
JSONDecodeError's ``pos``. Each is now the kiosk's LookupFailed with a Japanese message."""

from pathlib import Path

import pytest

from kiosk.lookup.faults import LookupFailed
from kiosk.lookup.openbd import parse_openbd_response

from tests.fuzz.conftest import assert_kiosk_error

BODY = (Path(__file__).parent.parent / "lookup" / "fixtures" / "openbd" / "get-9784033280103.json").read_bytes()
CUT_IN_A_CHARACTER = BODY[:BODY.index("はらぺこ".encode()) + 1]


@pytest.mark.parametrize("body, status", [
    (CUT_IN_A_CHARACTER, "truncated"),
    (b"[\x00\x00\x00\xff\xff\xff\xff]", "encoding"),  # json guesses UTF-32: a code point out of range
])
def test_bytes_json_cannot_decode_are_a_lookup_failure(body, status):
    with pytest.raises(LookupFailed) as failed:
        parse_openbd_response(body, "9784033280103")
    assert failed.value.status == status
    assert_kiosk_error(failed.value)


def _onix(**changes) -> bytes:
    import json

    document = json.loads(BODY)
    document[0]["onix"].update(changes)
    return json.dumps(document).encode()


@pytest.mark.parametrize("body", [
    _onix(PublishingDetail=1), _onix(DescriptiveDetail="x"), _onix(PublishingDetail=[{"Imprint": {}}]),
], ids=["PublishingDetail-a-number", "DescriptiveDetail-a-string", "PublishingDetail-a-list"])
def test_an_onix_object_sent_as_another_kind_is_read_without_it(body):
    # Found by tests/fuzz: AttributeError ('int' object has no attribute 'get').
    record = parse_openbd_response(body, "9784033280103")
    assert record.title == "はらぺこあおむし"


@pytest.mark.parametrize("amount", ["9" * 400, "1" * 5000])
def test_a_price_too_long_to_be_a_number_is_no_price(amount):
    # Found by tests/fuzz: int(float("9" * 400)) is an OverflowError.
    body = _onix(ProductSupply={"SupplyDetail": {"Price": [{"PriceType": "03", "PriceAmount": amount}]}})
    assert parse_openbd_response(body, "9784033280103").price is None


def test_a_sequence_number_int_cannot_read_is_no_order():
    # Found by tests/fuzz: "²" is a digit to str.isdigit() but not to int().
    body = _onix(Contributor=[{"SequenceNumber": "²", "ContributorRole": ["A01"], "PersonName": {"content": "エリック・カール"}}])
    assert "エリック・カール" in [c.name for c in parse_openbd_response(body, "9784033280103").creators]
