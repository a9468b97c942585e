"""The settings' typed sections: each checks what is stored with a Japanese message a person can
act on, reads back what it stored, keeps the stored document's shape, and has its defaults and
choices once (the CLI's are the sections')."""

import pytest

from kiosk.labels.callnumber import CallNumberRules
from kiosk_app.cli import main
from kiosk.errors import KioskError
from kiosk.codes.itemcode import ItemCodeSettings
from kiosk.lookup_settings import LibraryLookupSettings
from kiosk.printing_settings import DEFAULT_BARCODE_TEMPLATE, DEFAULT_SPINE_TEMPLATE, ConfiguredPrinter, PrintingSettings
from kiosk.processing_steps import ProcessingSettings
from kiosk.scan.dedupe import DoubleReadFilter
from kiosk.scan.pairing import PriceCodePairing
from kiosk.scanner_settings import ScannerSettings
from kiosk.settings import SECTION_LABELS_JA, SECTIONS, LibrarySettings
from kiosk.staff import StaffSettings

# The document kiosk.settings.DEFAULTS was until the sections were typed: a fresh library's
# settings as every earlier version stored them (callnumber was {}: CallNumberRules' defaults).
EARLIER_DEFAULTS = {
    "item_code": {"symbology": "nw7", "check": "mod11", "start": "A", "stop": "A", "width": 8},
    "scanner": {"prefix": "", "suffix": "", "double_read_seconds": 1.0, "price_code_seconds": 3.0,
                "device": "", "layout": "us"},
    "printing": {"printer": "", "spine_template": "", "barcode_template": "", "offset_x_mm": 0.0, "offset_y_mm": 0.0,
                 "colour": "band", "palette": {}, "offsets": {}, "card_layout": "a4",
                 "printers": [], "last_printer_id": 0},
    "callnumber": {},
    "lookup": {"sources": "ndl,openbd", "offline": False},
    "staff": {"session_minutes": 10},
    "processing": {"steps": ["登録印", "小口印", "2段ラベル", "バーコード", "ラベルキーパー", "基本カード"]},
}

TWO_PRINTERS = [{"id": 1, "name": "事務室", "url": "cups:Office"}, {"id": 1, "name": "図書室", "url": "cups:Lab"}]


@pytest.mark.parametrize("section, stored, reason", [
    (ItemCodeSettings, {"symbology": "ean13"}, "バーコードの種類「ean13」は使えません"),
    (ItemCodeSettings, {"width": "8"}, "登録番号の桁数は 1〜20"),
    (ItemCodeSettings, {"witdh": 8}, "本のバーコードの設定に不明な項目があります（witdh）"),
    (ScannerSettings, {"layout": "dvorak"}, "キーボード配列は us か jis です"),
    (ScannerSettings, {"double_read_seconds": True}, "スキャナーの秒数は0〜60"),
    (ScannerSettings, {"price_code_seconds": 61}, "スキャナーの秒数は0〜60"),
    (ScannerSettings, {"device": "scanner-1"}, "VID:PID（例 0c2e:0b61）"),
    (ScannerSettings, {"prefix": 5}, "前につく文字は文字で"),
    (ScannerSettings, ["us"], "スキャナーの設定が正しくありません（項目と値の組ではありません）"),
    (PrintingSettings, {"colour": "rainbow"}, "ラベルの色は「上に色の帯」・「背景を薄い色に」・「色なし」から"),
    (PrintingSettings, {"card_layout": "b6"}, "カードの用紙は a4"),
    (PrintingSettings, {"offset_x_mm": 10.5}, "ずれの補正は-10〜10mm"),
    (PrintingSettings, {"offsets": {"cups:Office": [0.0, -11]}}, "ずれの補正は-10〜10mm"),
    (PrintingSettings, {"offsets": {"cups:Office": [0.0]}}, "プリンターごとのずれの補正が正しくありません"),
    (PrintingSettings, {"palette": {"E": "pink"}}, "分類=#rrggbb"),
    (PrintingSettings, {"printers": [{"id": 1, "name": " ", "url": "cups:X"}]}, "プリンターの名前は1〜30文字"),
    (PrintingSettings, {"printers": [{"id": 1, "name": "事務室"}]}, "プリンターの設定が正しくありません"),
    (PrintingSettings, {"printers": [{"id": True, "name": "事務室", "url": "cups:X"}]}, "プリンターの設定が正しくありません"),
    (PrintingSettings, {"printers": TWO_PRINTERS}, "同じ番号のプリンターが2台あります"),
    (PrintingSettings, {"printers": [{"id": n, "name": f"p{n}", "url": f"cups:Q{n}"} for n in range(1, 22)]},
     "プリンターは20台まで"),
    (PrintingSettings, {"last_printer_id": -1}, "プリンターの番号の記録"),
    (PrintingSettings, {"template": "Hisago:OP3015", "spine_templet": ""}, "不明な項目があります（spine_templet）"),
    (CallNumberRules, {"digits": "3"}, "分類記号の桁数は1〜6"),
    (CallNumberRules, {"mark_script": "kanji"}, "カタカナ・ひらがな・ローマ字から"),
    (CallNumberRules, {"ndc_prefixes": [["290", "K"]]}, "「始め・終わり・記号」の3つ"),
    (CallNumberRules, {"form_prefixes": {"5": 5}}, "「形態の数字: 記号」の組"),
    (CallNumberRules, {"volume_tier": "on"}, "3段目に巻次を入れるかどうか"),
    (LibraryLookupSettings, {"sources": "ndl,ndl"}, "ndl・openbd をカンマ区切りで（各1回）"),
    (LibraryLookupSettings, {"sources": "google"}, "ndl・openbd をカンマ区切りで"),
    (LibraryLookupSettings, {"offline": "yes"}, "オフラインの設定が正しくありません"),
    (StaffSettings, {"session_minutes": 0}, "職員ログインの時間は1〜1440分"),
    (StaffSettings, {"session_minutes": "10"}, "職員ログインの時間は1〜1440分"),
    (ProcessingSettings, {"steps": []}, "装備の項目は1〜8個"),
    (ProcessingSettings, {"steps": "登録印"}, "装備の項目は1〜8個"),
    (ProcessingSettings, {"steps": ["登録印", "登録印"]}, "同じ装備の項目が2回あります"),
])
def test_each_section_refuses_a_bad_stored_value_saying_what_to_do(section, stored, reason):
    with pytest.raises(KioskError) as refused:
        section.from_stored(stored)
    assert reason in refused.value.ja and str(refused.value) != refused.value.ja


