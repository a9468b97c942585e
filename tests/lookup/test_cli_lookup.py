"""`kiosk lookup` and `kiosk import-catalogue` against a real HTTP fake of NDL/openBD and a real
database (SQLite and PostgreSQL)."""

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from kiosk_app.cli import main
from tests.lookup.fake_service import Reply, fixture

NDL_PATH = "/api/sru"
CATALOGUE = Path(__file__).parent / "fixtures" / "catalogue"


@pytest.fixture
def kiosk(database_url, service, tmp_path):
    env = {
        "KIOSK_DATABASE_URL": database_url,
        "KIOSK_NDL_SRU_URL": service.base + NDL_PATH,
        "KIOSK_OPENBD_URL": service.base,
        "KIOSK_LOOKUP_TIMEOUT": "1",
        "KIOSK_LOOKUP_RETRIES": "0",
        "KIOSK_SAMPLE_CATALOGUE": str(tmp_path / "no-sample.tsv"),
    }

    def run(*args, expect=0, **extra_env):
        result = CliRunner().invoke(main, list(args), env={**env, **extra_env}, catch_exceptions=False)
        assert result.exit_code == expect, (result.stdout, result.stderr)
        return result

    return run


def test_ndl_answers_then_the_cache_does_when_ndl_is_down(kiosk, service):
    service.script(NDL_PATH, Reply(fixture("ndl/sru-dcndl-xml-9784033280103.xml")),
                   Reply(b"down", status=503, content_type="text/plain"))
    first = json.loads(kiosk("lookup", "9784033280103", "--json").stdout)
    assert first["source"] == "ndl" and first["title"] == "はらぺこあおむし"
    assert first["creators"][0]["reading"]
    again = json.loads(kiosk("lookup", "4033280103", "--json").stdout)
    assert again["source"] == "cache" and again["title"] == "はらぺこあおむし"
    assert service.count(NDL_PATH) == 1


def test_offline_uses_only_local_sources(kiosk, service):
    result = kiosk("lookup", "9784033280103", "--offline", "--json", expect=1)
    assert service.count(NDL_PATH) == 0
    assert "見つかりません" in result.stderr


def test_sample_catalogue_answers_offline(kiosk, service):
    sample = CATALOGUE / "books-utf8.tsv"
    data = json.loads(kiosk("lookup", _isbn_in(sample), "--offline", "--json",
                            KIOSK_SAMPLE_CATALOGUE=str(sample)).stdout)
    assert data["source"] == "sample" and data["title"] == "しらないまちのちず"
    assert service.count(NDL_PATH) == 0


def test_bad_isbn_exits_2(kiosk):
    assert "check digit" in kiosk("lookup", "9784033280104", expect=2).stderr


def test_import_shift_jis_catalogue_then_lookup_offline(kiosk, service):
    sample = CATALOGUE / "books-cp932.csv"
    report = json.loads(kiosk("import-catalogue", str(sample), "--json").stdout)
    assert report["imported"] > 0 and report["encoding"].lower() in ("cp932", "shift_jis")
    data = json.loads(kiosk("lookup", _isbn_in(sample), "--offline", "--json").stdout)
    assert data["source"] == "cache" and data["origin"] == "import"


def _isbn_in(path: Path) -> str:
    from kiosk.lookup import import_catalogue

    return import_catalogue(path).records[0].isbn13
