"""Building the sample catalogue the kiosk ships (kiosk/data/sample-catalogue.tsv) from real
NDL records (data-sources/ndl-sample/, copied from the project's shared data with its SOURCE.md).

Rerun it after changing the source or this code; a test checks the shipped file is exactly
what it makes::

    .venv/bin/python -m kiosk.lookup.ndl_sample            # rewrite kiosk/data/sample-catalogue.tsv
    .venv/bin/python -m kiosk.lookup.ndl_sample --check    # exit 1 if the shipped file differs

What it does to each NDL row (the NDL's terms ask that edits be said; the file's header says so):

- authority forms become names as printed on a book, with their reading, family name first
  (``青山, 剛昌, 1963-|アオヤマ, ゴウショウ, 1963-|原作`` → ``青山 剛昌|アオヤマ ゴウショウ|原作``);
- the price becomes the list price in yen (``800円`` → 800, ``各680円`` → 680); a tax-included
  (``650円 (税込)``) or ``非売品`` price is left blank and the row's 注記 says why;
- a statement of responsibility the NDL kept in a foreign title (``A single shard / Linda Sue
  Park.``) is cut off when it names one of the record's creators;
- the NDC, whose edition the source does not record (NDC10, else NDC9, else NDC8), is put
  under NDC10 for books of 2017 and later (the NDL has classified with NDC10 since April
  2017) and under NDC9 before; the three-digit class on a label is the same either way;
- the NDL record id gives the NDL bib ID; the genre (児童図書, 漫画, 楽譜) has no field and is
  left out.

A row with a wrong ISBN or no title is left out and reported; text is cleaned as any record's
(control and invisible characters removed, lengths capped). After writing, the file is read
back with the catalogue importer and must give exactly the records meant.
"""

import argparse
import csv
import io
import logging
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from kiosk.lookup.assemble import SAMPLE_CATALOGUE_ATTRIBUTION, SAMPLE_CATALOGUE_TERMS_URL
from kiosk.errors import KioskError
from kiosk.codes.isbn import InvalidISBN, to_isbn13
from kiosk.lookup.authority import name_from_authority, reading_from_authority, role_from_record
from kiosk.lookup.catalogue_import import WHOLE_CREATORS, import_catalogue
from kiosk.lookup.record import BibRecord, Creator, InvalidRecord
from kiosk.lookup.report import ImportProblem
from kiosk.lookup.values import parse_ndc, parse_year, parse_yen

log = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parent.parent.parent
SOURCE = ROOT / "data-sources" / "ndl-sample" / "sample-catalogue.tsv"
TARGET = ROOT / "kiosk" / "data" / "sample-catalogue.tsv"

SOURCE_COLUMNS = ("isbn13", "title", "title_reading", "volume", "series", "creators", "publisher",
                  "year", "price", "ndc", "c_code", "genre", "source_id")
HEADER = ("ISBN", "書名", "書名ヨミ", "巻次", "シリーズ名", "著者", "出版者", "出版年", "価格",
          "NDC9", "NDC10", "Cコード", "NDL書誌ID", "注記")
NDC10_FROM_YEAR = 2017  # the NDL applies NDC10 from April 2017 (NDL書誌情報ニュースレター 2016年4号)

_HEADER_COMMENTS = (
    "受入キオスクのサンプル目録：国立国会図書館の書誌データ{count}件",
    SAMPLE_CATALOGUE_ATTRIBUTION,
    f"書誌データの利用ルール：{SAMPLE_CATALOGUE_TERMS_URL}",
    "作り方：python -m kiosk.lookup.ndl_sample（元データと出どころ：data-sources/ndl-sample/）",
)
_NDL_RECORD = re.compile(r"R100000002-I(\d{1,20})")


class ConversionError(KioskError):
    """The source cannot be read, or the catalogue written does not read back as meant."""


