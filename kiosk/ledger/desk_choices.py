"""The touch editor's buttons for a library (請求記号の入力): the classes its ledger uses most,
and its shelving prefixes (別置記号) from its call-number rules, read in one transaction."""

from dataclasses import dataclass

from sqlalchemy import func, select

from kiosk.db.models import Copy
from kiosk.db.storage import Database
from kiosk.settings import settings_for

MOST_USED = 10  # buttons: a row on the 1024 × 600 screen


@dataclass(frozen=True)
class DeskChoices:
    frequent: tuple[str, ...]  # 分類記号 the ledger holds most often, most first (prefixes left out)
    prefixes: tuple[str, ...]  # 別置記号 the rules give (E for picture books, then the school's own)
    mark_script: str  # katakana / hiragana / latin: the letters of the editor's keyboard
    mark_length: int

    @property
    def keyboard(self) -> list[list[str | None]]:
        """The 五十音 in the rules' script, a column per row of the table (None: an empty key);
        A to Z for Latin marks."""
        if self.mark_script == "latin":
            return [list("ABCDEFGHIJKLM"), list("NOPQRSTUVWXYZ")]
        rows = [[None if letter == "・" else letter for letter in row] for row in _GOJUON]
        if self.mark_script == "hiragana":
            rows = [[chr(ord(c) - 0x60) if c and "ァ" <= c <= "ヶ" else c for c in row] for row in rows]
        return rows


_GOJUON = ("アイウエオ", "カキクケコ", "サシスセソ", "タチツテト", "ナニヌネノ", "ハヒフヘホ", "マミムメモ",
           "ヤ・ユ・ヨ", "ラリルレロ", "ワ・・・ヲ", "ン・・・ー")


def desk_choices(db: Database, library_id: int, limit: int = MOST_USED) -> DeskChoices:
    with db.read() as session:
        rules = settings_for(session, library_id).callnumber
        prefixes = tuple(dict.fromkeys(p for p in (rules.picture_book_prefix, *rules.form_prefixes.values(),
                                                   *(rule[2] for rule in rules.ndc_prefixes)) if p))
        count = func.count().label("copies")
        rows = session.execute(
            select(Copy.classification, count)
            .where(Copy.library_id == library_id, Copy.status == "active", Copy.classification.is_not(None),
                   Copy.classification != "", Copy.classification.not_in(prefixes or ("",)))
            .group_by(Copy.classification).order_by(count.desc(), Copy.classification).limit(limit)).all()
    return DeskChoices(tuple(row.classification for row in rows), prefixes, rules.mark_script, rules.mark_length)
