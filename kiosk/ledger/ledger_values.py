"""The values of a ledger written by people: dates in 西暦 or 和暦, amounts with commas and 円,
fund and withdrawal reasons as the ledger labels them. Each parser returns the value or raises
ValueError with the Japanese reason, for the import's report."""

import re
import unicodedata
from datetime import date, datetime

from kiosk.ledger.funds import FUND_LABELS_JA, KIND_LABELS_JA, Fund, Kind
from kiosk.ledger.withdrawal import REASON_LABELS_JA

# 和暦: era → the Gregorian year of its first year (元年).
ERAS = {"令和": 2019, "R": 2019, "平成": 1989, "H": 1989, "昭和": 1926, "S": 1926}
_WAREKI = re.compile(r"(令和|平成|昭和|[RHS])\s*(\d{1,2}|元)\s*[年./-]\s*(\d{1,2})\s*[月./-]\s*(\d{1,2})\s*日?")
_SEIREKI = re.compile(r"(\d{4})\s*[年./-]\s*(\d{1,2})\s*[月./-]\s*(\d{1,2})\s*日?(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?")

# What a ledger may write for a fund, beyond the kiosk's own labels.
FUND_WORDS = {"市費": Fund.CITY, "図書費": Fund.CITY, "購入": Fund.CITY, "公費": Fund.CITY,
              "寄贈": Fund.GIFT, "無償": Fund.GIFT, "PTA": Fund.PTA, "PTA費": Fund.PTA,
              "児童会費": Fund.STUDENT_COUNCIL, "生徒会費": Fund.STUDENT_COUNCIL, "資源回収": Fund.RECYCLING,
              "図書券": Fund.BOOK_CARD}


def text(value) -> str:
    """A cell as text: None → "", numbers without a trailing .0, NFKC-folded, trimmed."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return unicodedata.normalize("NFKC", str(value)).strip()


def parse_date(value) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    written = text(value)
    if match := _SEIREKI.fullmatch(written):
        year, month, day = map(int, match.groups())
    elif match := _WAREKI.fullmatch(written):
        era, year_text, month, day = match.groups()
        year = ERAS[era] + (1 if year_text == "元" else int(year_text)) - 1
        month, day = int(month), int(day)
    else:
        raise ValueError(f"「{written}」は日付として読めません（例 2024-04-01、2024/4/1、令和6年4月1日）")
    try:
        return date(year, month, day)
    except ValueError:
        raise ValueError(f"「{written}」という日付はありません") from None


def parse_number(value, what: str) -> int:
    """A whole number ≥ 0, written with commas, 円, ¥ or as an xlsx number."""
    if isinstance(value, bool):
        raise ValueError(f"{what}が数ではありません")
    if isinstance(value, int):
        number = value
    elif isinstance(value, float):
        if not value.is_integer():
            raise ValueError(f"{what}「{value}」が整数ではありません")
        number = int(value)
    else:
        written = text(value).replace(",", "").replace("円", "").replace("¥", "").replace("\\", "").strip()
        if not written.isdigit():
            raise ValueError(f"{what}「{text(value)}」が0以上の整数ではありません")
        number = int(written)
    if number < 0:
        raise ValueError(f"{what}「{number}」が0以上の整数ではありません")
    return number


def parse_fund(value) -> tuple[Fund, str | None]:
    """(fund, note): a kiosk label (「その他（バザー収益）」 carries its note), a fund's name, or a word
    a ledger uses (市費, 寄贈, PTA…)."""
    written = text(value)  # NFKC: full-width brackets become ( )
    if (fund := _fund_named(written)) is not None:
        return fund, None
    if match := re.fullmatch(r"(.+?)\((.*)\)", written):
        head, inner = match.groups()
        if (fund := _fund_named(head.strip())) is not None:
            return fund, inner.strip() or None
    names = "・".join(FUND_LABELS_JA.values())
    raise ValueError(f"財源「{written}」がわかりません（{names}）")


def _fund_named(written: str) -> Fund | None:
    for fund, label in FUND_LABELS_JA.items():
        if written in (text(label), fund.value):
            return fund
    for word, fund in FUND_WORDS.items():
        if written.upper() == word.upper():
            return fund
    return None


def parse_kind(value) -> Kind:
    written = text(value)
    for kind, label in KIND_LABELS_JA.items():
        if written in (label, kind.value, label + "受入"):
            return kind
    raise ValueError(f"区分「{written}」がわかりません（購入・寄贈・その他）")


def parse_withdrawal(value) -> tuple[date, str]:
    """「2025-03-31 破損・汚損」 (as the kiosk's CSV writes it) → (date, reason key)."""
    written = text(value)
    day, _, reason = written.partition(" ")
    return parse_date(day), parse_reason(reason)


def parse_reason(value) -> str:
    written = text(value)
    for key, label in REASON_LABELS_JA.items():
        if written in (text(label), key):
            return str(key)
    for word, key in (("破損", "worn"), ("汚損", "worn"), ("紛失", "lost"), ("不明", "lost")):
        if word in written:
            return key
    raise ValueError(f"除籍理由「{written}」がわかりません（{'・'.join(REASON_LABELS_JA.values())}）")