@dataclass
class Conversion:
    records: list[BibRecord] = field(default_factory=list)
    problems: list[ImportProblem] = field(default_factory=list)


def convert(text: str) -> Conversion:
    """The records of an NDL-sample TSV (columns as in its SOURCE.md), and its bad rows."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter="\t", quoting=csv.QUOTE_NONE)
    header = next(reader, None)
    if header is None or tuple(h.strip() for h in header) != SOURCE_COLUMNS:
        raise ConversionError(f"not an NDL sample TSV: header {header!r:.200}",
                              "NDLサンプルの見出し行が違います")
    conversion, seen = Conversion(), {}
    for line, row in enumerate(reader, start=2):
        if not any(cell.strip() for cell in row):
            continue
        record = _record(dict(zip(SOURCE_COLUMNS, row)), line, len(row), conversion.problems)
        if record is None:
            continue
        if record.isbn13 in seen:
            _problem(conversion.problems, line, f"ISBN {record.isbn13} again (first on line "
                     f"{seen[record.isbn13]}): row left out",
                     f"ISBN {record.isbn13} は{seen[record.isbn13]}行目と重複しています（この行は入れません）")
            continue
        seen[record.isbn13] = line
        conversion.records.append(record)
    return conversion


def _record(cells: dict, line: int, width: int, problems: list) -> BibRecord | None:
    if width != len(SOURCE_COLUMNS):
        _problem(problems, line, f"{width} columns instead of {len(SOURCE_COLUMNS)}: row left out",
                 f"列の数が{width}です（{len(SOURCE_COLUMNS)}列のはず。この行は入れません）")
        return None
    try:
        isbn13 = to_isbn13(cells["isbn13"])
    except InvalidISBN as error:
        _problem(problems, line, f"{error}: row left out", f"{error.ja}（この行は入れません）")
        return None
    creators = _creators(cells["creators"], line, problems)
    year = parse_year(cells["year"])
    price, why_no_price = parse_yen(cells["price"])
    ndc = parse_ndc(cells["ndc"])
    ndc_field = "ndc10" if year and year >= NDC10_FROM_YEAR else "ndc9"
    bib_id = _NDL_RECORD.search(cells["source_id"])
    try:
        return BibRecord(
            isbn13=isbn13, source="sample", title=_title(cells["title"], creators),
            title_reading=cells["title_reading"], volume=cells["volume"], series=cells["series"],
            creators=tuple(creators), publisher=cells["publisher"], year=year, price=price,
            c_code=cells["c_code"] or None, **{ndc_field: ndc},
            ndl_bib_id=bib_id.group(1) if bib_id else None,
            note=why_no_price)
    except InvalidRecord as error:
        _problem(problems, line, f"{error}: row left out", f"{error.ja}（この行は入れません）")
        return None


def _creators(cell: str, line: int, problems: list) -> list[Creator]:
    creators = []
    for part in (p for p in cell.split(WHOLE_CREATORS) if p.strip()):
        pieces = part.split("|")
        if len(pieces) != 3:
            _problem(problems, line, f"creator {part!r:.80} is not name|reading|role: left out",
                     f"著者「{part[:40]}」の形が「名前|ヨミ|役割」ではないため入れません", "warning")
            continue
        name, reading, role = pieces
        try:
            creators.append(Creator(name=name_from_authority(name),
                                    reading=reading_from_authority(reading) if reading.strip() else None,
                                    role=role_from_record(role)))
        except InvalidRecord as error:
            _problem(problems, line, f"{error}: creator left out", f"{error.ja}（この著者は入れません）",
                     "warning")
    return creators


def _title(title: str, creators: list[Creator]) -> str:
    """``A single shard / Linda Sue Park.`` → ``A single shard`` when the part after `` / ``
    names one of the record's creators (a statement of responsibility, not part of the title)."""
    head, slash, statement = title.partition(" / ")
    family_names = [c.name.split(",")[0].split(" ")[0] for c in creators]
    if slash and any(name and name in statement for name in family_names):
        return head.rstrip(" .")
    return title


