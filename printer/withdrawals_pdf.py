"""The 除籍リスト (kiosk.ledger.withdrawal_list) as a PDF to file with the ledger: A4 landscape,
a row per withdrawn copy (withdrawal date, number, call number, title, acceptance date, price,
reason, note) on as many pages as it needs, each page headed with the library, the period and
its page number; after the last row, the totals by reason and in all, and lines to sign."""

from datetime import date

from kiosk.ledger.withdrawal_list import WithdrawalList, WithdrawnRow
from printer.fonts import label_font_path
from printer.mm_canvas import Canvas
from printer.pdf_writer import PdfDocument
from printer.table_drawing import Column, Table
from printer.truetype import load_font

PAGE_W, PAGE_H = 297.0, 210.0  # A4 landscape, mm
MARGIN = 12.0
TOP = MARGIN + 22.0  # the table's top
HEAD_ROW_H = 9.0
ROW_H = 7.5
BOTTOM = PAGE_H - MARGIN - 10.0  # rows stop above the footer
ROWS_PER_PAGE = int((BOTTOM - TOP - HEAD_ROW_H) // ROW_H)
TEXT_PT, SMALL_PT = 8.5, 7.0
TABLE = Table((Column("除籍日", 22.0), Column("登録番号", 18.0, "right"), Column("請求記号", 22.0),
               Column("書名", 85.0), Column("受入年月日", 22.0), Column("価格", 18.0, "right"), Column("理由", 22.0),
               Column("備考", 64.0)), MARGIN)
TOTALS = Table((Column("理由", 50.0), Column("冊数", 25.0, "right"), Column("金額", 30.0, "right")),
               PAGE_W - MARGIN - 105.0)


def withdrawals_pdf(listing: WithdrawalList, *, printed_on: date | None = None) -> bytes:
    font = load_font(label_font_path())
    document = PdfDocument(font, title=f"除籍リスト {listing.period_ja} {listing.library.heading}")
    printed_on = printed_on or date.today()
    pages = [listing.rows[i:i + ROWS_PER_PAGE] for i in range(0, len(listing.rows), ROWS_PER_PAGE)] or [()]
    totals_h = HEAD_ROW_H + ROW_H * (len(listing.by_reason) + 1) + 8
    last_y = TOP + HEAD_ROW_H + ROW_H * len(pages[-1])
    separate = last_y + 6 + totals_h > BOTTOM  # the totals go on a page of their own
    count = len(pages) + (1 if separate else 0)
    for index, rows in enumerate(pages, start=1):
        page = _Page(document, font)
        page.head(listing, index, count, printed_on)
        y = page.rows(rows)
        if index == len(pages) and not separate:
            page.totals(listing, y + 6)
    if separate:
        page = _Page(document, font)
        page.head(listing, count, count, printed_on)
        page.totals(listing, TOP)
    return document.to_bytes()


class _Page(Canvas):
    def __init__(self, document, font):
        super().__init__(document, font, PAGE_W, PAGE_H)

    def head(self, listing: WithdrawalList, page: int, pages: int, printed_on: date) -> None:
        self.text("除籍リスト", MARGIN, MARGIN + 7, 15)
        self.text(listing.library.heading, MARGIN + 32, MARGIN + 7, 10, width=150)
        self.text(f"{page} / {pages} ページ", PAGE_W - MARGIN, MARGIN + 7, 10, align="right")
        self.text(f"除籍した期間: {listing.period_ja}　　{listing.copies:,}冊　{listing.amount:,}円", MARGIN, MARGIN + 15,
                  10, width=PAGE_W - 2 * MARGIN)
        self.text(f"印刷 {printed_on.isoformat()}　　本に除籍印を押し、台帳の行に除籍の印をつけます（登録番号は永久欠番）",
                  MARGIN, PAGE_H - MARGIN, SMALL_PT, width=PAGE_W - 2 * MARGIN - 80)
        self.text("担当 ＿＿＿＿＿＿＿＿　　確認 ＿＿＿＿＿＿＿＿", PAGE_W - MARGIN, PAGE_H - MARGIN, 9, align="right")

    def rows(self, rows: tuple[WithdrawnRow, ...]) -> float:
        """The page's rows under the heading row; returns where the table ends."""
        TABLE.head(self, TOP, HEAD_ROW_H, SMALL_PT + 0.5)
        y = TOP + HEAD_ROW_H
        if not rows:
            self.text("この期間に除籍した本はありません", TABLE.left + 3, y + 5.2, TEXT_PT)
            y += ROW_H
        for row in rows:
            TABLE.row(self, (row.withdrawn_on.isoformat(), str(row.number), row.call_number, row.title,
                             row.acquired_on.isoformat(), f"{row.price:,}", row.reason_ja, row.note),
                      y, ROW_H, TEXT_PT)
            y += ROW_H
        TABLE.frame(self, TOP, y)
        return y

    def totals(self, listing: WithdrawalList, top: float) -> None:
        """The totals by reason, and in all."""
        self.text("理由別の合計", TOTALS.left, top - 1.5, 9)
        TOTALS.head(self, top, HEAD_ROW_H, SMALL_PT + 0.5)
        y = top + HEAD_ROW_H
        for total in listing.by_reason:
            TOTALS.row(self, (total.reason_ja, f"{total.copies:,}冊", f"{total.amount:,}円"), y, ROW_H, TEXT_PT)
            y += ROW_H
        TOTALS.row(self, ("合計", f"{listing.copies:,}冊", f"{listing.amount:,}円"), y, ROW_H, TEXT_PT + 0.5)
        y += ROW_H
        TOTALS.frame(self, top, y)
