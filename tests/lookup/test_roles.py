"""Roles (著, 作, 文, 絵, 訳, 編…) and names out of responsibility statements."""

import pytest

from kiosk.lookup.roles import (name_keys, normalise_role, reading_of_kana_name,
                                split_slash_statement, split_statement, strip_life_dates)


@pytest.mark.parametrize("statement, expected", [
    ("エリック=カール さく", [("エリック=カール", "作")]),
    ("もりひさし やく", [("もりひさし", "訳")]),
    ("棟方志功 [画]", [("棟方志功", "画")]),
    ("日本アート・センター 編", [("日本アート・センター", "編")]),
    ("穂苅実紀夫, 寺田学, 中西直樹 著", [("穂苅実紀夫", "著"), ("寺田学", "著"), ("中西直樹", "著")]),
    ("なかがわ りえこ 文", [("なかがわ りえこ", "文")]),
    ("林明子 さく・え", [("林明子", "作・絵")]),
    ("Carle, Eric", [("Carle, Eric", None)]),
    ("夏目漱石", [("夏目漱石", None)]),
    ("山田 文絵", [("山田 文絵", None)]),
])
def test_split_statement(statement, expected):
    assert split_statement(statement) == expected


def test_openbd_slash_form():
    assert split_slash_statement("エリック・カール／さく もりひさし／やく") == [
        ("エリック・カール", "作"), ("もりひさし", "訳")]
    assert split_slash_statement("森 比左志／訳") == [("森 比左志", "訳")]


def test_normalise_role():
    assert normalise_role("え") == "絵" and normalise_role("［訳］") == "訳"
    assert normalise_role("文・絵") == "文・絵" and normalise_role("ひさし") is None


def test_names_match_across_forms():
    assert name_keys("森, 比左志, 1932-") & name_keys("森比左志")
    assert name_keys("モリ, ヒサシ") & name_keys("もりひさし")
    assert name_keys("カール, エリック, 1929-2021") & name_keys("エリック=カール")
    assert not name_keys("山田, 花子") & name_keys("川本太郎")


def test_life_dates_and_kana_readings():
    assert strip_life_dates("Carle, Eric, 1929-2021") == "Carle, Eric"
    assert strip_life_dates("森, 比左志, 1932-") == "森, 比左志"
    assert reading_of_kana_name("もり ひさし") == "モリ ヒサシ"
    assert reading_of_kana_name("エリック・カール") is None
    assert reading_of_kana_name("森比左志") is None
