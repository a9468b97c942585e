"""NDL Search SRU responses (``recordSchema=dcndl``) to a BibRecord.

The response is an SRU ``searchRetrieveResponse``; each ``recordData`` holds one DC-NDL
RDF/XML document, either as XML (``recordPacking=xml``) or as escaped text
(``recordPacking=string``, NDL's default): both are read. All XML goes through defusedxml
with DTDs forbidden, so entity bombs and external entities are refused, not expanded.

Several records can answer one ISBN (the NDL's own catalogue, other libraries' union
catalogue, articles, a set and its volumes): the book whose ISBN is exactly this one is
chosen, and the record's ``note`` says which and why (in Japanese, for the librarian).
"""

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field, replace

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

from kiosk.codes.isbn import InvalidISBN, to_isbn13
from kiosk.lookup.faults import LookupFailed
from kiosk.lookup.record import FIELD_LABELS, BibRecord, Creator, InvalidRecord
from kiosk.lookup.roles import name_keys, reading_of_kana_name, split_statement, strip_life_dates
from kiosk.lookup.values import parse_ndc, parse_year, parse_yen

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
DC = "http://purl.org/dc/elements/1.1/"
DCTERMS = "http://purl.org/dc/terms/"
DCNDL = "http://ndl.go.jp/dcndl/terms/"
FOAF = "http://xmlns.com/foaf/0.1/"
NDL_CATALOGUE = "R100000002"  # bibRecordCategory of the NDL's own catalogue (JAPAN/MARC)
_NDC_URI = re.compile(r"/class/ndc(9|10)/([0-9.]+)/?$")
_TRUNCATION_CODES = {3, 5, 6}  # expat: no element found, unclosed token, partial character
SOURCE = "ndl"


def _q(ns: str, name: str) -> str:
    return f"{{{ns}}}{name}"


def _local(tag) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def parse_xml(text: str | bytes, what: str, isbn13: str | None = None) -> ET.Element:
    """Parse untrusted XML: no DTD, no entities; faults become LookupFailed."""
    head = (text[:200].lstrip().lower() if isinstance(text, str)
            else text[:200].lstrip().lower().decode("ascii", "replace"))
    if head.startswith(("<!doctype html", "<html")):
        raise LookupFailed(SOURCE, "html_page", isbn13, f"{what} is an HTML page")
    if not (text.strip() if isinstance(text, str) else text.strip()):
        raise LookupFailed(SOURCE, "malformed", isbn13, f"{what} is empty")
    try:
        return SafeET.fromstring(text, forbid_dtd=True)
    except DefusedXmlException as error:
        raise LookupFailed(SOURCE, "malformed", isbn13,
                           f"{what} declares a DTD or entities, refused: {type(error).__name__}"
                           ) from None
    except ET.ParseError as error:
        status = "truncated" if error.code in _TRUNCATION_CODES else "malformed"
        raise LookupFailed(SOURCE, status, isbn13,
                           f"{what} is not well-formed XML: {error}") from None


@dataclass
class Candidate:
    """One SRU record, read but not yet judged."""

    position: int
    record_id: str | None
    category: str | None
    material_types: list[str]
    isbns: list[str]
    values: dict = field(default_factory=dict)

    @property
    def label(self) -> str:
        return self.record_id or f"#{self.position}"

    def is_book(self) -> bool | None:
        """True for 図書, False for an article or other non-book, None when not said."""
        if not self.material_types:
            return None
        return any(t.endswith("/ndltype/Book") or t in ("図書", "児童書")
                   for t in self.material_types)


def parse_sru_response(body: str | bytes, isbn13: str) -> BibRecord | None:
    """The record for ``isbn13`` from an SRU dcndl response; None when there is none.

    Raises LookupFailed for an unreadable response, an SRU diagnostic, or a book record
    for this ISBN that lacks its title.
    """
    candidates = read_candidates(body, isbn13)
    return choose_record(candidates, isbn13)


