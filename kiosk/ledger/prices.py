"""Ledger prices (価格): consumption tax, discounts, lump sums. All amounts are integer yen.

The ledger carries the tax-included price of each copy (消費税を含めた価格). Books are not on
the reduced rate, so the standard rate in force on the acceptance date applies.
"""

from dataclasses import dataclass
from datetime import date
from fractions import Fraction
from typing import Sequence

from kiosk.errors import KioskError

# (first day, percent): the standard consumption-tax rate from that day on.
TAX_RATES = (
    (date(1989, 4, 1), 3),
    (date(1997, 4, 1), 5),
    (date(2014, 4, 1), 8),
    (date(2019, 10, 1), 10),
)

ROUNDING_MODES = ("floor", "half_up", "ceil")  # 切り捨て (default), 四捨五入, 切り上げ


class PriceError(KioskError):
    """A price, discount or total that cannot be right."""


def tax_rate_on(day: date) -> int:
    """The consumption-tax percent in force on ``day`` (0 before 1989-04-01)."""
    rate = 0
    for start, percent in TAX_RATES:
        if day >= start:
            rate = percent
    return rate


def tax_included(list_price: int, on: date, rounding: str = "floor") -> int:
    """本体価格 → 税込価格 on the acceptance date. 1,300 on 1998-01-10 → 1,365."""
    check_amount(list_price, "list price", "本体価格")
    exact = Fraction(list_price * (100 + tax_rate_on(on)), 100)
    return round_yen(exact, rounding)


def round_yen(amount: Fraction, rounding: str) -> int:
    if rounding == "floor":
        return amount.numerator // amount.denominator
    if rounding == "ceil":
        return -(-amount.numerator // amount.denominator)
    if rounding == "half_up":
        return int(amount + Fraction(1, 2)) if amount >= 0 else -int(-amount + Fraction(1, 2))
    raise PriceError(
        f"unknown tax rounding {rounding!r}: use one of {', '.join(ROUNDING_MODES)}",
        f"端数処理「{rounding}」は使えません（floor / half_up / ceil）",
    )


def apply_discount(price: int, discount: int) -> int:
    """値引き: 1,365 with 88 off is entered as 1,277."""
    check_amount(discount, "discount", "値引き")
    if discount > price:
        raise PriceError(
            f"discount {discount} yen is larger than the price {price} yen",
            f"値引き {discount:,}円 が価格 {price:,}円 より大きくなっています",
        )
    return price - discount


@dataclass(frozen=True)
class Share:
    price: int
    rounding_adjusted: bool  # 端数調整: this copy carries the remainder of a lump sum


def split_lump_sum(total: int, list_prices: Sequence[int | None]) -> list[Share]:
    """Split a lump-sum price over copies (再販売価格等で一括購入).

    Each copy gets its share in proportion to its list price, rounded down; where any list
    price is unknown, the total is split evenly. The whole remainder goes on the last copy
    only, which is then marked 端数調整 (only when there is a remainder to carry).
    """
    check_amount(total, "lump-sum total", "一括価格")
    if not list_prices:
        raise PriceError("a lump sum needs at least one copy", "一括価格には1冊以上が必要です")
    weights = list(list_prices)
    if any(w is None for w in weights) or sum(weights) == 0:
        weights = [1] * len(weights)
    for weight in weights:
        check_amount(weight, "list price", "本体価格")
    whole = sum(weights)
    shares = [total * weight // whole for weight in weights[:-1]]
    last_exact = Fraction(total * weights[-1], whole)
    last = total - sum(shares)
    result = [Share(price, False) for price in shares]
    result.append(Share(last, last != last_exact))
    return result


MAX_AMOUNT = 99_999_999  # yen: far above any book, far below the database's INTEGER columns


def check_amount(value: int, what: str, what_ja: str) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise PriceError(
            f"{what} must be a whole number of yen, 0 or more (got {value!r})",
            f"{what_ja}は0以上の整数（円）で入力してください（入力値: {value}）",
        )
    if value > MAX_AMOUNT:  # typed by hand: refused here, not by the database's column
        raise PriceError(f"{what} {value} is more than {MAX_AMOUNT} yen",
                         f"{what_ja}が大きすぎます（{MAX_AMOUNT:,}円まで。入力値: {value:,}）")
