"""合本 and 分本: new numbers for what exists now, the old copies withdrawn and linked, the
value carried over, all or nothing; the year's figures follow (both databases)."""

import json

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from kiosk_app.cli import main
from kiosk.errors import KioskError
from kiosk.events import events_for
from kiosk.ledger.funds import Fund
from kiosk.db.models import Copy
from kiosk.ledger.rebinding import bind, split
from kiosk.ledger.withdrawal import WithdrawalReason, withdraw
from kiosk.ledger.year_figures import year_report
from kiosk.ledger.fiscal import fiscal_year
from tests.core.helpers import donation, purchase, register_n


def copies_of(db, library_id):
    with db.read() as session:
        return {c.number: c for c in session.scalars(select(Copy).where(Copy.library_id == library_id))}


def test_twelve_issues_bound_into_one_volume(db, library_id, today):
    register_n(db, library_id, purchase(today), 12, price=440, title="こどものとも", book={"classification": "E"})
    new = bind(db, library_id, list(range(1001, 1013)), volume="2026年度合本", on=today, actor="司書")
    assert (new.number, new.price) == (1013, 12 * 440)
    rows = copies_of(db, library_id)
    bound = rows[1013]
    assert (bound.kind, bound.series, bound.volume, bound.classification) == ("other", "purchase", "2026年度合本", "E")
    assert bound.price_note == "合本（旧登録番号 " + "・".join(str(n) for n in range(1001, 1013)) + "）"
    assert all(rows[n].status == "withdrawn" and rows[n].withdrawal_reason == "bound"
               and rows[n].withdrawal_note == "合本 → 新登録番号 1013" for n in range(1001, 1013))
    figures_year = fiscal_year(today)
    with db.read() as session:
        figures = year_report(session, library_id, figures_year)
        (event,) = [e for e in events_for(session, library_id, 1005) if e.action == "withdrawn"]
    assert event.details["into"] == 1013
    assert [(line.label, line.copies) for line in figures.withdrawals] == [("合本", 12)]
    assert figures.holdings_end == 1 and figures.accessioned == 13  # the count changed: 12 issues, now one book


def test_a_set_split_into_volumes_shares_its_price(db, library_id, today):
    register_n(db, library_id, purchase(today), 1, price=1001, title="ナルニア国ものがたり（全巻セット）")
    made = split(db, library_id, 1001, ["1", "2", "3"], on=today, actor="t")
    assert [(c.number, c.price, c.rounding_adjusted) for c in made] == [(1002, 333, False), (1003, 333, False),
                                                                        (1004, 335, True)]
    rows = copies_of(db, library_id)
    assert [rows[n].volume for n in (1002, 1003, 1004)] == ["1", "2", "3"]
    assert rows[1001].withdrawal_reason == "split" and rows[1001].withdrawal_note == "分本 → 新登録番号 1002・1003・1004"
    assert sum(rows[n].price for n in (1002, 1003, 1004)) == rows[1001].price


@pytest.mark.parametrize("setup, numbers, ja", [
    ("lost", [1001, 1002], "登録番号 1002 はすでに除籍されています"),
    (None, [1001, 4242], "登録番号 4242 の本はありません"),
    (None, [1001], "合本する本は2〜50冊にしてください"),
    ("gift", [1001, 1004], "購入と寄贈、または財源の違う本は合本できません"),
])
def test_a_binding_that_cannot_be_done_changes_nothing(db, library_id, today, setup, numbers, ja):
    register_n(db, library_id, purchase(today), 3)
    register_n(db, library_id, donation(today, fund=Fund.PTA), 1)
    if setup == "lost":
        withdraw(db, library_id, 1002, WithdrawalReason.LOST, on=today, actor="t")
    before = {n: (c.status, c.withdrawal_reason) for n, c in copies_of(db, library_id).items()}
    with pytest.raises(KioskError) as refused:
        bind(db, library_id, numbers, on=today, actor="t")
    assert refused.value.ja.startswith(ja)
    assert {n: (c.status, c.withdrawal_reason) for n, c in copies_of(db, library_id).items()} == before


@pytest.mark.parametrize("volumes, ja", [(["上"], "分本は2〜50冊に"), (["上", ""], "分本は2〜50冊に"),
                                         (["上", "上"], "同じ巻次が2つあります")])
def test_a_split_that_cannot_be_done_changes_nothing(db, library_id, today, volumes, ja):
    register_n(db, library_id, purchase(today), 1)
    with pytest.raises(KioskError) as refused:
        split(db, library_id, 1001, volumes, on=today, actor="t")
    assert refused.value.ja.startswith(ja) and len(copies_of(db, library_id)) == 1


def test_the_cli_binds_and_splits(database_url, tmp_path):
    env = {"KIOSK_DATABASE_URL": database_url}
    runner = CliRunner()

    def run(*args, expect=0):
        result = runner.invoke(main, list(args), env=env)
        assert result.exit_code == expect, (result.stdout, result.stderr)
        return result

    run("init", "--name", "ひまわり小学校図書館", "--first-number", "1001")
    run("register", "--title", "かがくのとも", "--source", "ひまわり書店", "--price", "440", "--copies", "3")
    assert "新しい登録番号 1004（1,320円）" in run("bind", "1001-1003", "--volume", "合本").stdout
    made = json.loads(run("split", "1004", "--volume", "上", "--volume", "下", "--json").stdout)
    assert [c["number"] for c in made["copies"]] == [1005, 1006] and made["split"] == 1004
    assert "登録番号 1004 はすでに除籍されています" in run("bind", "1004-1005", expect=2).stderr


def test_a_binding_or_split_dated_before_the_copies_came_or_in_the_future_is_refused(db, library_id, today):
    from datetime import timedelta

    register_n(db, library_id, purchase(today), 2)
    with pytest.raises(KioskError) as early:
        bind(db, library_id, [1001, 1002], on=today - timedelta(days=1), actor="t")
    assert "より前です" in early.value.ja
    with pytest.raises(KioskError) as future:
        split(db, library_id, 1001, ["上", "下"], on=today + timedelta(days=1), actor="t")
    assert "未来の日付です" in future.value.ja
    assert all(c.status == "active" for c in copies_of(db, library_id).values()) and len(copies_of(db, library_id)) == 2


def test_more_than_fifty_parts_are_refused(db, library_id, today):
    register_n(db, library_id, purchase(today), 1)
    with pytest.raises(KioskError) as split_refused:
        split(db, library_id, 1001, [str(n) for n in range(1, 52)], on=today, actor="t")
    assert split_refused.value.ja.startswith("分本は2〜50冊に")
    with pytest.raises(KioskError) as bind_refused:
        bind(db, library_id, list(range(1001, 1052)), on=today, actor="t")
    assert bind_refused.value.ja == "合本する本は2〜50冊にしてください"
    assert len(copies_of(db, library_id)) == 1
