"""Basic cards (kiosk.labels.basic_cards) as a PDF, on the international catalogue card, 125 × 75 mm:
one card a page (card stock fed into the printer), or three to an A4 sheet with cut lines.

The layout follows the card catalogue's (NCR) habit: the call number in the left column, the
title and authors from the second indent, the publication below, the price and ISBN, and the
registration number and acceptance date along the bottom. Nothing is printed around the
bottom centre, where a catalogue card has its rod hole.
"""

from kiosk.errors import KioskError
from kiosk.printing_settings import CARD_LAYOUTS
from printer.fonts import label_font_path
from printer.mm_canvas import Canvas
from printer.pdf_writer import PdfDocument
from printer.truetype import load_font

CARD_W, CARD_H = 125.0, 75.0
HOLE = (56.0, 63.0, 69.0, 75.0)  # x0, y0, x1, y1 on the card: the rod hole's area, left blank
A4_W, A4_H = 210.0, 297.0
A4_TOPS = (18.0, 111.0, 204.0)  # three cards down an A4 sheet, 18 mm apart
A4_LEFT = (A4_W - CARD_W) / 2
LEFT, INDENT, RIGHT = 7.0, 27.0, 118.0  # the call number's column, the text's indent, the right edge


def cards_pdf(cards: list, layout: str = "card") -> bytes:
    if layout not in CARD_LAYOUTS:
        raise KioskError("card layout must be card or a4", "カードの用紙は card（カード）か a4 です")
    if not cards:
        raise KioskError("no cards to print", "印刷するカードがありません")
    font = load_font(label_font_path())
    document = PdfDocument(font, title="基本カード")
    if layout == "card":
        for card in cards:
            _draw(Canvas(document, font, CARD_W, CARD_H), card, 0.0, 0.0)
    else:
        for first in range(0, len(cards), len(A4_TOPS)):
            sheet = Canvas(document, font, A4_W, A4_H)
            for card, top in zip(cards[first:first + len(A4_TOPS)], A4_TOPS):
                _cut_lines(sheet, top)
                _draw(sheet, card, A4_LEFT, top)
    return document.to_bytes()


def _draw(page: Canvas, card, x0: float, y0: float) -> None:
    def text(value, x, y, size, **kwargs):
        page.text(value, x0 + x, y0 + y, size, **kwargs)

    for n, tier in enumerate(card.call_number[:3]):
        text(tier, LEFT, 12 + 5.2 * n, 11, width=INDENT - LEFT - 2)
    y = 12.0
    for line in page.wrap(card.title, 11, RIGHT - INDENT, 3):
        text(line, INDENT, y, 11)
        y += 5.2
    for line in page.wrap(card.authors, 9, RIGHT - INDENT - 4, 2):
        text(line, INDENT + 4, y, 9)
        y += 4.4
    if card.publication:
        text(card.publication, INDENT + 4, y, 9, width=RIGHT - INDENT - 4)
        y += 4.4
    details = "　".join(part for part in (card.price, f"ISBN {card.isbn}" if card.isbn else "") if part)
    text(details, INDENT + 4, y + 1.0, 8.5, width=RIGHT - INDENT - 4)
    page.line(x0 + LEFT, y0 + 53.5, x0 + RIGHT, y0 + 53.5, width=0.3, grey=0.5)
    text(f"受入 {card.acquired_on.isoformat()}　{card.kind}　{card.source}", LEFT, 59.5, 8.5, width=RIGHT - LEFT)
    text(f"登録番号 {card.number}", LEFT, 70.0, 11, width=HOLE[0] - LEFT - 2)
    text(card.library_name, RIGHT, 70.0, 7.5, align="right", width=RIGHT - HOLE[2] - 2)


def _cut_lines(sheet: Canvas, top: float) -> None:
    left, right, bottom = A4_LEFT, A4_LEFT + CARD_W, top + CARD_H
    for x1, y1, x2, y2 in ((left, top, right, top), (left, bottom, right, bottom),
                           (left, top, left, bottom), (right, top, right, bottom)):
        sheet.line(x1, y1, x2, y2, width=0.2, grey=0.7)
