"""A price typed by hand past what the ledger's columns hold is refused in Japanese, before the
database sees it (the fuzzing of issue 17 found slips doing this; typed prices did too)."""

import pytest
from click.testing import CliRunner

from kiosk.ledger.prices import MAX_AMOUNT
from kiosk_app.cli import main


@pytest.mark.parametrize("option", ["--price", "--list-price"])
def test_a_price_past_the_limit_is_refused_and_nothing_is_registered(tmp_path, monkeypatch, database_url, option):
    monkeypatch.setenv("KIOSK_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("KIOSK_DATABASE_URL", database_url)
    monkeypatch.setenv("KIOSK_STAFF", "テスト司書")
    monkeypatch.delenv("KIOSK_LIBRARY", raising=False)
    runner = CliRunner()
    assert runner.invoke(main, ["init", "--name", "ひまわり小学校図書館", "--first-number", "1"]).exit_code == 0
    refused = runner.invoke(main, ["register", "--title", "高すぎる本", "--source", "書店", option,
                                   str(10 ** 12), "--json"])
    assert refused.exit_code == 2 and "大きすぎます" in refused.stderr, (refused.stdout, refused.stderr)
    done = runner.invoke(main, ["register", "--title", "高い本", "--source", "書店", option, str(MAX_AMOUNT), "--json"])
    assert done.exit_code == 0, (done.stdout, done.stderr)
    assert '"number": 1' in done.stdout  # the refused one took no number
