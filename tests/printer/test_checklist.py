"""The processing checklist (装備チェックリスト): a row per registered copy with a box per
step, read back out of the PDF with poppler's pdftotext (both databases)."""

import math
import re
import shutil
import subprocess
from datetime import date

import pytest

from kiosk.ledger.accession import Accession, Book, CopyRequest, register
from kiosk.errors import KioskError, NotFound
from kiosk.ledger.funds import Fund, Kind
from kiosk.ledger.number_ranges import typed_items
from kiosk.labels.processing_checklist import processing_checklist
from kiosk.processing_steps import DEFAULT_STEPS
from kiosk.settings import change_settings, settings_for
from kiosk.ledger.withdrawal import parse_reason, withdraw
from printer.checklist_pdf import ROWS_PER_PAGE, checklist_pdf
from tests.printer.cli import cli_with_copies

ON = date(2026, 11, 20)


@pytest.fixture(autouse=True)
def _poppler():
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed: scripts/test.sh installs it")


def pages_of(pdf: bytes, tmp_path) -> list[str]:
    path = tmp_path / "checklist.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return [page for page in text.split("\f") if page.strip()]


def row_of(pages: list[str], number: int) -> str:
    lines = [line for page in pages for line in page.splitlines() if re.match(rf"\s*{number}\s", line)]
    assert len(lines) == 1, f"copy {number} is on {len(lines)} rows"
    return lines[0]


def purchase(db, library_id, books, **accession):
    kind = accession.pop("kind", Kind.PURCHASE)
    fund = accession.pop("fund", Fund.CITY)
    result = register(db, library_id, Accession(kind, fund, accession.pop("source", "ひまわり書店"), ON, **accession),
                      books, actor="t")
    return [copy.number for copy in result.copies]


def test_every_copy_once_with_its_call_number_and_notes(db, library_id, tmp_path):
    lot = purchase(db, library_id, [CopyRequest(Book("ぐりとぐら", classification="E", author_mark="ナ"), list_price=1000),
                                    CopyRequest(Book("ぐりとぐらのえんそく", classification="E", author_mark="ナ"), list_price=1000),
                                    CopyRequest(Book("ぐりとぐらのかいすいよく", classification="E", author_mark="ナ"), list_price=1000)],
                   lot_total=3301)  # 3 × 1,100 + 1: the yen left over goes on the last book
    gift = purchase(db, library_id, [CopyRequest(Book("坊っちゃん", volume="上", classification="913", author_mark="ナ"), price=0)],
                    kind=Kind.DONATION, fund=Fund.GIFT, source="山田花子")
    unsorted = purchase(db, library_id, [CopyRequest(Book("題名だけの本"), price=880)])
    numbers = lot + gift + unsorted
    checklist = processing_checklist(db, library_id, numbers)
    pages = pages_of(checklist_pdf(checklist, printed_on=date(2026, 12, 2)), tmp_path)

    assert len(pages) == 1
    head = pages[0]
    assert "装備チェックリスト" in head and "ひまわり小学校図書館" in head and "1 / 1 ページ" in head
    assert "受入 2026-11-20" in head and "受入先 ひまわり書店、山田花子" in head and "5冊" in head
    for step in DEFAULT_STEPS[:3]:
        assert step in head
    assert "E ナ" in row_of(pages, lot[0]) and "ぐりとぐら" in row_of(pages, lot[0])
    assert "端数調整" in row_of(pages, lot[-1])
    assert all("端数調整" not in row_of(pages, n) for n in lot[:-1])
    assert "寄贈" in row_of(pages, gift[0]) and "坊っちゃん 上" in row_of(pages, gift[0])
    assert "請求記号が未定" in row_of(pages, unsorted[0])
    assert "寄贈" not in row_of(pages, lot[0])


def test_two_hundred_copies_run_over_numbered_pages_each_headed(db, library_id, tmp_path):
    numbers = purchase(db, library_id, [CopyRequest(Book(f"本 {i}", classification="913", author_mark="ア"), price=1100)
                                        for i in range(200)])
    pages = pages_of(checklist_pdf(processing_checklist(db, library_id, numbers)), tmp_path)
    expected = math.ceil(200 / ROWS_PER_PAGE)
    assert len(pages) == expected
    for index, page in enumerate(pages, start=1):
        assert f"{index} / {expected} ページ" in page and "登録番号" in page and "200冊" in page
    for number in numbers:
        row_of(pages, number)  # each exactly once
    first_page_numbers = [int(m) for m in re.findall(r"^\s*(\d{4})\s", pages[0], re.M)]
    assert first_page_numbers == numbers[:ROWS_PER_PAGE]  # in the order asked for


