"""The processing checklist (kiosk.labels.processing_checklist) as a PDF: A4 landscape, a row per copy with a
box per step, on as many pages as it needs, each page headed and numbered, for staff to tick
with a pen at the work table. Set in the label font, with the kiosk's own PDF writer."""

from datetime import date

from kiosk.labels.processing_checklist import Checklist
from printer.fonts import label_font_path
from printer.mm_canvas import Canvas
from printer.pdf_writer import PdfDocument
from printer.table_drawing import Column, Table
from printer.truetype import TrueTypeFont, load_font

PAGE_W, PAGE_H = 297.0, 210.0  # A4 landscape, mm
MARGIN = 12.0
HEADER_H = 20.0  # title lines above the table
HEAD_ROW_H = 10.0  # the table's column headings
ROW_H = 7.8
FOOTER_H = 10.0
ROWS_PER_PAGE = int((PAGE_H - 2 * MARGIN - HEADER_H - HEAD_ROW_H - FOOTER_H) // ROW_H)
BOX = 4.2  # the tick box, mm square
STEP_W = 14.0
STEP_PT = 6.5  # a step's name, in up to two lines over its column of boxes
FIXED_COLUMNS = (Column("登録番号", 19.0, "right"), Column("請求記号", 24.0), Column("受入年月日", 24.0))
NOTES_W = 36.0
TEXT_PT, SMALL_PT = 9.0, 7.5


def checklist_pdf(checklist: Checklist, *, printed_on: date | None = None) -> bytes:
    font = load_font(label_font_path())
    document = PdfDocument(font, title="装備チェックリスト")
    pages = [checklist.copies[i:i + ROWS_PER_PAGE] for i in range(0, len(checklist.copies), ROWS_PER_PAGE)] or [()]
    for index, rows in enumerate(pages, start=1):
        _Page(document, font, checklist).draw(rows, index, len(pages), printed_on or date.today())
    return document.to_bytes()


class _Page(Canvas):
    def __init__(self, document: PdfDocument, font: TrueTypeFont, checklist: Checklist):
        super().__init__(document, font, PAGE_W, PAGE_H)
        self.checklist = checklist
        steps_w = STEP_W * len(checklist.steps)
        fixed_w = sum(column.width for column in FIXED_COLUMNS)
        number, call, day = FIXED_COLUMNS
        title = Column("書名", PAGE_W - 2 * MARGIN - fixed_w - NOTES_W - steps_w)
        self.table = Table((number, call, title, day, Column("備考", NOTES_W),
                            *(Column(step, STEP_W, "box", heading_lines=2, heading_pt=STEP_PT)
                              for step in checklist.steps)), MARGIN)

    def draw(self, rows, page: int, pages: int, printed_on: date) -> None:
        checklist = self.checklist
        first, last = checklist.dates
        days = first.isoformat() if first == last else f"{first.isoformat()}〜{last.isoformat()}"
        self.text("装備チェックリスト", MARGIN, MARGIN + 7, 15)
        self.text(checklist.library_name, MARGIN + 60, MARGIN + 7, 11, width=PAGE_W - 2 * MARGIN - 110)
        self.text(f"{page} / {pages} ページ", PAGE_W - MARGIN, MARGIN + 7, 10, align="right")
        summary = f"受入 {days} ／ 受入先 {'、'.join(checklist.sources)} ／ {len(checklist.copies)}冊 ／ 印刷 {printed_on.isoformat()}"
        self.text(summary, MARGIN, MARGIN + 14, SMALL_PT + 1, width=PAGE_W - 2 * MARGIN)
        top = MARGIN + HEADER_H
        self.table.head(self, top, HEAD_ROW_H, SMALL_PT + 0.5)
        y = top + HEAD_ROW_H
        for row in rows:
            self.row(row, y)
            y += ROW_H
        self.table.frame(self, top, y, inner=0.4)
        self.text("担当 ＿＿＿＿＿＿＿＿　　確認 ＿＿＿＿＿＿＿＿", PAGE_W - MARGIN, PAGE_H - MARGIN - 2, 9, align="right")
        self.text("登録印には受入年月日・登録番号・請求記号を。備考に「端数調整」とある本は、カードの金額の横に（端数調整）と書きます",
                  MARGIN, PAGE_H - MARGIN - 2, SMALL_PT, width=PAGE_W - 2 * MARGIN - 90)

    def row(self, copy, y: float) -> None:
        baseline = y + ROW_H / 2 + 1.2
        values = {"登録番号": str(copy.number), "請求記号": " ".join(copy.call_number) or "—", "書名": copy.title,
                  "受入年月日": copy.acquired_on.isoformat(), "備考": "・".join(copy.notes)}
        for index, (column, x) in enumerate(zip(self.table.columns, self.table.xs)):
            if column.align == "box":
                self.box(x + (column.width - BOX) / 2, y + (ROW_H - BOX) / 2, BOX, BOX)
                continue
            size = SMALL_PT if column.heading == "備考" else TEXT_PT
            self.table.cell(self, index, values[column.heading], baseline, size)
        self.table.rule(self, y + ROW_H, width=0.3)
