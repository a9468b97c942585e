"""A bibliographic record (書誌) as the kiosk keeps it, whatever source it came from.

Every field is sanitised when the record is built, so no code path can hold remote text that
is unbounded or carries control characters. Text stays *data*: nothing here escapes HTML;
the web templates and the label renderer escape what they show.

``price`` is the list price in yen **without consumption tax** (本体価格), as NDL and openBD
publish it; the ledger's tax-included price is computed at accession (see kiosk.ledger.prices).
"""

import json
import re
import unicodedata
from dataclasses import dataclass, field, fields
from typing import Any

from kiosk.errors import KioskError
from kiosk.codes.isbn import to_isbn13
from kiosk.text_limits import check_length

SOURCES = ("ndl", "openbd", "cache", "sample", "typed", "import")

# Longest text kept per field: generous for real titles, small enough that a hostile
# response cannot fill the screen or the database.
LIMITS = {
    "title": 500, "title_reading": 500, "volume": 100, "series": 300, "edition": 100,
    "publisher": 200, "extent": 200, "note": 1000, "ndl_bib_id": 20, "jp_number": 20,
    "name": 200, "reading": 200, "role": 20,
}
MAX_CREATORS = 30
MAX_PRICE = 10_000_000
_INVISIBLE = {"\u200b", "\u200e", "\u200f", "\u2028", "\u2029", "\u2060", "\ufeff", "\ufffe"}
_BIDI = {chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))}
_HALFWIDTH_KANA = re.compile(r"[\uff61-\uff9f]+")  # ﾊﾗﾍﾟｺ from old systems → ハラペコ
# Every character the loop in clean_text would drop or rewrite (controls, invisible and bidi
# characters, surrogates, private use, half-width katakana) and runs of spaces: text with none
# of them skips the loop (a 300-copy 登録 reads 300 stored records back).
_MAY_NEED_CLEANING = re.compile(
    r"[\x00-\x1f\x7f-\x9f\u200b\u200e\u200f\u2028\u2029\u2060\ufeff\ufffe\u202a-\u202e\u2066-\u2069"
    r"\ud800-\udfff\ue000-\uf8ff\U000f0000-\U0010ffff\uff61-\uff9f]| {2,}")
_NDC = re.compile(r"\d{1,3}(\.\d{1,8})?")
_C_CODE = re.compile(r"\d{4}")
_ID = re.compile(r"[0-9A-Za-z\-]{1,20}")


class InvalidRecord(KioskError):
    """A record that cannot be kept: no title, a wrong ISBN, an unknown source."""


def clean_text(value: Any, limit: int) -> str | None:
    """Remote text made safe to keep: no control, bidi-override or invisible characters,
    runs of ASCII whitespace collapsed, at most ``limit`` characters; None when empty.

    U+3000 (ideographic space) is kept inside the text: Japanese titles use it. Half-width
    katakana (ﾊﾗﾍﾟｺ, from old systems) becomes full-width; nothing else is rewritten.
    """
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        return None
    text = str(value)
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    if _MAY_NEED_CLEANING.search(text):  # else nothing below would change it: most text, read back from the database
        text = _HALFWIDTH_KANA.sub(lambda m: unicodedata.normalize("NFKC", m.group()), text)
        kept = []
        for ch in text:
            if ch in "\t\n\r\x0b\x0c\x85":
                kept.append(" ")
            elif ch in _INVISIBLE or ch in _BIDI or unicodedata.category(ch) in ("Cc", "Cs", "Co"):
                continue
            else:
                kept.append(ch)
        text = re.sub(r" {2,}", " ", "".join(kept))
    text = text.strip(" \u3000")
    if not text:
        return None
    return text[:limit].rstrip() if len(text) > limit else text


def clean_int(value: Any, low: int, high: int) -> int | None:
    if isinstance(value, bool) or value is None:
        return None
    try:
        number = int(str(value).strip())
    except ValueError:
        return None
    return number if low <= number <= high else None


def clean_code(value: Any, pattern: re.Pattern) -> str | None:
    text = clean_text(value, 40)
    if text is None:
        return None
    text = unicodedata.normalize("NFKC", text).strip()
    return text if pattern.fullmatch(text) else None


@dataclass(frozen=True)
class Creator:
    """One person or body responsible for the work, with the reading of the name (ヨミ) and
    the role as printed (著, 作, 文, 絵, 訳, 編…), or None when the source gives none."""

    name: str
    reading: str | None = None
    role: str | None = None

    def __post_init__(self):
        name = clean_text(self.name, LIMITS["name"])
        if name is None:
            raise InvalidRecord("a creator has no name", "著者名が空です")
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "reading", clean_text(self.reading, LIMITS["reading"]))
        object.__setattr__(self, "role", clean_text(self.role, LIMITS["role"]))

    def to_json(self) -> dict:
        return {"name": self.name, "reading": self.reading, "role": self.role}


