"""Small builders for accession tests."""

from datetime import date

from kiosk.ledger.accession import Accession, Book, CopyRequest, register
from kiosk.ledger.funds import Fund, Kind


def purchase(on: date, **kwargs) -> Accession:
    return Accession(kind=Kind.PURCHASE, fund=Fund.CITY, source="ひまわり書店", on=on, **kwargs)


def donation(on: date, fund: Fund = Fund.GIFT, **kwargs) -> Accession:
    return Accession(kind=Kind.DONATION, fund=fund, source="山田花子さん", on=on, **kwargs)


def copies(n: int, price: int | None = 1100, title: str = "ぐりとぐら", **kwargs) -> list[CopyRequest]:
    book = kwargs.pop("book", {})  # every copy's (popped in the loop, only the first copy had it)
    return [CopyRequest(Book(title, **book), price=price, **kwargs) for _ in range(n)]


def register_n(db, library_id, accession, n=1, **kwargs):
    return register(db, library_id, accession, copies(n, **kwargs), actor="test")
