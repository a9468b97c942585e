"""Call numbers (請求記号) for the two-tier spine label: 分類記号 over 図書記号.

Top tier: the NDC class from the record (NDC9 by default, NDC10 as a setting), cut to a set
number of digits; or a shelving prefix (別置記号) where the rules say so: ``E`` for picture
books (NDC 726.6, or C-code form 7 = 絵本), and prefixes the school defines by C-code form or
NDC range. Bottom tier: the first kana of the main author's reading (1 by default), in
katakana (hiragana or Latin as settings); no author → the title's reading. Optional third
tier: the volume. Every tier says where it came from, and staff may override any of them.
"""

import re
import unicodedata
from dataclasses import dataclass, field
from typing import ClassVar

from kiosk.errors import KioskError
from kiosk.stored_section import is_whole_number, section_values, stored_form

# Roles that make a creator the main one, and those that never do (illustrator, translator…).
MAIN_ROLES = ("著", "作", "文", "原作", "作・文", "文・絵", "作・絵", "著者", "author")
SECONDARY_ROLES = ("絵", "画", "訳", "監修", "編", "イラスト", "写真", "翻訳", "訳・文", "illustrator", "translator")
C_CODE_FORM_PICTURE_BOOK = "7"  # 日本図書コード C-code, 2nd digit (形態): 7 = 絵本
NDC_EDITIONS = ("ndc9", "ndc10")
MARK_SCRIPTS = ("katakana", "hiragana", "latin")
MARK_SCRIPT_LABELS_JA = {"katakana": "カタカナ", "hiragana": "ひらがな", "latin": "ローマ字"}


@dataclass(frozen=True)
class CallNumberRules:
    """The library's call-number rules: the settings' ``callnumber`` section."""

    NDC_EDITIONS: ClassVar = NDC_EDITIONS  # the choices, for the settings screen
    MARK_SCRIPTS: ClassVar = MARK_SCRIPTS
    MARK_SCRIPT_LABELS_JA: ClassVar = MARK_SCRIPT_LABELS_JA

    ndc_edition: str = "ndc9"  # or "ndc10"
    digits: int = 3  # digits of the class number kept (fewer is common in elementary schools)
    picture_book_prefix: str = "E"
    form_prefixes: dict = field(default_factory=dict)  # C-code form digit → prefix, e.g. {"5": "R"}
    ndc_prefixes: tuple = ()  # ((from, to, prefix), …) over NDC class numbers, e.g. (("290", "299.99", "K"),)
    mark_length: int = 1
    mark_script: str = "katakana"  # katakana / hiragana / latin
    volume_tier: bool = False

    def __post_init__(self):
        if self.ndc_edition not in NDC_EDITIONS:
            raise KioskError("NDC edition must be ndc9 or ndc10", "NDCの版は ndc9 か ndc10 です")
        if not is_whole_number(self.digits) or not 1 <= self.digits <= 6:
            raise KioskError("class digits must be 1 to 6", "分類記号の桁数は1〜6にしてください")
        if not is_whole_number(self.mark_length) or not 1 <= self.mark_length <= 3:
            raise KioskError("author mark length must be 1 to 3", "図書記号の字数は1〜3にしてください")
        if self.mark_script not in MARK_SCRIPTS:
            raise KioskError("author mark script must be katakana, hiragana or latin",
                             "図書記号の文字はカタカナ・ひらがな・ローマ字から選んでください")
        if not isinstance(self.picture_book_prefix, str):
            raise KioskError("the picture-book prefix is text", "絵本の別置記号は文字で指定してください")
        if not isinstance(self.volume_tier, bool):
            raise KioskError("volume_tier is true or false", "3段目に巻次を入れるかどうかが正しくありません")
        if not isinstance(self.form_prefixes, dict) or not all(
                isinstance(key, str) and isinstance(prefix, str) for key, prefix in self.form_prefixes.items()):
            raise KioskError("form_prefixes maps a C-code form digit to a prefix, e.g. {\"5\": \"R\"}",
                             "Cコードの形態による別置記号は「形態の数字: 記号」の組で指定してください")
        if not all(len(rule) == 3 and isinstance(rule[2], str) and all(isinstance(end, (str, int, float)) for end in rule[:2])
                   for rule in self.ndc_prefixes):
            raise KioskError("each ndc_prefixes rule is (from, to, prefix), e.g. (\"290\", \"299.99\", \"K\")",
                             "NDCの範囲による別置記号は「始め・終わり・記号」の3つで指定してください")

    @classmethod
    def from_stored(cls, values: dict) -> "CallNumberRules":
        values = section_values(cls, values, "請求記号")
        if "ndc_prefixes" in values:
            rules = values["ndc_prefixes"]
            if not isinstance(rules, (list, tuple)) or not all(isinstance(rule, (list, tuple)) for rule in rules):
                raise KioskError("ndc_prefixes is a list of [from, to, prefix]",
                                 "NDCの範囲による別置記号は「始め・終わり・記号」の組の並びで指定してください")
            values["ndc_prefixes"] = tuple(tuple(rule) for rule in rules)
        return cls(**values)

    def to_stored(self) -> dict:
        return stored_form(self)