@dataclass(frozen=True)
class BibRecord:
    """What the kiosk knows of one ISBN. ``source`` says where it came from; ``note`` says
    in plain words anything a librarian should know (which record was chosen and why)."""

    isbn13: str
    title: str
    source: str
    title_reading: str | None = None
    volume: str | None = None
    series: str | None = None
    edition: str | None = None
    creators: tuple[Creator, ...] = field(default_factory=tuple)
    publisher: str | None = None
    year: int | None = None
    extent: str | None = None
    price: int | None = None
    c_code: str | None = None
    ndc9: str | None = None
    ndc10: str | None = None
    ndl_bib_id: str | None = None
    jp_number: str | None = None
    note: str | None = None

    def __post_init__(self):
        set_ = object.__setattr__
        set_(self, "isbn13", to_isbn13(str(self.isbn13)))
        if self.source == "typed":  # what staff typed is refused when too long, never cut unsaid
            for name in ("title", "title_reading", "volume", "series", "edition", "publisher", "extent", "note"):
                check_length(name, clean_text(getattr(self, name), 10**6), LIMITS[name])
        title = clean_text(self.title, LIMITS["title"])
        if title is None:
            raise InvalidRecord(
                f"record for ISBN {self.isbn13} has no title",
                f"ISBN {self.isbn13} の書誌に書名がありません",
            )
        set_(self, "title", title)
        if self.source not in SOURCES:
            raise InvalidRecord(f"unknown record source {self.source!r}",
                                f"書誌の出どころ「{self.source}」が不明です")
        for name in ("title_reading", "volume", "series", "edition", "publisher", "extent",
                     "note"):
            set_(self, name, clean_text(getattr(self, name), LIMITS[name]))
        creators = tuple(c if isinstance(c, Creator) else Creator(**c) for c in self.creators)
        set_(self, "creators", creators[:MAX_CREATORS])
        set_(self, "year", clean_int(self.year, 1000, 2999))
        set_(self, "price", clean_int(self.price, 0, MAX_PRICE))
        set_(self, "c_code", clean_code(self.c_code, _C_CODE))
        set_(self, "ndc9", clean_code(self.ndc9, _NDC))
        set_(self, "ndc10", clean_code(self.ndc10, _NDC))
        set_(self, "ndl_bib_id", clean_code(self.ndl_bib_id, _ID))
        set_(self, "jp_number", clean_code(self.jp_number, _ID))

    def to_json(self) -> dict:
        """The shape ``kiosk lookup ISBN --json`` prints (the issue's keys first)."""
        return {
            "source": self.source,
            "isbn13": self.isbn13,
            "title": self.title,
            "title_reading": self.title_reading,
            "creators": [c.to_json() for c in self.creators],
            "publisher": self.publisher,
            "year": self.year,
            "price": self.price,
            "ndc9": self.ndc9,
            "ndc10": self.ndc10,
            "volume": self.volume,
            "series": self.series,
            "edition": self.edition,
            "extent": self.extent,
            "c_code": self.c_code,
            "ndl_bib_id": self.ndl_bib_id,
            "jp_number": self.jp_number,
            "note": self.note,
        }

    @classmethod
    def from_json(cls, data: dict | str) -> "BibRecord":
        """Rebuild a record from ``to_json()`` output (or its JSON text); unknown keys such
        as ``statuses`` are ignored, missing ones are None. Sanitised like any new record."""
        if isinstance(data, (str, bytes)):
            data = json.loads(data)
        if not isinstance(data, dict):
            raise InvalidRecord("a record must be a JSON object", "書誌データの形式が違います")
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in data.items() if k in known}
        creators = values.get("creators") or ()
        if not isinstance(creators, (list, tuple)):
            creators = ()
        values["creators"] = tuple(
            Creator(name=c.get("name"), reading=c.get("reading"), role=c.get("role"))
            for c in creators if isinstance(c, dict) and clean_text(c.get("name"), 200)
        )
        if values.get("source") not in SOURCES:
            values["source"] = data.get("origin") if data.get("origin") in SOURCES else "cache"
        for required in ("isbn13", "title"):
            values.setdefault(required, None)
        if values["isbn13"] is None:
            raise InvalidRecord("a record needs isbn13", "書誌データにISBNがありません")
        return cls(**values)

    def missing(self) -> list[str]:
        """Fields a librarian usually wants and this record lacks (for notes and the UI);
        ``ndc`` means neither NDC9 nor NDC10."""
        wanted = ("title_reading", "creators", "publisher", "year", "price")
        gaps = [name for name in wanted if not getattr(self, name)]
        if not self.ndc9 and not self.ndc10:
            gaps.append("ndc")
        return gaps


# Japanese names of fields, for notes and messages a librarian reads.
FIELD_LABELS = {
    "title": "書名", "title_reading": "書名ヨミ", "creators": "著者", "publisher": "出版者",
    "year": "出版年", "price": "価格", "ndc": "NDC", "ndc9": "NDC9", "ndc10": "NDC10",
    "volume": "巻次", "series": "シリーズ", "edition": "版", "extent": "形態",
    "c_code": "Cコード", "isbn13": "ISBN",
}
