"""The processing checklist (kiosk.labels.processing_checklist) as a PDF: A4 landscape, a row per copy with a
box per step, on as many pages as it needs, each page headed and numbered, for staff to tick
with a pen at the work table. Set in the label font, with the kiosk's own PDF writer."""

from datetime import date

from kiosk.labels.processing_checklist import Checklist
from printer.fonts import label_font_path
from printer.mm_canvas import Canvas
from printer.pdf_writer import PdfDocument
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
FIXED_COLUMNS = (("登録番号", 19.0, "right"), ("請求記号", 24.0, "left"), ("受入年月日", 24.0, "left"))
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
        fixed_w = sum(width for _, width, _ in FIXED_COLUMNS)
        self.title_w = PAGE_W - 2 * MARGIN - fixed_w - NOTES_W - steps_w

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
        self.table_head(top)
        y = top + HEAD_ROW_H
        for row in rows:
            self.row(row, y)
            y += ROW_H
        self.line(MARGIN, top, PAGE_W - MARGIN, top, width=0.8)
        self.line(MARGIN, y, PAGE_W - MARGIN, y, width=0.8)
        for x in self.column_edges():
            self.line(x, top, x, y, width=0.4)
        self.text("担当 ＿＿＿＿＿＿＿＿　　確認 ＿＿＿＿＿＿＿＿", PAGE_W - MARGIN, PAGE_H - MARGIN - 2, 9, align="right")
        self.text("登録印には受入年月日・登録番号・請求記号を。備考に「端数調整」とある本は、カードの金額の横に（端数調整）と書きます",
                  MARGIN, PAGE_H - MARGIN - 2, SMALL_PT, width=PAGE_W - 2 * MARGIN - 90)

    # The table

    def columns(self):
        """(heading, left x, width, align) for every column, left to right."""
        x = MARGIN
        number, call, day = FIXED_COLUMNS
        for heading, width, align in (number, call, ("書名", self.title_w, "left"), day, ("備考", NOTES_W, "left")):
            yield heading, x, width, align
            x += width
        for step in self.checklist.steps:
            yield step, x, STEP_W, "box"
            x += STEP_W

    def column_edges(self):
        edges = [x for _, x, _, _ in self.columns()]
        return edges + [PAGE_W - MARGIN]

    def table_head(self, top: float) -> None:
        self.box(MARGIN, top, PAGE_W - 2 * MARGIN, HEAD_ROW_H, fill_grey=0.9)
        for heading, x, width, align in self.columns():
            if align == "box":  # a step: its name in up to two centred lines
                lines = self.wrap(heading, STEP_PT, width - 1.5, 2)
                for n, line in enumerate(lines):
                    baseline = top + (6.2 if len(lines) == 1 else 4.3 + 3.2 * n)
                    self.text(line, x + width / 2, baseline, STEP_PT, align="centre", width=width - 1)
            else:
                self.text(heading, x + 1.5, top + 6.2, SMALL_PT + 0.5)
        self.line(MARGIN, top + HEAD_ROW_H, PAGE_W - MARGIN, top + HEAD_ROW_H, width=0.6)

    def row(self, copy, y: float) -> None:
        baseline = y + ROW_H / 2 + 1.2
        values = {"登録番号": str(copy.number), "請求記号": " ".join(copy.call_number) or "—", "書名": copy.title,
                  "受入年月日": copy.acquired_on.isoformat(), "備考": "・".join(copy.notes)}
        for heading, x, width, align in self.columns():
            if align == "box":
                self.box(x + (width - BOX) / 2, y + (ROW_H - BOX) / 2, BOX, BOX)
                continue
            size = SMALL_PT if heading == "備考" else TEXT_PT
            if align == "right":
                self.text(values[heading], x + width - 1.5, baseline, size, align="right", width=width - 3)
            else:
                self.text(values[heading], x + 1.5, baseline, size, width=width - 3)
        self.line(MARGIN, y + ROW_H, PAGE_W - MARGIN, y + ROW_H, width=0.3, grey=0.6)
