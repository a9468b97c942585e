"""A city's schools on one PostgreSQL server, from the command line: a kiosk bound to its school
by KIOSK_LIBRARY runs every `kiosk` command on the other school (its numbers, lost copy, item
barcodes, staff, --library by id and by ISIL): each is refused (exit status 2, one line on
stderr with the Japanese) or answers about its own school only, and the other school's rows are
the same after as before.

The commands are read from the click group: a new command must get its attempts in
``attempts`` or a reason in ``NO_LIBRARY_DATA``, or the last test fails."""

import click
import pytest
from click.testing import CliRunner

from kiosk_app.cli import main
from tests.two_schools import School, dump, two_schools

pytestmark = pytest.mark.timeout(300)

NO_LIBRARY_DATA = {
    "parse": "says what a scanned code is; reads no database",
    "lookup": "the city's shared bibliographic cache and the NDL/openBD: public catalogue data, no school's ledger",
    "import-catalogue": "writes that shared bibliographic cache (books' records, not copies)",
    "sheets": "searches the shipped label sheet catalogue",
    "migrate": "brings the schema up to date; reads and writes no school's rows",
    "serve": "serves the web app: its routes are tried in tests/web/test_other_librarys_records.py",
}
OTHERS = "このキオスクは「ひまわり小学校図書館」専用です"  # the refusal of --library naming another


def attempts(mine: School, theirs: School, tmp) -> list[tuple[str, tuple[str, ...], str | None]]:
    """(command, arguments, what stderr must say; None: exit 0 and nothing of theirs on stdout)."""
    number, other = theirs.numbers[2], ("--library", str(theirs.id))
    by_isil = ("--library", theirs.isil)
    ledger = tmp / "theirs.csv"
    ledger.write_text("登録番号,受入年月日,受入先,書名,価格,財源\n9001,2024-05-01,越境,越境,100,市費\n", encoding="utf-8")
    out = str(tmp / "out")
    missing = f"{number}"
    return [
        ("init", ("--name", "越境図書館"), "KIOSK_LIBRARY"),
        ("init", ("--name", "越境図書館", "--if-empty"), None),
        ("libraries", ("--json",), None),
        ("settings", other, OTHERS),
        ("settings", ("--isil", theirs.isil), "ほかの図書館のもの"),
        ("register", (*by_isil, "--title", "越境", "--price", "100", "--source", "越境"), OTHERS),
        ("withdraw", (str(number), "--reason", "lost"), missing),
        ("withdraw", (str(number), "--reason", "lost", *other), OTHERS),
        ("reaccession", (str(theirs.lost),), str(theirs.lost)),
        ("reaccession", (str(theirs.lost), *other), OTHERS),
        ("bind", (f"{number}-{number + 1}",), missing),
        ("split", (str(number), "--volume", "上", "--volume", "下"), missing),
        ("correct", (str(number), "--set", "title=越境", "--reason", "越境"), missing),
        ("set-callnumber", (str(number), "--top", "913", "--bottom", "エ"), missing),
        ("set-callnumber", (str(number), "--top", "913", "--bottom", "エ", *by_isil), OTHERS),
        ("correct", (str(number), "--set", "title=越境", "--reason", "越境", *by_isil), OTHERS),
        ("ledger", other, OTHERS),
        ("ledger", ("--json", "--year", "2025"), None),
        ("audit", (*by_isil, "--year", "2025"), OTHERS),
        ("history", (str(number),), None),
        ("history", (str(number), *other), OTHERS),
        ("labels", (str(number), "--output", out + ".pdf"), missing),
        ("labels", (str(mine.numbers[0]), "--output", out + ".pdf", *other), OTHERS),
        ("checklist", (str(number), "--output", out + ".pdf"), missing),
        ("cards", (str(number), "--output", out + ".pdf"), missing),
        ("print", (str(number), "--printer", theirs.printer_url), missing),
        ("callnumber", ("9784033280103", "--offline", *other), OTHERS),
        ("backup", ("--to", str(tmp / "backups")), "PostgreSQL"),
        ("staff add", ("越境者", "--pin", "97531", *other), OTHERS),
        ("staff list", (*by_isil, "--json"), OTHERS),
        ("staff list", ("--json",), None),
        ("staff remove", (next(iter(theirs.staff)),), next(iter(theirs.staff))),
        ("staff remove", (list(theirs.staff)[1], *other), OTHERS),
        ("restore", ("--after-pg-restore", "--highest-label", str(number + 100), *other, "--yes"), OTHERS),
        ("restore", (str(ledger), "--highest-label", "1", "--yes"), "PostgreSQL"),
        ("import-ledger", (str(ledger), "--dry-run", *other), OTHERS),
        ("import-ledger", (str(ledger), *by_isil), OTHERS),
        ("export", ("tsv", "--output", out + ".tsv", *other), OTHERS),
        ("export", ("marc", "--output", out + ".mrc", *by_isil), OTHERS),
        ("report", ("audit", "--year", "2025", "--output", out + ".pdf", *other), OTHERS),
        ("board", ("--year", "2025", "--json"), "KIOSK_LIBRARY"),  # every school's figures: the board's, not a kiosk's
    ]


def _commands(group: click.Group, prefix: str = "") -> set[str]:
    names = set()
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            names |= _commands(command, f"{prefix}{name} ")
        else:
            names.add(prefix + name)
    return names


@pytest.fixture(scope="module")
def city(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("city-cli")
    with two_schools(tmp) as (db, url, schools):
        yield db, url, schools, tmp


def test_a_bound_kiosk_cannot_cross_over_through_any_command(city):
    db, url, (mine, theirs), tmp = city
    env = {"KIOSK_DATABASE_URL": url, "KIOSK_LIBRARY": mine.isil, "KIOSK_DATA_DIR": str(tmp / "data"),
           "KIOSK_PDF_FOLDER": str(tmp / "printed"), "KIOSK_STAFF": "越境テスト"}
    before = dump(db, theirs.id)
    runner, wrong = CliRunner(), []
    for command, arguments, refusal in attempts(mine, theirs, tmp):
        result = runner.invoke(main, [*command.split(), *arguments], env=env)
        said = result.stdout + result.stderr
        leaked = [marker for marker in theirs.markers if marker in said and marker not in " ".join(arguments)]
        if refusal is None:
            ok = result.exit_code == 0 and not leaked and mine.name not in result.stderr
        else:
            lines = result.stderr.strip().splitlines()
            ok = (result.exit_code == 2 and len(lines) == 1 and lines[0].startswith("kiosk: ") and refusal in lines[0]
                  and " / " in lines[0] and not leaked)
        if not ok:
            wrong.append((command, arguments, result.exit_code, leaked, said[-400:], repr(result.exception)))
    assert not wrong, "\n".join(map(str, wrong))
    assert dump(db, theirs.id) == before


def test_every_command_is_tried_or_has_a_reason(tmp_path):
    from tests.two_schools import School

    dummy = School(1, "a", "JP-0000001", "t", [1, 2, 3], 4, 5, ["b"], 1, [1], 2, [1, 2], {"x": "1", "y": "2"}, [1, 2],
                   "v", 1, "pdf:x")
    tried = {command for command, _, _ in attempts(dummy, dummy, tmp_path)}
    commands = _commands(main)
    assert not tried - commands, f"attempts for commands that no longer exist: {tried - commands}"
    untried = commands - tried - set(NO_LIBRARY_DATA)
    assert not untried, f"commands with no cross-over attempt and no reason in NO_LIBRARY_DATA: {sorted(untried)}"
    assert not tried & set(NO_LIBRARY_DATA)
