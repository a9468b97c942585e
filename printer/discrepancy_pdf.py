"""The delivery discrepancy report (kiosk.intake.discrepancy) as a PDF to send the bookseller:
A4 portrait, addressed to the source, from the library, with the delivery's date and slip
number; the counts and totals (slip against delivered, slip total against its lines); then a
table for each kind of discrepancy there is — missing, not on the slip, defective (for
exchange), list price — continued on further pages, their heading row repeated, as needed."""

from datetime import date
from typing import Sequence

from kiosk.intake.discrepancy import DeliveryDiscrepancy
from printer.fonts import label_font_path
from printer.mm_canvas import Canvas
from printer.pdf_writer import PdfDocument
from printer.table_drawing import Column, Table
from printer.truetype import TrueTypeFont, load_font

PAGE_W, PAGE_H = 210.0, 297.0  # A4 portrait, mm
MARGIN = 16.0
HEAD_ROW_H, ROW_H = 8.0, 7.5
BOTTOM = PAGE_H - MARGIN - 14.0  # tables stop above the footer
TEXT_PT, SMALL_PT = 9.0, 7.5
WIDTH = PAGE_W - 2 * MARGIN
MISSING = Table((Column("行", 10.0, "right"), Column("書名", 70.0), Column("ISBN", 30.0), Column("納品書", 16.0, "right"),
                 Column("届いた", 16.0, "right"), Column("不足", 14.0, "right"), Column("金額", 22.0, "right")), MARGIN)
EXTRA = Table((Column("書名", 100.0), Column("ISBN", 40.0), Column("価格（税込）", 38.0, "right")), MARGIN)
DEFECTIVE = Table((Column("書名", 100.0), Column("ISBN", 40.0), Column("納品書の行", 38.0, "right")), MARGIN)
PRICES = Table((Column("書名", 72.0), Column("ISBN", 30.0), Column("納品書 本体", 26.0, "right"),
                Column("本の表示 本体", 26.0, "right"), Column("差", 24.0, "right")), MARGIN)


def discrepancy_pdf(report: DeliveryDiscrepancy, *, printed_on: date | None = None) -> bytes:
    font = load_font(label_font_path())
    document = PdfDocument(font, title=f"納品差異報告書 {report.source} {report.received_on.isoformat()}")
    pages = _Pages(document, font, report, printed_on or date.today())
    pages.summary()
    if report.missing:
        pages.table("不足（納品書にあって、届いていない本）", MISSING, [
            (str(m.position), m.title, m.isbn13 or "", f"{m.ordered}冊", f"{m.delivered}冊", f"{m.missing}冊",
             f"{m.amount:,}円" if m.amount is not None else "") for m in report.missing],
            footer=("", "不足 計", "", "", "", f"{sum(m.missing for m in report.missing)}冊",
                    f"{sum(m.amount or 0 for m in report.missing):,}円"))
    if report.extra:
        pages.table("納品書にない本（過剰・書名違い）", EXTRA, [
            (c.title, c.isbn13 or "", f"{c.price:,}円" if c.price is not None else "") for c in report.extra],
            footer=(f"過剰 計 {len(report.extra)}冊", "", ""))
    if report.defective:
        pages.table("落丁・乱丁（交換をお願いします）", DEFECTIVE, [
            (c.title, c.isbn13 or "", f"{c.slip_line}行目" if c.slip_line else "") for c in report.defective],
            footer=(f"交換 計 {len(report.defective)}冊", "", ""))
    if report.prices:
        pages.table("本体価格の違い（納品書と本の表示）", PRICES, [
            (p.title, p.isbn13 or "", f"{p.slip_list_price:,}円", f"{p.book_list_price:,}円", f"{p.difference:+,}円")
            for p in report.prices])
    if report.nothing_to_report:
        pages.note("納品書と届いた本に差異はありません。")
    else:
        pages.note("ご確認のうえ、訂正した納品書と、不足分・交換品をお送りください。")
    pages.number()
    return document.to_bytes()


