"""`kiosk`: the command line. Each command is a thin layer over the domain functions that the
web views call too. ``--json`` prints machine-readable output on stdout; bad input prints one
line on stderr (English, then Japanese) and exits with status 2, having written nothing.

Each command imports what it needs when it runs (SQLAlchemy with the database, the printer
package for labels): `kiosk --help` loads click and little else (bench/bench_startup.py)."""

import json
import sqlite3
import sys
from datetime import date

import click

from kiosk import config
from kiosk.errors import KioskError
from kiosk.ledger.funds import Kind, default_fund, infer_kind, parse_fund, parse_kind
from kiosk.codes.itemcode import MAX_PREFIX, ItemCodeSettings
from kiosk.printing_settings import PrintingSettings

library_option = click.option(
    "--library", "library_ref", envvar="KIOSK_LIBRARY", default=None,
    help="Library id or ISIL (default: the only library in the database). Env: KIOSK_LIBRARY.",
)
json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON on stdout.")
date_option = click.option("--date", "on", type=click.DateTime(["%Y-%m-%d"]), default=None,
                           help="YYYY-MM-DD (default: today).")


class KioskGroup(click.Group):
    """Turns KioskError, and a database fault (unreachable, disk full, read-only: see
    kiosk/db/faults.py), into one line on stderr and exit status 2."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except Exception as error:
            if not _kiosk_or_database_error(error):
                raise
            from sqlalchemy.exc import OperationalError

            from kiosk.db.faults import classify

            if fault := classify(error, config.database_url()):
                click.echo(fault.cli_line(), err=True)  # unreachable, disk full, read-only: its own message
                sys.exit(2)
            if isinstance(error, KioskError):
                click.echo(f"kiosk: {error} / {error.ja}", err=True)
                sys.exit(2)
            if isinstance(error, OperationalError):
                click.echo(f"kiosk: cannot use the database ({error.orig}) / データベースを使えません", err=True)
                sys.exit(1)
            raise


def _kiosk_or_database_error(error: Exception) -> bool:
    if isinstance(error, (KioskError, sqlite3.Error)):
        return True
    loaded = sys.modules.get("sqlalchemy.exc")  # a DBAPIError can only come from an SQLAlchemy already imported
    return loaded is not None and isinstance(error, loaded.DBAPIError)


@click.group(cls=KioskGroup)
def main():
    """The accession kiosk: register delivered books (受入), keep the ledger (図書台帳).

    The database is KIOSK_DATABASE_URL (default: an SQLite file in the data directory);
    KIOSK_STAFF names who acts, for the event log.
    """


def open_database():
    """The kiosk's database (kiosk.db.storage.open_database), SQLAlchemy imported only now."""
    from kiosk.db.storage import open_database as open_kiosk_database

    return open_kiosk_database()


def _library(library_ref) -> tuple:
    """The database and the id of the library a command works on: the one KIOSK_LIBRARY binds the
    kiosk to (a --library naming another is refused: kiosk.library.kiosk_library), else --library,
    else the only one."""
    from kiosk.library import kiosk_library

    db = open_database()
    return db, kiosk_library(db, config.bound_library(), library_ref).id


def _print_json(data) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def _day(value) -> date | None:
    """The date given, else None: the domain takes today from the ledger's one clock (kiosk.clock)."""
    return value.date() if value else None