def read_candidates(body: str | bytes, isbn13: str | None = None) -> list[Candidate]:
    root = parse_xml(body, "SRU response", isbn13)
    if _local(root.tag) == "html":
        raise LookupFailed(SOURCE, "html_page", isbn13, "SRU response is an HTML page")
    if _local(root.tag) != "searchRetrieveResponse":
        raise LookupFailed(SOURCE, "malformed", isbn13,
                           f"expected searchRetrieveResponse, got <{_local(root.tag)}>")
    if _diagnosed_not_found(root, isbn13):
        return []
    records_el = next((c for c in root if _local(c.tag) == "records"), None)
    number = next((c.text for c in root if _local(c.tag) == "numberOfRecords"), None)
    if number is None or not number.strip().isdigit():
        raise LookupFailed(SOURCE, "malformed", isbn13, "SRU response has no numberOfRecords")
    if records_el is None:
        if int(number) > 0:
            raise LookupFailed(SOURCE, "truncated", isbn13,
                               f"numberOfRecords is {number} but no records came")
        return []
    candidates = []
    for position, record in enumerate((r for r in records_el if _local(r.tag) == "record"), 1):
        data = next((c for c in record if _local(c.tag) == "recordData"), None)
        if data is None:
            raise LookupFailed(SOURCE, "malformed", isbn13, f"record {position} has no recordData")
        rdf = _record_rdf(data, position, isbn13)
        candidates.append(_candidate(rdf, position))
    if int(number) > 0 and not candidates:
        raise LookupFailed(SOURCE, "truncated", isbn13,
                           f"numberOfRecords is {number} but no records came")
    return candidates


def _diagnosed_not_found(root: ET.Element, isbn13: str | None) -> bool:
    """True for a "not found" diagnostic; LookupFailed for any other SRU diagnostic."""
    diagnostics = next((c for c in root if _local(c.tag) == "diagnostics"), None)
    if diagnostics is None:
        return False
    messages = [" ".join((el.text or "").split()) for el in diagnostics.iter()
                if _local(el.tag) in ("message", "details") and el.text]
    text = "; ".join(m for m in messages if m)[:200]
    if re.search(r"does not exist|no record|not found", text, re.IGNORECASE):
        return True  # some SRU servers say "not found" as a diagnostic: an empty result
    raise LookupFailed(SOURCE, "http_error", isbn13, f"SRU diagnostic: {text or 'no message'}")


def _record_rdf(data: ET.Element, position: int, isbn13: str | None) -> ET.Element:
    children = list(data)
    if children:  # recordPacking=xml
        rdf = children[0]
    else:  # recordPacking=string: the record is escaped text, parsed a second time
        rdf = parse_xml((data.text or "").strip(), f"record {position}", isbn13)
    if _local(rdf.tag) != "RDF":
        raise LookupFailed(SOURCE, "malformed", isbn13,
                           f"record {position} is <{_local(rdf.tag)}>, not DC-NDL RDF")
    return rdf


def _candidate(rdf: ET.Element, position: int) -> Candidate:
    bibs = rdf.findall(_q(DCNDL, "BibResource"))
    bib = next((b for b in bibs if (b.get(_q(RDF, "about")) or "").endswith("#material")),
               bibs[0] if bibs else None)
    admin = rdf.find(_q(DCNDL, "BibAdminResource"))
    about = (admin.get(_q(RDF, "about")) if admin is not None else None) or (
        (bib.get(_q(RDF, "about")) or "").split("#")[0] if bib is not None else "")
    record_id = about.rstrip("/").rsplit("/", 1)[-1] or None
    category = _text(admin.find(_q(DCNDL, "bibRecordCategory"))) if admin is not None else None
    if bib is None:
        return Candidate(position, record_id, category, [], [])
    types = []
    for el in bib.findall(_q(DCNDL, "materialType")):
        values = (el.get(_q(RDF, "resource")), el.get(_q(RDFS, "label")), _text(el))
        types += [v for v in values if v]
    identifiers = _identifiers(bib)
    isbns = []
    for raw in identifiers.get("ISBN", []) + identifiers.get("ISBN13", []):
        try:
            isbns.append(to_isbn13(raw))
        except InvalidISBN:
            continue
    candidate = Candidate(position, record_id, category or _category_of(record_id), types, isbns)
    candidate.values = _values(bib, identifiers, candidate)
    return candidate


def _category_of(record_id: str | None) -> str | None:
    return record_id.split("-")[0] if record_id and record_id.startswith("R") else None


def _identifiers(bib: ET.Element) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for el in bib.findall(_q(DCTERMS, "identifier")):
        kind = (el.get(_q(RDF, "datatype")) or "").rstrip("/").rsplit("/", 1)[-1]
        if el.text and el.text.strip():
            found.setdefault(kind, []).append(el.text.strip())
    return found


