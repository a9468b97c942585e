"""The call number proposed tier by tier (kiosk.labels.proposal): each tier's source, and which
are estimated (推定) or missing (未定)."""

import pytest

from kiosk.errors import KioskError
from kiosk.labels.callnumber import CallNumberRules
from kiosk.labels.proposal import (CCode, CallNumberState, ConfirmedCallNumber, Source, propose_call_number,
                                   typed_call_number)
from kiosk.lookup.record import BibRecord, Creator

BOTCHAN_NDL = BibRecord(isbn13="9784003101018", title="坊っちゃん", source="ndl", ndc9="913.6",
                        creators=(Creator("夏目漱石", "ナツメ, ソウセキ", "著"),))
HAKUYAKO_OPENBD = BibRecord(isbn13="9784087474398", title="白夜行", source="openbd", c_code="0193",
                            creators=(Creator("東野圭吾", None, "著"),))


def test_a_record_from_the_ndl_is_settled_and_says_where_each_tier_came_from():
    proposal = propose_call_number(BOTCHAN_NDL)
    data = proposal.to_json()
    assert (data["top"], data["bottom"], data["volume"]) == ("913", "ナ", None)
    assert data["sources"] == {"top": Source.NDL, "bottom": Source.READING}
    assert "NDL" in data["why"]["top"] and "913.6" in data["why"]["top"] and "ナツメ" in data["why"]["bottom"]
    assert data["estimated"] == [] and data["missing"] == [] and proposal.state is CallNumberState.RECORD


def test_no_ndc_and_no_reading_give_estimated_tiers_from_the_c_code_and_the_analyser():
    proposal = propose_call_number(HAKUYAKO_OPENBD)
    assert (proposal.top.value, proposal.top.source) == ("913", Source.C_CODE)
    assert "0193" in proposal.top.why and "openBD" in proposal.top.why and proposal.hint == "明治以降の作品は913.6"
    assert proposal.bottom.source == Source.PROPOSED_READING and proposal.bottom.value in ("ト", "ヒ")
    assert set(proposal.marks) == {"ト", "ヒ"} and "ヒガシノ ケイゴ" in proposal.readings
    assert proposal.estimated == ["top", "bottom"] and not proposal.settled
    assert proposal.state is CallNumberState.ESTIMATED


def test_the_c_code_the_copy_gave_wins_and_its_origin_is_named():
    proposal = propose_call_number(HAKUYAKO_OPENBD, c_code=CCode("C0021", "price_code"))
    assert proposal.top.value == "210" and "192 価格コード" in proposal.top.why


def test_the_schools_picture_book_prefix_from_the_c_codes_form_is_its_rule_not_a_guess():
    record = BibRecord(isbn13="9784834000825", title="ぐりとぐら", source="openbd", c_code="8793",
                       creators=(Creator("なかがわりえこ", None, "文"), Creator("おおむらゆりこ", None, "絵")))
    proposal = propose_call_number(record)
    assert (proposal.top.value, proposal.top.source, proposal.top.estimated) == ("E", Source.RULES, False)
    assert (proposal.bottom.value, proposal.bottom.source) == ("ナ", Source.READING)  # the name in kana, as written
    assert proposal.settled


def test_a_prefix_by_ndc_range_is_estimated_when_the_ndc_was():
    rules = CallNumberRules(ndc_prefixes=(("290", "299.99", "K"),))
    record = BibRecord(isbn13="9784003101018", title="旅", source="openbd", c_code="0026", title_reading="タビ")
    proposal = propose_call_number(record, rules=rules)
    assert (proposal.top.value, proposal.top.source, proposal.top.estimated) == ("K", Source.RULES, True)
    ndl = BibRecord(isbn13="9784003101018", title="旅", source="ndl", ndc9="291.09", title_reading="タビ")
    assert propose_call_number(ndl, rules=rules).top.estimated is False


def test_nothing_known_gives_both_tiers_missing_and_no_label_is_made_of_them():
    proposal = propose_call_number(None)
    assert proposal.missing == ["top", "bottom"] and proposal.state is CallNumberState.MISSING
    assert proposal.to_json()["top"] is None and "入力" in proposal.bottom.why


def test_a_typed_record_with_its_readings_is_staffs_not_estimated():
    typed = BibRecord(isbn13="9784003101018", title="学校の本", source="typed", ndc9="370",
                      creators=(Creator("東野圭吾", "ヒガシノ ケイゴ", "著"),))
    proposal = propose_call_number(typed)
    assert (proposal.top.value, proposal.top.source) == ("370", Source.STAFF)
    assert (proposal.bottom.value, proposal.bottom.source) == ("ヒ", Source.STAFF) and proposal.settled


def test_what_staff_confirmed_replaces_every_tier_and_the_volume_is_a_third_tier():
    proposal = propose_call_number(HAKUYAKO_OPENBD, confirmed=ConfirmedCallNumber("913.6", "ヒ", "1"))
    assert proposal.call_number().tiers == ("913.6", "ヒ", "1")
    assert proposal.confirmed and proposal.settled and set(proposal.to_json()["sources"].values()) == {Source.STAFF}
    volume = BibRecord(isbn13="9784003101018", title="坊っちゃん", source="ndl", ndc9="913.6", volume="上",
                       creators=BOTCHAN_NDL.creators)
    assert propose_call_number(volume, rules=CallNumberRules(volume_tier=True)).call_number().tiers == ("913", "ナ", "上")


def test_without_reading_names_a_kanji_name_gives_no_mark():
    proposal = propose_call_number(HAKUYAKO_OPENBD, read_names=False)  # the title 白夜行 is not kana either
    assert (proposal.bottom.source, proposal.missing) == (Source.NONE, ["bottom"])


@pytest.mark.parametrize("top, bottom, volume, message", [
    ("", "ナ", None, "分類記号を入力してください"),
    ("913", "  ", None, "図書記号を入力してください"),
    ("9" * 21, "ナ", None, "分類記号が長すぎます"),
    ("913", "ナ", "巻" * 21, "巻冊記号が長すぎます"),
    (913, "ナ", None, "文字で入力"),
])
def test_typed_tiers_are_checked_with_a_japanese_message(top, bottom, volume, message):
    with pytest.raises(KioskError) as refused:
        typed_call_number(top, bottom, volume)
    assert message in refused.value.ja


def test_typed_tiers_are_cleaned():
    assert typed_call_number(" 913.6\u200b ", "ナ\x07", "") == ConfirmedCallNumber("913.6", "ナ", None)
