"""Finding a label sheet by maker and the product number printed on its package, as a settings
screen and `kiosk sheets` do, over the real shipped sheets and gLabels' database."""

import json

import pytest
from click.testing import CliRunner

import printer.templates as templates
from kiosk_app.cli import main
from printer.sheet_search import find_refused_sheets, find_sheets, parse_query

GLABELS_HISAGO = templates.GLABELS_DIRS[0] / "hisago-templates.xml"


def _names(query: str) -> list[str]:
    return [match.name for match in find_sheets(query)]


def test_the_number_on_the_package_finds_the_sheet():
    (match,) = find_sheets("28368")
    assert (match.name, match.maker_ja, match.part, match.per_sheet, match.label_mm, match.page_mm) == \
        ("A-one:28368", "エーワン", "28368", 44, (48.3, 25.4), (210.0, 297.0))
    assert "44面" in match.description


@pytest.mark.parametrize("query, first", [
    ("エーワン 28368", "A-one:28368"),
    ("ｴｰﾜﾝ　２８３６８", "A-one:28368"),  # half-width katakana, full-width digits and space
    ("えーわん 28368", "A-one:28368"),
    ("a-one 28368", "A-one:28368"),
    ("A-one:28368", "A-one:28368"),  # the template's own name
    ("aone 31165", "A-one:31165"),
    ("エーワン 72295", "A-one:72295"),
    ("キハラ 606-906", "Kihara:606-906"),
    ("kihara 606906", "Kihara:606-906"),  # without the hyphen
    ("アスクル 56249", "Askul:56249"),
    ("サンワサプライ JP-TA21", "Sanwa:JP-TA21"),
    ("sanwa supply jp-ta21", "Sanwa:JP-TA21"),
    ("ダイソー", "Daiso:No.136"),
])
def test_makers_in_japanese_and_romaji(query, first):
    assert _names(query)[0] == first


def test_enjus_spelling_finds_both_names_of_the_kihara_sheet():
    assert _names("60690-6") == ["Kihara:606-906", "Kihara:60690-6"]


def test_a_count_narrows_a_maker_to_its_sheets_of_that_many_labels():
    found = find_sheets("エーワン 44面")
    assert {m.name for m in found} == {f"A-one:{p}" for p in ("28368", "28388", "28648", "31165", "28943", "28944", "28946")}
    assert all(m.per_sheet == 44 and m.label_mm == (48.3, 25.4) for m in found)
    assert {m.name for m in find_sheets("エーワン 95面")} == {"A-one:72295", "A-one:73295"}


def test_exact_numbers_come_first_then_those_that_begin_with_it():
    names = _names("2836")
    assert names[:3] == ["A-one:28362", "A-one:28363", "A-one:28364"]  # begin with 2836, in number order
    assert _names("8368") == ["A-one:28368"]  # contained
    assert "A-one:28368" in _names("283")


def test_a_maker_alone_lists_its_sheets_and_other_makers_are_left_out():
    assert _names("キハラ") == ["Kihara:606-906", "Kihara:60690-6"]
    assert all(name.startswith("Askul:") for name in _names("アスクル"))
    assert _names("アスクル 28368") == []


def test_nothing_typed_or_nothing_found_is_an_empty_list():
    assert find_sheets("") == [] and find_sheets("   ") == [] and find_sheets("99999") == []
    assert parse_query("").empty


def test_the_number_of_results_is_bounded():
    assert len(find_sheets("エーワン")) == 50 and len(find_sheets("エーワン", limit=500)) == 198


def test_hisago_and_other_glabels_sheets_are_found_too():
    if not GLABELS_HISAGO.is_file():
        pytest.skip("glabels-data not installed")
    (op3015,) = find_sheets("ひさご op3015")
    assert (op3015.name, op3015.maker_ja, op3015.per_sheet, op3015.label_mm) == ("Hisago:OP3015", "ヒサゴ", 60, (20.0, 23.0))
    assert _names("avery 5160")[0] == "Avery:5160"


def test_a_refused_sheet_is_not_offered_but_said_why():
    if not GLABELS_HISAGO.is_file():
        pytest.skip("glabels-data not installed")
    assert _names("ヒサゴ OP3010") == []
    (refused,) = find_refused_sheets("ヒサゴ OP3010")
    assert refused.name == "Hisago:OP3010" and "はみ出しています" in refused.reason_ja


def test_kiosk_sheets_prints_what_it_finds(tmp_path):
    runner = CliRunner()
    result = runner.invoke(main, ["sheets", "28368"])
    assert result.exit_code == 0
    assert result.stdout.splitlines() == ["A-one:28368\tエーワン\t44面\t48.3×25.4mm\tエーワン 44面 レーザー用 100シート"]
    data = json.loads(runner.invoke(main, ["sheets", "キハラ", "606906", "--json"]).stdout)
    assert [s["name"] for s in data["sheets"]] == ["Kihara:606-906", "Kihara:60690-6"]
    assert data["sheets"][0] | {"description": ""} == {"name": "Kihara:606-906", "maker": "キハラ", "part": "606-906",
                                                      "per_sheet": 36, "label_mm": [44.0, 26.0],
                                                      "page_mm": [210.0, 297.0], "description": ""}
    missing = runner.invoke(main, ["sheets", "99999"])
    assert missing.exit_code == 2 and "「99999」に合う、印刷できるラベル用紙はありません" in missing.stderr
