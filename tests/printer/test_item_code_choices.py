"""The item barcode chosen at ``kiosk init`` and with ``kiosk settings`` (symbology, check
scheme, start/stop letters, digits, a Code 39 letter prefix): saved, printed by ``kiosk labels``,
read back by zbar from the PDF and decoded to the same copies by the scan parser; bad choices
refused with a Japanese message and a precise English line, nothing saved."""

import json

import pytest
from click.testing import CliRunner

from kiosk.codes.itemcode import ItemCodeSettings, decode_item_code, encode_item_number
from kiosk.scan.parser import ScanSettings, parse_scan
from kiosk_app.cli import main
from tests.printer.zbar import decode_pdf


@pytest.fixture
def kiosk(database_url, tmp_path):
    env = {"KIOSK_DATABASE_URL": database_url, "KIOSK_SAMPLE_CATALOGUE": str(tmp_path / "none.tsv"),
           "KIOSK_LOOKUP_SOURCES": "ndl", "KIOSK_NDL_SRU_URL": "http://127.0.0.1:9/"}

    def run(*args, expect=0):
        result = CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)
        assert result.exit_code == expect, (result.stdout, result.stderr)
        return result

    return run


def _register_three(kiosk):
    kiosk("register", "--title", "坊っちゃん", "--ndc", "913", "--author-mark", "ナ", "--source", "ひまわり書店",
          "--price", "550", "--copies", "3")


def _printed(kiosk, tmp_path) -> list[tuple[str, str]]:
    output = tmp_path / "labels.pdf"
    kiosk("labels", "1001-1003", "--kind", "barcode", "--output", str(output))
    return decode_pdf(output.read_bytes())


def test_init_with_a_code39_prefix_prints_labels_zbar_reads_back(kiosk, tmp_path):
    made = kiosk("init", "--name", "ひまわり大学図書館", "--first-number", "1001", "--symbology", "code39",
                 "--check", "m10w21", "--digits", "7", "--prefix", "tku", "--json")
    stored = json.loads(made.stdout)["item_code"]
    assert stored == {"symbology": "code39", "check": "m10w21", "start": "A", "stop": "A", "width": 7, "prefix": "TKU"}
    settings = ItemCodeSettings(**stored)
    _register_three(kiosk)
    decoded = _printed(kiosk, tmp_path)
    assert sorted(decoded) == [("CODE-39", encode_item_number(n, settings)) for n in (1001, 1002, 1003)]
    assert encode_item_number(1001, settings) == "TKU00010017"  # m10w21 of 0001001: 7
    assert sorted(parse_scan(data, ScanSettings(item=settings)).number for _, data in decoded) == [1001, 1002, 1003]
    assert parse_scan("tku00010017", ScanSettings(item=settings)).number == 1001
    without = parse_scan("00010017", ScanSettings(item=settings))
    assert without.number is None and "does not begin with this library's item barcode prefix 'TKU'" in without.error


def test_kiosk_settings_changes_nw7_letters_check_and_digits(kiosk, tmp_path):
    kiosk("init", "--name", "ひまわり小学校図書館", "--first-number", "1001")
    _register_three(kiosk)
    shown = kiosk("settings", "--check", "m10w21", "--start-stop", "bc", "--digits", "10", "--json")
    stored = json.loads(shown.stdout)["item_code"]
    assert stored == {"symbology": "nw7", "check": "m10w21", "start": "B", "stop": "C", "width": 10}  # no prefix: not stored
    decoded = _printed(kiosk, tmp_path)
    assert sorted(data for _, data in decoded) == ["B00000010017C", "B00000010025C", "B00000010033C"]
    assert {kind for kind, _ in decoded} == {"Codabar"}
    settings = ItemCodeSettings(**stored)
    assert [decode_item_code(data[1:-1], settings) for data in sorted(d for _, d in decoded)] == [1001, 1002, 1003]
    unchanged = json.loads(kiosk("settings", "--json").stdout)["item_code"]  # no options: shown, not changed
    assert unchanged == stored


@pytest.mark.parametrize("args, english, japanese", [
    (["--prefix", "TKU"], "an item barcode prefix ('TKU') needs symbology code39, not nw7", "Code 39 のときだけ使えます"),
    (["--symbology", "code39", "--prefix", "T1"], "prefix must be 0 to 6 capital letters A-Z, not 'T1'", "英大文字（A〜Z）"),
    (["--start-stop", "A"], "--start-stop takes two letters", "スタートとストップの2文字"),
    (["--start-stop", "AE"], "NW-7 stop character must be one of A, B, C, D, not 'E'", "ストップキャラクタは A・B・C・D"),
    (["--symbology", "code128", "--check", "mod16"], "check scheme mod16 is Codabar's own", "NW-7 専用"),
    (["--digits", "0"], "width must be a whole number from 1 to 20", "桁数は 1〜20"),
])
def test_bad_choices_are_refused_and_nothing_is_saved(kiosk, args, english, japanese):
    refused = kiosk("init", "--name", "ひまわり小学校図書館", *args, expect=2)
    assert english in refused.stderr and japanese in refused.stderr
    assert json.loads(kiosk("libraries", "--json").stdout)["libraries"] == []  # init is all or nothing
    kiosk("init", "--name", "ひまわり小学校図書館")
    assert english in kiosk("settings", *args, expect=2).stderr
    assert json.loads(kiosk("settings", "--json").stdout)["item_code"] == ItemCodeSettings().to_stored()


def test_help_says_where_each_choice_is_common():
    help_text = " ".join(CliRunner().invoke(main, ["init", "--help"]).stdout.split())
    for said in ("m10w21", "public libraries", "ajime", "mod11", "JAN/EAN", "university libraries", "zero-padded",
                 "nw7|code39|code128", "none|mod10w3|m10w21|mod11|7dr|7dsr|mod16"):
        assert said in help_text, said
    assert "--prefix LETTERS" in " ".join(CliRunner().invoke(main, ["settings", "--help"]).stdout.split())
