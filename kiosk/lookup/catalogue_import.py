"""Importing a catalogue file (a vendor's or another system's list of books) into records.

Tables: TSV or CSV, in UTF-8 (with or without BOM) or Shift_JIS/CP932, detected from the
bytes; columns recognised by their common Japanese names (書名, 書名ヨミ, 著者, 著者ヨミ,
出版社, 出版年, 価格, ISBN, NDC…). MARC 21 (ISO 2709), as some vendors deliver with books,
is read with pymarc (see marc21.py). A bad row is reported with its line number and the rest
is still imported; the caller puts ``report.records`` into the cache.

Lines starting with ``#`` before the header are comments (the shipped sample catalogue says
its source there, as the NDL's terms ask; ``comment_lines`` reads them). A creators cell may
give each creator whole, as ``名前|ヨミ|役割`` joined by `` / ``, so that names holding commas
(``Park, Linda Sue``) and creators without a reading stay as they are.
"""

import csv
import io
import re
import unicodedata
from pathlib import Path

from kiosk.errors import KioskError
from kiosk.textfiles import UnreadableFile, decode_japanese_text
from kiosk.codes.isbn import InvalidISBN, to_isbn13
from kiosk.lookup.record import BibRecord, Creator, InvalidRecord
from kiosk.lookup.report import SOURCE, ImportProblem, ImportReport
from kiosk.lookup.roles import reading_of_kana_name, split_slash_statement, split_statement
from kiosk.lookup.values import parse_ndc, parse_year, parse_yen

# Normalised header (NFKC, lower case, no spaces or brackets) → record field.
COLUMNS = {
    "isbn": ("isbn", "isbnコード", "isbn13", "isbn-13", "isbn10", "isbn番号", "13桁isbn"),
    "title": ("書名", "タイトル", "本タイトル", "資料名", "表題", "品名", "商品名", "title"),
    "title_reading": ("書名ヨミ", "書名よみ", "書名カナ", "書名読み", "タイトルヨミ",
                      "タイトルよみ", "タイトルカナ", "ヨミ", "title_reading"),
    "volume": ("巻", "巻次", "巻号", "巻数", "volume"),
    "series": ("シリーズ", "シリーズ名", "叢書", "叢書名", "series"),
    "edition": ("版", "版表示", "edition"),
    "creators": ("著者", "著者名", "作者", "著作者", "著者等", "著編者", "責任表示", "author",
                 "authors", "creator", "creators"),
    "creator_readings": ("著者ヨミ", "著者よみ", "著者名ヨミ", "著者カナ", "著者読み",
                         "作者ヨミ", "author_reading"),
    "publisher": ("出版社", "出版者", "出版社名", "発行所", "発行者", "版元", "publisher"),
    "year": ("出版年", "出版年月", "出版年月日", "発行年", "発行年月", "発行年月日", "刊行年",
             "出版日", "発行日", "発売日", "year", "pubdate"),
    "price": ("価格", "本体価格", "定価", "税抜価格", "価格税抜", "本体", "price"),
    "ndc9": ("ndc", "ndc9", "ndc9版", "分類", "分類記号", "ndc分類", "分類番号", "日本十進分類"),
    "ndc10": ("ndc10", "ndc10版"),
    "c_code": ("cコード", "ccode", "c_code"),
    "extent": ("ページ数", "頁数", "形態", "extent"),
    "jp_number": ("jp番号", "全国書誌番号", "jpno"),
    "ndl_bib_id": ("ndl書誌id", "ndlbibid", "ndl_bib_id"),
    "note": ("注記", "note"),
}
_HEADER_TO_FIELD = {name: field_ for field_, names in COLUMNS.items() for name in names}
_HEADER_JUNK = re.compile(r"[\s()（）「」\[\]［］【】]")
WHOLE_CREATORS = " / "  # between creators written whole: 名前|ヨミ|役割 / 名前|ヨミ|役割


class CatalogueError(KioskError):
    """The file as a whole cannot be read (unknown encoding, no ISBN or title column)."""


