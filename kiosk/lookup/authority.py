"""Names in the NDL's authority form (典拠形), as the NDL's records give creators.

The form is ``family, given, qualifier``: ``青山, 剛昌, 1963-`` with its reading
``アオヤマ, ゴウショウ, 1963-``. The qualifier tells namesakes apart: life dates
(``1925-2021``, ``354-430``, ``1904-``) or a year of publication (``pub. 2016``). A corporate
body has no comma (``日本図書館協会``). A Western name may carry a fuller form in brackets
(``Harman, D. K. (Donna K.)``).

The kiosk shows a Japanese name as it is written on a book, family name first with a space
(``青山 剛昌``, reading ``アオヤマ ゴウショウ``): the author mark (図書記号) is taken from the
start of the reading, so the family name must come first. A Western name keeps its inverted
form (``Park, Linda Sue``), as catalogues write it, for the same reason.
"""

import re

from kiosk.lookup.roles import normalise_role

# A qualifier part: life dates (with ?, ca., fl.), a publication year, or a century.
_QUALIFIER = re.compile(
    r"(?:(?:ca\.|fl\.|active|b\.|d\.)\s*)?\d{1,4}\??(?:\s*[-‐–]\s*(?:\d{1,4}\??)?)?"
    r"|pub\.\s*\d{4}|\d{1,2}(?:st|nd|rd|th)\s+cent\.|生没年不詳",
    re.IGNORECASE)
_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]")
_JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff々〆ヶ]")


def authority_parts(form: str) -> list[str]:
    """The parts of an authority form without its qualifiers:
    ``青山, 剛昌, 1963-`` → ``["青山", "剛昌"]``; ``林, 和弘, pub. 2016`` → ``["林", "和弘"]``."""
    parts = [part.strip() for part in re.split(r"\s*[,，]\s*", form.strip())]
    return [part for part in parts if part and not _QUALIFIER.fullmatch(part)]


def name_from_authority(form: str) -> str:
    """The name to show and print: ``青山, 剛昌, 1963-`` → ``青山 剛昌``;
    ``Park, Linda Sue, 1960-`` → ``Park, Linda Sue``; ``日本図書館協会`` unchanged."""
    parts = authority_parts(form)
    if not parts:
        return form.strip()
    if len(parts) > 1 and _JAPANESE.search(parts[0]) and not _LATIN.search(parts[0]):
        return " ".join(parts)
    return ", ".join(parts)


def reading_from_authority(form: str) -> str | None:
    """The reading in katakana, family name first, parts spaced:
    ``アオヤマ, ゴウショウ, 1963-`` → ``アオヤマ ゴウショウ``; None when nothing is left."""
    parts = authority_parts(form)
    return " ".join(parts) or None


def role_from_record(role: str | None) -> str | None:
    """The role as the kiosk keeps it: a known role word in its kanji form (``[著]`` → 著),
    any other word as the NDL gave it (``小説・イラスト``), None when empty."""
    if not role or not role.strip():
        return None
    return normalise_role(role) or role.strip()
