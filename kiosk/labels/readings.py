"""Proposed readings (よみ) of typed titles and names, and the author marks (図書記号) they give.

A book no source knows is typed in at the desk; the ledger, the catalogue and the spine label
need its reading, in katakana. The kiosk proposes one from a morphological analyser
(kiosk/labels/analyser.py) and marks it 推定: names in particular are often read wrongly (東野 is
ヒガシノ or トウノ), so staff confirm, choosing among the alternatives or typing.

Readings follow the NDL's transcription, as the records the kiosk gets from the NDL do: words
spaced, katakana, the particles は・へ・を written ワ・エ・オ, Latin letters and digits as
written, 日本 read ニホン. A name's reading is family name first (the author mark is its first
kana): ``東野 圭吾`` → ``ヒガシノ ケイゴ``; a foreign name in katakana is turned round
(``エリック・カール`` → ``カール エリック``); a name in Latin letters gets no proposal.
"""

import logging
import re
import unicodedata
from dataclasses import dataclass

from kiosk.labels import analyser
from kiosk.labels.callnumber import CallNumberRules, author_mark
from kiosk.errors import KioskError
from kiosk.lookup.record import LIMITS, clean_text
from kiosk.lookup.roles import is_kana, katakana

log = logging.getLogger(__name__)

ESTIMATED_JA = "推定"
MAX_ALTERNATIVES = 6
# Words the NDL reads otherwise than the dictionary's first choice (日本図書館協会 → ニホン …).
READING_OVERRIDES = {"日本": "ニホン"}
_PARTICLES = {"は": "ワ", "へ": "エ", "を": "オ"}
_AS_WRITTEN = re.compile(r"[0-9A-Za-z][0-9A-Za-z.'&+\-]*")
_KANA_WORD = re.compile(r"[ァ-ヺー]+")
_UNSAFE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2069"
                     r"\ufeff\ufffe\ud800-\udfff\ue000-\uf8ff]")
_SPACES = re.compile(r"[ \u3000]+")


@dataclass(frozen=True)
class ReadingProposal:
    """A reading for staff to confirm. ``unknown``: words the dictionary does not know, left as
    written in ``reading`` (a gap staff fill); ``note``: what was done to bad input."""

    text: str
    reading: str
    alternatives: tuple[str, ...] = ()
    unknown: tuple[str, ...] = ()
    note: str | None = None
    source: str = ""
    estimated: bool = True

    @property
    def complete(self) -> bool:
        """Every word has a kana reading."""
        return not self.unknown

    def to_json(self) -> dict:
        return {"text": self.text, "reading": self.reading, "alternatives": list(self.alternatives),
                "unknown": list(self.unknown), "complete": self.complete, "note": self.note,
                "source": self.source, "estimated": self.estimated}


def propose_title_reading(title) -> ReadingProposal | None:
    """``名探偵コナン 水平線上の陰謀`` → ``メイタンテイ コナン スイヘイセンジョウ ノ インボウ`` (推定);
    None for an empty title. Raises AnalyserUnavailable when the dictionary cannot be loaded."""
    text, note = _clean("title", title)
    if text is None:
        return None
    reading, unknown = _read(text)
    return ReadingProposal(text, reading, unknown=unknown, note=note, source=analyser.analyser_name())


def propose_name_reading(name) -> ReadingProposal | None:
    """A person's (or body's) name → its reading, family name first, with the alternatives the
    dictionary knows for each part; None for an empty name or one in Latin letters."""
    text, note = _clean("name", name)
    if text is None or not re.search(r"[^\x00-\x7f\u00c0-\u024f]", text):
        return None
    if is_kana(text):
        return ReadingProposal(text, _kana_name(text), note=note, source="かな表記から")
    parts = _SPACES.split(text)
    if len(parts) == 1:
        parts = _split_family_name(text)
    if len(parts) == 1:  # a body, a pen name: read as words
        reading, unknown = _read(text)
        return ReadingProposal(text, reading, unknown=unknown, note=note, source=analyser.analyser_name())
    family, given = parts[0], "".join(parts[1:])
    family_readings, family_unknown = _part_readings(family, "姓")
    given_readings, given_unknown = _part_readings(given, "名")
    combinations = [f"{f} {given_readings[0]}" for f in family_readings]
    combinations += [f"{family_readings[0]} {g}" for g in given_readings[1:]]
    combinations = list(dict.fromkeys(combinations))
    return ReadingProposal(text, combinations[0], tuple(combinations[1:MAX_ALTERNATIVES + 1]),
                           family_unknown + given_unknown, note, analyser.analyser_name())


