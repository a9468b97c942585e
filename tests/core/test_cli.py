"""The `kiosk` command line, run as a real process against a real database (both backends)."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from dataclasses import dataclass

from kiosk_app.cli import main

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class Ran:
    stdout: str
    stderr: str


def _environment(database_url, tmp_path) -> dict:
    return {"KIOSK_DATABASE_URL": database_url, "KIOSK_STAFF": "テスト司書",
            "KIOSK_DATA_DIR": str(tmp_path / "data"), "KIOSK_LIBRARY": None}


@pytest.fixture
def kiosk(database_url, tmp_path):
    """Run `kiosk ARGS...` in this process (click's runner): fast, same code path as the console."""
    runner = CliRunner()
    env = _environment(database_url, tmp_path)

    def run(*args: str, expect: int = 0) -> Ran:
        result = runner.invoke(main, list(args), env=env, catch_exceptions=False)
        assert result.exit_code == expect, (result.stdout, result.stderr)
        return Ran(result.stdout, result.stderr)

    return run


@pytest.fixture
def kiosk_process(database_url, tmp_path):
    """Run the real `kiosk` program as a separate process."""
    env = {**os.environ, **{k: v for k, v in _environment(database_url, tmp_path).items() if v}}
    env.pop("KIOSK_LIBRARY", None)

    def run(*args: str, expect: int = 0) -> subprocess.CompletedProcess:
        result = subprocess.run([sys.executable, "-m", "kiosk", *args], cwd=ROOT, env=env,
                                capture_output=True, text=True, timeout=60)
        assert result.returncode == expect, (result.stdout, result.stderr)
        return result

    return run


def _json(result):
    return json.loads(result.stdout)


def test_init_register_withdraw_reaccession_ledger(kiosk_process):
    kiosk = kiosk_process
    library = _json(kiosk("init", "--name", "ひまわり小学校", "--isil", "JP-1234567", "--first-number", "1001",
                          "--json"))
    assert (library["first_number"], library["isil"]) == (1001, "JP-1234567")
    registered = _json(kiosk("register", "--isbn", "9784033280103", "--title", "はらぺこあおむし",
                             "--source", "ひまわり書店", "--list-price", "1200", "--copies", "2",
                             "--date", "2025-06-01", "--json"))
    assert [(c["number"], c["price"], c["series"], c["sheet"], c["row"]) for c in registered["copies"]] == [
        (1001, 1320, "purchase", 1, 1), (1002, 1320, "purchase", 1, 2)]
    lot = _json(kiosk("register", "--isbn", "9784834000825", "--isbn", "9784003101018", "--title", "ぐりとぐら",
                      "--title", "坊っちゃん", "--lot-total", "1651", "--list-price", "1000", "--list-price", "500",
                      "--source", "ひまわり書店", "--date", "2025-06-01", "--json"))
    assert [(c["price"], c["rounding_adjusted"]) for c in lot["copies"]] == [(1100, False), (551, True)]
    withdrawn = _json(kiosk("withdraw", "1001", "--reason", "lost", "--json"))
    assert withdrawn["status"] == "withdrawn"
    found = _json(kiosk("reaccession", "1001", "--json"))
    assert found["copies"][0]["number"] == 1005 and found["reaccession_of"] == 1001
    gift = _json(kiosk("register", "--title", "寄贈本", "--kind", "donation", "--source", "山田さん", "--json"))
    assert gift["copies"][0]["series"] == "donation" and gift["copies"][0]["price"] == 0
    ledger = _json(kiosk("ledger", "--json"))
    assert [(s["series"], s["fiscal_year"], s["count"]) for s in ledger["sheets"]] == [
        ("purchase", 2025, 4), ("purchase", 2026, 1), ("donation", 2026, 1)]
    first_sheet = ledger["sheets"][0]
    assert first_sheet["amount"] == 1320 * 2 + 1651
    assert [(r["number"], r["status"]) for r in first_sheet["rows"]][:2] == [(1001, "withdrawn"), (1002, "active")]
    only_2025 = _json(kiosk("ledger", "--year", "2025", "--series", "purchase", "--json"))
    assert len(only_2025["sheets"]) == 1
    history = _json(kiosk("history", "1001", "--json"))
    assert [e["action"] for e in history["events"]] == ["registered", "withdrawn", "found"]
    assert history["events"][1]["actor"] == "テスト司書"


@pytest.mark.parametrize(
    "args, message",
    [
        (["--isbn", "9784033280104", "--title", "x", "--price", "100"], "check digit"),
        (["--title", "x", "--price", "-100"], "0 or more"),
        (["--title", "x", "--price", "100", "--fund", "bogus"], "unknown fund"),
        (["--title", "x", "--price", "100", "--discount", "101"], "larger than the price"),
        (["--title", "x", "--price", "100", "--kind", "purchase", "--fund", "pta"], "donation"),
        (["--title", "x", "--price", "100", "--slip-total", "150"], "slip total"),
        (["--title", "卒業文集", "--category", "graduation_anthology", "--kind", "donation"], "not registered"),
        (["--title", "x"], "no price"),
    ],
)
def test_bad_input_exits_2_with_one_line_and_writes_nothing(kiosk, args, message):
    kiosk("init", "--name", "ひまわり小学校")
    result = kiosk("register", "--source", "ひまわり書店", *args, expect=2)
    assert message in result.stderr and result.stderr.count("\n") == 1
    assert result.stdout == ""
    assert _json(kiosk("ledger", "--json")) == {"sheets": [], "lost_numbers": []}
    assert _json(kiosk("libraries", "--json"))["libraries"][0]["next_number"] == 1


def test_unknown_number_and_bad_isil_exit_2(kiosk):
    assert "JP-" in kiosk("init", "--name", "x", "--isil", "JP-12", expect=2).stderr
    kiosk("init", "--name", "ひまわり小学校")
    assert "9999" in kiosk("withdraw", "9999", "--reason", "lost", expect=2).stderr
    assert "reason" in kiosk("withdraw", "1", "--reason", "stolen", expect=2).stderr


def test_several_libraries_need_library_option(kiosk):
    kiosk("init", "--name", "A小学校", "--isil", "JP-0000001")
    kiosk("init", "--name", "B中学校", "--isil", "JP-0000002", "--first-number", "500")
    assert "--library" in kiosk("register", "--title", "x", "--price", "1", "--source", "s", expect=2).stderr
    result = _json(kiosk("register", "--library", "JP-0000002", "--title", "x", "--price", "1", "--source", "s",
                         "--json"))
    assert result["copies"][0]["number"] == 500


def test_init_if_empty_is_idempotent(kiosk):
    first = _json(kiosk("init", "--name", "A", "--if-empty", "--json"))
    again = _json(kiosk("init", "--name", "B", "--if-empty", "--json"))
    assert (first["created"], again["created"], again["id"], again["name"]) == (True, False, first["id"], "A")


def test_real_process_exits_2_on_bad_input(kiosk_process):
    kiosk_process("init", "--name", "ひまわり小学校")
    result = kiosk_process("register", "--title", "x", "--price", "-1", "--source", "s", expect=2)
    assert result.stderr.startswith("kiosk: ") and "価格" in result.stderr


def test_audit_figures_and_ledger_csv(kiosk, tmp_path):
    import csv as csv_module
    from datetime import date

    from kiosk.ledger.fiscal import fiscal_year

    kiosk("init", "--name", "ひまわり小学校図書館", "--first-number", "501")
    kiosk("register", "--title", "ぐりとぐら", "--source", "ひまわり書店", "--price", "1100", "--copies", "2")
    kiosk("register", "--title", "寄贈の本", "--source", "山田さん", "--kind", "donation", "--price", "0")
    kiosk("withdraw", "502", "--reason", "worn")
    year = fiscal_year(date.today())
    figures = json.loads(kiosk("audit", "--json").stdout)
    assert figures["fiscal_year"] == year and figures["numbers"] == [501, 503]
    assert figures["accessioned"]["purchase"] == {"copies": 2, "amount": 2200}
    assert figures["accessioned"]["donation"] == {"copies": 1, "amount": 0}
    assert figures["withdrawn"] == 1 and figures["holdings"]["end"] == 2
    text = kiosk("audit", "--year", str(year)).stdout
    assert "受入\t寄贈 寄贈（無償）\t1冊（うち0円 1冊）\t0円" in text and "年度末 2冊" in text
    out = tmp_path / "ledger.csv"
    assert "3行を" in kiosk("ledger", "--csv", str(out), "--encoding", "sjis").stdout
    rows = list(csv_module.reader(out.read_text(encoding="cp932").splitlines()))
    assert [row[2] for row in rows[1:]] == ["501", "502", "503"] and rows[3][10] == "寄贈"
    assert "年度 1900 は指定できません" in kiosk("audit", "--year", "1900", expect=2).stderr