@dataclass(frozen=True)
class CallNumber:
    top: str  # 分類記号 (or shelving prefix)
    bottom: str  # 図書記号
    volume: str | None = None  # 巻冊記号, the optional third tier
    why: dict = field(default_factory=dict)  # tier → how it was decided

    @property
    def tiers(self) -> tuple[str, ...]:
        return tuple(t for t in (self.top, self.bottom, self.volume) if t)

    def to_json(self) -> dict:
        return {"top": self.top, "bottom": self.bottom, "volume": self.volume, "why": self.why}


def call_number(*, ndc9: str | None = None, ndc10: str | None = None, c_code: str | None = None,
                creators: tuple = (), title_reading: str | None = None, title: str | None = None,
                volume: str | None = None, rules: CallNumberRules = CallNumberRules(),
                overrides: dict | None = None) -> CallNumber:
    """The call number the rules give. ``creators`` are (name, reading, role) triples."""
    overrides = overrides or {}
    top, top_why = _top(ndc9, ndc10, c_code, rules)
    bottom, bottom_why = _bottom(creators, title_reading, title, rules)
    third = volume if rules.volume_tier and volume else None
    why = {"top": top_why, "bottom": bottom_why, "volume": "巻次" if third else None}
    for tier in ("top", "bottom", "volume"):
        if overrides.get(tier):
            why[tier] = "職員が指定"
    return CallNumber(overrides.get("top") or top, overrides.get("bottom") or bottom,
                      overrides.get("volume") or third, why)


def _top(ndc9, ndc10, c_code, rules: CallNumberRules) -> tuple[str, str]:
    value, why, _ = top_tier(ndc9, ndc10, c_code, rules)
    return value, why


# What decided the top tier (top_tier's third value): the C-code's form digit by the school's
# rules, the NDC by the school's prefixes, the NDC itself, or nothing.
BY_C_CODE_FORM, BY_NDC_PREFIX, BY_NDC, BY_NOTHING = "c_code_form", "ndc_prefix", "ndc", None


def top_tier(ndc9, ndc10, c_code, rules: CallNumberRules) -> tuple[str, str, str | None]:
    """The 分類記号 tier, why (Japanese) and what decided it (BY_C_CODE_FORM, BY_NDC_PREFIX,
    BY_NDC or BY_NOTHING): kiosk.labels.proposal says from it where the tier came from."""
    ndc = (ndc10 or ndc9) if rules.ndc_edition == "ndc10" else (ndc9 or ndc10)
    form = c_code[1] if c_code and len(c_code) == 4 and c_code.isdigit() else None
    if ndc and ndc.startswith("726.6"):
        return rules.picture_book_prefix, "NDC 726.6（絵本）", BY_NDC_PREFIX
    if form == C_CODE_FORM_PICTURE_BOOK:
        return rules.picture_book_prefix, f"Cコード {c_code}（形態: 絵本）", BY_C_CODE_FORM
    if form and form in rules.form_prefixes:
        return rules.form_prefixes[form], f"Cコード {c_code} の形態による別置", BY_C_CODE_FORM
    if ndc:
        for low, high, prefix in rules.ndc_prefixes:
            if _ndc_value(low) <= _ndc_value(ndc) <= _ndc_value(high):
                return prefix, f"NDC {ndc} の範囲 {low}〜{high} による別置", BY_NDC_PREFIX
        return _cut(ndc, rules.digits), f"{rules.ndc_edition.upper()} {ndc} を{rules.digits}桁に", BY_NDC
    return "", "分類がありません（入力してください）", BY_NOTHING


def _cut(ndc: str, digits: int) -> str:
    """NDC 913.6 → 913 (3 digits), 9 (1 digit); 913.68 with 4 digits → 913.6."""
    plain = ndc.replace(".", "")[:digits]
    return plain if len(plain) <= 3 else f"{plain[:3]}.{plain[3:]}"


