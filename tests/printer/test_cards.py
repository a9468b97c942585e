"""Basic cards (基本カード): what the ledger says, on a 125 × 75 mm card or three to an A4
sheet, read back with poppler (pdfinfo for the page size, pdftotext -bbox for where each word
landed); both databases."""

import re
import shutil
import subprocess
from datetime import date

import pytest

from kiosk.ledger.accession import Accession, Book, CopyRequest, register
from kiosk.labels.basic_cards import catalogue_cards
from kiosk.errors import KioskError, NotFound
from kiosk.ledger.funds import Fund, Kind
from kiosk.settings import change_settings
from kiosk.ledger.withdrawal import parse_reason, reaccession, withdraw
from printer.card_pdf import CARD_H, CARD_W, HOLE, cards_pdf
from tests.printer.cli import cli_with_copies

ON = date(2026, 11, 20)
PT = 72 / 25.4


@pytest.fixture(autouse=True)
def _poppler():
    if shutil.which("pdftotext") is None or shutil.which("pdfinfo") is None:
        pytest.skip("poppler-utils is not installed: scripts/test.sh installs it")


def words(pdf: bytes, tmp_path) -> list[list[tuple[str, float, float, float, float]]]:
    """Per page, each word with its box in mm from the page's top-left corner."""
    path = tmp_path / "cards.pdf"
    path.write_bytes(pdf)
    html = subprocess.run(["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True, check=True).stdout
    pages = []
    for page in html.split("<page ")[1:]:
        pages.append([(m.group(5), *(float(v) / PT for v in m.groups()[:4])) for m in re.finditer(
            r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', page)])
    return pages


def page_size_mm(pdf: bytes, tmp_path) -> tuple[float, float]:
    path = tmp_path / "size.pdf"
    path.write_bytes(pdf)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    w, h = re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", info).groups()
    return round(float(w) / PT, 1), round(float(h) / PT, 1)


def text_of(page) -> str:
    return " ".join(word for word, *_ in page)


@pytest.fixture
def copies(db, library_id):
    def accession(kind, fund, source, **kwargs):
        return Accession(kind, fund, source, ON, **kwargs)

    register(db, library_id, accession(Kind.PURCHASE, Fund.CITY, "ひまわり書店", lot_total=2201),
             [CopyRequest(Book("ぐりとぐら", series_title="こどものとも傑作集", authors="なかがわりえこ 文 ／ おおむらゆりこ 絵",
                               publisher="福音館書店", year=1967, classification="E", author_mark="ナ",
                               isbn="9784834000825"), price=1100),
              CopyRequest(Book("ぐりとぐらのえんそく", classification="E", author_mark="ナ"), price=1100)], actor="t")
    register(db, library_id, accession(Kind.DONATION, Fund.GIFT, "山田花子"),
             [CopyRequest(Book("とても長い書名の本" * 20, authors="著者" * 60), price=0)], actor="t")
    return [1001, 1002, 1003]


def test_one_card_a_page_with_what_the_ledger_says(db, library_id, copies, tmp_path):
    pdf = cards_pdf(catalogue_cards(db, library_id, copies), "card")
    assert page_size_mm(pdf, tmp_path) == (CARD_W, CARD_H)
    pages = words(pdf, tmp_path)
    assert len(pages) == 3
    first = text_of(pages[0])
    for expected in ("E", "ナ", "ぐりとぐら（こどものとも傑作集）", "福音館書店，1967", "1,100円", "9784834000825",
                     "2026-11-20", "購入", "ひまわり書店", "1001", "ひまわり小学校図書館"):
        assert expected in first
    assert "端数調整" not in first and "（端数調整）" in text_of(pages[1])  # 1,101円 on the last of the lot
    assert "寄贈" in text_of(pages[2]) and "山田花子" in text_of(pages[2]) and "0円" in text_of(pages[2])


def test_a_long_title_wraps_and_nothing_leaves_the_card_or_covers_the_hole(db, library_id, copies, tmp_path):
    from kiosk.library import update_settings
    from kiosk.db.models import Library

    with db.write() as session:
        update_settings(session, session.get(Library, library_id), actor="t",
                        name="とても長い名前の市立ひまわり小学校図書館（本館・分館・学習センター）")
    pdf = cards_pdf(catalogue_cards(db, library_id, copies), "card")
    for page in words(pdf, tmp_path):
        for word, x0, y0, x1, y1 in page:
            assert 0 <= x0 and x1 <= CARD_W and 0 <= y0 and y1 <= CARD_H, word
            assert x1 <= HOLE[0] or x0 >= HOLE[2] or y1 <= HOLE[1], f"{word!r} is over the rod hole"
    long_card = words(pdf, tmp_path)[2]
    title_lines = {round(y0) for word, x0, y0, *_ in long_card if "書名" in word}
    assert len(title_lines) == 3 and "…" in text_of(long_card)


def test_three_to_an_a4_sheet(db, library_id, copies, tmp_path):
    with db.write() as session:
        change_settings(session, library_id, "printing", {"card_layout": "a4"}, actor="t")
    pdf = cards_pdf(catalogue_cards(db, library_id, copies + [1001]), "a4")  # 1001 twice: one card
    assert page_size_mm(pdf, tmp_path) == (210.0, 297.0)
    (page,) = words(pdf, tmp_path)
    numbers = [word for word, *_ in page if re.fullmatch(r"100\d", word)]
    assert numbers == ["1001", "1002", "1003"]


def test_a_reaccessioned_copy_names_its_old_number(db, library_id, copies, tmp_path):
    withdraw(db, library_id, 1002, parse_reason("lost"), on=ON, actor="t")
    new = reaccession(db, library_id, 1002, on=ON, actor="t").number
    (page,) = words(cards_pdf(catalogue_cards(db, library_id, [new])), tmp_path)
    assert "その他（再受入 旧1002）" in text_of(page)


def test_bad_requests_are_refused_in_japanese(db, library_id, copies):
    with pytest.raises(NotFound) as missing:
        catalogue_cards(db, library_id, [1001, 4242])
    assert missing.value.ja == "登録番号 4242 の本はありません"
    with pytest.raises(KioskError) as layout:
        cards_pdf(catalogue_cards(db, library_id, [1001]), "b6")
    assert "カードの用紙" in layout.value.ja
    with pytest.raises(KioskError) as setting, db.write() as session:
        change_settings(session, library_id, "printing", {"card_layout": "b6"}, actor="t")
    assert "カードの用紙" in setting.value.ja


def test_the_cli_and_the_screen_print_cards(database_url, tmp_path):
    run = cli_with_copies(database_url, 4)
    output = tmp_path / "cards.pdf"
    result = run("cards", "1001-1004", "-o", str(output))
    assert result.exit_code == 0 and "4枚の基本カード" in result.output
    assert page_size_mm(output.read_bytes(), tmp_path) == (210.0, 297.0)  # the default: A4, three a sheet
    assert len(words(output.read_bytes(), tmp_path)) == 2
    refused = run("cards", "1001-1005", "-o", str(tmp_path / "no.pdf"))
    assert refused.exit_code == 2 and "登録番号 1005 の本はありません" in refused.stderr

    from web import create_app

    app = create_app(database_url, {"TESTING": True, "SECRET_KEY": "t", "LOOKUP_OFFLINE": True})
    try:
        response = app.test_client().get("/printing/cards.pdf?numbers=1001-1002&layout=card")
        assert response.mimetype == "application/pdf" and page_size_mm(response.data, tmp_path) == (CARD_W, CARD_H)
        assert app.test_client().get("/printing/cards.pdf?numbers=1001&layout=b6").status_code == 400
    finally:
        app.extensions["kiosk_db"].dispose()


def test_more_than_a_thousand_cards_at_once_are_refused(db, library_id):
    from kiosk.ledger.number_ranges import parse_numbers

    with pytest.raises(KioskError) as refused:
        catalogue_cards(db, library_id, parse_numbers("1-1001"))
    assert refused.value.ja == "カードは一度に1000枚までです"
