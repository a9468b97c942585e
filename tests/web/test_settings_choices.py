"""The settings screen's choices are the sections' (kiosk/*_settings.py, kiosk.codes.itemcode,
kiosk.labels.callnumber): the page lists each section's tuple, in its order, with its Japanese labels,
and a choice added to a section appears on the page with no change to the template."""

import html
import re

from kiosk.labels.callnumber import CallNumberRules
from kiosk.codes.itemcode import ItemCodeSettings
from kiosk.lookup_settings import LibraryLookupSettings
from kiosk.printing_settings import PrintingSettings
from kiosk.scanner_settings import ScannerSettings
from kiosk.settings import set_staff_pin


def settings_page(client, app) -> str:
    with app.extensions["kiosk_db"].write() as session:
        set_staff_pin(session, 1, "2580", actor="t")
    client.post("/staff/login", data={"pin": "2580", "next": "/settings/"})
    return client.get("/settings/").get_data(as_text=True)


def options(page: str, name: str) -> list[tuple[str, str]]:
    """The (value, label) of each option of the page's <select name=NAME>."""
    select = re.search(rf'<select name="{name}">(.*?)</select>', page, re.S).group(1)
    return [(html.unescape(value), html.unescape(label).strip())
            for value, label in re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', select)]


def expected() -> dict[str, list[tuple[str, str]]]:
    return {
        "symbology": [(s, ItemCodeSettings.SYMBOLOGY_LABELS_JA[s]) for s in ItemCodeSettings.SYMBOLOGIES],
        "check": [(c, ItemCodeSettings.CHECK_SCHEME_LABELS_JA[c]) for c in ItemCodeSettings.CHECK_SCHEMES],
        "start": [(letter, letter) for letter in ItemCodeSettings.START_STOP_LETTERS],
        "stop": [(letter, letter) for letter in ItemCodeSettings.START_STOP_LETTERS],
        "layout": [(layout, layout.upper()) for layout in ScannerSettings.LAYOUTS],
        "ndc_edition": [(e, e.upper()) for e in CallNumberRules.NDC_EDITIONS],
        "mark_script": [(m, CallNumberRules.MARK_SCRIPT_LABELS_JA[m]) for m in CallNumberRules.MARK_SCRIPTS],
        "colour": [(c, PrintingSettings.COLOUR_STYLE_LABELS_JA[c]) for c in PrintingSettings.COLOUR_STYLES],
        "card_layout": [(c, PrintingSettings.CARD_LAYOUT_LABELS_JA[c]) for c in PrintingSettings.CARD_LAYOUTS],
        "sources": [(",".join(order), label) for order, label in LibraryLookupSettings.SOURCE_ORDER_LABELS_JA.items()],
    }


def test_the_settings_page_lists_each_sections_choices(client, app):
    page = settings_page(client, app)
    for name, choices in expected().items():
        assert options(page, name) == choices, name
    assert 'name="spine_template" value="Hisago:OP3015"' in page  # a fresh library's sheet: the section's default


def test_a_choice_added_to_a_section_is_on_the_page(client, app, monkeypatch):
    for section, attribute, added in ((ItemCodeSettings, "SYMBOLOGY_LABELS_JA", ("ean8", "EAN-8")),
                                      (ItemCodeSettings, "CHECK_SCHEME_LABELS_JA", ("luhn", "luhn")),
                                      (CallNumberRules, "MARK_SCRIPT_LABELS_JA", ("kanji", "漢字")),
                                      (PrintingSettings, "COLOUR_STYLE_LABELS_JA", ("stripe", "しま")),
                                      (PrintingSettings, "CARD_LAYOUT_LABELS_JA", ("b6", "B6")),
                                      (LibraryLookupSettings, "SOURCE_ORDER_LABELS_JA", (("cinii",), "CiNii"))):
        monkeypatch.setattr(section, attribute, {**getattr(section, attribute), added[0]: added[1]})
    for section, attribute, added in ((ItemCodeSettings, "SYMBOLOGIES", "ean8"), (ItemCodeSettings, "CHECK_SCHEMES", "luhn"),
                                      (ScannerSettings, "LAYOUTS", "dvorak"), (CallNumberRules, "NDC_EDITIONS", "ndc11"),
                                      (CallNumberRules, "MARK_SCRIPTS", "kanji"), (PrintingSettings, "COLOUR_STYLES", "stripe"),
                                      (PrintingSettings, "CARD_LAYOUTS", "b6")):
        monkeypatch.setattr(section, attribute, (*getattr(section, attribute), added))
    page = settings_page(client, app)
    for name, choices in expected().items():
        assert options(page, name) == choices, name
    assert ("luhn", "luhn") in options(page, "check") and ("dvorak", "DVORAK") in options(page, "layout")
    assert ("b6", "B6") in options(page, "card_layout") and ("cinii", "CiNii") in options(page, "sources")
