"""Importing an existing ledger (a paper ledger typed into a spreadsheet, or another system's
export): every copy keeps its registration number, a withdrawn row stays withdrawn (its number
retired), a kept item barcode stays on its copy, and the counter continues after the highest.

All or nothing: every row is checked (dates, numbers, amounts, fund and kind, withdrawal, ISBN,
lengths) and then checked against the ledger under the counter's lock (a number the library has
used, or 欠番, or one of the kiosk's own range; a barcode another copy has). One problem refuses
the whole file, with a report naming each row, column and reason; ``dry_run`` checks and reports
without writing. Numbers the file skips are recorded as 欠番 (reason ``import``), so the ledger
keeps "no gaps but the recorded ones".
"""

import logging
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from kiosk.clock import ledger_today
from kiosk.codes.isbn import to_isbn13
from kiosk.codes.itemcode import ItemCodeSettings, decode_item_code
from kiosk.db.models import Copy
from kiosk.db.storage import Database
from kiosk.errors import KioskError
from kiosk.events import now, record_events
from kiosk.ledger.accession import insert_copy_rows
from kiosk.ledger.fiscal import fiscal_year
from kiosk.ledger.funds import Kind, check_kind_and_fund, default_fund, infer_kind, series_for
from kiosk.ledger.ledger_file import HEADING_JA, FileRow, LedgerFile, read_ledger_data, read_ledger_file
from kiosk.ledger.ledger_values import (parse_date, parse_fund, parse_kind, parse_number, parse_reason,
                                        parse_withdrawal, text)
from kiosk.ledger.lost_numbers import MAX_LOST, lost_numbers, record_lost
from kiosk.ledger.scanned_copies import barcode_key
from kiosk.library import lock_library
from kiosk.settings import settings_for
from kiosk.text_limits import check_fields

log = logging.getLogger(__name__)
IMPORTED_ACTION = "imported"
LEDGER_IMPORTED_ACTION = "ledger_imported"
REQUIRED = ("acquired_on", "source", "number", "title", "price")
_TEXT_FIELDS = ("source", "title", "volume", "series_title", "authors", "publisher", "classification",
                "author_mark", "note", "fund_note")


@dataclass(frozen=True)
class Problem:
    """Why one row (or the file) is refused: where, which column, and the reason in Japanese."""

    where: str
    column: str
    reason_ja: str

    def to_json(self) -> dict:
        return {"where": self.where, "column": self.column, "reason_ja": self.reason_ja}


@dataclass
class ImportReport:
    file: str
    format: str
    encoding: str | None
    rows: int = 0
    withdrawn: int = 0
    barcodes: int = 0
    numbers: tuple[int, int] | None = None
    lost: list[tuple[int, int]] = field(default_factory=list)  # numbers the file skips: 欠番
    next_number: int | None = None
    ignored_columns: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    written: bool = False

    def to_json(self) -> dict:
        return {"file": self.file, "format": self.format, "encoding": self.encoding, "rows": self.rows,
                "withdrawn": self.withdrawn, "barcodes": self.barcodes,
                "numbers": list(self.numbers) if self.numbers else None,
                "lost": [list(pair) for pair in self.lost], "next_number": self.next_number,
                "ignored_columns": self.ignored_columns, "problems": [p.to_json() for p in self.problems],
                "written": self.written}


class LedgerRefused(KioskError):
    """The file has problems: nothing was imported. ``report`` lists them."""

    def __init__(self, report: ImportReport):
        first = report.problems[0]
        super().__init__(
            f"{report.file}: {len(report.problems)} problems, nothing imported "
            f"(first: {first.where} {first.column}: {first.reason_ja})",
            f"「{report.file}」に{len(report.problems)}件の問題があるため、1行も取り込んでいません"
            f"（最初の問題: {first.where}「{first.column}」{first.reason_ja}）")
        self.report = report