def import_catalogue(data: bytes | str | Path) -> ImportReport:
    """Read a catalogue file (path or bytes): MARC 21 if it looks like ISO 2709, else a
    TSV/CSV table. Raises CatalogueError only when nothing in the file can be read."""
    if isinstance(data, (str, Path)):
        data = Path(data).read_bytes()
    if looks_like_marc(data):
        from kiosk.lookup.marc21 import read_marc  # here: pymarc is imported only for a MARC file

        return read_marc(data)
    return read_table(data)


def looks_like_marc(data: bytes) -> bool:
    """ISO 2709: a five-digit record length, then field and record terminators."""
    return len(data) >= 24 and data[:5].isdigit() and b"\x1e" in data[:4096] \
        and b"\x1d" in data[:100_000]


def decode_catalogue(data: bytes) -> tuple[str, str]:
    """(text, encoding), refusing what is neither UTF-8 nor CP932 (see kiosk.textfiles)."""
    try:
        return decode_japanese_text(data)
    except UnreadableFile as error:
        raise CatalogueError(str(error), error.ja) from None


def map_columns(header: list[str]) -> dict[int, str]:
    """Column index → record field, for the headers the kiosk recognises."""
    mapping = {}
    for index, name in enumerate(header):
        key = _HEADER_JUNK.sub("", unicodedata.normalize("NFKC", name)).lower()
        field_ = _HEADER_TO_FIELD.get(key) or _HEADER_TO_FIELD.get(key.removesuffix("円"))
        if field_ and field_ not in mapping.values():
            mapping[index] = field_
    return mapping


def is_comment(line: str) -> bool:
    """A ``#`` line before the header, holding no tab or comma (so a header whose first
    column is named ``#`` is still a header)."""
    return line.startswith("#") and "\t" not in line and "," not in line


def comment_lines(data: bytes) -> list[str]:
    """The comment lines at the top of a table file, without their ``#``."""
    text, _ = decode_catalogue(data)
    comments = []
    for line in text.splitlines():
        if not line.strip():
            continue
        if not is_comment(line):
            break
        comments.append(line[1:].strip())
    return comments


def read_table(data: bytes) -> ImportReport:
    text, encoding = decode_catalogue(data)
    lines = text.splitlines()
    header_index = next((i for i, line in enumerate(lines) if line.strip() and not is_comment(line)), None)
    if header_index is None:
        raise CatalogueError("the file is empty", "ファイルが空です")
    delimiter = "\t" if "\t" in lines[header_index] else ","
    report = ImportReport("tsv" if delimiter == "\t" else "csv", encoding)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows = _rows_with_lines(reader)
    header_line, header = 0, []
    for line, row, _ in rows:
        if len(row) == 1 and is_comment(row[0]):  # comments above the header
            continue
        if any(cell.strip() for cell in row):
            header_line, header = line, row
            break
    mapping = map_columns(header)
    report.columns = {header[i]: f for i, f in mapping.items()}
    missing = [f for f in ("isbn", "title") if f not in mapping.values()]
    if missing:
        names = {"isbn": "ISBN", "title": "書名"}
        raise CatalogueError(
            f"no {' or '.join(missing)} column in the header on line {header_line} "
            f"(columns: {', '.join(header)[:200]})",
            f"{header_line}行目の見出しに「{'」「'.join(names[m] for m in missing)}」"
            "の列がありません")
    seen: dict[str, int] = {}
    for line, row, error in rows:
        if error:
            report.problems.append(ImportProblem(f"unreadable row: {error}",
                                                 "この行は読み取れないため取り込みませんでした",
                                                 line=line))
            continue
        if not any(cell.strip() for cell in row):
            continue
        values = {f: row[i].strip() for i, f in mapping.items() if i < len(row) and row[i].strip()}
        _import_row(values, line, report, seen)
    return report


def _rows_with_lines(reader):
    """(first line number of the row, row, csv error or None); a quoted field may span
    lines, so the row's first line is one past where the previous row ended."""
    start = 1
    while True:
        try:
            row, error = next(reader), None
        except StopIteration:
            return
        except csv.Error as problem:
            row, error = [], str(problem)
        yield start, row, error
        start = reader.line_num + 1


