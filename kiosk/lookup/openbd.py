"""openBD ``/v1/get?isbn=`` responses to a BibRecord.

openBD answers a JSON array with one item per ISBN asked: ``null`` when it does not know the
ISBN, else an object with ``summary`` (flat strings) and ``onix`` (the publisher's ONIX for
Books 3.0 data, as JPRO collects it). ONIX is preferred where it is richer: readings
(``collationkey``), the price without tax (PriceType 03), the C-code (Subject scheme 78)
and each contributor's role; ``summary.author`` gives the role words as printed (さく, やく).
"""

import json
import re
from dataclasses import replace

from kiosk.codes.isbn import InvalidISBN, to_isbn13
from kiosk.lookup.faults import LookupFailed
from kiosk.lookup.record import FIELD_LABELS, BibRecord, Creator, InvalidRecord
from kiosk.lookup.roles import name_keys, reading_of_kana_name, split_slash_statement
from kiosk.lookup.values import parse_year

SOURCE = "openbd"
# ONIX code list 17 (contributor role) → the role as a Japanese catalogue writes it.
ONIX_ROLES = {
    "A01": "著", "A02": "著", "A03": "脚本", "A06": "作曲", "A08": "写真", "A09": "作",
    "A12": "絵", "A13": "写真", "A24": "解説", "A38": "原作", "B01": "編", "B05": "翻案",
    "B06": "訳", "B09": "編", "B11": "編著", "B20": "監修", "B21": "監修",
}
# ONIX code list 58: 01 = RRP excluding tax, 03 = fixed retail price excluding tax (定価・本体).
# 02 and 04 include tax and are never used (the kiosk adds the tax itself).
_PRICE_TYPES = ("03", "01")


def parse_openbd_response(body: str | bytes, isbn13: str) -> BibRecord | None:
    """The record for ``isbn13``, None for ``[null]``; LookupFailed for anything untrustworthy."""
    try:
        data = json.loads(body)
    except UnicodeDecodeError as error:  # bytes json cannot decode (it guesses UTF-8/16/32)
        cut = error.end >= len(body) and error.reason in ("unexpected end of data", "truncated data")
        raise LookupFailed(SOURCE, "truncated" if cut else "encoding", isbn13,
                           f"not JSON text: {error}") from None
    except json.JSONDecodeError as error:
        text = body if isinstance(body, str) else body[:200].decode("utf-8", "replace")
        if text.lstrip()[:15].lower().startswith(("<!doctype html", "<html")):
            raise LookupFailed(SOURCE, "html_page", isbn13, "openBD sent an HTML page") from None
        status = "truncated" if _looks_cut(text, error) else "malformed"
        raise LookupFailed(SOURCE, status, isbn13, f"not JSON: {error}") from None
    if not isinstance(data, list) or len(data) != 1:
        raise LookupFailed(SOURCE, "malformed", isbn13,
                           "expected a JSON array with one item per ISBN asked")
    item = data[0]
    if item is None:
        return None
    if not isinstance(item, dict):
        raise LookupFailed(SOURCE, "malformed", isbn13, "the item is not a JSON object")
    return _record(item, isbn13)


def _looks_cut(text: str, error: json.JSONDecodeError) -> bool:
    """The JSON stops early (a cut transfer) rather than being wrong in the middle."""
    return bool(text.strip()) and (error.pos >= len(text.rstrip()) - 1
                                   or error.msg.startswith("Unterminated string"))


def _get(data, *path):
    for key in path:
        if isinstance(key, int):
            data = data[key] if isinstance(data, list) and len(data) > key else None
        else:
            data = data.get(key) if isinstance(data, dict) else None
        if data is None:
            return None
    return data


def _text(value) -> str | None:
    if isinstance(value, dict):
        value = value.get("content")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(value)
    return value.strip() or None if isinstance(value, str) else None


def _object(value) -> dict:
    """``value`` where ONIX has an object; {} for anything else a broken feed sends there."""
    return value if isinstance(value, dict) else {}