def import_ledger(db: Database, library_id: int, path: Path, *, dry_run: bool, actor: str) -> ImportReport:
    """Check ``path`` whole and, unless ``dry_run``, import it in one transaction. LedgerRefused
    (with the report) if any row is refused: then nothing is written."""
    path = Path(path)
    return _import(db, library_id, read_ledger_file(path), path.name, dry_run=dry_run, actor=actor)


def import_uploaded_ledger(db: Database, library_id: int, name: str, data: bytes, *, dry_run: bool,
                           actor: str) -> ImportReport:
    """import_ledger of a file uploaded to the import screen: its bytes, and the name it had."""
    return _import(db, library_id, read_ledger_data(data, name), Path(name).name, dry_run=dry_run, actor=actor)


def _import(db: Database, library_id: int, ledger: LedgerFile, name: str, *, dry_run: bool, actor: str) -> ImportReport:
    report = ImportReport(name, ledger.format, ledger.encoding, ignored_columns=ledger.ignored_columns)
    with db.write() as session:
        library = lock_library(session, library_id)
        today = ledger_today(session)
        rows = [_checked_row(row, today, report.problems) for row in ledger.rows]
        if not ledger.rows:
            report.problems.append(Problem("ファイル", "", "取り込む行がありません"))
        _check_against_ledger(session, library, rows, report.problems)
        report.rows, report.withdrawn = len(ledger.rows), sum(row["status"] == "withdrawn" for row in rows)
        report.barcodes = sum(row["item_barcode"] is not None for row in rows)
        if report.problems:
            log.warning("ledger import of %s refused: %d problems, first: %s %s: %s", name, len(report.problems),
                        report.problems[0].where, report.problems[0].column, report.problems[0].reason_ja)
            raise LedgerRefused(report)
        numbers = [row["number"] for row in rows]
        report.numbers = (min(numbers), max(numbers))
        report.lost = _skipped(session, library, numbers)
        if sum(last - first + 1 for first, last in report.lost) > MAX_LOST:
            report.problems.append(Problem("ファイル", HEADING_JA["number"],
                                           f"欠番が{MAX_LOST:,}を超えます（登録番号の桁を確かめてください）"))
            raise LedgerRefused(report)
        report.next_number = max(library.next_number, report.numbers[1] + 1)
        if dry_run:
            return report
        _write(session, library, rows, report, actor)
        report.written = True
    log.info("imported %d copies (%d withdrawn, %d barcodes) numbered %d-%d from %s; next number %d; 欠番 %s",
             report.rows, report.withdrawn, report.barcodes, *report.numbers, name, report.next_number, report.lost)
    return report