def _import_row(values: dict, line: int, report: ImportReport, seen: dict[str, int]) -> None:
    def problem(message: str, ja: str, severity: str = "error") -> None:
        report.problems.append(ImportProblem(message, ja, line=line, severity=severity))

    raw_isbn = values.get("isbn")
    if not raw_isbn:
        return problem("no ISBN: row skipped", "ISBNがないため取り込みませんでした")
    try:
        isbn13 = to_isbn13(raw_isbn)
    except InvalidISBN as error:
        return problem(f"{error}: row skipped", f"{error.ja}（この行は取り込みません）")
    if isbn13 in seen:
        return problem(f"ISBN {isbn13} again (first on line {seen[isbn13]}): row skipped",
                       f"ISBN {isbn13} は{seen[isbn13]}行目と重複しています"
                       "（この行は取り込みません）",
                       "warning")
    fields, warnings = table_fields(values)
    for message, ja in warnings:
        problem(message, ja, "warning")
    try:
        record = BibRecord(isbn13=isbn13, source=SOURCE, **fields)
    except InvalidRecord as error:
        return problem(f"{error}: row skipped", f"{error.ja}（この行は取り込みません）")
    seen[isbn13] = line
    report.records.append(record)


def table_fields(values: dict) -> tuple[dict, list[tuple[str, str]]]:
    """Record fields from one row's recognised cells, and warnings for cells left out."""
    warnings = []
    fields = {k: values.get(k) for k in ("title", "title_reading", "volume", "series", "edition",
                                        "publisher", "extent", "jp_number", "ndl_bib_id", "note")}
    fields["creators"] = creators_from_cells(values.get("creators"),
                                             values.get("creator_readings"))
    if "year" in values:
        fields["year"] = parse_year(values["year"])
        if fields["year"] is None:
            warnings.append((f"year {values['year']!r} not understood: left blank",
                             f"出版年「{values['year']}」を読み取れないため空欄にしました"))
    if "price" in values:
        fields["price"], why = parse_yen(values["price"])
        if why:
            warnings.append((f"price {values['price']!r} not used: left blank", why))
    for key in ("ndc9", "ndc10"):
        if key in values:
            fields[key] = parse_ndc(values[key])
            if fields[key] is None:
                warnings.append((f"{key} {values[key]!r} is not an NDC number: left blank",
                                 f"分類「{values[key]}」はNDCの番号ではないため空欄にしました"))
    if "c_code" in values:
        code = unicodedata.normalize("NFKC", values["c_code"]).upper().removeprefix("C")
        fields["c_code"] = code if re.fullmatch(r"\d{4}", code) else None
    return fields, warnings


def creators_from_cells(names: str | None, readings: str | None) -> list[Creator]:
    """``エリック・カール 作; もり ひさし 訳`` (or openBD's ``名前／さく``) and an optional
    readings cell split the same way; readings are paired in order when the counts agree."""
    if not names:
        return []
    if "|" in names:
        return [whole_creator(part) for part in names.split(WHOLE_CREATORS) if part.strip()]
    if "／" in names:
        pairs = split_slash_statement(names)
    else:
        pairs = [p for part in re.split(r"\s*[;；/]\s*", names) for p in split_statement(part)]
    reading_list = []
    if readings:
        reading_list = [r.strip() for r in re.split(r"\s*[;；/]\s*", readings) if r.strip()]
    if len(reading_list) != len(pairs):
        reading_list = []
    creators = []
    for index, (name, role) in enumerate(pairs):
        reading = reading_list[index] if reading_list else reading_of_kana_name(name)
        creators.append(Creator(name=name, reading=reading, role=role))
    return creators


def whole_creator(cell: str) -> Creator:
    """``名前|ヨミ|役割`` (reading and role may be empty) → Creator; the role word as written."""
    name, reading, role = (cell.split("|") + ["", ""])[:3]
    return Creator(name=name.strip(), reading=reading.strip() or None, role=role.strip() or None)
