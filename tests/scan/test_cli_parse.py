"""`kiosk parse CODE --json`: what a scanned string is; a rejected code exits 2."""

import json

import pytest
from click.testing import CliRunner

from kiosk_app.cli import main


def run(*args):
    return CliRunner().invoke(main, ["parse", *args], catch_exceptions=False)


@pytest.mark.parametrize(
    "code, expected",
    [
        ("978-4-03-328010-3", {"kind": "isbn", "isbn13": "9784033280103", "isbn10": "4033280103"}),
        ("4033280103", {"kind": "isbn", "isbn13": "9784033280103", "isbn10": "4033280103"}),
    ],
)
def test_isbn(code, expected):
    result = run(code, "--json")
    assert result.exit_code == 0 and json.loads(result.stdout) == expected


def test_price_code_decodes_c_code_and_list_price():
    # 192 + C8797 + 01200 + check digit: はらぺこあおむし's second barcode (C8797, 本体1,200円)
    from kiosk.codes.isbn import isbn13_check_digit

    code = "192879701200" + isbn13_check_digit("192879701200")
    data = json.loads(run(code, "--json").stdout)
    assert data["kind"] == "price_code" and data["list_price"] == 1200
    assert data["c_code"]["code"] == "8797" and data["c_code"]["form"] == "絵本"


def test_item_barcode_in_the_chosen_symbology():
    from kiosk.codes.itemcode import ItemCodeSettings, encode_item_number

    code = encode_item_number(1234, ItemCodeSettings(symbology="nw7", check="7dr"))
    data = json.loads(run(code, "--check", "7dr", "--json").stdout)
    assert data == {"kind": "item", "number": 1234}


def test_rejected_code_exits_2_with_the_reason():
    result = run("9784033280104", "--json")
    assert result.exit_code == 2
    assert "check digit" in result.stderr and "チェックデジット" in result.stderr
    assert json.loads(result.stdout)["error"]