def _ndc_value(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        return -1.0


def main_creator(creators: tuple) -> tuple | None:
    """The author, not the illustrator or translator; for picture books the text author."""
    for creator in creators:
        if (creator[2] or "") in MAIN_ROLES:
            return creator
    for creator in creators:
        if (creator[2] or "") not in SECONDARY_ROLES:
            return creator
    return None


def _bottom(creators, title_reading, title, rules: CallNumberRules) -> tuple[str, str]:
    creator = main_creator(tuple(creators))
    if creator is not None:
        name, reading, role = creator
        kana = _kana(reading) or _kana(name)
        if kana:
            return _mark(_family_first(kana), rules), f"{name}（{role or '著者'}）の読み"
    kana = _kana(title_reading) or _kana(title)
    if kana:
        return _mark(kana, rules), "著者がないため書名の読み"
    return "", "読みがありません（入力してください）"


def author_mark(reading: str | None, rules: CallNumberRules = CallNumberRules()) -> str:
    """The 図書記号 a reading gives by the rules (``アオヤマ ゴウショウ`` → ア, ``カール, エリック``
    → カ); '' when the reading is not kana. The same rule ``call_number`` applies."""
    kana = _kana(reading)
    return _mark(_family_first(kana), rules) if kana else ""


def title_mark(reading: str | None, rules: CallNumberRules = CallNumberRules()) -> str:
    """The 図書記号 a title's reading gives (a book with no author): its first kana, as written;
    a reading that goes on with digits or letters (ニホン ノ レキシ 1) gives its kana start."""
    kana = _kana(reading)
    if not kana and reading:
        start = re.match(r"[ぁ-ゖァ-ヺー]+", unicodedata.normalize("NFKC", reading).strip())
        kana = _kana(start.group()) if start else ""
    return _mark(kana, rules) if kana else ""


def _family_first(kana: str) -> str:
    """NDL readings are 'family, given' ('カール, エリック'); foreign names written in katakana
    with a middle dot (エリック・カール) give their family name, the last part."""
    if "," in kana or "，" in kana:
        return re.split(r"[,，]", kana)[0].strip()
    if "・" in kana:
        return kana.split("・")[-1]
    return kana.strip()


def _kana(text: str | None) -> str:
    """Katakana of ``text`` if it is written in kana (hiragana turned to katakana), else ''."""
    if not text:
        return ""
    text = unicodedata.normalize("NFKC", text).strip()
    text = "".join(chr(ord(c) + 0x60) if "ぁ" <= c <= "ゖ" else c for c in text)
    letters = [c for c in text if not c.isspace()]
    if letters and all(("ァ" <= c <= "ヺ") or c in "ー・,，" for c in letters):
        return "".join(letters)
    return ""


def _mark(kana: str, rules: CallNumberRules) -> str:
    letters = [_LARGE.get(c, c) for c in kana if "ァ" <= c <= "ヺ" or c == "ー"]
    while letters and letters[0] == "ー":  # a mark never starts with the long-vowel sign
        letters.pop(0)
    if rules.mark_script == "latin":  # the first letters of the Hepburn reading: ナカガワ → Na
        return "".join(_ROMAJI.get(c, "") for c in letters)[: rules.mark_length].capitalize()
    mark = "".join(letters[: rules.mark_length])
    if rules.mark_script == "hiragana":
        return "".join(chr(ord(c) - 0x60) if "ァ" <= c <= "ヶ" else c for c in mark)
    return mark


_LARGE = dict(zip("ァィゥェォッャュョヮ", "アイウエオツヤユヨワ"))
_ROMAJI_ROWS = {
    "アイウエオ": "A I U E O", "カキクケコ": "KA KI KU KE KO", "ガギグゲゴ": "GA GI GU GE GO",
    "サシスセソ": "SA SHI SU SE SO", "ザジズゼゾ": "ZA JI ZU ZE ZO", "タチツテト": "TA CHI TSU TE TO",
    "ダヂヅデド": "DA JI ZU DE DO", "ナニヌネノ": "NA NI NU NE NO", "ハヒフヘホ": "HA HI FU HE HO",
    "バビブベボ": "BA BI BU BE BO", "パピプペポ": "PA PI PU PE PO", "マミムメモ": "MA MI MU ME MO",
    "ヤユヨ": "YA YU YO", "ラリルレロ": "RA RI RU RE RO", "ワヲン": "WA O N", "ヴ": "VU",
}
_ROMAJI = {kana: roman for row, romans in _ROMAJI_ROWS.items() for kana, roman in zip(row, romans.split())}
