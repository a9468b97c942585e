"""Settings the fuzz tests found failing: first registration numbers that failed inside the
database (past the INTEGER column: PostgreSQL's "integer out of range", SQLite's OverflowError
past 64 bits; below the counter: the trigger's raw "registration numbers are never reused"),
and --start-stop letters that upper-case to more letters. Each is now the kiosk's own refusal
in Japanese, before any row is touched."""

import pytest
from click.testing import CliRunner

from kiosk.errors import KioskError
from kiosk.library import LARGEST_FIRST_NUMBER, create_library, update_settings
from kiosk.db.models import Library
from kiosk_app.cli import main

from tests.fuzz.conftest import assert_kiosk_error, dump_all


@pytest.mark.parametrize("first", [LARGEST_FIRST_NUMBER + 1, 2**31, 2**70, 0, 500])
def test_a_first_number_the_counter_cannot_take_is_refused(db, first):
    with db.write() as session:
        library_id = create_library(session, "ひまわり小学校図書館", first_number=1001, actor="t").id
    before = dump_all(db)
    with pytest.raises(KioskError) as refused, db.write() as session:
        update_settings(session, session.get(Library, library_id), actor="t", first_number=first)
    assert_kiosk_error(refused.value)
    assert dump_all(db) == before


def test_the_largest_first_number_is_taken(db):
    with db.write() as session:
        library = create_library(session, "ひまわり小学校図書館", first_number=1001, actor="t")
        update_settings(session, library, actor="t", first_number=LARGEST_FIRST_NUMBER)
        assert library.next_number == LARGEST_FIRST_NUMBER


@pytest.mark.parametrize("args", [["init", "--name", "x", "--first-number", str(2**70)],
                                  ["settings", "--first-number", "99999999999"], ["settings", "--first-number", "0"]])
def test_the_command_line_refuses_them_in_one_line(database_url, args):
    run = CliRunner()
    env = {"KIOSK_DATABASE_URL": database_url}
    if args[0] == "settings":
        assert run.invoke(main, ["init", "--name", "ひまわり小学校図書館", "--first-number", "1001"], env=env).exit_code == 0
    result = run.invoke(main, args, env=env)
    assert result.exit_code == 2 and isinstance(result.exception, SystemExit), repr(result.exception)
    assert "最初の登録番号" in result.output


def test_start_stop_letters_that_upper_case_to_more_letters_are_refused(database_url):
    # Found by tests/fuzz: "0ß" is two letters, "0SS" three, and the unpacking raised ValueError.
    env = {"KIOSK_DATABASE_URL": database_url}
    assert CliRunner().invoke(main, ["init", "--name", "ひまわり小学校図書館"], env=env).exit_code == 0
    result = CliRunner().invoke(main, ["settings", "--start-stop", "0ß"], env=env)
    assert result.exit_code == 2 and isinstance(result.exception, SystemExit), repr(result.exception)
    assert "スタートとストップの2文字" in result.output
