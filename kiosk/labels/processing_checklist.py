"""The processing checklist (装備チェックリスト): what staff still do by hand to each copy once
it is registered: the registration stamp (登録印, into which the date, the number and the call
number are written), the edge stamp (小口印), the spine label and the barcode, the label
protector (ラベルキーパー), and the card (基本カード). A row per copy with a box per step, and
the notes that change what is done to it: a 端数調整 price is written on the card with
（端数調整） beside it; a donation gets the stamps only as needed (the manual's 受入 rules).

The steps are a library setting (kiosk.processing_steps.ProcessingSettings), the manual's by default.
"""

from dataclasses import dataclass
from datetime import date

from kiosk.labels.copy_set import load_copies
from kiosk.errors import KioskError
from kiosk.ledger.sheets import full_title
from kiosk.db.models import Copy
from kiosk.db.storage import Database

MAX_COPIES = 2000


@dataclass(frozen=True)
class ChecklistCopy:
    number: int
    acquired_on: date
    call_number: tuple[str, ...]  # the spine label's tiers
    title: str  # with volume and series, as in the ledger
    notes: tuple[str, ...]


@dataclass(frozen=True)
class Checklist:
    library_name: str
    steps: tuple[str, ...]
    copies: tuple[ChecklistCopy, ...]
    sources: tuple[str, ...]  # 受入先, in the order first met

    @property
    def dates(self) -> tuple[date, date]:
        days = [c.acquired_on for c in self.copies]
        return min(days), max(days)


def processing_checklist(db: Database, library_id: int, numbers: list[int]) -> Checklist:
    """The checklist of the copies ``numbers``, in that order (NotFound names the first that is
    not registered)."""
    if len(numbers) > MAX_COPIES:
        raise KioskError(f"a checklist holds at most {MAX_COPIES} copies", f"チェックリストは{MAX_COPIES}冊までです")
    chosen = load_copies(db, library_id, numbers)
    rows = [ChecklistCopy(copy.number, copy.acquired_on, chosen.call_number(copy).tiers, full_title(copy),
                          _notes(copy, chosen.old_number(copy))) for copy in chosen.copies]
    sources = tuple(dict.fromkeys(copy.source for copy in chosen.copies))
    return Checklist(chosen.library.name, chosen.settings.processing.steps, tuple(rows), sources)


def _notes(copy: Copy, old_number: int | None) -> tuple[str, ...]:
    notes = []
    if copy.status == "withdrawn":
        notes.append("除籍済み")
    if copy.kind == "donation":
        notes.append("寄贈")
    if old_number is not None:
        notes.append(f"再受入（旧{old_number}）")
    if copy.rounding_adjusted:
        notes.append("端数調整")  # written on the card beside the price
    if not copy.classification or not copy.author_mark:
        notes.append("請求記号が未定")
    return tuple(notes)