def _checked_row(row: FileRow, today: date, problems: list[Problem]) -> dict:
    """The row as a copy's values; with problems, they are added and only its number, barcode
    and old number are kept, for the checks across rows (every column is checked)."""
    cells, found = row.cells, len(problems)

    def problem(name: str, reason: str) -> None:
        problems.append(Problem(row.where, HEADING_JA.get(name, name), reason))

    def value(name: str, parse, *args):
        if text(cells.get(name)) == "":
            if name in REQUIRED:
                problem(name, f"{HEADING_JA[name]}が空欄です")
            return None
        try:
            return parse(cells[name], *args)
        except ValueError as error:
            problem(name, str(error))
        except KioskError as error:
            problem(name, error.ja)
        return None

    value("source", text)  # required text: said when blank
    value("title", text)
    number = value("number", parse_number, "登録番号")
    if number == 0:
        problem("number", "登録番号は1以上です")
    acquired_on = value("acquired_on", parse_date)
    if acquired_on and acquired_on > today:
        problem("acquired_on", f"受入年月日 {acquired_on} が未来の日付です")
    price = value("price", parse_number, "価格")
    fund, fund_note = value("fund", parse_fund) or (None, None)
    kind = value("kind", parse_kind)
    if fund is None and text(cells.get("fund")) == "":
        if kind is None:
            problem("fund", "財源が空欄です（市費・寄贈など）")
        else:
            fund = default_fund(kind)
    if fund is not None:
        kind = kind or infer_kind(fund)
        if kind is not Kind.OTHER:
            try:
                check_kind_and_fund(kind, fund)
            except KioskError as error:
                problem("kind", error.ja)
    withdrawn_on, reason = value("withdrawal", parse_withdrawal) or (None, None)
    if withdrawn_on is None:
        withdrawn_on = value("withdrawn_on", parse_date)
        reason = value("withdrawal_reason", parse_reason)
        if (withdrawn_on is None) != (reason is None) and len(problems) == found:
            problem("withdrawn_on" if withdrawn_on is None else "withdrawal_reason",
                    "除籍日と除籍理由は両方書いてください")
    if withdrawn_on is not None and acquired_on is not None and withdrawn_on < acquired_on:
        problem("withdrawal", f"除籍日 {withdrawn_on} が受入年月日 {acquired_on} より前です")
    if withdrawn_on is not None and withdrawn_on > today:
        problem("withdrawal", f"除籍日 {withdrawn_on} が未来の日付です")
    year = value("year", lambda v: parse_number(text(v).removesuffix("年"), "刊年"))
    if year is not None and not 1000 <= year <= 9999:
        problem("year", f"刊年「{year}」は西暦4桁で書いてください")
    isbn = value("isbn", to_isbn13)
    classification, author_mark = _call_number(cells)
    barcode = barcode_key(text(cells.get("item_barcode"))) or None
    if barcode is not None and len(barcode) > 40:
        problem("item_barcode", "バーコードが40文字を超えています")
    values = {"source": _plain(cells.get("source")), "title": _plain(cells.get("title")),
              "volume": _plain(cells.get("volume")) or None, "series_title": _plain(cells.get("series_title")) or None,
              "authors": _plain(cells.get("authors")) or None, "publisher": _plain(cells.get("publisher")) or None,
              "classification": classification, "author_mark": author_mark,
              "note": _plain(cells.get("note")) or None, "fund_note": fund_note}
    try:
        check_fields(Copy, values)
    except KioskError as error:
        problem("title", error.ja)
    reaccession_of = value("reaccession_of", parse_number, "再受入（旧番号）")
    if len(problems) > found:  # still checked against the others and the ledger by what it has
        return {"where": row.where, "number": number, "item_barcode": barcode, "reaccession_of": reaccession_of,
                "status": None}
    return {**values, "where": row.where, "number": number, "acquired_on": acquired_on,
            "fiscal_year": fiscal_year(acquired_on), "price": price, "fund": fund.value, "kind": kind.value,
            "series": series_for(fund), "isbn": isbn, "year": year, "item_barcode": barcode,
            "rounding_adjusted": text(cells.get("rounding")) != "", "reaccession_of": reaccession_of,
            "status": "withdrawn" if withdrawn_on else "active", "withdrawn_on": withdrawn_on,
            "withdrawal_reason": reason}


def _plain(value) -> str:
    """A text cell as written (not NFKC-folded: a title keeps its full-width brackets), without the
    ' the kiosk's exports put before a formula-like start (=, +, -, @)."""
    written = "" if value is None else (text(value) if isinstance(value, (int, float)) else str(value).strip())
    return written[1:] if written[:1] == "'" and written[1:2] in ("=", "+", "-", "@") else written


def _call_number(cells: dict) -> tuple[str | None, str | None]:
    """分類記号 and 図書記号: their own columns, else 請求記号 split at its first space."""
    whole = text(cells.get("call_number")).split(maxsplit=1)
    classification = text(cells.get("classification")) or (whole[0] if whole else "")
    author_mark = text(cells.get("author_mark")) or (whole[1] if len(whole) > 1 else "")
    return classification or None, author_mark or None