def _problem(problems: list, line: int, message: str, ja: str, severity: str = "error") -> None:
    log.warning("NDL sample line %d: %s", line, message)
    problems.append(ImportProblem(message, ja, line=line, severity=severity))


def render(records: list[BibRecord]) -> str:
    """The catalogue as the kiosk ships it: comment lines (source and edits), then a TSV the
    catalogue importer reads, creators written whole (名前|ヨミ|役割 / …)."""
    out = io.StringIO(newline="")
    for comment in _HEADER_COMMENTS:
        out.write(f"# {comment.format(count=len(records))}\n")
    writer = csv.writer(out, delimiter="\t", lineterminator="\n")
    writer.writerow(HEADER)
    for r in records:
        creators = WHOLE_CREATORS.join("|".join(_cell(v) for v in (c.name, c.reading, c.role))
                                       for c in r.creators)
        writer.writerow([_cell(v) for v in (
            r.isbn13, r.title, r.title_reading, r.volume, r.series)] + [creators] + [_cell(v) for v in (
            r.publisher, r.year, r.price, r.ndc9, r.ndc10, r.c_code, r.ndl_bib_id, r.note)])
    return out.getvalue()


def _cell(value) -> str:
    """A field as a cell. No creator's part can hold ``|`` or `` / `` (the source was split
    on them); any other surprise is caught by the read-back check."""
    return "" if value is None else str(value)


def check_round_trip(text: str, records: list[BibRecord]) -> None:
    """The written catalogue must read back, through the importer, as exactly ``records``."""
    read = import_catalogue(text.encode("utf-8"))
    back = [r.to_json() | {"source": "sample"} for r in read.records]
    meant = [r.to_json() for r in records]
    if read.problems or back != meant:
        wrong = next((m["isbn13"] for m, b in zip(meant, back) if m != b), None)
        raise ConversionError(
            f"the catalogue does not read back as written: {len(read.problems)} problems, "
            f"{len(back)} of {len(meant)} records, first difference at ISBN {wrong}",
            "サンプル目録を読み戻すと内容が変わります（変換の誤り）")


def build(source: Path = SOURCE) -> tuple[str, Conversion]:
    """(the catalogue's text, what was converted and left out) from the NDL sample."""
    try:
        text = source.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise ConversionError(f"cannot read {source}: {error}", f"{source} を読めません") from None
    conversion = convert(text)
    catalogue = render(conversion.records)
    check_round_trip(catalogue, conversion.records)
    return catalogue, conversion


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m kiosk.lookup.ndl_sample", description=__doc__.split("\n")[0])
    parser.add_argument("--source", type=Path, default=SOURCE)
    parser.add_argument("--target", type=Path, default=TARGET)
    parser.add_argument("--check", action="store_true", help="only say whether the target is up to date")
    args = parser.parse_args(argv)
    try:
        catalogue, conversion = build(args.source)
    except KioskError as error:
        print(f"ndl_sample: {error} / {error.ja}", file=sys.stderr)
        return 2
    for problem in conversion.problems:
        print(f"  line {problem.line}: {problem.message} / {problem.ja}", file=sys.stderr)
    if args.check:
        current = args.target.read_text(encoding="utf-8") if args.target.is_file() else None
        if current != catalogue:
            print(f"{args.target} is not what the converter makes: rerun it", file=sys.stderr)
            return 1
        print(f"{args.target}: up to date ({len(conversion.records)} records)")
        return 0
    args.target.parent.mkdir(parents=True, exist_ok=True)
    args.target.write_text(catalogue, encoding="utf-8", newline="")
    print(f"{args.target}: {len(conversion.records)} records, {len(conversion.problems)} rows or creators left out")
    return 0


if __name__ == "__main__":
    sys.exit(main())
