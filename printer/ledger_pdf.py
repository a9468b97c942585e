"""The ledger (図書台帳) as a PDF to file, from the kiosk itself: A4 landscape, one ledger sheet a
page in the manual's ten columns, each page with its series, fiscal year, sheet number, count and
amount (a sheet longer than a page goes on over more pages, its totals on the last), the fund in
its column (寄贈 marked for a donation sheet), a withdrawn row marked with its date and reason, a
re-accessioned copy with its old number; the recorded 欠番 on their own page; and, for one fiscal
year, a cover page with each series' sheets, copies and amounts and the numbers given."""

from dataclasses import dataclass
from datetime import date
from itertools import groupby

from kiosk.ledger.funds import SERIES_LABELS_JA
from kiosk.ledger.holdings import LibraryName
from kiosk.ledger.lost_numbers import LostNumbers
from kiosk.ledger.sheets import LedgerRow, LedgerSheet
from kiosk.ledger.withdrawal import REASON_LABELS_JA
from printer.fonts import label_font_path
from printer.mm_canvas import Canvas
from printer.pdf_writer import PdfDocument
from printer.table_drawing import Column, Table
from printer.truetype import load_font

PAGE_W, PAGE_H = 297.0, 210.0  # A4 landscape, mm
MARGIN = 12.0
HEAD_Y = MARGIN + 20.0  # the table's top
HEAD_ROW_H = 9.0
ROW_H = 12.0  # two lines: the value, and a mark under it (除籍, 端数調整, 再受入)
FOOTER_H = 14.0
ROWS_PER_PAGE = int((PAGE_H - HEAD_Y - HEAD_ROW_H - FOOTER_H - MARGIN) // ROW_H)
TEXT_PT, SMALL_PT = 8.5, 6.5
# The manual's ten columns.
TABLE = Table((Column("① 受入年月日", 22.0), Column("② 受入先", 30.0), Column("③ 登録番号", 18.0, "right"),
               Column("④ 請求記号", 20.0), Column("⑤ 書名", 65.0), Column("⑥ 著者名", 36.0),
               Column("⑦ 発行所", 27.0), Column("⑧ 刊年", 12.0, "right"), Column("⑨ 価格", 17.0, "right"),
               Column("⑩ 財源", 26.0)), MARGIN)


@dataclass(frozen=True)
class LedgerDocument:
    """What goes in the PDF: the library, its sheets (already chosen), the 欠番 to show and, for
    one fiscal year, that year (for the cover)."""

    library: LibraryName
    sheets: list[LedgerSheet]
    lost: list[LostNumbers]
    fiscal_year: int | None = None


def ledger_pdf(content: LedgerDocument, *, printed_on: date | None = None) -> bytes:
    font = load_font(label_font_path())
    document = PdfDocument(font, title=f"図書台帳 {content.library.heading}")
    printed_on = printed_on or date.today()
    if content.fiscal_year is not None:
        _Cover(document, font).draw(content, printed_on)
    for sheet in content.sheets:
        parts = [sheet.rows[i:i + ROWS_PER_PAGE] for i in range(0, len(sheet.rows), ROWS_PER_PAGE)] or [[]]
        for index, rows in enumerate(parts, start=1):
            _SheetPage(document, font).draw(content.library, sheet, rows, index, len(parts), printed_on)
    if content.lost:
        _LostPage(document, font).draw(content.library, content.lost, printed_on)
    if not content.sheets and not content.lost and content.fiscal_year is None:
        _Cover(document, font).empty(content.library)
    return document.to_bytes()


class _SheetPage(Canvas):
    def __init__(self, document, font):
        super().__init__(document, font, PAGE_W, PAGE_H)

    def draw(self, library: LibraryName, sheet: LedgerSheet, rows: list[LedgerRow], part: int, parts: int,
             printed_on: date) -> None:
        series = SERIES_LABELS_JA[sheet.series]
        self.text("図書台帳", MARGIN, MARGIN + 7, 15)
        self.text(library.heading, MARGIN + 30, MARGIN + 7, 10, width=120)
        self.text(f"{series} {sheet.fiscal_year}年度 第{sheet.sheet}葉" + (f"（{part}/{parts}）" if parts > 1 else ""),
                  PAGE_W - MARGIN, MARGIN + 7, 13, align="right")
        self.text(f"財源: {'購入（市費）' if sheet.series == 'purchase' else '寄贈（市費以外）'}",
                  MARGIN, MARGIN + 14, 9)
        TABLE.head(self, HEAD_Y, HEAD_ROW_H, SMALL_PT + 1)
        y = HEAD_Y + HEAD_ROW_H
        for row in rows:
            self.row(row, y)
            y += ROW_H
        TABLE.frame(self, HEAD_Y, y)
        if part == parts:
            self.text(f"この葉の合計　{sheet.count}冊　{sheet.amount:,}円", PAGE_W - MARGIN, y + 7, 11, align="right")
        self.text(f"印刷 {printed_on.isoformat()}　　受入の合計は納品書の合計と同じになるようにする", MARGIN,
                  PAGE_H - MARGIN, SMALL_PT)

    def row(self, row: LedgerRow, y: float) -> None:
        values = (row.acquired_on.isoformat(), row.source, str(row.number), row.call_number, row.title, row.authors,
                  row.publisher, str(row.year or ""), f"{row.price:,}", row.fund_label)
        marks = {2: _number_mark(row), 4: _title_mark(row), 8: "端数調整" if row.rounding_adjusted else ""}
        for index, value in enumerate(values):
            TABLE.cell(self, index, value, y + 5.5, TEXT_PT)
            if marks.get(index):
                column = TABLE.columns[index]
                self.text(marks[index], TABLE.xs[index] + 1.2, y + 10, SMALL_PT, width=column.width - 2.4)
        if row.status == "withdrawn":  # struck through, as a withdrawn row is on paper
            self.line(MARGIN + 1, y + 4.2, PAGE_W - MARGIN - 1, y + 4.2, width=0.4, grey=0.35)
        TABLE.rule(self, y + ROW_H)


def _number_mark(row: LedgerRow) -> str:
    return f"旧 {row.reaccession_of}" if row.reaccession_of else ""


def _title_mark(row: LedgerRow) -> str:
    if row.status == "withdrawn":
        reason = REASON_LABELS_JA.get(row.withdrawal_reason, row.withdrawal_reason or "")
        return f"除籍 {row.withdrawn_on.isoformat()} {reason}（番号は永久欠番）"
    return f"再受入（旧登録番号 {row.reaccession_of}）" if row.reaccession_of else ""


class _Cover(Canvas):
    def __init__(self, document, font):
        super().__init__(document, font, PAGE_W, PAGE_H)

    def draw(self, content: LedgerDocument, printed_on: date) -> None:
        year = content.fiscal_year
        self.text(f"図書台帳　{year}年度", PAGE_W / 2, 60, 26, align="centre")
        self.text(content.library.heading, PAGE_W / 2, 78, 14, align="centre", width=PAGE_W - 2 * MARGIN)
        self.text(f"{year}年4月1日 〜 {year + 1}年3月31日", PAGE_W / 2, 90, 11, align="centre")
        y = 108
        for series, sheets in groupby(content.sheets, key=lambda sheet: sheet.series):
            sheets = list(sheets)
            numbers = [row.number for sheet in sheets for row in sheet.rows]
            self.text(f"{SERIES_LABELS_JA[series]}　第{sheets[0].sheet}葉〜第{sheets[-1].sheet}葉（{len(sheets)}葉）　"
                      f"{sum(s.count for s in sheets)}冊　{sum(s.amount for s in sheets):,}円　"
                      f"登録番号 {min(numbers)}〜{max(numbers)}", PAGE_W / 2, y, 12, align="centre")
            y += 9
        if not content.sheets:
            self.text("この年度に登録された本はありません", PAGE_W / 2, y, 12, align="centre")
            y += 9
        for gap in content.lost:
            self.text(f"欠番 {gap.first}〜{gap.last}（{gap.count}番号、{gap.reason_ja}）", PAGE_W / 2, y, 10,
                      align="centre")
            y += 7
        self.text(f"印刷 {printed_on.isoformat()}", PAGE_W - MARGIN, PAGE_H - MARGIN, SMALL_PT + 1, align="right")

    def empty(self, library: LibraryName) -> None:
        self.text("図書台帳", PAGE_W / 2, 60, 26, align="centre")
        self.text(library.heading, PAGE_W / 2, 78, 14, align="centre")
        self.text("登録された本はありません", PAGE_W / 2, 100, 12, align="centre")


class _LostPage(Canvas):
    def __init__(self, document, font):
        super().__init__(document, font, PAGE_W, PAGE_H)

    def draw(self, library: LibraryName, lost: list[LostNumbers], printed_on: date) -> None:
        self.text("欠番（どの本にも付いていない、二度と使わない登録番号）", MARGIN, MARGIN + 7, 14)
        self.text(library.heading, MARGIN, MARGIN + 15, 10)
        y = HEAD_Y + 4
        for gap in lost:
            self.text(f"登録番号 {gap.first}〜{gap.last}　{gap.count}番号　{gap.reason_ja}　記録 {gap.noted_on.isoformat()}"
                      f"　{gap.note}", MARGIN, y, 10, width=PAGE_W - 2 * MARGIN)
            y += 8
            if y > PAGE_H - MARGIN - 10:
                break
        self.text(f"印刷 {printed_on.isoformat()}", MARGIN, PAGE_H - MARGIN, SMALL_PT)
