"""Call numbers by the rules a librarian sets: class tier, author mark, shelving prefixes."""

import pytest

from kiosk.labels.callnumber import CallNumberRules, call_number, main_creator
from kiosk.errors import KioskError

HARAPEKO = dict(ndc9="726.6", c_code="8797", title_reading="ハラペコ アオムシ",
                creators=(("エリック・カール", "カール, エリック", "作"), ("もり ひさし", "モリ, ヒサシ", "訳")))
GURI = dict(ndc9="913", c_code="8793", creators=(("なかがわりえこ", "ナカガワ, リエコ", "文"),
                                                 ("おおむらゆりこ", "オオムラ, ユリコ", "絵")))
BOTCHAN = dict(ndc9="913.6", c_code="0193", creators=(("夏目漱石", "ナツメ, ソウセキ", "著"),))


def test_picture_book_by_ndc_gets_E_and_the_author_not_the_translator():
    number = call_number(**HARAPEKO)
    assert number.tiers == ("E", "カ")
    assert "726.6" in number.why["top"] and "エリック・カール" in number.why["bottom"]


def test_picture_book_by_c_code_form_and_the_text_author_not_the_illustrator():
    assert call_number(**{**GURI, "ndc9": None}).tiers == ("E", "ナ")


def test_class_number_cut_to_the_digits_setting():
    assert call_number(**BOTCHAN).tiers == ("913", "ナ")
    assert call_number(**BOTCHAN, rules=CallNumberRules(digits=1)).top == "9"
    assert call_number(**BOTCHAN, rules=CallNumberRules(digits=4)).top == "913.6"


def test_ndc10_setting_and_school_prefixes():
    record = dict(BOTCHAN, ndc10="913.6", ndc9="913.8")
    assert call_number(**record, rules=CallNumberRules(ndc_edition="ndc10", digits=4)).top == "913.6"
    local = CallNumberRules(ndc_prefixes=(("291", "291.99", "K"),), form_prefixes={"5": "R"})
    assert call_number(ndc9="291.52", creators=(), title_reading="シナノ ノ レキシ", rules=local).top == "K"
    assert call_number(ndc9="813.1", c_code="0581", creators=(), title_reading="コクゴ ジテン", rules=local).top == "R"


def test_mark_length_and_script_settings():
    assert call_number(**BOTCHAN, rules=CallNumberRules(mark_length=2)).bottom == "ナツ"
    assert call_number(**BOTCHAN, rules=CallNumberRules(mark_script="hiragana")).bottom == "な"
    assert call_number(**BOTCHAN, rules=CallNumberRules(mark_script="latin", mark_length=2)).bottom == "Na"


def test_reading_from_hiragana_name_small_kana_and_katakana_foreign_name():
    assert call_number(ndc9="933", creators=(("じょん・すみす", None, "作"),)).bottom == "ス"
    assert call_number(ndc9="913", creators=(("ぁいうえお", None, "著"),)).bottom == "ア"


def test_no_author_uses_the_title_reading():
    number = call_number(ndc9="210", creators=(), title_reading="ニホン ノ レキシ")
    assert number.tiers == ("210", "ニ") and "書名" in number.why["bottom"]


def test_kanji_name_without_reading_is_left_for_staff():
    number = call_number(ndc9="210", creators=(("山田太郎", None, "著"),), title="日本の歴史")
    assert number.bottom == "" and "入力" in number.why["bottom"]


def test_volume_tier_and_overrides():
    rules = CallNumberRules(volume_tier=True)
    assert call_number(**BOTCHAN, volume="2", rules=rules).tiers == ("913", "ナ", "2")
    overridden = call_number(**BOTCHAN, overrides={"bottom": "ソ"})
    assert overridden.tiers == ("913", "ソ") and overridden.why["bottom"] == "職員が指定"


def test_main_creator_falls_back_when_no_role_is_known():
    assert main_creator((("A", None, "絵"), ("B", None, None)))[0] == "B"
    assert main_creator((("A", None, "絵"),)) is None


@pytest.mark.parametrize("bad", [{"digits": 0}, {"mark_script": "kanji"}, {"ndc_edition": "ndc8"}, {"mark_length": 9}])
def test_bad_rules_are_refused(bad):
    with pytest.raises(KioskError):
        CallNumberRules(**bad)
    with pytest.raises(KioskError):
        CallNumberRules.from_stored({"colour": "red"})


def test_author_mark_from_a_reading_is_the_rule_call_number_applies():
    from kiosk.labels.callnumber import author_mark

    assert author_mark("アオヤマ ゴウショウ") == "ア" and author_mark("カール, エリック") == "カ"
    assert author_mark("ひがしの けいご", CallNumberRules(mark_length=2)) == "ヒガ"
    assert author_mark("Park, Linda Sue") == "" and author_mark(None) == ""
    reading = "ヒガシノ ケイゴ"
    assert author_mark(reading) == call_number(creators=(("東野 圭吾", reading, "著"),)).bottom
