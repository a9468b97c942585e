"""The shipped sample catalogue: made by the converter from the NDL records in data-sources/ndl-sample/,
carrying the NDL's attribution, and answering every one of its books offline, with no
configuration, through the kiosk's real lookup chain (a real database cache in front)."""

import csv
import json
import logging
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from kiosk.lookup.assemble import (BUNDLED_SAMPLE, SAMPLE_CATALOGUE_ATTRIBUTION, SampleCatalogueSource,
                             build_chain, sample_catalogue_attribution)
from kiosk_app.cli import main as kiosk_main
from kiosk.lookup.catalogue_import import comment_lines
from kiosk.lookup.ndl_sample import SOURCE, build, convert, main as converter_main, render

ROOT = Path(__file__).resolve().parent.parent.parent
SOURCE_ROWS = list(csv.DictReader(SOURCE.open(encoding="utf-8", newline=""), delimiter="\t",
                                  quoting=csv.QUOTE_NONE))


@pytest.fixture
def bundled(monkeypatch):
    """No configuration: the kiosk's own sample catalogue."""
    monkeypatch.delenv("KIOSK_SAMPLE_CATALOGUE", raising=False)
    monkeypatch.setenv("KIOSK_LOOKUP_SOURCES", "ndl,openbd")


def test_the_shipped_file_is_what_the_converter_makes():
    catalogue, conversion = build()
    assert BUNDLED_SAMPLE.read_text(encoding="utf-8") == catalogue
    assert len(conversion.records) == len(SOURCE_ROWS) == 193 and conversion.problems == []
    assert converter_main(["--check"]) == 0


def test_the_converter_reads_its_own_copy_of_the_source_and_its_terms():
    """A clean checkout can rerun it: the NDL rows and SOURCE.md are in the project."""
    assert SOURCE == ROOT / "data-sources" / "ndl-sample" / "sample-catalogue.tsv"
    assert "書誌データの利用ルール" in (SOURCE.parent / "SOURCE.md").read_text(encoding="utf-8")


def test_the_attribution_is_in_the_file_the_readme_and_the_function():
    comments = comment_lines(BUNDLED_SAMPLE.read_bytes())
    assert SAMPLE_CATALOGUE_ATTRIBUTION in comments
    assert "出典：国立国会図書館書誌データ" in SAMPLE_CATALOGUE_ATTRIBUTION
    assert "国立国会図書館が作成したものではありません" in SAMPLE_CATALOGUE_ATTRIBUTION
    assert any("https://www.ndl.go.jp/jp/use/metadata/" in line for line in comments)
    assert SAMPLE_CATALOGUE_ATTRIBUTION in (ROOT / "README.md").read_text(encoding="utf-8")
    assert sample_catalogue_attribution(BUNDLED_SAMPLE) == SAMPLE_CATALOGUE_ATTRIBUTION


def test_another_sample_file_says_what_its_own_comments_say(tmp_path):
    own = tmp_path / "ours.tsv"
    own.write_text("# 出典：ひまわり書店の目録\nISBN\t書名\n9784033280103\tはらぺこあおむし\n", encoding="utf-8")
    assert sample_catalogue_attribution(own) == "出典：ひまわり書店の目録"
    bare = tmp_path / "bare.tsv"
    bare.write_text("ISBN\t書名\n9784033280103\tはらぺこあおむし\n", encoding="utf-8")
    assert sample_catalogue_attribution(bare) is None
    assert sample_catalogue_attribution(tmp_path / "missing.tsv") is None


def _reading(ndl_form: str) -> str:
    """The NDL's reading without commas and dates, computed here independently."""
    return " ".join(part for part in ndl_form.split(", ") if not re.search(r"\d", part))