def test_a_long_or_hostile_title_is_cut_to_its_column(db, library_id, tmp_path):
    hostile = "<script>alert(1)</script>\x00\x1b[31m" + "とても長い書名" * 40
    number, = purchase(db, library_id, [CopyRequest(Book(hostile[:500].replace("\x00", "")), price=0)], kind=Kind.DONATION,
                       fund=Fund.GIFT, source="）\\(Tj) ET")
    pages = pages_of(checklist_pdf(processing_checklist(db, library_id, [number])), tmp_path)
    row = row_of(pages, number)
    assert "<script>alert(1)</script>" in row and "…" in row and "\x1b" not in pages[0]
    assert "受入先 ）\\(Tj) ET" in pages[0]  # shown as text, the PDF's own syntax untouched
    assert len(pages) == 1


def test_a_withdrawn_or_reaccessioned_copy_says_so(db, library_id, tmp_path):
    from kiosk.ledger.withdrawal import reaccession

    old, = purchase(db, library_id, [CopyRequest(Book("なくした本", classification="913", author_mark="ナ"), price=880)])
    withdraw(db, library_id, old, parse_reason("lost"), actor="t", on=ON)
    new = reaccession(db, library_id, old, actor="t", on=ON).number
    pages = pages_of(checklist_pdf(processing_checklist(db, library_id, [old, new])), tmp_path)
    assert "除籍済み" in row_of(pages, old)
    assert f"再受入（旧{old}）" in row_of(pages, new)


def test_an_unknown_number_is_refused_in_japanese(db, library_id):
    numbers = purchase(db, library_id, [CopyRequest(Book("ぐりとぐら"), price=1100)])
    with pytest.raises(NotFound) as refused:
        processing_checklist(db, library_id, numbers + [9999])
    assert refused.value.ja == "登録番号 9999 の本はありません"


def test_the_steps_are_the_librarys_own(db, library_id, tmp_path):
    numbers = purchase(db, library_id, [CopyRequest(Book("ぐりとぐら"), price=1100)])
    with db.write() as session:
        change_settings(session, library_id, "processing", {"steps": typed_items("蔵書印、ブッカー，分類シール ICタグ")}, actor="t")
    pages = pages_of(checklist_pdf(processing_checklist(db, library_id, numbers)), tmp_path)
    for step in ("蔵書印", "ブッカー", "分類シール", "ICタグ"):
        assert step in pages[0]
    assert "小口印" not in pages[0]


@pytest.mark.parametrize("steps, ja", [
    ([], "装備の項目は1〜8個にしてください"),
    (["印"] * 2, "同じ装備の項目が2回あります"),
    ([f"項目{i}" for i in range(9)], "装備の項目は1〜8個にしてください"),
    (["ラベルキーパー貼り付け"], "装備の項目名は1〜8文字にしてください（「ラベルキーパー貼り付け」）"),
    ("登録印", "装備の項目は1〜8個にしてください"),
])
def test_bad_steps_are_refused_and_the_saved_ones_kept(db, library_id, steps, ja):
    with pytest.raises(KioskError) as refused, db.write() as session:
        change_settings(session, library_id, "processing", {"steps": steps}, actor="t")
    assert refused.value.ja == ja
    with db.read() as session:
        assert settings_for(session, library_id).processing.steps == DEFAULT_STEPS


def test_the_cli_writes_the_checklist(database_url, tmp_path):
    run = cli_with_copies(database_url, 3)
    output = tmp_path / "out.pdf"
    result = run("checklist", "1001-1003", "-o", str(output))
    assert result.exit_code == 0, result.output
    assert "3冊分の装備チェックリスト" in result.output
    pages = pages_of(output.read_bytes(), tmp_path)
    assert [row_of(pages, n) for n in (1001, 1002, 1003)]
    refused = run("checklist", "1001-1004", "-o", str(tmp_path / "no.pdf"))
    assert refused.exit_code == 2 and "登録番号 1004 の本はありません" in refused.stderr
    assert not (tmp_path / "no.pdf").exists()


def test_a_checklist_of_more_than_two_thousand_copies_is_refused(db, library_id):
    from kiosk.ledger.number_ranges import parse_numbers

    with pytest.raises(KioskError) as refused:
        processing_checklist(db, library_id, parse_numbers("1001-3001"))
    assert refused.value.ja == "チェックリストは2000冊までです"
