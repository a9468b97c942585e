"""The audit (監査資料) of a fiscal year as a PDF: A4 portrait, the figures of
kiosk.ledger.year_figures — accessions by kind and fund with amounts (a donation counted by
copies even at 0 yen, the 0-yen copies said), each kind's total, withdrawals by reason, the
registration numbers given and the 欠番 recorded in the year, the holdings on April 1 and
March 31 — headed with the library's name and ISIL, for the ledger's year-end file."""

from datetime import date

from kiosk.ledger.funds import KIND_LABELS_JA
from kiosk.ledger.holdings import LibraryName
from kiosk.ledger.year_figures import KIND_ORDER, YearReport
from printer.fonts import label_font_path
from printer.mm_canvas import Canvas
from printer.pdf_writer import PdfDocument
from printer.truetype import load_font

PAGE_W, PAGE_H = 210.0, 297.0  # A4 portrait, mm
MARGIN = 18.0
ROW_H = 8.0
LABEL_X, COPIES_X, ZERO_X, AMOUNT_X = MARGIN + 2, 125.0, 155.0, PAGE_W - MARGIN - 2
TEXT_PT = 10.0


def audit_pdf(library: LibraryName, report: YearReport, *, printed_on: date | None = None) -> bytes:
    font = load_font(label_font_path())
    document = PdfDocument(font, title=f"監査資料 {report.fiscal_year}年度 {library.heading}")
    _AuditPage(document, font).draw(library, report, printed_on or date.today())
    return document.to_bytes()


class _AuditPage(Canvas):
    def __init__(self, document, font):
        super().__init__(document, font, PAGE_W, PAGE_H)
        self.y = 0.0

    def draw(self, library: LibraryName, report: YearReport, printed_on: date) -> None:
        self.text(f"監査資料　{report.fiscal_year}年度", PAGE_W / 2, MARGIN + 8, 18, align="centre")
        self.text(library.heading, PAGE_W / 2, MARGIN + 17, 11, align="centre", width=PAGE_W - 2 * MARGIN)
        self.text(f"期間 {report.start.isoformat()} 〜 {report.end.isoformat()}", PAGE_W / 2, MARGIN + 24, 9,
                  align="centre")
        self.y = MARGIN + 36
        self.heading("1. 受入（種類・財源別）", ("冊数", "うち0円", "金額"))
        for kind in KIND_ORDER:
            lines = [line for line in report.accessions if line.kind == kind]
            for line in lines:
                self.line_of(line.label, line.copies, line.zero_yen, line.amount)
            copies, amount = report.kind_total(kind)
            self.line_of(f"{KIND_LABELS_JA[kind]} 計", copies, sum(l.zero_yen for l in lines), amount, bold=True)
        self.line_of("受入 合計", report.accessioned, sum(l.zero_yen for l in report.accessions),
                     report.accessioned_amount, bold=True, rule=True)
        self.y += 6
        self.heading("2. 除籍（理由別）", ("冊数", "", "金額"))
        for line in report.withdrawals:
            self.line_of(line.label, line.copies, None, line.amount)
        self.line_of("除籍 合計", report.withdrawn, None, sum(l.amount for l in report.withdrawals), bold=True, rule=True)
        self.y += 6
        self.heading("3. 登録番号", ())
        numbers = f"{report.numbers[0]} 〜 {report.numbers[1]}" if report.numbers else "この年度に登録した本はありません"
        self.text(f"この年度に付けた登録番号　{numbers}", LABEL_X, self.y + 5.5, TEXT_PT)
        self.y += ROW_H
        self.text(f"付けた番号 {report.numbers_given:,}個　欠番 {report.numbers_lost:,}個", LABEL_X, self.y + 5.5, TEXT_PT)
        self.y += ROW_H
        for gap in report.lost:
            self.text(f"欠番　{gap.first} 〜 {gap.last}（{gap.count}番号、{gap.reason_ja}、{gap.noted_on.isoformat()}）",
                      LABEL_X, self.y + 5.5, TEXT_PT, width=PAGE_W - 2 * MARGIN - 4)
            self.y += ROW_H
        self.y += 6
        self.heading("4. 蔵書冊数", ())
        self.text(f"年度初め（{report.start.isoformat()}）　{report.holdings_start:,}冊", LABEL_X, self.y + 5.5, TEXT_PT)
        self.y += ROW_H
        self.text(f"年度末（{report.end.isoformat()}）　{report.holdings_end:,}冊"
                  f"　（= {report.holdings_start:,} + 受入 {report.accessioned:,} − 除籍 {report.withdrawn:,}）",
                  LABEL_X, self.y + 5.5, TEXT_PT)
        self.y += ROW_H
        self.text("寄贈図書は、金額が0円であっても冊数を報告する", MARGIN, PAGE_H - MARGIN - 8, 8)
        self.text(f"印刷 {printed_on.isoformat()}　　確認 ＿＿＿＿＿＿＿＿", PAGE_W - MARGIN, PAGE_H - MARGIN, 8,
                  align="right")

    def heading(self, title: str, columns: tuple[str, ...]) -> None:
        self.box(MARGIN, self.y, PAGE_W - 2 * MARGIN, ROW_H, fill_grey=0.9)
        self.text(title, LABEL_X, self.y + 5.6, TEXT_PT + 0.5)
        for heading, x in zip(columns, (COPIES_X, ZERO_X, AMOUNT_X)):
            self.text(heading, x, self.y + 5.6, TEXT_PT - 1, align="right")
        self.y += ROW_H

    def line_of(self, label: str, copies: int, zero: int | None, amount: int, *, bold: bool = False,
                rule: bool = False) -> None:
        if rule:
            self.line(MARGIN, self.y, PAGE_W - MARGIN, self.y, width=0.6)
        size = TEXT_PT + (0.5 if bold else 0)
        self.text(label, LABEL_X + (0 if bold else 4), self.y + 5.5, size, width=COPIES_X - LABEL_X - 25)
        self.text(f"{copies:,}冊", COPIES_X, self.y + 5.5, size, align="right")
        if zero is not None:
            self.text(f"{zero:,}冊", ZERO_X, self.y + 5.5, size, align="right")
        self.text(f"{amount:,}円", AMOUNT_X, self.y + 5.5, size, align="right")
        self.line(MARGIN, self.y + ROW_H, PAGE_W - MARGIN, self.y + ROW_H, width=0.2, grey=0.6)
        self.y += ROW_H
