"""Reading years, prices and classification numbers out of the text sources give.

Sources write these loosely (``2014.2``, ``[1976]``, ``1,200円``, ``¥1200``, ``非売品``); each
function returns a clean value or None, never a guess.
"""

import re
import unicodedata

_YEAR = re.compile(r"(?<!\d)(1[0-9]{3}|2[0-9]{3})(?!\d)")
_YEN = re.compile(r"(\d[\d,]*)\s*円")
_PLAIN_PRICE = re.compile(r"[¥￥]?\s*(\d{1,3}(?:,\d{3})+|\d+)(?:\s*円)?")
_NDC = re.compile(r"(\d{3})(\.\d+)?")
_NOT_A_PRICE = ("非売品", "価格不明", "頒価", "無料")
_ERAS = {"明治": 1868, "大正": 1912, "昭和": 1926, "平成": 1989, "令和": 2019}
_ERA_YEAR = re.compile(r"(明治|大正|昭和|平成|令和)\s*(元|\d{1,2})\s*年")


def parse_year(text: str | None) -> int | None:
    """The first plausible year in ``text``: ``2014.2`` → 2014, ``[1976]`` → 1976,
    ``19760501`` → 1976, ``令和2年`` → 2020."""
    if not text:
        return None
    normal = unicodedata.normalize("NFKC", str(text)).strip()
    if era := _ERA_YEAR.search(normal):  # 令和2年 → 2020, 平成元年 → 1989
        number = 1 if era.group(2) == "元" else int(era.group(2))
        return _ERAS[era.group(1)] + number - 1
    if re.fullmatch(r"[12]\d{3}(\d{2}){1,2}", normal):  # 19760501, 197605 (openBD, ONIX)
        return int(normal[:4])
    match = _YEAR.search(normal)
    return int(match.group(1)) if match else None


def parse_yen(text: str | None) -> tuple[int | None, str | None]:
    """(price without tax in yen, or None; a reason when a price was there but not used).

    A price marked tax-included (税込) is not used: the kiosk keeps the list price without
    tax and computes the tax at accession, so a tax-included figure would be taxed twice.
    """
    if text is None:
        return None, None
    normal = unicodedata.normalize("NFKC", str(text)).strip()
    if not normal:
        return None, None
    if any(word in normal for word in _NOT_A_PRICE):
        return None, f"価格「{normal[:40]}」は金額ではありません"
    if "税込" in normal and "税抜" not in normal and "本体" not in normal:
        return None, f"価格「{normal[:40]}」は税込のため使いません（本体価格を入力してください）"
    if "本体" in normal:  # 定価1,650円(本体1,500円) → the 本体 figure
        match = re.search(r"本体\s*[¥￥]?\s*(\d[\d,]*)", normal)
        if match:
            return int(match.group(1).replace(",", "")), None
    match = _YEN.search(normal) or _PLAIN_PRICE.fullmatch(normal)
    if not match:
        return None, f"価格「{normal[:40]}」を読み取れません"
    return int(match.group(1).replace(",", "")), None


def parse_ndc(text: str | None) -> str | None:
    """An NDC class number (``913.6``, ``E``-style shelving marks are not NDC): or None."""
    if not text:
        return None
    normal = unicodedata.normalize("NFKC", str(text)).strip()
    match = _NDC.fullmatch(normal)
    return normal if match else None