def test_a_library_read_back_names_the_section_stored_wrong():
    with pytest.raises(KioskError) as refused:
        LibrarySettings.from_stored({"scanner": {"layout": "dvorak"}})
    assert refused.value.ja == "保存されている「スキャナー」の設定が正しくありません: キーボード配列は us か jis です"
    with pytest.raises(KioskError) as refused:
        LibrarySettings.from_stored({"sanner": {}})
    assert "不明な項目があります（sanner）" in refused.value.ja
    assert set(SECTION_LABELS_JA) == set(SECTIONS)  # every section has its name for that message


def test_a_fresh_library_stores_the_document_earlier_versions_stored():
    assert LibrarySettings.from_stored(EARLIER_DEFAULTS) == LibrarySettings() == LibrarySettings.from_stored({})
    stored = LibrarySettings().to_stored()
    assert {name: section for name, section in stored.items() if name != "callnumber"} == \
        {name: section for name, section in EARLIER_DEFAULTS.items() if name != "callnumber"}
    assert stored["callnumber"] == {"ndc_edition": "ndc9", "digits": 3, "picture_book_prefix": "E", "form_prefixes": {},
                                    "ndc_prefixes": [], "mark_length": 1, "mark_script": "katakana", "volume_tier": False}


@pytest.mark.parametrize("section", [
    ItemCodeSettings(symbology="code128", check="7dr", width=10),
    ScannerSettings(prefix="]E0", suffix="\r", double_read_seconds=0.5, price_code_seconds=5, device="0c2e:0b61",
                    layout="jis"),
    PrintingSettings(printer="cups:Lab", spine_template="A-One:28171", colour="none", palette={"E": "#ec407a"},
                     offsets={"cups:Lab": (0.5, -1.0), "": (0.0, 0.0)}, offset_x_mm=0.5, offset_y_mm=-1.0,
                     card_layout="card", printers=(ConfiguredPrinter(2, "図書室", "cups:Lab"),), last_printer_id=3),
    CallNumberRules(ndc_edition="ndc10", digits=1, form_prefixes={"5": "R"}, ndc_prefixes=(("290", "299.99", "K"),),
                    mark_length=2, mark_script="latin", volume_tier=True),
    LibraryLookupSettings(sources=("openbd",), offline=True),
    LibraryLookupSettings(sources=()),
    StaffSettings(session_minutes=5),
    ProcessingSettings(steps=("蔵書印", "ブッカー")),
], ids=lambda section: type(section).__name__)
def test_each_section_reads_back_what_it_stored(section):
    assert type(section).from_stored(section.to_stored()) == section


def test_what_earlier_versions_stored_reads_back_as_it_was_meant():
    settings = LibrarySettings.from_stored({
        # the first versions' printing keys, sheets left "" (the kiosk's default), one unnamed printer
        "printing": {"spine_printer": "", "barcode_printer": "", "template": "", "print_at_once": True,
                     "printer": "cups:Office", "spine_template": "", "barcode_template": "Hisago:ELM022",
                     "offsets": {"cups:Office": [1.5, -0.5]}},
        "staff": {"pin_hash": None, "session_minutes": 5},  # the PIN, before migration 0006 moved it
        "lookup": {"sources": "openbd, ndl", "offline": True},
        "callnumber": {"ndc_prefixes": [["290", "299.99", "K"]], "volume_tier": True},
    })
    assert settings.printing == PrintingSettings(printer="cups:Office", offsets={"cups:Office": (1.5, -0.5)})
    assert settings.printing.spine_template == DEFAULT_SPINE_TEMPLATE
    assert settings.printing.to_stored()["spine_template"] == settings.printing.to_stored()["barcode_template"] == ""
    assert settings.staff == StaffSettings(session_minutes=5)
    assert settings.lookup == LibraryLookupSettings(sources=("openbd", "ndl"), offline=True)
    assert settings.callnumber == CallNumberRules(ndc_prefixes=(("290", "299.99", "K"),), volume_tier=True)
    assert settings.item_code == ItemCodeSettings()


def test_defaults_are_the_sections():
    printing = LibrarySettings().printing
    assert (printing.spine_template, printing.barcode_template) == (DEFAULT_SPINE_TEMPLATE, DEFAULT_BARCODE_TEMPLATE)
    scanner = LibrarySettings().scanner  # a scan feed before any library's settings are applied
    assert DoubleReadFilter().interval_s == scanner.double_read_seconds
    assert PriceCodePairing().window_s == scanner.price_code_seconds


def test_the_cli_offers_the_sections_choices():
    def choices(command, option):
        (param,) = [p for p in main.commands[command].params if p.name == option]
        return tuple(param.type.choices)

    assert choices("cards", "layout") == PrintingSettings.CARD_LAYOUTS
    assert choices("labels", "symbology") == ItemCodeSettings.SYMBOLOGIES
    assert choices("labels", "check") == ItemCodeSettings.CHECK_SCHEMES
