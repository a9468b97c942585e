"""The lookup cache in the database: newest record answers, nothing overwritten (both backends)."""

from kiosk.lookup.cache import DatabaseCache
from kiosk.lookup.record import BibRecord, Creator


def _record(title: str, source: str = "ndl") -> BibRecord:
    return BibRecord(isbn13="9784033280103", title=title, source=source, title_reading="ハラペコ アオムシ",
                     creators=(Creator("エリック・カール", "カール, エリック", "作"),), publisher="偕成社",
                     year=1976, price=1200, ndc9="726.6")


def test_put_then_get_returns_the_record(db):
    cache = DatabaseCache(db)
    assert cache.get("9784033280103") is None
    cache.put(_record("はらぺこあおむし"))
    record = cache.get("9784033280103")
    assert record.title == "はらぺこあおむし" and record.creators[0].reading == "カール, エリック"
    assert (record.year, record.price, record.ndc9) == (1976, 1200, "726.6")


def test_newest_record_answers_and_history_is_kept(db):
    cache = DatabaseCache(db)
    cache.put(_record("はらぺこあおむし"))
    cache.put(_record("はらぺこあおむし（手入力）", source="typed"))
    assert cache.get("9784033280103").title == "はらぺこあおむし（手入力）"
    assert cache.get("9784033280103").source == "typed"
    assert len(cache) == 2


def test_hostile_text_is_stored_as_data(db):
    cache = DatabaseCache(db)
    cache.put(_record("<script>alert('x')</script>'; DROP TABLE copies; --"))
    assert cache.get("9784033280103").title.startswith("<script>")