def _as_list(value) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _record(item: dict, isbn13: str) -> BibRecord:
    summary = item.get("summary") if isinstance(item.get("summary"), dict) else {}
    onix = item.get("onix") if isinstance(item.get("onix"), dict) else {}
    given = _text(summary.get("isbn")) or _text(_get(onix, "ProductIdentifier", "IDValue")) \
        or _text(onix.get("RecordReference"))
    try:
        answered = to_isbn13(given) if given else None
    except InvalidISBN:
        answered = None
    if answered != isbn13:
        raise LookupFailed(SOURCE, "mismatch", isbn13, f"openBD answered for {given!r}")
    detail = _object(_get(onix, "DescriptiveDetail"))
    title_element = _first(_get(detail, "TitleDetail", "TitleElement"))
    title = _text(_get(title_element, "TitleText")) or _text(summary.get("title"))
    reading = _reading(_get(title_element, "TitleText"))
    subtitle = _text(_get(title_element, "Subtitle"))
    if title and subtitle:
        title = f"{title} : {subtitle}"
        sub_reading = _reading(_get(title_element, "Subtitle"))
        reading = f"{reading} : {sub_reading}" if reading and sub_reading else reading
    publishing = _object(_get(onix, "PublishingDetail"))
    publisher = (_text(_get(publishing, "Imprint", "ImprintName"))
                 or _text(_get(publishing, "Publisher", "PublisherName"))
                 or _text(summary.get("publisher")))
    dates = {_text(d.get("PublishingDateRole")): _text(d.get("Date"))
             for d in _as_list(publishing.get("PublishingDate")) if isinstance(d, dict)}
    year = parse_year(dates.get("01") or dates.get("11") or _text(summary.get("pubdate")))
    price = _price(_get(onix, "ProductSupply", "SupplyDetail", "Price"))
    notes = []
    if price is None and _get(onix, "ProductSupply", "SupplyDetail", "Price"):
        notes.append("openBDに本体価格（税抜）がありません")
    try:
        record = BibRecord(
            isbn13=isbn13, source=SOURCE, title=title, title_reading=reading,
            volume=_text(summary.get("volume")), series=_series(summary, detail),
            creators=tuple(_creators(detail, _text(summary.get("author")))),
            publisher=publisher, year=year, extent=_extent(detail), price=price,
            c_code=_c_code(detail),
        )
    except InvalidRecord as error:
        raise LookupFailed(SOURCE, "incomplete", isbn13, str(error)) from None
    missing = [m for m in record.missing() if m != "ndc"]  # openBD never carries NDC
    if missing:
        notes.append("openBDの書誌に無い項目: " + "、".join(FIELD_LABELS[m] for m in missing))
    if notes:
        record = replace(record, note="。".join(notes))
    return record


def _first(value):
    values = _as_list(value)
    level1 = [v for v in values
              if isinstance(v, dict) and v.get("TitleElementLevel") in ("01", None)]
    return (level1 or values or [None])[0]


def _reading(value) -> str | None:
    return _text(value.get("collationkey")) if isinstance(value, dict) else None


def _series(summary: dict, detail: dict) -> str | None:
    """ONIX Collection first (it carries the number in the series), else summary.series;
    written ``series ; number`` as NDL does."""
    for element in _as_list(_get(detail, "Collection", "TitleDetail", "TitleElement")):
        if isinstance(element, dict) and (title := _text(element.get("TitleText"))):
            number = _text(element.get("PartNumber"))
            return f"{title} ; {number}" if number else title
    return _text(summary.get("series"))


def _price(prices) -> int | None:
    by_type = {}
    for price in _as_list(prices):
        if not isinstance(price, dict) or _text(price.get("CurrencyCode")) not in (None, "JPY"):
            continue
        amount = _text(price.get("PriceAmount"))
        if amount and re.fullmatch(r"[0-9]{1,12}(\.0+)?", amount):  # no float overflow, no 全角 digits
            by_type.setdefault(_text(price.get("PriceType")), int(float(amount)))
    return next((by_type[t] for t in _PRICE_TYPES if t in by_type), None)


def _c_code(detail: dict) -> str | None:
    for subject in _as_list(detail.get("Subject")):
        if isinstance(subject, dict) and _text(subject.get("SubjectSchemeIdentifier")) == "78":
            code = (_text(subject.get("SubjectCode")) or "").upper().removeprefix("C")
            return code if re.fullmatch(r"\d{4}", code) else None
    return None


def _extent(detail: dict) -> str | None:
    for extent in _as_list(detail.get("Extent")):
        if isinstance(extent, dict) and _text(extent.get("ExtentType")) == "11":
            value = _text(extent.get("ExtentValue"))
            if value and value.isdigit():
                return f"{value}p"
    return None


def _creators(detail: dict, author: str | None) -> list[Creator]:
    """ONIX contributors (name, reading, role code), with the printed role word from
    ``summary.author`` when the name matches (``エリック・カール／さく`` → 作)."""
    printed = split_slash_statement(author) if author else []
    creators = []
    contributors = [c for c in _as_list(detail.get("Contributor")) if isinstance(c, dict)]
    contributors.sort(key=lambda c: int(_text(c.get("SequenceNumber")))
                      if re.fullmatch(r"[0-9]{1,9}", _text(c.get("SequenceNumber")) or "") else 0)
    for contributor in contributors:
        person = contributor.get("PersonName")
        name = _text(person)
        if not name:
            continue
        codes = [_text(code) for code in _as_list(contributor.get("ContributorRole"))]
        role = next((ONIX_ROLES[c] for c in codes if c in ONIX_ROLES), None)
        keys = name_keys(name)
        for index, (printed_name, printed_role) in enumerate(printed):
            if printed_role and keys & name_keys(printed_name):
                role = printed_role
                printed.pop(index)
                break
        creators.append(Creator(name=name, role=role,
                                reading=_reading(person) or reading_of_kana_name(name)))
    if not creators:
        creators = [Creator(name=name, role=role, reading=reading_of_kana_name(name))
                    for name, role in printed]
    return creators
