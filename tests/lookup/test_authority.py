"""NDL authority forms (典拠形) → the name shown and its reading, family name first."""

import pytest

from kiosk.lookup.authority import (authority_parts, name_from_authority, reading_from_authority,
                                    role_from_record)


@pytest.mark.parametrize("form, name", [
    ("青山, 剛昌, 1963-", "青山 剛昌"),  # the example
    ("橋田, 寿賀子, 1925-2021", "橋田 寿賀子"),
    ("林, 和弘, pub. 2016", "林 和弘"),  # a namesake told apart by a publication year
    ("きっか", "きっか"),
    ("やなせ, たかし, 1919-2013", "やなせ たかし"),
    ("日本図書館協会", "日本図書館協会"),  # a corporate body has no comma
    ("Park, Linda Sue, 1960-", "Park, Linda Sue"),  # a Western name stays inverted
    ("Augustine, 354-430", "Augustine"),
    ("Harman, D. K. (Donna K.)", "Harman, D. K. (Donna K.)"),
    ("Heinrichs, Maurus, 1904-", "Heinrichs, Maurus"),
    ("National Institute of Standards and Technology (U.S.)",
     "National Institute of Standards and Technology (U.S.)"),
])
def test_names_lose_their_qualifiers_and_japanese_ones_their_comma(form, name):
    assert name_from_authority(form) == name


@pytest.mark.parametrize("form, reading", [
    ("アオヤマ, ゴウショウ, 1963-", "アオヤマ ゴウショウ"),
    ("ハヤシ, カズヒロ, pub. 2016", "ハヤシ カズヒロ"),
    ("ヨウロウ, タケシ", "ヨウロウ タケシ"),
    ("ジョウホウ カガク ギジュツ キョウカイ", "ジョウホウ カガク ギジュツ キョウカイ"),
    ("1963-", None),
])
def test_readings_are_family_name_first_without_dates(form, reading):
    assert reading_from_authority(form) == reading


def test_parts_keep_what_is_not_a_qualifier():
    assert authority_parts("Voorhees, E") == ["Voorhees", "E"]
    assert authority_parts("結城, 浩, 1963-") == ["結城", "浩"]


@pytest.mark.parametrize("role, kept", [
    ("[著]", "著"), ("原作・イラスト", "原作・絵"), ("小説・イラスト", "小説・イラスト"), ("", None), ("  ", None)])
def test_roles_are_kept_in_kanji_or_as_given(role, kept):
    assert role_from_record(role) == kept