def propose_author_marks(proposal: ReadingProposal | None,
                         rules: CallNumberRules = CallNumberRules()) -> tuple[str, ...]:
    """The author marks (図書記号) a name's proposed readings give, best first, without repeats:
    東野 圭吾 → (ト, ヒ). Empty when no reading is kana from its start."""
    if proposal is None:
        return ()
    marks = (author_mark(reading, rules) for reading in (proposal.reading, *proposal.alternatives))
    return tuple(dict.fromkeys(mark for mark in marks if mark))


def _clean(field: str, value) -> tuple[str | None, str | None]:
    """Text safe to analyse, and a Japanese note when bad input had to be changed (logged)."""
    if value is None:
        return None, None
    if not isinstance(value, str):
        raise KioskError(f"a {field} must be text, not {type(value).__name__}",
                         "書名・著者名は文字で入力してください")
    label = "書名" if field == "title" else "著者名"
    notes = []
    if _UNSAFE.search(value):
        log.warning("reading proposal: %s %r holds control or invisible characters: removed", field, value[:200])
        notes.append(f"{label}に制御文字などが含まれていたため、除いて読みを推定しました")
    limit = LIMITS[field]
    text = clean_text(value, limit)
    if clean_text(value, 10**6) != text:
        log.warning("reading proposal: %s of %d characters cut to %d", field, len(value), limit)
        notes.append(f"{label}が長すぎるため、先頭の{limit}文字の読みを推定しました")
    return text, "。".join(notes) or None


def _read(text: str) -> tuple[str, tuple[str, ...]]:
    """Reading of running text, words spaced, and the words the dictionary did not know."""
    parts, unknown = [], []
    for word in analyser.words(unicodedata.normalize("NFKC", text)):
        if word.pos[0] in ("補助記号", "空白") and _is_punctuation(word.surface):
            continue  # not 𠮷: a kanji the dictionary lacks may come tagged as a symbol
        if _AS_WRITTEN.fullmatch(word.surface):
            parts.append(word.surface)
        elif word.pos[0] == "助詞" and word.surface in _PARTICLES:
            parts.append(_PARTICLES[word.surface])
        elif word.surface in READING_OVERRIDES:
            parts.append(READING_OVERRIDES[word.surface])
        elif word.known or _KANA_WORD.fullmatch(katakana(word.surface)):
            parts.append(katakana(word.reading))
        else:
            parts.append(word.surface)
            unknown.append(word.surface)
    return " ".join(parts), tuple(dict.fromkeys(unknown))


def _is_punctuation(surface: str) -> bool:
    return all(unicodedata.category(ch)[0] in "PSZ" for ch in surface)


def _split_family_name(text: str) -> list[str]:
    """``東野圭吾`` → ``["東野", "圭吾"]`` when the analyser takes the first word for a surname."""
    found = analyser.words(text)
    if len(found) > 1 and found[0].is_surname:
        return [found[0].surface, text[len(found[0].surface):]]
    return [text]


def _part_readings(part: str, kind: str) -> tuple[list[str], tuple[str, ...]]:
    """The analyser's reading of a family or given name first, then the dictionary's others."""
    if is_kana(part):
        return [katakana(part)], ()
    read, unknown = _read(part)
    read = read.replace(" ", "")
    as_name = analyser.name_readings(part, kind)
    found = analyser.words(part)
    # The analyser's own choice leads when it took the part for this kind of name (東野 → トウノ,
    # the dictionary also has ヒガシノ); else a name reading does (勝: マサル before the noun カチ).
    if len(found) == 1 and found[0].pos[2:4] == ("人名", kind):
        return list(dict.fromkeys([read, *as_name])), unknown
    return list(dict.fromkeys([*as_name, read])), unknown if not as_name else ()


def _kana_name(text: str) -> str:
    """A name written in kana: a foreign one (エリック・カール) turned family first."""
    parts = [p for p in re.split(r"[・･=＝\s\u3000]+", text) if p]
    if re.search(r"[・･=＝]", text):
        parts = parts[-1:] + parts[:-1]
    return " ".join(katakana(p) for p in parts)
