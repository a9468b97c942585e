"""Kinds of accession (受入の種類) and funding sources (財源).

Anything not paid from the city's book budget is a donation (寄贈), whatever bought it:
recycling proceeds, student council or PTA money, book cards, or a gift. Purchases and
donations are written on separate ledger sheet series.
"""

from enum import StrEnum
from typing import TypeVar

from kiosk.errors import KioskError

E = TypeVar("E", bound=StrEnum)


class Kind(StrEnum):
    PURCHASE = "purchase"  # 購入受入
    DONATION = "donation"  # 寄贈受入
    OTHER = "other"  # その他の受入: re-accession of a found copy, 合本・分本


class Fund(StrEnum):
    CITY = "city"  # 市費（図書費）
    RECYCLING = "recycling"  # 資源回収費
    STUDENT_COUNCIL = "student_council"  # 児童・生徒会費
    PTA = "pta"  # PTA会費
    BOOK_CARD = "book_card"  # 図書カード
    GIFT = "gift"  # 寄贈（無償）
    OTHER = "other"  # その他（内訳を記入）


FUND_LABELS_JA = {
    Fund.CITY: "市費（図書費）",
    Fund.RECYCLING: "資源回収費",
    Fund.STUDENT_COUNCIL: "児童・生徒会費",
    Fund.PTA: "PTA会費",
    Fund.BOOK_CARD: "図書カード",
    Fund.GIFT: "寄贈（無償）",
    Fund.OTHER: "その他",
}

KIND_LABELS_JA = {Kind.PURCHASE: "購入", Kind.DONATION: "寄贈", Kind.OTHER: "その他"}
SERIES_LABELS_JA = {"purchase": "購入", "donation": "寄贈"}


def parse_choice(enum: type[E], text: str, what: str, what_ja: str, labels_ja: dict) -> E:
    """The enum member named by ``text`` (case and ``-``/``_`` forgiven), or a KioskError
    listing the choices in both languages."""
    try:
        return enum(text.strip().lower().replace("-", "_"))
    except ValueError:
        raise KioskError(
            f"unknown {what} {text!r}: use one of {', '.join(member.value for member in enum)}",
            f"{what_ja}「{text}」はありません（{'・'.join(labels_ja.values())}）",
        ) from None


def parse_fund(text: str) -> Fund:
    return parse_choice(Fund, text, "fund", "財源", FUND_LABELS_JA)


def parse_kind(text: str) -> Kind:
    return parse_choice(Kind, text, "kind", "受入の種類", KIND_LABELS_JA)


def series_for(fund: Fund) -> str:
    """The ledger sheet series: only the city book budget makes a purchase."""
    return "purchase" if fund is Fund.CITY else "donation"


def default_fund(kind: Kind) -> Fund:
    """The fund when none is said, on every front end (the CLI's register, a new delivery on the
    touch screen): a gift for a donation; otherwise the city book budget, for a purchase and for
    kind 'other' alike (a found or rebound copy was, like most, bought by the city)."""
    return Fund.GIFT if kind is Kind.DONATION else Fund.CITY


def infer_kind(fund: Fund) -> Kind:
    """The kind when none is said: only the city book budget makes a purchase."""
    return Kind.PURCHASE if fund is Fund.CITY else Kind.DONATION


def check_kind_and_fund(kind: Kind, fund: Fund) -> None:
    """Refuse a contradiction rather than guess: the ledger must say what really happened."""
    if kind is Kind.PURCHASE and fund is not Fund.CITY:
        raise KioskError(
            f"a copy paid from {fund.value} is a donation, not a purchase: "
            "only the city book budget makes a purchase (use --kind donation)",
            f"{FUND_LABELS_JA[fund]}で入手した本は「寄贈」です（購入は市費のみ）",
        )
    if kind is Kind.DONATION and fund is Fund.CITY:
        raise KioskError(
            "a copy paid from the city book budget is a purchase, not a donation",
            "市費（図書費）で購入した本は「購入」です",
        )