def test_every_record_is_found_offline_through_the_real_chain(db, bundled):
    chain = build_chain(db)
    found = {}
    for row in SOURCE_ROWS:
        result = chain.lookup(row["isbn13"], offline=True)
        assert result.found and result.source == "sample", row["isbn13"]
        assert [s.status for s in result.statuses if s.source in ("ndl", "openbd")] == ["skipped", "skipped"]
        found[row["isbn13"]] = result.record
    for row in SOURCE_ROWS:
        record = found[row["isbn13"]]
        assert record.title_reading == (row["title_reading"] or None)
        assert record.publisher == (row["publisher"] or None)
        assert record.year == (int(row["year"]) if row["year"] else None)
        plain_price = re.fullmatch(r"各?(\d+)円", row["price"])
        assert record.price == (int(plain_price.group(1)) if plain_price else None), row["price"]
        assert (record.ndc10 or record.ndc9) == (row["ndc"] or None)
        creators = [c.split("|") for c in row["creators"].split(" / ")] if row["creators"] else []
        assert [c.reading for c in record.creators] == [_reading(r) or None for _, r, _ in creators]
        japanese = [(c, n) for c, (n, _, _) in zip(record.creators, creators) if not re.search(r"[A-Za-z]", n)]
        assert [c.name for c, _ in japanese] == [_reading(n) for _, n in japanese]
        assert [c.role is None for c in record.creators] == [not r.strip() for _, _, r in creators]


def test_the_authority_forms_and_prices_of_real_rows(db, bundled):
    chain = build_chain(db)

    def record(isbn):
        return chain.lookup(isbn, offline=True).record

    conan = record("9784091234469")  # 小説名探偵コナン 特別編 [5]
    assert (conan.creators[0].name, conan.creators[0].reading, conan.creators[0].role) == (
        "青山 剛昌", "アオヤマ ゴウショウ", "原作")
    assert conan.creators[1].role is None  # the NDL named no role
    assert record("9784046314260").price == 660  # 660円
    ibm = record("9784004304166")  # 650円 (税込): not a list price
    assert ibm.price is None and "税込" in ibm.note
    assert record("9784764230200").volume == "20/1"
    shard = record("9780395978276")
    assert shard.title == "A single shard" and shard.creators[0].name == "Park, Linda Sue"
    assert shard.creators[0].reading is None
    augustine = record("9784309961811")
    assert [c.name for c in augustine.creators][:2] == ["Augustine", "Luther, Martin"]
    assert augustine.creators[-1].role == "訳"
    nagashima = [r for r in SOURCE_ROWS if "[著]" in r["creators"]][0]
    assert record(nagashima["isbn13"]).creators[0].role == "著"
    libraries = record("9784883673803")  # namesakes told apart by 'pub. 2016' / 'pub. 2023'
    assert [c.reading for c in libraries.creators][-2:] == ["ハヤシ カズヒロ", "ハヤシ ユタカ"]
    free = [r for r in SOURCE_ROWS if r["price"] == "非売品"][0]
    assert record(free["isbn13"]).price is None and "非売品" in record(free["isbn13"]).note
    each = [r for r in SOURCE_ROWS if r["price"].startswith("各")][0]
    assert record(each["isbn13"]).price == int(each["price"].strip("各円"))


def test_the_ndc_edition_follows_the_year_the_ndl_moved_to_ndc10(db, bundled):
    chain = build_chain(db)
    for row in SOURCE_ROWS:
        if not row["ndc"]:
            continue
        record = chain.lookup(row["isbn13"], offline=True).record
        if int(row["year"]) >= 2017:
            assert (record.ndc10, record.ndc9) == (row["ndc"], None)
        else:
            assert (record.ndc9, record.ndc10) == (row["ndc"], None)