def _check_against_ledger(session: Session, library, rows: list[dict], problems: list[Problem]) -> None:
    """Numbers and barcodes new to the library and to the file; old numbers that exist."""
    seen_numbers: dict[int, str] = {}
    seen_barcodes: dict[str, str] = {}
    rows = [row for row in rows if row["number"] is not None]
    for row in rows:
        if row["number"] in seen_numbers:
            problems.append(Problem(row["where"], HEADING_JA["number"],
                                    f"登録番号 {row['number']} が{seen_numbers[row['number']]}と重なっています"))
        seen_numbers.setdefault(row["number"], row["where"])
        if row["item_barcode"]:
            if row["item_barcode"] in seen_barcodes:
                problems.append(Problem(row["where"], HEADING_JA["item_barcode"],
                                        f"バーコード {row['item_barcode']} が{seen_barcodes[row['item_barcode']]}と重なっています"))
            seen_barcodes.setdefault(row["item_barcode"], row["where"])
    numbers = list(seen_numbers)
    taken = set()
    for chunk in _chunks(numbers):
        taken |= set(session.scalars(select(Copy.number).where(Copy.library_id == library.id, Copy.number.in_(chunk))))
    lost = lost_numbers(session, library.id)
    barcodes_taken = set()
    for chunk in _chunks(list(seen_barcodes)):
        barcodes_taken |= set(session.scalars(select(Copy.item_barcode).where(
            Copy.library_id == library.id, Copy.item_barcode.in_(chunk))))
    item_code = _item_code_settings(session, library.id)
    for row in rows:
        number = row["number"]
        if number in taken:
            reason = f"登録番号 {number} はすでに台帳にあります（同じ番号は二度使えません）"
        elif any(gap.first <= number <= gap.last for gap in lost):
            reason = f"登録番号 {number} は欠番として記録された番号です（二度使えません）"
        elif library.first_number <= number < library.next_number:
            reason = f"登録番号 {number} はこのキオスクがすでに使った番号です（{library.first_number}〜{library.next_number - 1}）"
        else:
            reason = None
        if reason:
            problems.append(Problem(row["where"], HEADING_JA["number"], reason))
        if row["item_barcode"] in barcodes_taken:
            problems.append(Problem(row["where"], HEADING_JA["item_barcode"],
                                    f"バーコード {row['item_barcode']} はすでに別の本に付いています"))
        elif row["item_barcode"] and (decoded := _decoded(row["item_barcode"], item_code)) not in (None, number):
            problems.append(Problem(row["where"], HEADING_JA["item_barcode"],
                                    f"バーコード {row['item_barcode']} はこのキオスクのラベルでは登録番号 {decoded} "
                                    "を表します（別の本と取り違えるため使えません）"))
        old = row["reaccession_of"]
        if old is not None and old not in seen_numbers and old not in taken and not session.scalar(
                select(func.count()).where(Copy.library_id == library.id, Copy.number == old)):
            problems.append(Problem(row["where"], HEADING_JA["reaccession_of"],
                                    f"旧番号 {old} の本が台帳にもファイルにもありません"))


def _item_code_settings(session: Session, library_id: int) -> ItemCodeSettings:
    """How this library's own labels encode numbers (its settings' item_code section)."""
    return settings_for(session, library_id).item_code


def _decoded(barcode: str, settings: ItemCodeSettings) -> int | None:
    try:
        return decode_item_code(barcode, settings)
    except KioskError:
        return None


def _skipped(session: Session, library, numbers: list[int]) -> list[tuple[int, int]]:
    """The ranges of numbers that no copy will have and no 欠番 covers, from where the ledger
    starts (the file's lowest number, or the library's first if lower) to the highest used: the
    file's own gaps, and any between it and the kiosk's own numbers."""
    low = min(min(numbers), library.first_number)
    high = max(max(numbers), library.next_number - 1)
    used = set(numbers)
    used |= set(session.scalars(select(Copy.number).where(Copy.library_id == library.id, Copy.number.between(low, high))))
    for gap in lost_numbers(session, library.id):
        used |= set(range(max(gap.first, low), min(gap.last, high) + 1))
    if library.next_number > library.first_number:
        used |= set(range(max(library.first_number, low), library.next_number))
    ranges, start = [], None
    for number in range(low, high + 2):
        if number <= high and number not in used:
            start = number if start is None else start
        elif start is not None:
            ranges.append((start, number - 1))
            start = None
    return ranges


