"""Hostile label and ledger settings, through the real entry points: `kiosk settings` (zero,
negative and huge numbers, odd letters), `kiosk labels --template/--start/--kind` (unknown and
malformed sheets, positions off the sheet), and the settings screen's POSTs (printer offsets,
sheets, colours, barcode digits). Each is saved, or refused cleanly: exit status 2 or a 4xx
with a Japanese message, no traceback, and the database unchanged."""

import re

from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from kiosk.db.storage import open_database
from kiosk.settings import set_staff_pin
from kiosk_app.cli import main

from tests.fuzz.conftest import FUZZ, JAPANESE, dump_all
from tests.printer.cli import cli_with_copies

# Numbers a form or a command line can carry: zero, negatives, just past a limit, past 32 and 64 bits.
number = st.one_of(st.integers(-3, 3), st.integers(-2**70, 2**70), st.sampled_from([20, 21, 60, 61, 2**31, 2**63]))
sheet_name = st.one_of(
    st.text(max_size=40),
    st.sampled_from(["", ":", "Hisago:", ":OP3015", "Hisago:OP3015", "hisago:op3015 ", "A-one:28368",
                     "Nobody:0000", "Hisago:OP3015:extra", "../../etc/passwd", "Hisago:.*", "Hisago:OP30(15"]),
    st.builds(lambda brand, part: f"{brand}:{part}", st.sampled_from(["Hisago", "A-one", "Avery", "x"]),
              st.text(max_size=12)),
)


def _cli_refused_cleanly(result) -> bool:
    """True when the command refused: status 2 (the kiosk's one line, or click's usage error)
    and no traceback; an exception of any other kind fails the test."""
    if result.exit_code == 0:
        return False
    assert isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.exit_code == 2, result.output
    output = result.output
    assert "Traceback" not in output
    assert output.startswith("Usage:") or (output.startswith("kiosk: ") and JAPANESE.search(output)), output
    return True


def test_kiosk_settings_with_hostile_numbers_and_letters(database_url):
    runner, env = CliRunner(), {"KIOSK_DATABASE_URL": database_url}

    def run(*args):
        return runner.invoke(main, list(args), env=env)

    assert run("init", "--name", "ひまわり小学校図書館").exit_code == 0  # no copy yet: --first-number may change
    db = open_database(database_url)
    try:
        @FUZZ
        @given(first=st.none() | number, rows=st.none() | number, digits=st.none() | number,
               prefix=st.none() | st.text(max_size=10), start_stop=st.none() | st.text(max_size=4),
               rounding=st.none() | st.sampled_from(["floor", "half_up", "ceil", "", "round"]) | st.text(max_size=8))
        def change(first, rows, digits, prefix, start_stop, rounding):
            options = {"--first-number": first, "--sheet-rows": rows, "--digits": digits, "--prefix": prefix,
                       "--start-stop": start_stop, "--tax-rounding": rounding}
            args = [part for option, value in options.items() if value is not None for part in (option, str(value))]
            before = dump_all(db)
            result = run("settings", *args)
            if _cli_refused_cleanly(result):
                assert dump_all(db) == before, f"kiosk settings {args} was refused but changed the database"

        change()
    finally:
        db.dispose()


def test_kiosk_labels_with_hostile_sheets_and_positions(database_url, tmp_path):
    run = cli_with_copies(database_url, 2)
    db = open_database(database_url)
    output = tmp_path / "labels.pdf"
    try:
        before = dump_all(db)

        @FUZZ
        @given(template=sheet_name | st.sampled_from(["Hisago:ELM022", "A-one:28368", "Hisago:OP3015"]),
               start=number | st.integers(-1, 70),
               kind=st.sampled_from(["barcode", "barcode", "spine", "both", "", "SPINE", "x"]),
               numbers=st.sampled_from(["1001", "1001-1002", "0", "-1", "1002-1001", "1001-99999999999", "", "a"]))
        def labels(template, start, kind, numbers):
            result = run("labels", numbers, "--kind", kind, "--template", template, "--start", str(start),
                         "--output", str(output))
            _cli_refused_cleanly(result)

        labels()
        assert dump_all(db) == before  # printing a sheet to a PDF writes no row
    finally:
        db.dispose()


def test_the_settings_screen_with_hostile_label_settings(client, app):
    db = app.extensions["kiosk_db"]
    with db.write() as session:
        set_staff_pin(session, 1, "2580", actor="t")
    assert client.post("/staff/login", data={"pin": "2580", "next": "/settings/"}).status_code == 302
    refused = []

    @FUZZ
    @given(post=st.one_of(
        st.fixed_dictionaries({}, optional={
            "offset_x_mm": st.sampled_from(["0", "-0", "10", "-10.0001", "nan", "inf", "-inf", "1e308", "", "１"]),
            "offset_y_mm": st.text(max_size=8), "spine_template": sheet_name, "barcode_template": sheet_name,
            "colour": st.text(max_size=12), "card_layout": st.text(max_size=6),
            "palette": st.text(max_size=30)}).map(lambda form: ("printing", form)),
        st.fixed_dictionaries({}, optional={
            "width": number.map(str), "digits": number.map(str) | st.text(max_size=4),
            "prefix": st.text(max_size=8), "check": st.text(max_size=8)}).map(lambda form: ("item_code", form)),
        st.fixed_dictionaries({"role": st.sampled_from(["spine", "barcode", "", "both"]), "name": sheet_name})
        .map(lambda form: ("sheet", form)),
        st.tuples(st.text(max_size=12), st.dictionaries(st.text(max_size=12), st.text(max_size=12), max_size=3)),
    ))
    def save(post):
        section, form = post
        before = dump_all(db)
        response = client.post(f"/settings/{section}", data=form)
        assert response.status_code < 500, response.get_data(as_text=True)[:500]
        if response.status_code == 302 and "/staff/login" not in response.headers["Location"]:
            return  # saved
        assert response.status_code in (400, 404, 405, 409, 422), (response.status_code, section, form)
        if response.status_code == 400:
            assert JAPANESE.search(response.get_data(as_text=True))
        refused.append(section)
        assert dump_all(db) == before, f"refused settings {section} {form} changed the database"

    save()
    assert refused
