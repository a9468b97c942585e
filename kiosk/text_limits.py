"""How long a text may be: one rule for every field, whichever screen or command it came from.

The limit of a field is its column's length in the schema (kiosk.db.models), so the check says
exactly what the database would refuse, on SQLite (which would store anything) as on
PostgreSQL (which would fail the whole transaction). Unbounded columns (TEXT) get
``NOTE_LIMIT``: a note, not a document. Text staff typed that is too long is refused with the
field and both lengths; nothing is cut without saying so.
"""

from sqlalchemy import String

from kiosk.errors import KioskError

NOTE_LIMIT = 2000

FIELD_NAMES_JA = {
    "title": "書名", "volume": "巻次", "series_title": "シリーズ名", "authors": "著者名", "publisher": "出版者",
    "classification": "分類記号", "author_mark": "図書記号", "source": "受入先", "fund_note": "財源の内訳",
    "slip_number": "納品書番号", "note": "備考", "override_note": "登録する理由", "price_note": "価格の注記",
    "withdrawal_note": "除籍の内容", "name": "名前", "isbn_text": "ISBN", "printer": "プリンター",
    "title_reading": "書名のよみ", "series": "シリーズ名", "edition": "版", "reading": "よみ", "role": "役割",
    "extent": "ページ数・大きさ", "isil": "ISIL", "volume_mark": "巻冊記号", "c_code": "Cコード",
}


class TextTooLong(KioskError):
    def __init__(self, field: str, length: int, limit: int):
        name_ja = FIELD_NAMES_JA.get(field, field)
        super().__init__(f"{field} is {length} characters long; at most {limit} are kept",
                         f"{name_ja}が長すぎます（{length}文字）。{limit}文字以内にしてください")
        self.field, self.length, self.limit = field, length, limit


def limit_of(model, field: str) -> int:
    """The longest text ``model.field`` holds."""
    column_type = model.__table__.c[field].type
    return column_type.length if isinstance(column_type, String) and column_type.length else NOTE_LIMIT


def check_length(field: str, value: str | None, limit: int) -> None:
    if value is not None and len(value) > limit:
        raise TextTooLong(field, len(value), limit)


def check_fields(model, values: dict) -> None:
    """Every text in ``values`` (field → value) fits its column of ``model``."""
    for field, value in values.items():
        if isinstance(value, str):
            check_length(field, value, limit_of(model, field))