def _text(el: ET.Element | None) -> str | None:
    if el is None:
        return None
    text = "".join(el.itertext()) if len(el) == 0 else (el.text or "")
    return " ".join(text.split()) or None


def _value(el: ET.Element | None) -> str | None:
    """``<x><rdf:Description><rdf:value>…`` or plain ``<x>…</x>``: the value either way."""
    if el is None:
        return None
    desc = el.find(_q(RDF, "Description"))
    if desc is not None:
        return _text(desc.find(_q(RDF, "value")))
    return _text(el)


def _transcription(el: ET.Element | None) -> str | None:
    if el is None:
        return None
    desc = el.find(_q(RDF, "Description"))
    holder = desc if desc is not None else el
    return _text(holder.find(_q(DCNDL, "transcription")))


def _values(bib: ET.Element, identifiers: dict[str, list[str]], candidate: Candidate) -> dict:
    title_el = bib.find(_q(DC, "title"))
    title = _value(title_el) or _text(bib.find(_q(DCTERMS, "title")))
    reading = _transcription(title_el) or _text(bib.find(_q(DCNDL, "titleTranscription")))
    volumes = [v for v in (_value(el) for el in bib.findall(_q(DCNDL, "volume"))) if v]
    series = next((v for v in (_value(el) for el in bib.findall(_q(DCNDL, "seriesTitle"))) if v),
                  None)
    publishers = [_text(a.find(_q(FOAF, "name")))
                  for a in bib.findall(f"{_q(DCTERMS, 'publisher')}/{_q(FOAF, 'Agent')}")]
    publishers = [p for p in publishers if p] or [
        t for t in (_text(el) for el in bib.findall(_q(DC, "publisher"))) if t]
    issued = _text(bib.find(_q(DCTERMS, "issued"))) or _text(bib.find(_q(DCTERMS, "date")))
    price, price_note = parse_yen(_text(bib.find(_q(DCNDL, "price"))))
    extents = [t for t in (_text(el) for el in bib.findall(_q(DCTERMS, "extent"))) if t]
    ndc9, ndc10 = _classes(bib)
    bib_id = (identifiers.get("NDLBibID") or [None])[0]
    if bib_id is None and candidate.category == NDL_CATALOGUE and candidate.record_id:
        match = re.search(r"-I(\d+)", candidate.record_id)  # R100000002-I000011223692-00
        bib_id = match.group(1) if match else None
    return {
        "title": title, "title_reading": reading, "volume": " ".join(volumes) or None,
        "series": series, "edition": _value(bib.find(_q(DCNDL, "edition"))),
        "creators": _creators(bib), "publisher": " ; ".join(publishers) or None,
        "year": parse_year(issued), "extent": " ; ".join(extents) or None,
        "price": price, "price_note": price_note, "ndc9": ndc9, "ndc10": ndc10,
        "ndl_bib_id": bib_id, "jp_number": (identifiers.get("JPNO") or [None])[0],
    }


def _classes(bib: ET.Element) -> tuple[str | None, str | None]:
    found = {"9": None, "10": None}
    for el in bib.findall(_q(DCTERMS, "subject")):
        match = _NDC_URI.search(el.get(_q(RDF, "resource")) or "")
        if match:
            edition, number = match.groups()
        else:  # a typed literal: <dcterms:subject rdf:datatype=".../NDC9">913.6</…>
            kind = (el.get(_q(RDF, "datatype")) or "").rsplit("/", 1)[-1].upper()
            if kind not in ("NDC9", "NDC10"):
                continue
            edition, number = kind[3:], _text(el)
        if found[edition] is None:
            found[edition] = parse_ndc(number)
    return found["9"], found["10"]


