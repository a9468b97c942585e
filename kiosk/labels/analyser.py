"""The Japanese morphological analyser (形態素解析) behind reading proposals: SudachiPy with
its core dictionary (sudachidict_core), both from PyPI.

Loaded on first use, not on import: importing SudachiPy and opening its 190 MB dictionary
takes about 60 ms, which no ``kiosk`` command that proposes no reading should pay. After that
one analysis of a name takes well under a millisecond. The tokenizer is shared behind a lock
(the web app serves from several threads).

Why SudachiPy (see docs/callnumbers.md for the figures): it installs from wheels in seconds,
its dictionary is updated every few months, and on the sample catalogue's names it agreed with
the NDL's readings more often than fugashi with unidic-lite (whose dictionary is from 2013 and
installs from a 47 MB source archive).
"""

import logging
import threading
from dataclasses import dataclass

from kiosk.errors import KioskError

log = logging.getLogger(__name__)

_lock = threading.Lock()
_loaded: dict = {}  # "dictionary", "tokenizer", "version" once loaded


class AnalyserUnavailable(KioskError):
    """SudachiPy or its dictionary cannot be loaded: readings are typed instead."""


@dataclass(frozen=True)
class Word:
    surface: str
    reading: str  # katakana, as the dictionary gives it (the surface for an unknown word)
    pos: tuple[str, ...]  # part of speech, e.g. ("名詞", "固有名詞", "人名", "姓")
    known: bool  # False: the word is not in the dictionary and its reading is a guess

    @property
    def is_surname(self) -> bool:
        return self.pos[2:4] == ("人名", "姓")


def _tokenizer():
    if "tokenizer" not in _loaded:
        try:
            import sudachipy  # here, not at the top: see the module docstring
            from importlib.metadata import version

            dictionary = sudachipy.Dictionary(dict="core")
            _loaded["version"] = f"SudachiPy {version('sudachipy')}・SudachiDict core {version('sudachidict_core')}"
            _loaded["dictionary"] = dictionary
            _loaded["tokenizer"] = dictionary.tokenizer(mode=sudachipy.SplitMode.C)
        except Exception as error:  # ImportError, a missing or broken dictionary file
            log.error("the morphological analyser cannot be loaded: %r", error)
            raise AnalyserUnavailable(
                f"SudachiPy with sudachidict_core cannot be loaded: {error}",
                "読みを推定する辞書（SudachiPy）を読み込めません。読みは手で入力してください"
                "（管理者は scripts/setup.sh を実行し直してください）") from None
    return _loaded["tokenizer"]


def words(text: str) -> list[Word]:
    """``text`` cut into words with their readings (the longest units, SplitMode C)."""
    with _lock:
        tokenizer = _tokenizer()
        return [Word(m.surface(), m.reading_form(), tuple(m.part_of_speech()), not m.is_oov())
                for m in tokenizer.tokenize(text)]


def name_readings(surface: str, part: str) -> list[str]:
    """Every reading the dictionary has for ``surface`` as a person's 姓 or 名 (``part``), in
    the dictionary's order: 東野 → トウノ, ヒガシノ."""
    with _lock:
        _tokenizer()
        found = _loaded["dictionary"].lookup(surface)
        readings = [m.reading_form() for m in found if tuple(m.part_of_speech()[2:4]) == ("人名", part)]
    return list(dict.fromkeys(readings))


def analyser_name() -> str:
    """Which analyser and dictionary proposals come from (loads them if needed)."""
    with _lock:
        _tokenizer()
        return _loaded["version"]


def is_loaded() -> bool:
    return "tokenizer" in _loaded