class _Pages:
    """The report's pages: a cursor down the current page, a new page when a row would pass the
    bottom (the table's heading row drawn again there)."""

    def __init__(self, document: PdfDocument, font: TrueTypeFont, report: DeliveryDiscrepancy, printed_on: date):
        self.document, self.font, self.report, self.printed_on = document, font, report, printed_on
        self.pages: list[Canvas] = []
        self.page = self._first_page()
        self.y = MARGIN + 62

    def _new_page(self) -> Canvas:
        page = Canvas(self.document, self.font, PAGE_W, PAGE_H)
        self.pages.append(page)
        report = self.report
        page.text(f"{report.library.heading}　納品 {report.received_on.isoformat()}　{report.source}"
                  + (f"　伝票 {report.slip_number}" if report.slip_number else ""),
                  MARGIN, PAGE_H - MARGIN, SMALL_PT, width=WIDTH - 40)
        return page

    def _first_page(self) -> Canvas:
        page, report = self._new_page(), self.report
        page.text("納品差異報告書", PAGE_W / 2, MARGIN + 8, 18, align="centre")
        page.text(f"{report.source}　御中", MARGIN, MARGIN + 22, 13, width=WIDTH / 2)
        page.text(f"作成 {self.printed_on.isoformat()}", PAGE_W - MARGIN, MARGIN + 18, 9, align="right")
        page.text(report.library.heading, PAGE_W - MARGIN, MARGIN + 24, 10, align="right", width=WIDTH / 2)
        facts = (f"納品日 {report.received_on.isoformat()}",
                 f"伝票番号 {report.slip_number or '（なし）'}",
                 f"受入 {report.kind_ja}・{report.fund_ja}",
                 f"納品の番号 {report.delivery_id}")
        page.text("　　".join(facts), MARGIN, MARGIN + 34, 9.5, width=WIDTH)
        return page

    def _room(self, height: float) -> None:
        if self.y + height > BOTTOM:
            self.page = self._new_page()
            self.y = MARGIN + 6

    def summary(self) -> None:
        """The counts and totals, two columns of label and figure."""
        report, page = self.report, self.page
        slip = (f"{report.slip_quantity}冊" if report.has_slip else "納品書なし")
        total = (f"{report.slip_total:,}円" if report.slip_total is not None else "—")
        difference = f"（差 {report.total_difference:+,}円）" if report.total_difference else ""
        lines = (("納品書の冊数", slip), ("届いた冊数", f"{report.delivered}冊"),
                 ("検品済み（ページOK）", f"{report.good}冊"), ("落丁・乱丁（交換）", f"{len(report.defective)}冊"),
                 ("不足", f"{sum(m.missing for m in report.missing)}冊"), ("納品書にない本", f"{len(report.extra)}冊"),
                 ("本体価格の違い", f"{len(report.prices)}件"), ("未検品", f"{report.pending}冊"),
                 ("納品書の合計（税込）", total), ("明細の合計（税込）", f"{report.lines_total:,}円{difference}"))
        top = MARGIN + 40
        page.box(MARGIN, top, WIDTH, 6 * 4 + 3, line=0.4)
        for index, (label, value) in enumerate(lines):
            x = MARGIN + 3 + (index % 2) * WIDTH / 2
            baseline = top + 5.5 + (index // 2) * 4.6
            page.text(label, x, baseline, 9, width=40)
            page.text(value, x + WIDTH / 2 - 8, baseline, 9, align="right", width=WIDTH / 2 - 48)
        self.y = top + 6 * 4 + 3 + 8

    def table(self, title: str, table: Table, rows: Sequence[Sequence[str]],
              footer: Sequence[str] | None = None) -> None:
        self._room(6 + HEAD_ROW_H + ROW_H)
        self.page.text(title, MARGIN, self.y + 4, 11)
        self.y += 6
        top = self.y
        table.head(self.page, top, HEAD_ROW_H, SMALL_PT + 0.5)
        self.y += HEAD_ROW_H
        for values in list(rows) + ([footer] if footer else []):
            if self.y + ROW_H > BOTTOM:
                table.frame(self.page, top, self.y)
                self.page = self._new_page()
                self.y = top = MARGIN + 6
                table.head(self.page, top, HEAD_ROW_H, SMALL_PT + 0.5)
                self.y += HEAD_ROW_H
            table.row(self.page, values, self.y, ROW_H, TEXT_PT)
            self.y += ROW_H
        table.frame(self.page, top, self.y)
        self.y += 8

    def number(self) -> None:
        """Each page's number of all, once the count is known."""
        for index, page in enumerate(self.pages, start=1):
            page.text(f"{index} / {len(self.pages)} ページ", PAGE_W - MARGIN, PAGE_H - MARGIN, SMALL_PT, align="right")

    def note(self, text: str) -> None:
        self._room(20)
        self.page.text(text, MARGIN, self.y + 4, 10, width=WIDTH)
        self.page.text("担当 ＿＿＿＿＿＿＿＿　　確認 ＿＿＿＿＿＿＿＿", PAGE_W - MARGIN, self.y + 14, 9, align="right")
