"""One length rule for every text field, and one clock for the ledger's dates, on both backends
and from both front ends (the CLI here; the web pages in tests/web/test_long_text_pages.py)."""

import json
import os
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from kiosk.ledger.accession import Accession, Book, CopyRequest, register
from kiosk.errors import KioskError
from kiosk.ledger.funds import Fund, Kind
from kiosk.intake.delivery import add_slip_line, attach_slip, open_intake, typed_record
from kiosk.library import create_library
from kiosk.lookup.record import BibRecord
from kiosk.db.models import Copy, IntakeSlipLine, Library
from kiosk.intake.slip import Slip, SlipLine
from kiosk.text_limits import TextTooLong
from kiosk.ledger.withdrawal import correct

ROOT = Path(__file__).resolve().parents[2]
LONG = "長" * 600


def _count(db) -> int:
    with db.read() as session:
        return session.scalar(select(func.count()).select_from(Copy))


def _purchase(on=None) -> Accession:
    return Accession(kind=Kind.PURCHASE, fund=Fund.CITY, source="ひまわり書店", on=on)


def test_a_600_character_title_is_refused_whole_and_nothing_is_written(db, library_id):
    with pytest.raises(TextTooLong) as refused:
        register(db, library_id, _purchase(), [CopyRequest(Book(LONG), price=100)], actor="t")
    assert refused.value.ja == "書名が長すぎます（600文字）。500文字以内にしてください"
    assert _count(db) == 0
    with db.read() as session:
        assert session.get(Library, library_id).next_number == 1001
    (copy,) = register(db, library_id, _purchase(), [CopyRequest(Book("長" * 500), price=100)], actor="t").copies
    with db.read() as session:  # exactly the limit is kept whole, on PostgreSQL too
        assert session.scalar(select(Copy.title).where(Copy.number == copy.number)) == "長" * 500


@pytest.mark.parametrize("field, value, name_ja", [
    ("authors", "著" * 501, "著者名"), ("publisher", "社" * 201, "出版者"), ("volume", "巻" * 101, "巻次"),
    ("classification", "9" * 21, "分類記号"),
])
def test_every_book_field_has_its_column_limit(db, library_id, field, value, name_ja):
    with pytest.raises(TextTooLong, match=field) as refused:
        register(db, library_id, _purchase(), [CopyRequest(Book("本", **{field: value}), price=100)], actor="t")
    assert refused.value.ja.startswith(name_ja)
    assert _count(db) == 0


def test_a_correction_too_long_is_refused_and_the_row_kept(db, library_id):
    register(db, library_id, _purchase(), [CopyRequest(Book("もとの書名"), price=100)], actor="t")
    with pytest.raises(TextTooLong):
        correct(db, library_id, 1001, {"title": LONG}, reason="誤記", actor="t")
    with db.read() as session:
        assert session.scalar(select(Copy.title)) == "もとの書名"


def test_typed_slip_lines_and_slips_with_long_text_are_refused_naming_the_line(db, library_id):
    intake = open_intake(db, library_id, source="書店", received_on=date.today(), kind=Kind.PURCHASE,
                         fund=Fund.CITY, actor="t")
    with pytest.raises(TextTooLong):
        add_slip_line(db, intake, title=LONG, quantity=1)
    slip = Slip(encoding="utf-8", lines=[SlipLine(line=1, title="ふつうの本", quantity=1),
                                         SlipLine(line=2, title=LONG, quantity=1)])
    with pytest.raises(KioskError, match="slip line 2") as refused:
        attach_slip(db, intake, slip)
    assert "納品書の2行目" in refused.value.ja
    with db.read() as session:
        assert session.scalar(select(func.count()).select_from(IntakeSlipLine)) == 0


def test_a_typed_record_is_refused_when_too_long_and_a_remote_one_is_cleaned(db):
    with pytest.raises(TextTooLong):
        typed_record("9784033280103", LONG)
    with pytest.raises(TextTooLong):
        typed_record("9784033280103", "本", authors="名" * 201)
    remote = BibRecord(isbn13="9784033280103", title=LONG, source="ndl")  # a hostile remote title: kept cut
    assert len(remote.title) == 500


def test_a_library_name_too_long_is_refused(db):
    with db.write() as session:
        with pytest.raises(TextTooLong):
            create_library(session, "図" * 201, actor="t")


def _cli(database_url, tmp_path, *args, faketime: str | None = None):
    env = {**os.environ, "KIOSK_DATABASE_URL": database_url, "KIOSK_DATA_DIR": str(tmp_path / "data"),
           "KIOSK_STAFF": "t"}
    env.pop("KIOSK_LIBRARY", None)
    command = [sys.executable, "-m", "kiosk", *args]
    if faketime:
        command = ["faketime", "-f", faketime, *command]
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)


def test_the_cli_refuses_a_long_title_on_both_backends(database_url, tmp_path):
    assert _cli(database_url, tmp_path, "init", "--name", "ひまわり小学校").returncode == 0
    ran = _cli(database_url, tmp_path, "register", "--title", LONG, "--price", "100", "--source", "書店")
    assert ran.returncode == 2 and "書名が長すぎます" in ran.stderr, ran
    assert "Traceback" not in ran.stderr


needs_faketime = pytest.mark.skipif(shutil.which("faketime") is None,
                                    reason="faketime (Debian package faketime) is not installed")


@needs_faketime
@pytest.mark.parametrize("backend", ["postgresql"])
def test_a_kiosk_whose_clock_runs_ahead_of_the_server_refuses_to_register(database_url, tmp_path):
    assert _cli(database_url, tmp_path, "init", "--name", "ひまわり小学校").returncode == 0
    ahead = _cli(database_url, tmp_path, "register", "--title", "本", "--price", "100", "--source", "書店",
                 faketime="+400d")
    assert ahead.returncode == 2 and "時計" in ahead.stderr and "進んで" in ahead.stderr, ahead
    on_time = _cli(database_url, tmp_path, "register", "--title", "本", "--price", "100", "--source", "書店",
                   "--json", faketime="+2m")  # within the few minutes allowed: the server's date is used
    assert on_time.returncode == 0, on_time
    (copy,) = json.loads(on_time.stdout)["copies"]
    assert copy["number"] == 1
    behind = _cli(database_url, tmp_path, "withdraw", "1", "--reason", "lost", faketime="-10m")
    assert behind.returncode == 2 and "時計" in behind.stderr, behind
    assert _cli(database_url, tmp_path, "withdraw", "1", "--reason", "lost").returncode == 0


@needs_faketime
@pytest.mark.parametrize("backend", ["sqlite"])
def test_on_sqlite_this_pc_is_the_one_clock(database_url, tmp_path):
    assert _cli(database_url, tmp_path, "init", "--name", "ひまわり小学校").returncode == 0
    ran = _cli(database_url, tmp_path, "register", "--title", "本", "--price", "100", "--source", "書店", "--json",
               faketime="+2m")
    assert ran.returncode == 0, ran
