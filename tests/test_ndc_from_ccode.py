"""An NDC class proposed from a book's C-code, marked 推定: the published examples, a real book
whose C-code (openBD) and NDC (NDL) are both on record, the whole table, and bad codes."""

import logging

import pytest

from kiosk.labels.callnumber import call_number
from kiosk.errors import KioskError
from kiosk.lookup.dcndl import parse_sru_response
from kiosk.lookup.openbd import parse_openbd_response
from kiosk.labels.ndc_from_ccode import FORM_TO_NDC, SUBJECT_TO_NDC, ndc_from_c_code
from kiosk.codes.ccode import SUBJECT

from tests.lookup.fake_service import FIXTURES


@pytest.mark.parametrize("code, ndc, caption", [
    ("C0193", "913", "小説.物語"),  # 文庫の日本の小説 (Wikipedia「日本図書コード」の例)
    ("C9979", "726.1", "漫画.劇画"),  # コミックス (同)
    ("C8771", "726.6", "絵本"),  # 絵本 (同): the form settles it, not the subject 71 絵画
    ("C3055", "547", "通信工学.電気通信"),  # コンピュータ関連書 (Weblio IT用語辞典「分類コード」): 電子通信
    ("C8321", "210", "日本史"),  # 日本の歴史 1 (the delivery-slip fixture)
    ("C2077", "590", "家政学.生活科学"),  # 実用・家事: the C-code files it under the arts, NDC under technology
])
def test_published_examples(code, ndc, caption):
    proposal = ndc_from_c_code(code)
    assert (proposal.ndc, proposal.caption, proposal.estimated) == (ndc, caption, True)
    assert "推定" in proposal.why and code.removeprefix("C") in proposal.why


def test_a_real_book_the_proposal_agrees_with_the_ndl():
    """はらぺこあおむし: openBD gives C8797, the NDL classes it 726.6 (絵本)."""
    isbn = "9784033280103"
    openbd = parse_openbd_response((FIXTURES / "openbd" / f"get-{isbn}.json").read_bytes(), isbn)
    ndl = parse_sru_response((FIXTURES / "ndl" / f"sru-dcndl-xml-{isbn}.xml").read_bytes(), isbn)
    assert openbd.c_code == "8797" and ndl.ndc9 == "726.6"
    assert ndc_from_c_code(openbd.c_code).ndc == ndl.ndc9


def test_the_proposal_makes_the_label_tier_the_rules_would_make():
    assert call_number(ndc9=ndc_from_c_code("C0193").ndc).top == "913"
    assert call_number(ndc9=ndc_from_c_code("C8797").ndc).top == "E"
    assert call_number(ndc9=ndc_from_c_code("C0979").ndc).top == "726"


def test_broad_subjects_propose_the_general_class_and_say_where_to_look():
    foreign = ndc_from_c_code("C0097")  # 外国文学小説: which literature depends on the language
    assert foreign.ndc == "900" and "933" in foreign.hint
    assert ndc_from_c_code("C0022").ndc == "200" and "230" in ndc_from_c_code("C0022").hint


def test_every_subject_of_the_c_code_table_has_a_class_in_its_own_division():
    assert set(SUBJECT_TO_NDC) == set(SUBJECT)
    crossings = {subject for subject, (ndc, _, _) in SUBJECT_TO_NDC.items() if ndc[0] != subject[0]}
    assert crossings == {"77"}  # 家事: 7 (芸術) in the C-code, 5 (技術) in NDC
    assert set(FORM_TO_NDC) == {"7", "9"}


@pytest.mark.parametrize("code", ["C0003", "0078", "C0088"])
def test_a_subject_outside_the_table_gets_no_proposal(code):
    assert ndc_from_c_code(code) is None


@pytest.mark.parametrize("code", [None, "", "  "])
def test_no_code_no_proposal(code):
    assert ndc_from_c_code(code) is None


def test_full_width_digits_typed_with_an_ime_are_read():
    assert ndc_from_c_code("Ｃ０１９３").ndc == "913"


def test_a_hostile_code_is_refused_with_a_clean_japanese_message_and_a_precise_log(caplog):
    with caplog.at_level(logging.WARNING, logger="kiosk.labels.ndc_from_ccode"):
        with pytest.raises(KioskError) as error:
            ndc_from_c_code("\u202eC01<b>93\x00")
    assert error.value.ja == "「C01<b>93」はCコードではありません（C＋4桁の数字、例: C0193）"
    assert "\\u202eC01<b>93\\x00" in caplog.records[0].getMessage()
