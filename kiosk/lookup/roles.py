"""Roles of responsibility (著, 作, 文, 絵, 訳, 編…) and names in responsibility statements.

Japanese bibliographic data writes the role after the name, as printed on the title page:
``エリック=カール さく``, ``棟方志功 [画]``, ``穂苅実紀夫, 寺田学 著``, or openBD's
``エリック・カール／さく もりひさし／やく``. The kiosk keeps the role in its kanji form (さく → 作)
because the ledger and the spine label's author mark (図書記号) are written from it.
"""

import re
import unicodedata

# Kana spellings picture books use on the title page, and a few long forms, to the kanji form.
_ROLE_SPELLINGS = {
    "さく": "作", "サク": "作", "ぶん": "文", "ブン": "文", "え": "絵", "エ": "絵",
    "やく": "訳", "ヤク": "訳", "へん": "編", "ヘン": "編", "ちょ": "著", "チョ": "著",
    "しゃしん": "写真", "げんさく": "原作", "かんしゅう": "監修", "さいわ": "再話",
    "著者": "著", "作者": "作", "訳者": "訳", "翻訳": "訳", "編者": "編", "編集": "編",
    "画家": "画", "イラスト": "絵", "挿絵": "絵", "さしえ": "絵",
}
_ROLE_WORDS = {
    "著", "作", "文", "絵", "画", "訳", "編", "監修", "原作", "写真", "編著", "共著", "共編",
    "監訳", "編訳", "抄訳", "再話", "構成", "脚本", "原案", "作画", "挿画", "撮影", "解説",
    "文・絵", "作・絵", "まんが", "漫画", "校訂", "口述", "責任編集", "協力", "装画", "装丁",
    "朗読", "作曲", "作詞",
}
_ROLE_WORDS |= set(_ROLE_SPELLINGS)
# A role token may join several roles: 作・絵, さく・え, 文/絵, 作絵.
_JOINERS = re.compile(r"[・/／,、]")
_BRACKETS = str.maketrans("", "", "[]［］〔〕()（）")
_LIFE_DATES = re.compile(r"[,，]?\s*(?:\d{3,4}\??\s*[-‐–~〜]\s*(?:\d{3,4}\??)?|生没年不詳)\s*$")
_NAME_PUNCTUATION = re.compile(r"[\s,，、・･=＝\-‐.．'’]+")


def normalise_role(token: str | None) -> str | None:
    """The kanji form of a role token (``さく・え`` → ``作・絵``), or None if it is no role.

    Joined roles need a separator (``作・絵``): ``文絵`` could be a given name.
    """
    if not token:
        return None
    bare = unicodedata.normalize("NFKC", token).translate(_BRACKETS).strip()
    if not bare:
        return None
    if bare in _ROLE_WORDS:
        return _ROLE_SPELLINGS.get(bare, bare)
    parts = [p for p in _JOINERS.split(bare) if p]
    if len(parts) > 1 and all(p in _ROLE_WORDS for p in parts):
        return "・".join(_ROLE_SPELLINGS.get(p, p) for p in parts)
    return None


def split_statement(statement: str) -> list[tuple[str, str | None]]:
    """Names and their role from one statement: ``"A, B 著"`` → ``[("A", "著"), ("B", "著")]``.

    The role is the last space-separated token when it is a known role word (brackets
    allowed: ``[画]``). Names are split on commas unless the statement is one inverted
    Western name (``Carle, Eric``).
    """
    text = " ".join(statement.replace("\u3000", " ").split())
    if not text:
        return []
    role = None
    head, _, last = text.rpartition(" ")
    if head and (found := normalise_role(last)):
        text, role = head.strip(), found
    else:
        match = re.search(r"[\[［〔(（]([^\]］〕)）]+)[\]］〕)）]$", text)
        if match and (found := normalise_role(match.group(1))):
            text, role = text[: match.start()].strip(), found
    names = _split_names(text)
    return [(name, role) for name in names]


def split_slash_statement(text: str) -> list[tuple[str, str | None]]:
    """openBD's summary form: ``エリック・カール／さく もりひさし／やく``."""
    pairs = re.findall(r"\s*(.+?)／([^\s／]+)(?=\s|$)", text.replace("\u3000", " "))
    if not pairs:
        return [(name, None) for name in _split_names(text)]
    return [(name.strip(), normalise_role(role) or role) for name, role in pairs]


def strip_life_dates(name: str) -> str:
    """``Carle, Eric, 1929-2021`` → ``Carle, Eric`` (authority forms carry life dates)."""
    return _LIFE_DATES.sub("", name).strip().rstrip(",，").strip()


def katakana(text: str) -> str:
    """Hiragana to katakana, so ``もりひさし`` and ``モリ, ヒサシ`` compare equal."""
    return "".join(chr(ord(ch) + 0x60) if "ぁ" <= ch <= "ゖ" else ch for ch in text)


def is_kana(text: str) -> bool:
    stripped = _NAME_PUNCTUATION.sub("", text)
    return bool(stripped) and all(
        "ぁ" <= ch <= "ゖ" or "ァ" <= ch <= "ヺ" or ch in "ー" for ch in stripped
    )


def reading_of_kana_name(name: str) -> str | None:
    """The reading of a Japanese name written in kana (``もり ひさし`` → ``モリ ヒサシ``).

    None for a foreign name in kana (``エリック・カール``): it is written given name first,
    and a reading made from it would give the wrong author mark (図書記号).
    """
    if not is_kana(name) or re.search(r"[・･=＝]", name):
        return None
    return katakana(name)


def name_keys(name: str | None) -> set[str]:
    """Comparison keys for a name: joined, and sorted parts (for reversed Western names)."""
    if not name:
        return set()
    text = katakana(unicodedata.normalize("NFKC", strip_life_dates(name))).lower()
    parts = [p for p in _NAME_PUNCTUATION.split(text) if p and not p.isdigit()]
    if not parts:
        return set()
    return {"".join(parts), "|".join(sorted(parts))}


def _split_names(text: str) -> list[str]:
    parts = [p.strip() for p in re.split(r"\s*[,，、;；]\s*", text) if p.strip()]
    if len(parts) == 2 and re.fullmatch(r"[A-Za-z.'\- ]+", parts[1]) and " " not in parts[0]:
        return [text.strip()]
    return parts
