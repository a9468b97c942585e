"""The basic card (基本カード / 書架目録カード) of a registered copy: what the manual has staff
write by hand on the city's shelf-list card, from the ledger: the call number, the title with
volume and series, the authors, the publisher and year, the price (with （端数調整） beside a
rounding-adjusted one, as the manual asks), the ISBN, the registration number and the
acceptance date ("図書、カードにも同じ日付を入れる"), and for a donation its donor.

The printed layout is printer.card_pdf'; this is only what goes on the card.
"""

from dataclasses import dataclass
from datetime import date

from kiosk.labels.copy_set import load_copies
from kiosk.errors import KioskError
from kiosk.ledger.sheets import full_title
from kiosk.db.storage import Database

MAX_CARDS = 1000


@dataclass(frozen=True)
class Card:
    number: int
    call_number: tuple[str, ...]
    title: str
    authors: str
    publication: str  # 発行所, 刊年
    price: str  # e.g. "1,100円（端数調整）", "0円（寄贈）"
    isbn: str
    acquired_on: date
    source: str  # 受入先
    kind: str  # 購入 / 寄贈 / その他（再受入 旧N）
    library_name: str


def catalogue_cards(db: Database, library_id: int, numbers: list[int]) -> list[Card]:
    """One card per copy ``numbers``, in that order (a number given twice: one card)."""
    numbers = list(dict.fromkeys(numbers))
    if len(numbers) > MAX_CARDS:
        raise KioskError(f"at most {MAX_CARDS} cards at once", f"カードは一度に{MAX_CARDS}枚までです")
    chosen = load_copies(db, library_id, numbers)
    cards = []
    for copy in chosen.copies:
        tiers = chosen.call_number(copy).tiers
        price = f"{copy.price:,}円" + ("（端数調整）" if copy.rounding_adjusted else "")
        kind = {"purchase": "購入", "donation": "寄贈"}.get(copy.kind, "その他")
        if chosen.old_number(copy) is not None:
            kind += f"（再受入 旧{chosen.old_number(copy)}）"
        publication = "，".join(part for part in (copy.publisher or "", str(copy.year) if copy.year else "") if part)
        cards.append(Card(copy.number, tiers, full_title(copy), copy.authors or "", publication, price,
                          copy.isbn or "", copy.acquired_on, copy.source, kind, chosen.library.name))
    return cards
