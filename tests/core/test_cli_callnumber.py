"""`kiosk callnumber ISBN [--c-code] --json`, `kiosk register --isbn X` without --title, and
`kiosk set-callnumber`, on a real database (both backends), offline: the shipped sample
catalogue and the cache are the only sources."""

import json

import pytest
from click.testing import CliRunner

from kiosk_app.cli import main


@pytest.fixture
def kiosk(database_url, tmp_path):
    env = {"KIOSK_DATABASE_URL": database_url, "KIOSK_STAFF": "テスト司書", "KIOSK_DATA_DIR": str(tmp_path / "data"),
           "KIOSK_LOOKUP_SOURCES": "", "KIOSK_LIBRARY": None, "KIOSK_SAMPLE_CATALOGUE": None}

    def run(*args, expect=0):
        result = CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)
        assert result.exit_code == expect, (result.stdout, result.stderr)
        return result

    run("init", "--name", "ひまわり小学校図書館", "--first-number", "1001")
    return run


def _cache(database_url, record):
    from kiosk.db.storage import open_database
    from kiosk.lookup.cache import DatabaseCache

    db = open_database(database_url)
    DatabaseCache(db).put(record)
    db.dispose()


def test_callnumber_json_gives_each_tier_its_source_and_what_is_estimated(kiosk, database_url):
    from kiosk.lookup import BibRecord, Creator

    conan = json.loads(kiosk("callnumber", "9784091234469", "--offline", "--json").stdout)  # the sample: NDL's NDC
    assert (conan["top"], conan["bottom"], conan["source"]) == ("913", "ア", "sample")
    assert set(conan) >= {"top", "bottom", "volume", "why", "estimated"} and conan["estimated"] == []
    assert "NDL" in conan["why"]["top"] and "アオヤマ" in conan["why"]["bottom"]
    _cache(database_url, BibRecord(isbn13="9784087474398", title="白夜行", source="openbd",
                                   creators=(Creator("東野圭吾", None, "著"),)))
    guessed = json.loads(kiosk("callnumber", "9784087474398", "--c-code", "C0193", "--offline", "--json").stdout)
    assert (guessed["top"], guessed["estimated"]) == ("913", ["top", "bottom"])
    assert "0193" in guessed["why"]["top"] and guessed["bottom"] in ("ト", "ヒ")
    plain = kiosk("callnumber", "9784087474398", "--c-code", "C0193", "--offline").stdout
    assert "分類記号\t913［推定］" in plain


def test_callnumber_of_a_book_no_source_knows(kiosk):
    assert "見つかりません" in kiosk("callnumber", "9784062748681", "--offline", expect=1).stderr
    only_class = json.loads(kiosk("callnumber", "9784062748681", "--c-code", "C8321", "--offline", "--json").stdout)
    assert (only_class["top"], only_class["bottom"], only_class["missing"]) == ("210", None, ["bottom"])
    assert "Cコード" in kiosk("callnumber", "9784062748681", "--c-code", "C83", expect=2).stderr


def test_register_by_isbn_alone_takes_the_record_from_the_lookup_chain(kiosk, database_url):
    from kiosk.db.storage import open_database
    from kiosk.ledger.sheets import find_copy
    from kiosk.printing.queue import jobs

    data = json.loads(kiosk("register", "--isbn", "9784091234469", "--source", "ひまわり書店", "--json").stdout)
    assert data["copies"][0]["title"] == "小説名探偵コナン" and data["copies"][0]["price"] == 754  # 686 + 10 %
    refused = kiosk("register", "--isbn", "9784062748681", "--source", "ひまわり書店", "--price", "1650", expect=2)
    assert "9784062748681" in refused.stderr and "--title" in refused.stderr
    db = open_database(database_url)
    with db.read() as session:
        copy = find_copy(session, 1, 1001)
        assert (copy.classification, copy.author_mark, copy.call_number_state) == ("913", "ア", "record")
        assert copy.authors.startswith("青山 剛昌 原作") and copy.publisher == "小学館"
    assert jobs(db, 1) == []
    db.dispose()


def test_a_copy_registered_without_a_call_number_waits_until_set_callnumber(kiosk, database_url):
    from kiosk.db.storage import open_database
    from kiosk.printing.queue import collected, jobs

    kiosk("register", "--title", "学校のきろく", "--source", "ひまわり書店", "--price", "500")
    db = open_database(database_url)
    assert [(j.numbers, j.status) for j in jobs(db, 1)] == [([1001], "waiting")]
    assert "分類記号を入力" in kiosk("set-callnumber", "1001", "--top", "", "--bottom", "ガ", expect=2).stderr
    done = json.loads(kiosk("set-callnumber", "1001", "--top", "370", "--bottom", "ガ", "--json").stdout)
    assert (done["top"], done["bottom"], len(done["released_jobs"])) == ("370", "ガ", 1)
    assert [(j.numbers, j.kind) for j in collected(db, 1)] == [([1001], "spine")]
    db.dispose()