def _write(session: Session, library, rows: list[dict], report: ImportReport, actor: str) -> None:
    rows = sorted(rows, key=lambda row: row["number"])
    positions = _positions(session, library.id, rows, library.sheet_rows)
    at = now()
    inserts = []
    for row, (sheet, line) in zip(rows, positions):
        inserts.append({
            "library_id": library.id, "number": row["number"], "delivery_id": None, "kind": row["kind"],
            "series": row["series"], "fund": row["fund"], "fund_note": row["fund_note"],
            "acquired_on": row["acquired_on"], "fiscal_year": row["fiscal_year"], "sheet": sheet, "row": line,
            "source": row["source"], "isbn": row["isbn"], "title": row["title"], "volume": row["volume"],
            "series_title": row["series_title"], "authors": row["authors"], "publisher": row["publisher"],
            "year": row["year"], "classification": row["classification"], "author_mark": row["author_mark"],
            "list_price": None, "discount": 0, "price": row["price"], "price_note": None,
            "rounding_adjusted": row["rounding_adjusted"], "eligibility_category": None, "override_note": None,
            "note": row["note"], "reaccession_of_id": None, "status": row["status"],
            "withdrawn_on": row["withdrawn_on"], "withdrawal_reason": row["withdrawal_reason"],
            "withdrawal_note": None, "registered_at": at, "registered_by": actor, "item_barcode": row["item_barcode"],
        })
    ids = {}
    for chunk in _chunks(inserts, 5000):
        ids.update(insert_copy_rows(session, library.id, chunk))
    for row in rows:
        if row["reaccession_of"] is not None:
            old_id = ids.get(row["reaccession_of"]) or session.scalar(select(Copy.id).where(
                Copy.library_id == library.id, Copy.number == row["reaccession_of"]))
            session.execute(update(Copy).where(Copy.id == ids[row["number"]]).values(reaccession_of_id=old_id))
    record_events(session, library.id, actor, [
        {"action": IMPORTED_ACTION, "copy_id": ids[row["number"]], "number": row["number"],
         "details": {"file": report.file, "where": row["where"], "status": row["status"],
                     "withdrawn_on": row["withdrawn_on"].isoformat() if row["withdrawn_on"] else None,
                     "withdrawal_reason": row["withdrawal_reason"], "item_barcode": row["item_barcode"]}}
        for row in rows])
    for first, last in report.lost:
        record_lost(session, library.id, first, last, "import", f"取り込み: {report.file}", actor)
    counter_before = library.next_number
    library.next_number = report.next_number
    record_events(session, library.id, actor, [{"action": LEDGER_IMPORTED_ACTION, "details": {
        "file": report.file, "format": report.format, "encoding": report.encoding, "copies": report.rows,
        "withdrawn": report.withdrawn, "barcodes": report.barcodes, "numbers": list(report.numbers),
        "lost": [list(pair) for pair in report.lost], "counter_before": counter_before,
        "next_number": report.next_number}}])
    session.flush()


def _positions(session: Session, library_id: int, rows: list[dict], sheet_rows: int) -> list[tuple[int, int]]:
    """(sheet, row) for each row in number order: each series and fiscal year fills its own sheets,
    after any rows the ledger already has there."""
    last: dict[tuple[str, int], tuple[int, int]] = {}
    positions = []
    for row in rows:
        key = (row["series"], row["fiscal_year"])
        if key not in last:
            found = session.execute(
                select(Copy.sheet, Copy.row).where(Copy.library_id == library_id, Copy.series == key[0],
                                                   Copy.fiscal_year == key[1])
                .order_by(Copy.sheet.desc(), Copy.row.desc()).limit(1)).one_or_none()
            last[key] = tuple(found) if found else (0, 0)
        sheet, line = last[key]
        sheet, line = (sheet, line + 1) if 0 < line < sheet_rows else (sheet + 1, 1)
        last[key] = (sheet, line)
        positions.append((sheet, line))
    return positions


def _chunks(items: list, size: int = 900) -> list[list]:
    """Pieces small enough for one IN (…) or one INSERT on either backend."""
    return [items[i:i + size] for i in range(0, len(items), size)] or [[]]