def _creators(bib: ET.Element) -> list[Creator]:
    """Pair the authority forms (dcterms:creator: name + reading, no role) with the
    statements as printed (dc:creator: name + role), by name or reading; leftovers in the
    same number are paired in order, as NDL lists both in title-page order."""
    statements = []
    for el in bib.findall(_q(DC, "creator")):
        for part in re.split(r"\s+[;；]\s+", _text(el) or ""):
            statements += split_statement(part)
    agents = []
    for agent in bib.findall(f"{_q(DCTERMS, 'creator')}/{_q(FOAF, 'Agent')}"):
        name = _text(agent.find(_q(FOAF, "name")))
        if name:
            reading = _text(agent.find(_q(DCNDL, "transcription")))
            agents.append((strip_life_dates(name), reading and strip_life_dates(reading)))
    pairs: list[list] = [[name, role, None] for name, role in statements]
    free = list(range(len(agents)))
    for pair in pairs:
        keys = name_keys(pair[0])
        for index in free:
            name, reading = agents[index]
            if keys & (name_keys(name) | name_keys(reading)):
                pair[2] = index
                free.remove(index)
                break
    unpaired = [p for p in pairs if p[2] is None]
    if unpaired and len(unpaired) == len(free):
        for pair, index in zip(unpaired, list(free), strict=True):
            pair[2] = index
        free = []
    creators = []
    for name, role, index in pairs:
        reading = agents[index][1] if index is not None else None
        if reading is None:
            reading = reading_of_kana_name(name)
        creators.append(Creator(name=name, reading=reading, role=role))
    creators += [Creator(name=agents[i][0], reading=agents[i][1]) for i in free]
    return creators


def choose_record(candidates: list[Candidate], isbn13: str) -> BibRecord | None:
    """The book record for exactly ``isbn13``, with a note saying which and why."""
    usable, skipped, untitled = [], [], []
    for c in candidates:
        if c.is_book() is False:
            skipped.append(f"{c.label}（{_kind(c)}：図書ではない）")
        elif isbn13 not in c.isbns:
            shown = "、".join(c.isbns[:2]) or "なし"
            skipped.append(f"{c.label}（ISBN {shown}：別の版・巻または別の資料）")
        elif not c.values.get("title"):
            untitled.append(c)
            skipped.append(f"{c.label}（書名がない）")
        else:
            usable.append(c)
    if not usable:
        if untitled:
            raise LookupFailed(SOURCE, "incomplete", isbn13,
                               f"record {untitled[0].label} has no title")
        return None
    best = max(usable, key=lambda c: _rank(c, isbn13))
    for other in usable:
        if other is not best:
            skipped.append(f"{other.label}（{_why_lower(other, best)}）")
    return _build(best, isbn13, len(candidates), skipped)


def _rank(c: Candidate, isbn13: str) -> tuple:
    filled = sum(1 for k in ("title_reading", "publisher", "year", "price", "ndc9", "ndc10")
                 if c.values.get(k)) + (1 if c.values.get("creators") else 0)
    return (c.is_book() is True, c.isbns == [isbn13] or set(c.isbns) == {isbn13},
            c.category == NDL_CATALOGUE, filled, -c.position)


def _kind(c: Candidate) -> str:
    labels = [t for t in c.material_types if not t.startswith("http")]
    return "・".join(labels[:2]) or c.material_types[0].rsplit("/", 1)[-1]


def _why_lower(other: Candidate, best: Candidate) -> str:
    if len(set(other.isbns)) > 1 and len(set(best.isbns)) == 1:
        return "複数のISBNをもつ書誌（セットなど）"
    if best.category == NDL_CATALOGUE and other.category != NDL_CATALOGUE:
        return "NDL以外の目録の書誌"
    return "項目が少ない重複書誌"


def _describe(c: Candidate) -> str:
    parts = ["図書" if c.is_book() else "資料種別の記載なし"]
    parts.append("NDL所蔵" if c.category == NDL_CATALOGUE else f"提供元 {c.category or '不明'}")
    parts.append("ISBN一致")
    return "・".join(parts)


def _build(c: Candidate, isbn13: str, total: int, skipped: list[str]) -> BibRecord:
    v = c.values
    notes = []
    if total > 1:
        notes.append(f"NDLサーチの{total}件から {c.label}（{_describe(c)}）を採用。"
                     f"不採用: {'、'.join(skipped)}")
    if len(set(c.isbns)) > 1:
        notes.append("この書誌は複数のISBNをもちます（セット・合本の可能性）")
    if v.get("price_note"):
        notes.append(v["price_note"])
    fields = {k: val for k, val in v.items() if k != "price_note"}
    try:
        record = BibRecord(isbn13=isbn13, source=SOURCE, **fields)
    except InvalidRecord as error:
        raise LookupFailed(SOURCE, "incomplete", isbn13, str(error)) from None
    missing = record.missing()
    if missing:
        notes.append("NDLの書誌に無い項目: " + "、".join(FIELD_LABELS[m] for m in missing))
    if notes:
        record = replace(record, note="。".join(notes))
    return record