def item_code_options(command):
    """The item barcode's options of ``kiosk init`` and ``kiosk settings`` (ItemCodeSettings; where
    each choice is common: docs/scanner.md, "Which check digit, where", with its sources)."""
    options = [
        click.option("--symbology", type=click.Choice(ItemCodeSettings.SYMBOLOGIES), default=None,
                     help="Item barcode symbology [default: nw7]. nw7 (NW-7/Codabar): Japanese library labels "
                          "(aimjal.co.jp lists 図書館 among its uses); code39: labels with a letter --prefix, as "
                          "some university libraries use; code128."),
        click.option("--check", type=click.Choice(ItemCodeSettings.CHECK_SCHEMES), default=None,
                     help="Check digit [default: mod11]. m10w21 (モジュラス10 ウェイト2・1分割, Luhn): the most "
                          "widespread in Japan's public libraries (CALIL's label printer ajime); mod11 (weights 2-7): "
                          "most often in Japanese library system specifications; mod10w3: JAN/EAN; 7dr/7dsr: "
                          "delivery slips, older NW-7 systems; mod16: NW-7's own; none. Sources: docs/scanner.md."),
        click.option("--start-stop", default=None, metavar="XY",
                     help="NW-7 start and stop letters, each A-D [default: AA]."),
        click.option("--digits", type=int, default=None,
                     help="Digits the registration number is zero-padded to, 1-20 [default: 8]."),
        click.option("--prefix", default=None, metavar="LETTERS",
                     help=f"Capital letters A-Z (up to {MAX_PREFIX}) before the digits; Code 39 only, as some "
                          "university libraries' labels carry; '' removes it [default: none]."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def item_code_values(symbology, check, start_stop, digits, prefix) -> dict:
    """The item_code settings given on the command line, as stored (only those given)."""
    values = {"symbology": symbology, "check": check, "width": digits,
              "prefix": prefix.strip().upper() if prefix is not None else None}
    if start_stop is not None:
        letters = start_stop.strip().upper()  # counted after upper-casing: ß becomes SS
        if len(letters) != 2:
            raise KioskError(f"--start-stop takes two letters, start then stop (e.g. AA), not {start_stop!r}",
                             f"--start-stop はスタートとストップの2文字です（例 AA）。「{start_stop}」は使えません")
        values["start"], values["stop"] = letters
    return {key: value for key, value in values.items() if value is not None}


@main.command()
@click.option("--name", required=True, help="The library's name, e.g. 'ひまわり小学校図書館'.")
@click.option("--isil", default=None, help="ISIL assigned by the NDL: JP- and 7 digits.")
@click.option("--first-number", type=int, default=1, show_default=True,
              help="First registration number (a school moving from a paper ledger starts at its next number).")
@click.option("--sheet-rows", type=int, default=10, show_default=True, help="Rows per ledger sheet.")
@click.option("--tax-rounding", default="floor", show_default=True, help="floor, half_up or ceil.")
@click.option("--if-empty", is_flag=True, help="Do nothing if the database already holds a library.")
@item_code_options
@json_option
def init(name, isil, first_number, sheet_rows, tax_rounding, if_empty, symbology, check, start_stop, digits, prefix,
         as_json):
    """Create the library (migrating the database first if it is new). Refused on a kiosk bound to
    its library by KIOSK_LIBRARY (there --if-empty answers with that library)."""
    from kiosk.library import check_unbound_for_set_up
    from kiosk.settings import library_settings, set_up_library_and_item_code

    db = open_database()
    if bound := check_unbound_for_set_up(db, config.bound_library(), if_empty=if_empty):
        library, created, item_code = bound, False, library_settings(db, bound.id).item_code
    else:
        library, created, item_code = set_up_library_and_item_code(
            db, name, item_code=item_code_values(symbology, check, start_stop, digits, prefix),
            if_empty=if_empty, isil=isil, first_number=first_number, sheet_rows=sheet_rows, tax_rounding=tax_rounding,
            actor=config.staff_name())
    data = library.to_json() | {"created": created, "item_code": item_code.to_stored()}
    if as_json:
        _print_json(data)
    else:
        click.echo(f"{'作成しました' if created else '既存'}: 図書館 {data['id']} 「{data['name']}」 最初の登録番号 {data['first_number']}")


@main.command()
@json_option
def libraries(as_json):
    """List the libraries in the database (a kiosk bound by KIOSK_LIBRARY: its own only)."""
    from kiosk.library import kiosk_libraries

    data = [library.to_json() for library in kiosk_libraries(open_database(), config.bound_library())]
    if as_json:
        _print_json({"libraries": data})
    else:
        for item in data:
            click.echo(f"{item['id']}\t{item['isil'] or '-'}\t{item['name']}\t次の登録番号 {item['next_number']}")


@main.command()
@library_option
@click.option("--name", default=None)
@click.option("--isil", default=None)
@click.option("--first-number", type=int, default=None, help="Only before any copy is registered.")
@click.option("--sheet-rows", type=int, default=None)
@click.option("--tax-rounding", default=None, help="floor, half_up or ceil.")
@item_code_options
@json_option
def settings(library_ref, name, isil, first_number, sheet_rows, tax_rounding, symbology, check, start_stop, digits, prefix,
             as_json):
    """Show or change a library's ledger and item barcode settings."""
    from kiosk.settings import change_library_and_item_code

    db, library_id = _library(library_ref)
    library, item_code = change_library_and_item_code(
        db, library_id, item_code=item_code_values(symbology, check, start_stop, digits, prefix),
        actor=config.staff_name(), name=name, isil=isil, first_number=first_number, sheet_rows=sheet_rows,
        tax_rounding=tax_rounding)
    data = library.to_json() | {"item_code": item_code.to_stored()}
    _print_json(data) if as_json else click.echo("\n".join(f"{k}: {v}" for k, v in data.items()))


@main.command()
@library_option
@click.option("--isbn", "isbns", multiple=True, help="ISBN-10 or -13; repeat for several books.")
@click.option("--title", "titles", multiple=True,
              help="Once for all, or once per --isbn. Without it, each --isbn is looked up (cache, sample catalogue, "
                   "NDL, openBD) and refused only when no source knows it.")
@click.option("--volume", default=None, help="巻次")
@click.option("--series-title", default=None, help="叢書名")
@click.option("--author", default=None, help="著者名 (picture books: text and illustration authors)")
@click.option("--publisher", default=None)
@click.option("--year", type=int, default=None, help="刊年: earliest year in the colophon.")
@click.option("--ndc", "classification", default=None, help="分類記号 for the call number.")
@click.option("--author-mark", default=None, help="図書記号 for the call number.")
@click.option("--kind", default=None, help="purchase, donation or other (default: from the fund).")
@click.option("--fund", default=None,
              help="city, recycling, student_council, pta, book_card, gift, other (default: city for "
                   "purchases, gift for donations).")
@click.option("--fund-note", default=None, help="What 'other' fund paid, e.g. 'バザー収益'.")
@click.option("--source", default=None, help="受入先: the bookstore, or the donor. Required.")
@date_option
@click.option("--list-price", "list_prices", type=int, multiple=True, help="本体価格 (tax added by date); once or per --isbn.")
@click.option("--price", "prices", type=int, multiple=True, help="Tax-included price; once or per --isbn.")
@click.option("--discount", type=int, default=0, help="値引き in yen, taken off the tax-included price.")
@click.option("--price-unknown", is_flag=True, help="Price unknown (self-published): entered as 0.")
@click.option("--copies", type=int, default=1, show_default=True, help="Copies of each book.")
@click.option("--lot-total", type=int, default=None, help="A lump sum over all copies (端数 on the last).")
@click.option("--slip-total", type=int, default=None, help="納品書の合計: must equal the rows' sum.")
@click.option("--accept-difference", is_flag=True, help="Register even if the rows differ from --slip-total.")
@click.option("--slip-number", default=None, help="伝票番号")
@click.option("--category", default=None, help="A 'not registered' category (see README); needs --override-note.")
@click.option("--loaned", is_flag=True, help="A magazine that is loaned (then it is registered).")
@click.option("--override-note", default=None, help="Why an item the manual does not register is registered.")
@click.option("--note", default=None)
@json_option
def register(library_ref, isbns, titles, volume, series_title, author, publisher, year, classification,
             author_mark, kind, fund, fund_note, source, on, list_prices, prices, discount, price_unknown,
             copies, lot_total, slip_total, accept_difference, slip_number, category, loaned, override_note,
             note, as_json):
    """Register copies: one number each, written to the ledger in one transaction."""
    from kiosk.ledger.accession import Accession, Book, CopyRequest, register as register_copies

    kind_value = parse_kind(kind) if kind else None
    fund_value = parse_fund(fund) if fund else default_fund(kind_value or Kind.PURCHASE)
    kind_value = kind_value or infer_kind(fund_value)
    if not 1 <= copies <= 10_000:
        raise KioskError(f"--copies must be between 1 and 10000 (got {copies})", "冊数は1〜10000にしてください")
    books = list(isbns) or [None]
    per_book_titles = _per_book(titles, len(books), "--title", "書名")
    per_book_list = _per_book(list_prices, len(books), "--list-price", "本体価格")
    per_book_price = _per_book(prices, len(books), "--price", "価格")
    requests = []
    db, library_id = _library(library_ref)
    for index, isbn in enumerate(books):
        given = dict(volume=volume, series_title=series_title, authors=author, publisher=publisher, year=year,
                     classification=classification, author_mark=author_mark)
        record = None
        if not per_book_titles[index]:
            if isbn is None:
                raise KioskError("--title is required (one for all, or one per --isbn)", "書名（--title）を入力してください")
            record = _looked_up(db, isbn)  # the lookup chain: cache, sample catalogue, NDL, openBD
        if record is not None:
            from kiosk.ledger.looked_up import book_from_record
            from kiosk.settings import library_settings

            book = book_from_record(record, library_settings(db, library_id).callnumber, **given)
        else:
            book = Book(title=per_book_titles[index], isbn=isbn, **given)
        list_price = per_book_list[index]
        if record is not None and list_price is None and per_book_price[index] is None and not price_unknown:
            list_price = record.price  # the record's 本体価格, tax added by date
        request = CopyRequest(book=book, list_price=list_price, price=per_book_price[index],
                              discount=discount, price_unknown=price_unknown, category=category, loaned=loaned,
                              override_note=override_note, note=note)
        requests.extend([request] * copies)
    accession = Accession(kind=kind_value, fund=fund_value, source=source or "", on=_day(on), fund_note=fund_note,
                          slip_number=slip_number, slip_total=slip_total, lot_total=lot_total)
    from kiosk.printing.waiting_spines import hold_spines, waiting_spine_numbers

    result = register_copies(db, library_id, accession, requests, actor=config.staff_name(),
                             accept_difference=accept_difference,
                             in_same_transaction=lambda session, copies: hold_spines(  # a tier missing: 請求記号待ち
                                 session, library_id, [c.number for c in copies], actor=config.staff_name()))
    waiting = waiting_spine_numbers(db, library_id, [c.number for c in result.copies])
    if as_json:
        _print_json({**result.to_json(), "spines_waiting": waiting})
    else:
        for copy in result.copies:
            mark = " 端数調整" if copy.rounding_adjusted else ""
            click.echo(f"登録番号 {copy.number}\t{copy.price:,}円{mark}\t{copy.series} {copy.fiscal_year}年度 "
                       f"第{copy.sheet}葉 {copy.row}行\t{copy.title}")
        if waiting:
            click.echo(f"請求記号が決まっていない本: {len(waiting)}冊。背ラベルは請求記号待ちです"
                       "（kiosk set-callnumber 番号 --top 分類記号 --bottom 図書記号 で決めると印刷待ちに入ります）")
    if result.difference:
        click.echo(f"kiosk: rows total {result.amount} yen, slip total {result.slip_total} yen: "
                   f"difference {result.difference:+} yen / 納品書との差額 {result.difference:+,}円", err=True)


def _looked_up(db, isbn: str):
    """The record the lookup chain finds for ``isbn``; KioskError when no source knows it."""
    from kiosk.ledger.looked_up import unknown_isbn
    from kiosk.lookup.assemble import build_chain

    result = build_chain(db).lookup(isbn)
    if not result.found:
        raise unknown_isbn(result.isbn13)
    return result.record


def _per_book(values: tuple, count: int, option: str, option_ja: str) -> list:
    if not values:
        return [None] * count
    if len(values) == 1:
        return list(values) * count
    if len(values) == count:
        return list(values)
    raise KioskError(f"give {option} once, or once per --isbn ({count} times), not {len(values)} times",
                     f"{option_ja}は1つ、またはISBNと同じ数だけ指定してください")


@main.command()
@click.argument("numbers")
@library_option
@click.option("--reason", required=True, help="lost, worn, discarded or other.")
@click.option("--note", default=None)
@date_option
@json_option
def withdraw(numbers, library_ref, reason, note, on, as_json):
    """Withdraw copies (除籍): NUMBERS is one number or a list like 1001-1005,1010, all or none.
    The numbers are retired forever."""
    from kiosk.ledger.number_ranges import parse_numbers
    from kiosk.ledger.withdrawal import parse_reason, withdraw_many

    reason_value = parse_reason(reason)
    wanted = parse_numbers(numbers)
    db, library_id = _library(library_ref)
    copies = withdraw_many(db, library_id, wanted, reason_value, on=_day(on), note=note, actor=config.staff_name())
    data = [{"number": copy.number, "status": copy.status, "withdrawn_on": copy.withdrawn_on.isoformat(),
             "reason": copy.withdrawal_reason, "note": copy.withdrawal_note} for copy in copies]
    if as_json:
        _print_json(data[0] if len(data) == 1 else {"copies": data})
    elif len(copies) == 1:
        click.echo(f"除籍しました: 登録番号 {copies[0].number}（{reason}）")
    else:
        click.echo(f"除籍しました: {len(copies)}冊 登録番号 {', '.join(str(c.number) for c in copies)}（{reason}）")


@main.command()
@click.argument("number", type=int)
@library_option
@date_option
@json_option
def reaccession(number, library_ref, on, as_json):
    """Re-accession a copy withdrawn as lost that was found: a new number, linked to the old."""
    from kiosk.ledger.withdrawal import reaccession as reaccession_copy

    db, library_id = _library(library_ref)
    copy = reaccession_copy(db, library_id, number, on=_day(on), actor=config.staff_name())
    if as_json:
        _print_json({"copies": [copy.to_json()], "reaccession_of": number})
    else:
        click.echo(f"再受入しました: 登録番号 {number} → 新しい登録番号 {copy.number}")


@main.command()
@click.argument("numbers")
@library_option
@click.option("--title", default=None, help="The bound volume's title (default: the first copy's).")
@click.option("--volume", default=None, help="The bound volume's 巻次, e.g. '2026年度'.")
@date_option
@json_option
def bind(numbers, library_ref, title, volume, on, as_json):
    """合本: bind copies NUMBERS (like 1001-1012) into one volume with a new number."""
    from kiosk.ledger.number_ranges import parse_numbers
    from kiosk.ledger.rebinding import bind as bind_copies

    wanted = parse_numbers(numbers)
    db, library_id = _library(library_ref)
    new = bind_copies(db, library_id, wanted, title=title, volume=volume, on=_day(on), actor=config.staff_name())
    if as_json:
        _print_json({"copies": [new.to_json()], "bound": list(dict.fromkeys(wanted))})
    else:
        click.echo(f"合本しました: 登録番号 {numbers} → 新しい登録番号 {new.number}（{new.price:,}円）")


@main.command()
@click.argument("number", type=int)
@library_option
@click.option("--volume", "volumes", multiple=True, required=True, help="One per part: --volume 上 --volume 下.")
@date_option
@json_option
def split(number, library_ref, volumes, on, as_json):
    """分本: split copy NUMBER into one copy per --volume, each with a new number."""
    from kiosk.ledger.rebinding import split as split_copy

    db, library_id = _library(library_ref)
    made = split_copy(db, library_id, number, list(volumes), on=_day(on), actor=config.staff_name())
    if as_json:
        _print_json({"copies": [copy.to_json() for copy in made], "split": number})
    else:
        click.echo(f"分本しました: 登録番号 {number} → 新しい登録番号 {', '.join(str(c.number) for c in made)}")


@main.command(name="correct")
@click.argument("number", type=int)
@library_option
@click.option("--set", "assignments", multiple=True, required=True, help="FIELD=VALUE, e.g. title=ぐりとぐら.")
@click.option("--reason", required=True, help="Why (kept in the event log).")
@json_option
def correct_command(number, library_ref, assignments, reason, as_json):
    """Correct a ledger row; the old value stays in the event log."""
    from kiosk.ledger.withdrawal import correct

    changes = {}
    for assignment in assignments:
        name, sep, value = assignment.partition("=")
        if not sep:
            raise KioskError(f"--set needs FIELD=VALUE (got {assignment!r})", "--set は 項目=値 の形で指定してください")
        changes[name.strip()] = value
    db, library_id = _library(library_ref)
    result = correct(db, library_id, number, changes, reason=reason, actor=config.staff_name())
    _print_json(result) if as_json else click.echo(f"訂正しました: 登録番号 {number}")


@main.command()
@library_option
@click.option("--year", "fiscal_year", type=int, default=None, help="Fiscal year (年度), e.g. 2026.")
@click.option("--series", type=click.Choice(["purchase", "donation"]), default=None)
@click.option("--csv", "csv_path", default=None, type=click.Path(dir_okay=False),
              help="Write the rows to this CSV file for Excel instead of printing them.")
@click.option("--encoding", default="utf-8", show_default=True, type=click.Choice(["utf-8", "sjis"]),
              help="The CSV's encoding: UTF-8 with a BOM, or Shift_JIS (cp932).")
@json_option
def ledger(library_ref, fiscal_year, series, csv_path, encoding, as_json):
    """Print the ledger (図書台帳) sheet by sheet, with each sheet's count and amount."""
    from kiosk.ledger.sheets import read_ledger

    db, library_id = _library(library_ref)
    sheets, lost = read_ledger(db, library_id, fiscal_year=fiscal_year, series=series)
    if csv_path:
        from kiosk.ledger.csv_export import ledger_csv

        data = ledger_csv(sheets, encoding, lost)
        with open(csv_path, "wb") as handle:
            handle.write(data)
        click.echo(f"{sum(sheet.count for sheet in sheets)}行を {csv_path} に書き出しました")
        return
    if as_json:
        _print_json({"sheets": [sheet.to_json() for sheet in sheets], "lost_numbers": [gap.to_json() for gap in lost]})
        return
    for sheet in sheets:
        click.echo(f"== {sheet.series} {sheet.fiscal_year}年度 第{sheet.sheet}葉: {sheet.count}冊 {sheet.amount:,}円")
        for row in sheet.rows:
            mark = "（除籍）" if row.status == "withdrawn" else ""
            click.echo(f"{row.acquired_on}\t{row.number}\t{row.call_number}\t{row.title}{mark}\t{row.price:,}\t{row.fund_label}")
    for gap in lost:
        click.echo(f"== 欠番 {gap.first}〜{gap.last}（{gap.count}番号）{gap.reason_ja} {gap.noted_on}")


@main.command()
@library_option
@click.option("--year", "fiscal_year", type=int, default=None, help="Fiscal year (年度), e.g. 2026 (default: this one).")
@json_option
def audit(library_ref, fiscal_year, as_json):
    """The fiscal year's figures for the audit (監査): accessions by kind and fund, withdrawals, holdings."""
    from kiosk.ledger.fiscal import fiscal_year as year_of
    from kiosk.ledger.year_figures import read_year_report

    db, library_id = _library(library_ref)
    report = read_year_report(db, library_id, fiscal_year or year_of(date.today()))
    if as_json:
        _print_json(report.to_json())
        return
    click.echo(f"{report.library_name} {report.fiscal_year}年度（{report.start}〜{report.end}）")
    for line in report.accessions:
        zero = f"（うち0円 {line.zero_yen}冊）" if line.zero_yen else ""
        click.echo(f"受入\t{line.label}\t{line.copies}冊{zero}\t{line.amount:,}円")
    click.echo(f"受入 計\t{report.accessioned}冊\t{report.accessioned_amount:,}円")
    for line in report.withdrawals:
        click.echo(f"除籍\t{line.label}\t{line.copies}冊\t{line.amount:,}円")
    numbers = f"{report.numbers[0]}〜{report.numbers[1]}" if report.numbers else "なし"
    click.echo(f"登録番号\t{numbers}")
    click.echo(f"付けた番号\t{report.numbers_given}個\t欠番 {report.numbers_lost}個")
    for gap in report.lost:
        click.echo(f"欠番\t{gap.first}〜{gap.last}（{gap.count}番号）\t{gap.reason_ja}")
    click.echo(f"蔵書冊数\t年度初め {report.holdings_start}冊\t年度末 {report.holdings_end}冊")


@main.command()
@click.argument("number", type=int, required=False)
@library_option
@json_option
def history(number, library_ref, as_json):
    """The event log (who did what, when), for one copy or the whole library."""
    from kiosk.events import event_log

    db, library_id = _library(library_ref)
    events = [{"at": e.at.isoformat(), "actor": e.actor, "action": e.action, "number": e.number,
               "details": e.details} for e in event_log(db, library_id, number)]
    if as_json:
        _print_json({"events": events})
    else:
        for e in events:
            click.echo(f"{e['at']}\t{e['actor']}\t{e['action']}\t{e['number'] or ''}")


@main.command()
@click.argument("code")
@click.option("--prefix", default="", help="Prefix the scanner adds (stripped).")
@click.option("--suffix", default="", help="Suffix the scanner adds (stripped).")
@click.option("--symbology", default="nw7", show_default=True, help="Item barcodes: nw7, code39 or code128.")
@click.option("--check", default="mod11", show_default=True,
              help="Item barcode check scheme: none, mod10w3, m10w21 (Luhn), mod11, 7dr, 7dsr, mod16 (docs/scanner.md).")
@json_option
def parse(code, prefix, suffix, symbology, check, as_json):
    """Say what a scanned string is: ISBN, 192 price code, magazine, item barcode or unknown."""
    from kiosk.codes.itemcode import ItemCodeSettings
    from kiosk.scan import ScanSettings, parse_scan

    scan = parse_scan(code, ScanSettings(prefix=prefix, suffix=suffix,
                                         item=ItemCodeSettings(symbology=symbology, check=check)))
    if as_json:
        _print_json(scan.to_json())
    elif not scan.error:
        click.echo(" ".join(f"{k}={v}" for k, v in scan.to_json().items()))
    scan.raise_for_error()


@main.command()
@click.argument("isbn")
@click.option("--offline", is_flag=True, help="Use only local sources: the cache and the sample catalogue.")
@json_option
def lookup(isbn, offline, as_json):
    """Look a book up: cache, NDL Search, openBD, sample catalogue (KIOSK_NDL_SRU_URL, KIOSK_OPENBD_URL)."""
    from kiosk.lookup.assemble import build_chain

    result = build_chain(open_database()).lookup(isbn, offline=offline)
    if as_json:
        _print_json(result.to_json())
    elif result.found:
        record = result.record
        creators = "、".join(f"{c.name}{f'（{c.role}）' if c.role else ''}" for c in record.creators)
        click.echo(f"{record.title} / {creators} / {record.publisher or ''} {record.year or ''} "
                   f"NDC {record.ndc9 or record.ndc10 or '-'} [{result.source}]")
    if not result.found:
        click.echo(f"kiosk: no source knows ISBN {result.isbn13} / この本の書誌が見つかりません", err=True)
        sys.exit(1)


@main.command(name="import-catalogue")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@json_option
def import_catalogue_command(path, as_json):
    """Import a catalogue file into the lookup cache: TSV/CSV (UTF-8 or Shift_JIS) or MARC 21."""
    from pathlib import Path

    from kiosk.lookup.assemble import import_into_cache

    report = import_into_cache(open_database(), Path(path))
    problems = [{"line": p.line, "record": p.record, "severity": p.severity, "message": p.message, "ja": p.ja}
                for p in report.problems]
    if as_json:
        _print_json({"imported": len(report.records), "format": report.format, "encoding": report.encoding,
                     "problems": problems})
    else:
        click.echo(f"{len(report.records)}件を取り込みました（{report.format}, {report.encoding or '-'}）")
        for problem in problems:
            where = f"{problem['line']}行目" if problem["line"] else f"{problem['record']}件目"
            click.echo(f"  {where}: {problem['ja']}", err=True)


@main.command()
@click.argument("numbers")
@library_option
@click.option("--output", "-o", required=True, type=click.Path(dir_okay=False), help="The PDF to write.")
@click.option("--kind", default="both", show_default=True, help="spine, barcode or both.")
@click.option("--template", default=None,
              help="Label sheet BRAND:PART, e.g. A-one:28368 (for --kind spine or barcode; `kiosk sheets` finds one).")
@click.option("--start", type=int, default=1, show_default=True, help="First free position on a partly used sheet.")
@click.option("--symbology", default=None, type=click.Choice(ItemCodeSettings.SYMBOLOGIES),
              help="nw7, code39 or code128 (default: the settings').")
@click.option("--check", default=None, type=click.Choice(ItemCodeSettings.CHECK_SCHEMES),
              help="none, mod10w3, m10w21 (Luhn), mod11, 7dr, 7dsr, mod16 (default: the settings').")
@click.option("--same-sheet", is_flag=True, help="Spine and barcode labels side by side on one sheet.")
def labels(numbers, library_ref, output, kind, template, start, symbology, check, same_sheet):
    """Render registered copies' labels (NUMBERS like 1001-1020,1025) to a PDF sheet."""
    from kiosk.ledger.number_ranges import parse_numbers
    from kiosk.printing.waiting_spines import spines_left_out
    from printer.copy_labels import LabelOptions, labels_pdf

    item_code = {key: value for key, value in (("symbology", symbology), ("check", check)) if value}
    options = LabelOptions(kind=kind, spine_template=template if kind == "spine" else None,
                           barcode_template=template if kind != "spine" else None, start=start,
                           same_sheet=same_sheet, item_code=item_code or None)
    wanted = parse_numbers(numbers)
    db, library_id = _library(library_ref)
    pdf = labels_pdf(db, library_id, wanted, options)
    with open(output, "wb") as handle:
        handle.write(pdf)
    click.echo(f"{len(wanted)}冊分のラベルを {output} に書き出しました")
    if options.kind != "barcode" and (left_out := spines_left_out(db, library_id, wanted)):
        shown = ", ".join(map(str, left_out[:10])) + (" ほか" if len(left_out) > 10 else "")
        click.echo(f"背ラベルを入れていない本（請求記号待ち）: {len(left_out)}冊（{shown}）。"
                   "kiosk set-callnumber 番号 --top 分類記号 --bottom 図書記号 で決めると印刷待ちに入ります")


@main.command()
@click.argument("query", nargs=-1, required=True)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def sheets(query, as_json):
    """Find label sheets by maker and product number on the package (28368, キハラ 606-906, エーワン 44面)."""
    from printer.sheet_search import find_refused_sheets, find_sheets

    text = " ".join(query)
    found, refused = find_sheets(text), find_refused_sheets(text)
    if as_json:
        _print_json({"sheets": [{"name": m.name, "maker": m.maker_ja, "part": m.part, "per_sheet": m.per_sheet,
                                 "label_mm": list(m.label_mm), "page_mm": list(m.page_mm), "description": m.description}
                                for m in found],
                     "refused": [{"name": r.name, "reason": r.reason, "ja": r.reason_ja} for r in refused]})
        return
    for m in found:
        click.echo(f"{m.name}\t{m.maker_ja}\t{m.per_sheet}面\t{m.label_mm[0]:g}×{m.label_mm[1]:g}mm\t{m.description}")
    for r in refused:
        click.echo(f"{r.name}\t使えません: {r.reason_ja}", err=True)
    if not found:
        raise KioskError(f"no printable label sheet matches {text!r}",
                         f"「{text}」に合う、印刷できるラベル用紙はありません（メーカー名と品番で探せます。例 エーワン 28368）")


@main.command()
@click.argument("numbers")
@library_option
@click.option("--output", "-o", required=True, type=click.Path(dir_okay=False), help="The PDF to write.")
def checklist(numbers, library_ref, output):
    """The processing checklist (装備チェックリスト) of copies NUMBERS (like 1001-1020) as a PDF."""
    from kiosk.labels.processing_checklist import processing_checklist
    from printer.checklist_pdf import checklist_pdf
    from kiosk.ledger.number_ranges import parse_numbers

    wanted = parse_numbers(numbers)
    db, library_id = _library(library_ref)
    pdf = checklist_pdf(processing_checklist(db, library_id, wanted))
    with open(output, "wb") as handle:
        handle.write(pdf)
    click.echo(f"{len(set(wanted))}冊分の装備チェックリストを {output} に書き出しました")


@main.command()
@click.argument("numbers")
@library_option
@click.option("--output", "-o", required=True, type=click.Path(dir_okay=False), help="The PDF to write.")
@click.option("--layout", default=None, type=click.Choice(PrintingSettings.CARD_LAYOUTS),
              help="a4: three to an A4 sheet with cut lines; card: one 125 × 75 mm card a page (default: the settings').")
def cards(numbers, library_ref, output, layout):
    """The basic cards (基本カード) of copies NUMBERS (like 1001-1020) as a PDF."""
    from kiosk.labels.basic_cards import catalogue_cards
    from kiosk.ledger.number_ranges import parse_numbers
    from kiosk.settings import library_settings
    from printer.card_pdf import cards_pdf

    wanted = parse_numbers(numbers)
    db, library_id = _library(library_ref)
    layout = layout or library_settings(db, library_id).printing.card_layout
    made = catalogue_cards(db, library_id, wanted)
    pdf = cards_pdf(made, layout)
    with open(output, "wb") as handle:
        handle.write(pdf)
    click.echo(f"{len(made)}枚の基本カードを {output} に書き出しました")


@main.command(name="print")
@click.argument("numbers")
@library_option
@click.option("--printer", required=True, help="pdf:DIR, cups:QUEUE or zpl:tcp://HOST:9100.")
@click.option("--kind", default="both", show_default=True, help="spine, barcode or both.")
def print_command(numbers, library_ref, printer, kind):
    """Send registered copies' labels to a printer (the job stays queued if the printer fails)."""
    from kiosk.ledger.number_ranges import parse_numbers
    from printer.copy_labels import LabelOptions
    from printer.dispatch import print_now

    wanted = parse_numbers(numbers)
    db, library_id = _library(library_ref)
    job = print_now(db, library_id, wanted, printer, actor=config.staff_name(), options=LabelOptions(kind=kind))
    click.echo(f"印刷しました: ジョブ {job.id}（{len(wanted)}冊）")


@main.command()
@click.argument("isbn")
@library_option
@click.option("--c-code", default=None, metavar="CODE",
              help="The book's C-code (C0193, from its cover or second barcode): proposes the class when no "
                   "source gives an NDC (推定).")
@click.option("--offline", is_flag=True, help="Use only local sources.")
@json_option
def callnumber(isbn, library_ref, c_code, offline, as_json):
    """The call number (請求記号) the library's rules propose for a book, tier by tier: where each
    tier came from, and which are estimated (推定) or missing (未定)."""
    from kiosk.labels.proposal import CCode, propose_call_number
    from kiosk.lookup.assemble import build_chain
    from kiosk.settings import library_settings

    db, library_id = _library(library_ref)
    rules = library_settings(db, library_id).callnumber
    if c_code is not None:
        from kiosk.labels.ndc_from_ccode import ndc_from_c_code

        ndc_from_c_code(c_code)  # a code that is not C + 4 digits: refused with its message
    result = build_chain(db).lookup(isbn, offline=offline)
    if not result.found and c_code is None:
        click.echo(f"kiosk: no source knows ISBN {result.isbn13} / この本の書誌が見つかりません", err=True)
        sys.exit(1)
    proposal = propose_call_number(result.record, c_code=CCode(c_code, "typed") if c_code else None, rules=rules)
    if as_json:
        _print_json({"isbn13": result.isbn13, "source": result.source, **proposal.to_json()})
    else:
        from kiosk.labels.proposal import ESTIMATED_JA, MISSING_JA, TIER_LABELS_JA

        for name, tier in proposal.tiers().items():
            mark = f"［{MISSING_JA}］" if tier.missing else f"［{ESTIMATED_JA}］" if tier.estimated else ""
            click.echo(f"{TIER_LABELS_JA[name]}\t{tier.value or '—'}{mark}\t{tier.why}")


@main.command(name="set-callnumber")
@click.argument("number", type=int)
@library_option
@click.option("--top", required=True, help="分類記号 (or 別置記号), e.g. 913 or E.")
@click.option("--bottom", required=True, help="図書記号, e.g. ナ.")
@click.option("--volume", default=None, help="巻冊記号, the optional third tier.")
@json_option
def set_callnumber(number, library_ref, top, bottom, volume, as_json):
    """Set a registered copy's call number (請求記号): its spine label, waiting as 請求記号待ち,
    joins the queue for the next sheet."""
    from kiosk.ledger.call_numbers import set_call_number

    db, library_id = _library(library_ref)
    done = set_call_number(db, library_id, number, top=top, bottom=bottom, volume=volume, actor=config.staff_name())
    if as_json:
        _print_json(done.__dict__)
    else:
        tiers = " / ".join(t for t in (done.top, done.bottom, done.volume) if t)
        released = f"（背ラベルを印刷待ちに: ジョブ {', '.join(map(str, done.released_jobs))}）" if done.released_jobs else ""
        click.echo(f"登録番号 {number} の請求記号: {tiers}{released}")


@main.command()
@click.option("--year", "fiscal_year", type=int, default=None, help="Fiscal year (年度), e.g. 2026 [default: this one].")
@click.option("--csv", "csv_path", default=None, type=click.Path(dir_okay=False), help="Write the table as CSV here.")
@click.option("--sjis", is_flag=True, help="The CSV in Shift_JIS (cp932) instead of UTF-8 with a BOM.")
@json_option
def board(fiscal_year, csv_path, sjis, as_json):
    """The board of education's view (教育委員会): every school's accessions, withdrawals and holdings
    for the fiscal year, and the total. Read only: run it with a KIOSK_DATABASE_URL whose role can
    only SELECT (scripts/board-role.sql, docs/city.md); never migrates; refused on a school's kiosk
    (KIOSK_LIBRARY)."""
    from kiosk.board import board_csv, board_report, refuse_on_a_school_kiosk
    from kiosk.db.storage import open_database as open_kiosk_database
    from kiosk.ledger.fiscal import fiscal_year as year_of

    refuse_on_a_school_kiosk(config.bound_library())
    report = board_report(open_kiosk_database(migrate_if_needed=False), fiscal_year or year_of(date.today()))
    if csv_path:
        with open(csv_path, "wb") as handle:
            handle.write(board_csv(report, "sjis" if sjis else "utf-8"))
    if as_json:
        _print_json(report.to_json())
        return
    click.echo(f"{report.fiscal_year}年度（{report.fiscal_year}-04-01〜{report.fiscal_year + 1}-03-31） {len(report.schools)}校")
    for name, figures in [(s.library.name, s.figures) for s in report.schools] + [("合計", report.total)]:
        kinds = "・".join(f"{label} {figures.by_kind[kind][0]}冊" for kind, label in
                         (("purchase", "購入"), ("donation", "寄贈"), ("other", "その他")))
        click.echo(f"{name}\t受入 {figures.accessioned}冊 {figures.accessioned_amount:,}円（{kinds}）\t"
                   f"除籍 {figures.withdrawn}冊\t蔵書 {figures.holdings_start}冊 → {figures.holdings_end}冊")
    if csv_path:
        click.echo(f"CSV: {csv_path}（{'Shift_JIS' if sjis else 'UTF-8'}）")


@main.command()
def migrate():
    """Create or upgrade the database schema (other commands do this on their own too)."""
    db = open_database()
    click.echo(f"database is up to date ({db.dialect})")


@main.command()
@click.option("--to", "directory", default=None, type=click.Path(file_okay=False),
              help="Where to write it (default: KIOSK_BACKUP_DIR, else backups/ in the data directory).")
@click.option("--keep", type=int, default=48, show_default=True, help="How many backups to keep there.")
@json_option
def backup(directory, keep, as_json):
    """Copy the SQLite database, whole and checked, while the kiosk may be running."""
    from pathlib import Path

    from kiosk.db.backup import back_up

    made = back_up(open_database(), Path(directory) if directory else None, keep=keep)
    if as_json:
        _print_json({"path": str(made.path), "copies": made.copies, "last_number": made.last_number, "size": made.size})
    else:
        click.echo(f"バックアップしました: {made.path}（{made.copies}冊、最後の登録番号 {made.last_number or 'なし'}）")


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on. 127.0.0.1 keeps the kiosk on this PC; 0.0.0.0 exposes it on the LAN "
                   "(refused until a staff PIN exists).")
@click.option("--port", type=int, default=8080, show_default=True)
@click.option("--threads", type=int, default=32, show_default=True,
              help="Worker threads; each open page holds one for its scan stream.")
@click.option("--board", is_flag=True,
              help="Serve the board of education's read-only view of every school instead (docs/city.md).")
def serve(host, port, threads, board):
    """Start the kiosk's web app with a production WSGI server (waitress)."""
    from kiosk_app.serve import serve_board, serve_kiosk

    (serve_board if board else serve_kiosk)(host, port, threads, say=click.echo)


@main.group()
def staff():
    """Staff members and their PINs: the names the event log gives to what staff do on the touch
    screen. The first member added is the administrator, who adds and removes the others there."""


@staff.command(name="add")
@click.argument("name")
@click.option("--pin", prompt="PIN", hide_input=True, confirmation_prompt=True,
              help="4 to 8 digits (asked for, unseen, if not given).")
@click.option("--admin", is_flag=True, help="An administrator (the first member always is).")
@library_option
def staff_add(name, pin, admin, library_ref):
    """Add a member of staff with their PIN."""
    from kiosk.staff import add_member

    db, library_id = _library(library_ref)
    member = add_member(db, library_id, name, pin, admin=admin, actor=config.staff_name())
    click.echo(f"追加しました: 職員「{member.name}」{'（管理者）' if member.is_admin else ''}")


@staff.command(name="list")
@library_option
@json_option
def staff_list(library_ref, as_json):
    """The staff members in the order they were added, each marked 管理者 (administrator) or 職員."""
    from kiosk.staff import members_of

    db, library_id = _library(library_ref)
    members = members_of(db, library_id)
    if as_json:
        _print_json({"staff": [{"name": m.name, "admin": m.is_admin, "created_at": m.created_at.isoformat(),
                                "created_by": m.created_by} for m in members]})
        return
    if not members:
        click.echo("職員はまだいません（暗証番号なしで職員の操作ができます）")
    for member in members:
        click.echo(f"{member.name}\t{'管理者' if member.is_admin else '職員'}")


@staff.command(name="remove")
@click.argument("name")
@library_option
def staff_remove(name, library_ref):
    """Remove a member of staff (not the last administrator)."""
    from kiosk.staff import remove_member

    db, library_id = _library(library_ref)
    remove_member(db, library_id, name, actor=config.staff_name())
    click.echo(f"削除しました: 職員「{name.strip()}」")


@main.command()
@click.argument("file", required=False, type=click.Path(dir_okay=False))
@click.option("--highest-label", type=int, default=None,
              help="The highest registration number already on a label (the last book's, or the highest the "
                   "kiosk's logs saw): the counter continues after it. Required to restore.")
@click.option("--after-pg-restore", is_flag=True,
              help="PostgreSQL: the database was restored on its server (pg_restore); move its counter on.")
@library_option
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@json_option
def restore(file, highest_label, after_pg_restore, library_ref, yes, as_json):
    """Restore the SQLite database from a backup FILE without giving any number twice: the counter
    continues after --highest-label, the numbers between recorded as 欠番 (lost at restore)."""
    from pathlib import Path

    from kiosk.db import restore as restoring

    if after_pg_restore:
        if highest_label is None:
            raise KioskError("--highest-label N is required", "--highest-label（ラベルにある最大の登録番号）を指定してください")
        db, library_id = _library(library_ref)
        done = restoring.continue_after_server_restore(db, library_id, highest_label, actor=config.staff_name())
        lost = f"欠番 {done.lost.first}〜{done.lost.last}" if done.lost else "欠番なし"
        _print_json({"next_number": done.next_number, "lost": done.lost and done.lost.to_json()}) if as_json else \
            click.echo(f"次の登録番号は {done.next_number} です（{lost}）")
        return
    if not file:
        raise KioskError("give the backup FILE to restore", "復元するバックアップのファイルを指定してください")
    target = restoring.sqlite_path(config.database_url())
    facts = restoring.inspect_backup(Path(file))
    highest = facts.highest if facts.highest is not None else "なし"
    click.echo(f"バックアップ: {facts.path.name}（{facts.library_name}、{facts.copies}冊、最後の登録番号 {highest}）",
               err=as_json)
    if highest_label is None:
        raise KioskError(
            f"the backup's highest number is {facts.highest}: give --highest-label N, the highest number already "
            "on a label (the last book's, or the highest in the kiosk's logs), so no number is given twice",
            f"バックアップの最後の登録番号は {highest} です。本に貼ったラベルの最大の登録番号を "
            "--highest-label で指定してください（同じ番号を二度つけないため。何も変更していません）")
    lost = (f"{facts.next_number}〜{highest_label} を欠番（復元時に失われた番号）として記録し、"
            if highest_label >= facts.next_number else "")
    click.echo(f"{target} をこのバックアップで置き換え、{lost}登録番号は {max(facts.next_number, highest_label + 1)} "
               "から続けます。"
               "いまのファイルは別名で残します。", err=as_json)
    if not yes:
        click.confirm("復元しますか", abort=True, err=as_json)
    done = restoring.restore_sqlite(config.database_url(), facts.path, highest_label, actor=config.staff_name())
    if as_json:
        _print_json(done.to_json())
        return
    kept = f"。元のファイルは {done.kept_aside} に残しました" if done.kept_aside else ""
    click.echo(f"復元しました: 次の登録番号は {done.continuation.next_number} です{kept}")


@main.command(name="import-ledger")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--dry-run", is_flag=True, help="Check every row and report, import nothing.")
@library_option
@json_option
def import_ledger_command(file, dry_run, library_ref, as_json):
    """Import an existing ledger (CSV in UTF-8 or Shift_JIS, or xlsx): numbers kept, withdrawn rows
    withdrawn, item barcodes kept, the counter after the highest. All or nothing; --dry-run first."""
    from pathlib import Path

    from kiosk.ledger.ledger_import import LedgerRefused, import_ledger

    db, library_id = _library(library_ref)
    try:
        report = import_ledger(db, library_id, Path(file), dry_run=dry_run, actor=config.staff_name())
    except LedgerRefused as refused:
        if as_json:
            _print_json(refused.report.to_json())
        for problem in refused.report.problems:
            click.echo(f"  {problem.where}「{problem.column}」: {problem.reason_ja}", err=True)
        raise
    if as_json:
        _print_json(report.to_json())
        return
    lost = "、".join(f"{a}〜{b}" if a != b else str(a) for a, b in report.lost) or "なし"
    verb = "取り込めます（--dry-run: まだ何も書いていません）" if dry_run else "取り込みました"
    click.echo(f"{report.rows}行を{verb}: 登録番号 {report.numbers[0]}〜{report.numbers[1]}、うち除籍 {report.withdrawn}冊、"
               f"バーコード {report.barcodes}件、欠番 {lost}、次の登録番号 {report.next_number}")
    if report.ignored_columns:
        click.echo(f"読まなかった列: {'、'.join(report.ignored_columns)}")


@main.command(name="export")
@click.argument("format_name", metavar="[FORMAT]", required=False)
@click.option("--format", "format_option", default=None, help="xlsx, marc, tsv, csv or csv-sjis (or give it first).")
@click.option("--output", "-o", required=True, type=click.Path(dir_okay=False), help="The file to write.")
@click.option("--year", "fiscal_year", type=int, default=None, help="Fiscal year (年度) of the ledger (xlsx, csv).")
@library_option
def export_command(format_name, format_option, output, fiscal_year, library_ref):
    """Export the ledger (xlsx, csv, csv-sjis) or the holdings (marc: MARC 21, tsv), each naming the
    library (name and ISIL)."""
    from kiosk.ledger.exports import export

    chosen = format_option or format_name
    if not chosen or (format_option and format_name and format_option != format_name):
        raise KioskError("give one export format: xlsx, marc, tsv, csv or csv-sjis",
                         "出力形式を1つ指定してください（xlsx・marc・tsv・csv・csv-sjis）")
    db, library_id = _library(library_ref)
    made = export(db, library_id, chosen, fiscal_year=fiscal_year)
    with open(output, "wb") as handle:
        handle.write(made.data)
    click.echo(f"{made.rows}冊分を {output} に書き出しました（{chosen}）")


@main.command()
@click.argument("report_name", metavar="ledger|audit|discrepancy|withdrawals",
                type=click.Choice(["ledger", "audit", "discrepancy", "withdrawals"]))
@click.option("--output", "-o", required=True, type=click.Path(dir_okay=False), help="The PDF to write.")
@click.option("--year", "fiscal_year", type=int, default=None,
              help="Fiscal year (年度), e.g. 2026: the ledger's, the audit's, the withdrawals' (default: this one).")
@click.option("--series", type=click.Choice(["purchase", "donation"]), default=None, help="The ledger: one series.")
@click.option("--sheets", default=None, help="The ledger: sheets (葉) like 3-5 (with --year and --series).")
@click.option("--delivery", type=int, default=None, help="discrepancy: the delivery's number (納品の番号).")
@click.option("--from", "start", type=click.DateTime(["%Y-%m-%d"]), default=None,
              help="withdrawals: withdrawn on or after YYYY-MM-DD (instead of --year).")
@click.option("--to", "end", type=click.DateTime(["%Y-%m-%d"]), default=None,
              help="withdrawals: withdrawn on or before YYYY-MM-DD.")
@library_option
def report(report_name, output, fiscal_year, series, sheets, delivery, start, end, library_ref):
    """A document as a PDF: the ledger (図書台帳: one sheet a page, a cover for a fiscal year), the
    audit (監査資料), a delivery's discrepancy report for the bookseller (納品差異報告書, --delivery)
    or the withdrawals (除籍リスト, by --year or --from/--to)."""
    from printer.reports import REPORT_LABELS_JA, report_pdf

    db, library_id = _library(library_ref)
    pdf = report_pdf(db, library_id, report_name, fiscal_year=fiscal_year, series=series, sheets=sheets,
                     delivery=delivery, start=_day(start), end=_day(end))
    with open(output, "wb") as handle:
        handle.write(pdf)
    click.echo(f"{REPORT_LABELS_JA[report_name]}を {output} に書き出しました")
