"""BibRecord: sanitised on construction, JSON in the shape `kiosk lookup --json` prints."""

import json

import pytest

from kiosk.codes.isbn import InvalidISBN
from kiosk.lookup.record import BibRecord, Creator, InvalidRecord, clean_text


def make(**overrides) -> BibRecord:
    values = dict(isbn13="9784033280103", title="はらぺこあおむし", source="ndl")
    values.update(overrides)
    return BibRecord(**values)


def test_control_bidi_and_invisible_characters_are_removed():
    record = make(title="はらぺこ\x00あお\u202eむし\u200b", publisher="偕成社\r\n東京\t")
    assert record.title == "はらぺこあおむし"
    assert record.publisher == "偕成社 東京"


def test_text_is_kept_as_data_not_escaped():
    record = make(title='<script>alert("x")</script> &amp;')
    assert record.title == '<script>alert("x")</script> &amp;'
    assert json.loads(json.dumps(record.to_json()))["title"] == record.title


def test_long_text_is_capped():
    record = make(title="あ" * 5000, note="x" * 5000)
    assert len(record.title) == 500 and len(record.note) == 1000


def test_ideographic_space_kept_inside_half_width_kana_widened():
    assert clean_text("\u3000ＴＯＥＩＣ\u3000Ｌ＆Ｒ\u3000", 100) == "ＴＯＥＩＣ\u3000Ｌ＆Ｒ"
    assert clean_text("ﾊﾗﾍﾟｺ", 100) == "ハラペコ"


def test_a_record_needs_a_title_and_a_valid_isbn():
    with pytest.raises(InvalidRecord) as error:
        make(title=" \x00 ")
    assert "書名" in error.value.ja
    with pytest.raises(InvalidISBN):
        make(isbn13="9784033280104")


def test_isbn10_is_stored_as_isbn13_and_source_is_checked():
    assert make(isbn13="4-03-328010-3").isbn13 == "9784033280103"
    with pytest.raises(InvalidRecord):
        make(source="somewhere")


def test_numbers_and_codes_out_of_range_become_none():
    record = make(year=99999, price=-5, c_code="87X7", ndc9="<b>", ndc10="913.6", jp_number="1 2")
    assert (record.year, record.price, record.c_code, record.ndc9) == (None, None, None, None)
    assert record.ndc10 == "913.6" and record.jp_number is None


def test_json_has_the_issue_keys_and_round_trips():
    record = make(title_reading="ハラペコ アオムシ", year=1976, price=1200, ndc9="726.6",
                  creators=(Creator("エリック=カール", "カール, エリック", "作"),))
    data = record.to_json()
    for key in ("source", "title", "title_reading", "creators", "publisher", "year", "price",
                "ndc9", "ndc10"):
        assert key in data
    assert data["creators"] == [{"name": "エリック=カール", "reading": "カール, エリック", "role": "作"}]
    assert BibRecord.from_json(json.dumps(data, ensure_ascii=False)) == record


def test_from_json_ignores_unknown_keys_and_sanitises():
    record = BibRecord.from_json({"isbn13": "9784033280103", "title": "a\x07b", "source": "cache",
                                  "statuses": [], "creators": [{"name": ""}, "junk"]})
    assert record.title == "ab" and record.creators == () and record.source == "cache"


def test_creator_needs_a_name():
    with pytest.raises(InvalidRecord):
        Creator(name="\x00")


def test_missing_lists_what_a_librarian_wants():
    assert make().missing() == ["title_reading", "creators", "publisher", "year", "price", "ndc"]
    assert "ndc" not in make(ndc10="913.6").missing()


def _clean_text_char_by_char(value, limit):
    """clean_text as it was before its fast path: every character looked at (the reference)."""
    import re
    import unicodedata

    from kiosk.lookup.record import _BIDI, _HALFWIDTH_KANA, _INVISIBLE

    if value is None or isinstance(value, bool) or not isinstance(value, (str, int, float)):
        return None
    text = unicodedata.normalize("NFC", str(value))
    text = _HALFWIDTH_KANA.sub(lambda m: unicodedata.normalize("NFKC", m.group()), text)
    kept = []
    for ch in text:
        if ch in "\t\n\r\x0b\x0c\x85":
            kept.append(" ")
        elif ch in _INVISIBLE or ch in _BIDI or unicodedata.category(ch) in ("Cc", "Cs", "Co"):
            continue
        else:
            kept.append(ch)
    text = re.sub(r" {2,}", " ", "".join(kept)).strip(" \u3000")
    if not text:
        return None
    return text[:limit].rstrip() if len(text) > limit else text


_AWKWARD = "\t\n\r\x0b\x0c\x85\x00\x1f\x7f\x9f\u200b\u200e\u200f\u2028\u2029\u2060\ufeff\ufffe\u202a\u202e\u2066\u2069" \
           "\ud800\udfff\ue000\uf8ff\U000f0000\U0010fffd\uff61\uff8a\uff9f  \u3000ｶﾞ\u0301e\u0065\u0301が"


def test_clean_text_with_its_fast_path_cleans_exactly_as_character_by_character():
    from hypothesis import given, settings, strategies as st

    any_text = st.text(alphabet=st.one_of(st.characters(), st.sampled_from(_AWKWARD)), max_size=40)
    one_awkward_kind = st.sampled_from(_AWKWARD).flatmap(  # plain text with one kind of awkward character
        lambda odd: st.text(alphabet=st.sampled_from(("あ", "漱", "A", "1", " ", odd)), max_size=12))
    text = st.one_of(any_text, one_awkward_kind)

    @settings(max_examples=1500, database=None, derandomize=True)
    @given(st.one_of(text, text.map(lambda t: "夏目漱石 " + t + " 坊っちゃん")), st.integers(1, 60))
    def same(value, limit):
        assert clean_text(value, limit) == _clean_text_char_by_char(value, limit)

    same()
