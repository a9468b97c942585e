"""The English switch translates every word a screen writes itself: each ``_('…')`` in the
templates and each domain label the screens pass through ``_()`` has its English in
web/english/, with the same placeholders and no Japanese left in it. (The browser test
tests/e2e/test_screens.py reads the English pages themselves.)"""

import re
import string
from pathlib import Path

import pytest

from web.english import ENGLISH

TEMPLATES = Path(__file__).parents[2] / "web" / "templates"
JAPANESE = re.compile(r"[\u3000-\u303f\u3040-\u30ff\u3400-\u9fff\uff00-\uffef]")
LITERAL = re.compile(r"_\('((?:[^'\\]|\\.)*)'")


def _template_texts() -> dict[str, str]:
    found = {}
    for path in sorted(TEMPLATES.rglob("*.html")):
        for text in LITERAL.findall(path.read_text(encoding="utf-8")):
            found.setdefault(text, path.name)
    return found


def _domain_labels() -> dict[str, str]:
    from kiosk.codes.itemcode import CHECK_SCHEME_LABELS_JA, SYMBOLOGY_LABELS_JA
    from kiosk.intake.slip import FIELD_LABELS_JA
    from kiosk.labels.callnumber import MARK_SCRIPT_LABELS_JA
    from kiosk.ledger.funds import FUND_LABELS_JA, KIND_LABELS_JA, SERIES_LABELS_JA
    from kiosk.ledger.lost_numbers import REASON_LABELS_JA as LOST_REASONS
    from kiosk.ledger.withdrawal import CORRECTABLE_LABELS_JA, REASON_LABELS_JA
    from kiosk.lookup_settings import SOURCE_ORDER_LABELS_JA
    from kiosk.printing.queue import JOB_STATUS_LABELS_JA
    from kiosk.printing_settings import CARD_LAYOUT_LABELS_JA, COLOUR_STYLE_LABELS_JA
    from printer.sheet_drawing import SHEET_ROLE_LABELS_JA

    tables = {"CHECK_SCHEME": CHECK_SCHEME_LABELS_JA, "SYMBOLOGY": SYMBOLOGY_LABELS_JA, "slip FIELD": FIELD_LABELS_JA,
              "MARK_SCRIPT": MARK_SCRIPT_LABELS_JA, "FUND": FUND_LABELS_JA, "KIND": KIND_LABELS_JA,
              "SERIES": SERIES_LABELS_JA, "lost REASON": LOST_REASONS, "CORRECTABLE": CORRECTABLE_LABELS_JA,
              "REASON": REASON_LABELS_JA, "SOURCE_ORDER": SOURCE_ORDER_LABELS_JA, "JOB_STATUS": JOB_STATUS_LABELS_JA,
              "CARD_LAYOUT": CARD_LAYOUT_LABELS_JA, "COLOUR_STYLE": COLOUR_STYLE_LABELS_JA,
              "SHEET_ROLE": SHEET_ROLE_LABELS_JA}
    return {label: name for name, table in tables.items() for label in table.values()}


def test_the_templates_find_their_texts():
    texts = _template_texts()
    assert len(texts) > 250 and "除籍の確認" in texts  # the pattern still matches how templates write _()


@pytest.mark.parametrize("source", ["templates", "domain labels"])
def test_every_screen_text_has_its_english(source):
    texts = _template_texts() if source == "templates" else _domain_labels()
    missing = [f"{where}: {text}" for text, where in texts.items() if text not in ENGLISH]
    assert missing == []


def test_the_english_keeps_the_placeholders_and_has_no_japanese():
    def fields(text):
        return sorted(name for _, name, _, _ in string.Formatter().parse(text) if name)

    wrong = [(ja, en) for ja, en in ENGLISH.items() if fields(ja) != fields(en) or JAPANESE.search(en)]
    assert wrong == []
