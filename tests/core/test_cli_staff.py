"""`kiosk staff add|list|remove`: the staff members from the command line (both backends)."""

import json

import pytest

from kiosk.events import events_for
from kiosk.staff import KioskIdentity, sign_in
from kiosk.db.storage import open_database
from tests.core.test_cli import kiosk  # noqa: F401 (the fixture)


@pytest.fixture
def library(kiosk):  # noqa: F811
    kiosk("init", "--name", "ひまわり小学校図書館")
    return kiosk


def test_staff_added_listed_and_removed(library, database_url):
    kiosk = library
    assert "職員はまだいません" in kiosk("staff", "list").stdout
    assert kiosk("staff", "add", "佐藤", "--pin", "2580").stdout.strip() == "追加しました: 職員「佐藤」（管理者）"
    assert kiosk("staff", "add", "鈴木", "--pin", "1357").stdout.strip() == "追加しました: 職員「鈴木」"
    kiosk("staff", "add", "田中", "--pin", "2468", "--admin")
    assert kiosk("staff", "list").stdout.splitlines() == ["佐藤\t管理者", "鈴木\t職員", "田中\t管理者"]
    listed = json.loads(kiosk("staff", "list", "--json").stdout)["staff"]
    assert [(m["name"], m["admin"], m["created_by"]) for m in listed] == [
        ("佐藤", True, "テスト司書"), ("鈴木", False, "テスト司書"), ("田中", True, "テスト司書")]
    assert "2580" not in kiosk("staff", "list", "--json").stdout

    refused = kiosk("staff", "add", "鈴木", "--pin", "9999", expect=2)
    assert "already" in refused.stderr and "すでにいます" in refused.stderr
    assert "4〜8桁" in kiosk("staff", "add", "高橋", "--pin", "12", expect=2).stderr
    assert "いません" in kiosk("staff", "remove", "高橋", expect=2).stderr
    assert kiosk("staff", "remove", "鈴木").stdout.strip() == "削除しました: 職員「鈴木」"
    kiosk("staff", "remove", "佐藤")
    assert "最後の管理者" in kiosk("staff", "remove", "田中", expect=2).stderr
    assert kiosk("staff", "list").stdout.splitlines() == ["田中\t管理者"]

    db = open_database(database_url)
    try:
        assert sign_in(db, 1, KioskIdentity("x" * 16, "cli"), "田中", "2468").name == "田中"
        with db.read() as session:
            logged = [(e.actor, e.action, e.details["name"]) for e in events_for(session, 1)
                      if e.action.startswith("staff_")]
        assert logged[-2:] == [("テスト司書", "staff_removed", "鈴木"), ("テスト司書", "staff_removed", "佐藤")]
    finally:
        db.dispose()