def test_kiosk_lookup_offline_with_no_configuration(database_url, monkeypatch, tmp_path):
    monkeypatch.delenv("KIOSK_SAMPLE_CATALOGUE", raising=False)
    result = CliRunner().invoke(kiosk_main, ["lookup", "978-4-09-123446-9", "--offline", "--json"],
                                env={"KIOSK_DATABASE_URL": database_url}, catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["source"] == "sample" and data["creators"][0]["reading"] == "アオヤマ ゴウショウ"


HEADER = "\t".join(("isbn13", "title", "title_reading", "volume", "series", "creators", "publisher",
                    "year", "price", "ndc", "c_code", "genre", "source_id"))


def _row(isbn="9784033280103", title="はらぺこあおむし", creators="", price="1200円", year="1976"):
    return "\t".join((isbn, title, "", "", "", creators, "偕成社", year, price, "726.6", "", "",
                      "ndlsearch:R100000002-I000001234567"))


def test_hostile_and_odd_rows_are_cleaned_or_left_out_with_a_reason(caplog):
    rows = [
        _row(title="\u202eはらぺこ\x00あおむし\u200b<script>alert(1)</script>"),  # bidi, NUL, markup
        _row(isbn="9784033280104"),  # wrong check digit
        _row(isbn="9784033280103", title="again"),  # the same ISBN twice
        _row(isbn="9784834000825", title="   "),  # no title
        _row(isbn="9784834000826"[:12] + "5", title="長" * 5000, creators="名前だけ"),  # too long; no pipes
        "9784834000825\tぐりとぐら",  # too few columns
        _row(isbn="9784834000917", title="ぐりとぐらのおきゃくさま",
             creators="中川, 李枝子, 1935-|ナカガワ, リエコ, 1935-|文 / 山脇, 百合子||絵", price="非売品"),
    ]
    with caplog.at_level(logging.WARNING, logger="kiosk.lookup.ndl_sample"):
        conversion = convert("\n".join([HEADER, *rows]) + "\n")
    harapeko, long_title, guri = conversion.records
    assert harapeko.title == "はらぺこあおむし<script>alert(1)</script>"  # text is data, escaped where shown
    assert len(long_title.title) == 500 and long_title.creators == ()
    assert [(c.name, c.reading, c.role) for c in guri.creators] == [
        ("中川 李枝子", "ナカガワ リエコ", "文"), ("山脇 百合子", None, "絵")]
    assert guri.price is None and "非売品" in guri.note
    problems = [(p.line, p.severity, p.ja) for p in conversion.problems]
    assert [(line, severity) for line, severity, _ in problems] == [
        (3, "error"), (4, "error"), (5, "error"), (6, "warning"), (7, "error")]
    assert "チェックデジット" in problems[0][2] and "2行目と重複" in problems[1][2]
    assert "書名がありません" in problems[2][2] and "名前|ヨミ|役割" in problems[3][2]
    assert "列の数が2です" in problems[4][2]
    logged = [r.getMessage() for r in caplog.records]
    assert "NDL sample line 3: " in logged[0] and "check digit" in logged[0]
    assert any("line 7: 2 columns instead of 13" in message for message in logged)
    # and what is kept reads back through the importer exactly as meant
    text = render(conversion.records)
    assert "\x00" not in text and "\u202e" not in text


def test_a_source_that_is_not_the_ndl_sample_is_refused():
    from kiosk.lookup.ndl_sample import ConversionError

    with pytest.raises(ConversionError) as error:
        convert("ISBN\t書名\n9784033280103\tはらぺこあおむし\n")
    assert "見出し行" in error.value.ja


def test_a_broken_sample_file_is_logged_and_answers_nothing(tmp_path, caplog):
    broken = tmp_path / "broken.tsv"
    broken.write_bytes(b"\xff\xfe\x00\xd8broken")
    with caplog.at_level(logging.ERROR, logger="kiosk.lookup.assemble"):
        assert SampleCatalogueSource(broken).lookup("9784033280103") is None
    bad_rows = tmp_path / "rows.tsv"
    bad_rows.write_text("ISBN\t書名\n9784033280104\tまちがい\n9784033280103\tはらぺこあおむし\n", encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="kiosk.lookup.assemble"):
        assert SampleCatalogueSource(bad_rows).lookup("9784033280103").title == "はらぺこあおむし"
    assert any("line 2" in r.getMessage() and "check digit" in r.getMessage() for r in caplog.records)
