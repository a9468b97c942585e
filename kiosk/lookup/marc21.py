"""MARC 21 (ISO 2709) records to BibRecords, with pymarc.

Fields read: 001/003 (NDL bib ID when 003 is JTNDL), 015 $2 jnb (JP number), 020 (ISBN,
price), 084 $2 njb/9 and njb/10 (NDC), 100/110/700/710 (names, $e relator term, $4 code),
245 (title, $b remainder, $n/$p volume), 250 (edition), 260/264 (publisher, year),
300 (extent), 490 (series ; number). Readings come from 880 fields linked by $6 when
they are in katakana, as JAPAN/MARC MARC21 carries them. A record that cannot be decoded,
or has no ISBN or title, is reported by its position in the file and skipped.
"""

import re

from pymarc import MARCReader

from kiosk.codes.isbn import InvalidISBN, to_isbn13
from kiosk.lookup.record import BibRecord, Creator, InvalidRecord
from kiosk.lookup.report import SOURCE, ImportProblem, ImportReport
from kiosk.lookup.roles import is_kana, normalise_role
from kiosk.lookup.values import parse_ndc, parse_year, parse_yen

RELATOR_CODES = {"aut": "著", "ill": "絵", "trl": "訳", "edt": "編", "pht": "写真",
                 "cmp": "作曲", "adp": "翻案", "aui": "解説", "ant": "原作"}
_ISBD_END = re.compile(r"[\s/:;=,]+$")


def read_marc(data: bytes) -> ImportReport:
    """All records of an ISO 2709 file. UTF-8 is assumed when the bytes are UTF-8 and carry
    no MARC-8 escape sequences, whatever leader/09 says (vendors often leave it blank)."""
    utf8 = b"\x1b" not in data and _is_utf8(data)
    report = ImportReport("marc21", "utf-8" if utf8 else "marc-8/leader")
    reader = MARCReader(data, to_unicode=True, force_utf8=utf8, utf8_handling="strict",
                        permissive=True)
    seen: dict[str, int] = {}
    for position, record in enumerate(reader, 1):
        if record is None:
            error = reader.current_exception
            report.problems.append(ImportProblem(
                f"MARC record {position} cannot be read: {error}"[:300],
                f"MARCの{position}件目のレコードが壊れているため取り込みませんでした",
                record=position))
            continue
        _import_record(record, position, report, seen)
    if not report.records and not report.problems:
        report.problems.append(ImportProblem("no MARC records in the file",
                                             "MARCレコードが見つかりません", record=0))
    return report


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _import_record(record, position: int, report: ImportReport, seen: dict[str, int]) -> None:
    def problem(message: str, ja: str, severity: str = "error") -> None:
        report.problems.append(ImportProblem(message, ja, record=position, severity=severity))

    isbn13 = None
    price = None
    for f in record.get_fields("020"):
        for raw in f.get_subfields("a"):
            try:
                isbn13 = isbn13 or to_isbn13(raw.split()[0] if raw.split() else raw)
            except InvalidISBN:
                continue
        for raw in f.get_subfields("c"):
            price = price if price is not None else parse_yen(raw)[0]
    if isbn13 is None:
        return problem(f"MARC record {position} has no valid ISBN in 020: skipped",
                       f"MARCの{position}件目に有効なISBN（020）がないため取り込みませんでした")
    if isbn13 in seen:
        return problem(f"ISBN {isbn13} again (first in record {seen[isbn13]}): skipped",
                       f"ISBN {isbn13} は{seen[isbn13]}件目と重複しています", "warning")
    fields = _fields(record)
    try:
        bib = BibRecord(isbn13=isbn13, source=SOURCE, price=price, **fields)
    except InvalidRecord as error:
        return problem(f"MARC record {position}: {error}: skipped",
                       f"MARCの{position}件目：{error.ja}（取り込みません）")
    seen[isbn13] = position
    report.records.append(bib)


def _first(record, tag: str, code: str) -> str | None:
    for f in record.get_fields(tag):
        for value in f.get_subfields(code):
            if value and value.strip():
                return _ISBD_END.sub("", value.strip()) or None
    return None


def _reading(record, field) -> str | None:
    for linked in record.get_linked_fields(field):
        value = _ISBD_END.sub("", " ".join(linked.get_subfields("a")).strip())
        if value and is_kana(value):
            return value
    return None


def _fields(record) -> dict:
    title_field = next(iter(record.get_fields("245")), None)
    title = reading = volume = None
    if title_field is not None:
        title = _ISBD_END.sub("", " ".join(title_field.get_subfields("a")).strip())
        if subtitle := _ISBD_END.sub("", " ".join(title_field.get_subfields("b")).strip()):
            title = f"{title} : {subtitle}"
        volume = _ISBD_END.sub("", " ".join(title_field.get_subfields("n", "p")).strip()) or None
        reading = _reading(record, title_field)
    ndc9 = ndc10 = None
    for f in record.get_fields("084"):
        scheme = " ".join(f.get_subfields("2")).lower()
        match = re.search(r"(?:njb|ndc)/?(\d+)", scheme)
        number = parse_ndc(_ISBD_END.sub("", " ".join(f.get_subfields("a"))))
        if match and match.group(1) == "9" and ndc9 is None:
            ndc9 = number
        elif match and match.group(1) == "10" and ndc10 is None:
            ndc10 = number
    series = None
    for f in record.get_fields("490"):
        name = _ISBD_END.sub("", " ".join(f.get_subfields("a")).strip())
        number = _ISBD_END.sub("", " ".join(f.get_subfields("v")).strip())
        if name:
            series = f"{name} ; {number}" if number else name
            break
    extent_parts = [_ISBD_END.sub("", v.strip()) for f in record.get_fields("300")
                    for v in f.get_subfields("a", "c") if v.strip()]
    jp_number = next((" ".join(f.get_subfields("a")).strip() for f in record.get_fields("015")
                      if "jnb" in " ".join(f.get_subfields("2")).lower()), None)
    control = record.get_fields("001")
    source_org = record.get_fields("003")
    ndl_bib_id = (control[0].data.strip() if control and source_org
                  and source_org[0].data.strip().upper() == "JTNDL" else None)
    return {
        "title": title, "title_reading": reading, "volume": volume, "series": series,
        "edition": _first(record, "250", "a"),
        "creators": _creators(record),
        "publisher": _first(record, "264", "b") or _first(record, "260", "b"),
        "year": parse_year(_first(record, "264", "c") or _first(record, "260", "c")),
        "extent": " ; ".join(p for p in extent_parts if p) or None,
        "ndc9": ndc9, "ndc10": ndc10, "ndl_bib_id": ndl_bib_id, "jp_number": jp_number,
    }


def _creators(record) -> list[Creator]:
    creators = []
    for f in record.get_fields("100", "110", "700", "710"):
        name = _ISBD_END.sub("", " ".join(f.get_subfields("a")).strip())
        if not name:
            continue
        role = None
        for term in f.get_subfields("e"):
            role = role or normalise_role(_ISBD_END.sub("", term.strip()))
        for code in f.get_subfields("4"):
            role = role or RELATOR_CODES.get(code.strip().lower())
        creators.append(Creator(name=name, reading=_reading(record, f), role=role))
    return creators
