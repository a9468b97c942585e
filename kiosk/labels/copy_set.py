"""Copies asked for by registration number, with what printing anything about them needs:
the library, its settings, each copy once in the order asked, its call number as the labels
show it (the ledger's tiers, staff corrections included, and the volume as a third tier where
the library's rules ask for one), and the old number of a re-accessioned copy."""

from dataclasses import dataclass

from sqlalchemy import select

from kiosk.labels.callnumber import CallNumber
from kiosk.errors import NotFound
from kiosk.ledger.sheets import copies_numbered, old_numbers
from kiosk.db.models import Copy, Library
from kiosk.settings import LibrarySettings, settings_for
from kiosk.db.storage import Database


@dataclass(frozen=True)
class CopySet:
    library: Library
    settings: LibrarySettings
    copies: list[Copy]  # each once, in the order asked
    by_number: dict[int, Copy]
    volume_tier: bool  # the library's rules put the volume on a third tier
    _earlier: dict[int, int]

    def call_number(self, copy: Copy) -> CallNumber:
        return _call_number(copy, self.volume_tier)

    def old_number(self, copy: Copy) -> int | None:
        return self._earlier.get(copy.reaccession_of_id)


def load_copies(db: Database, library_id: int, numbers: list[int]) -> CopySet:
    """NotFound names the first number that is not registered; a number asked twice is one copy."""
    with db.read() as session:
        library = session.get(Library, library_id)
        settings = settings_for(session, library_id)
        found = copies_numbered(session, library_id, numbers)
        earlier = old_numbers(session, found.values())
    return CopySet(library, settings, [found[n] for n in dict.fromkeys(numbers)], found,
                   settings.callnumber.volume_tier, earlier)


@dataclass(frozen=True)
class LabelCopy:
    """What a copy's labels show: the ledger row's number, title and call-number parts."""

    number: int
    title: str
    classification: str | None
    author_mark: str | None
    volume: str | None
    volume_mark: str | None = None

    @property
    def complete(self) -> bool:
        """Both tiers a spine label needs: else it waits (請求記号待ち)."""
        return bool(self.classification and self.author_mark)


@dataclass(frozen=True)
class LabelData:
    """Copies' label data with the library's name and settings, read in one transaction."""

    library_name: str
    settings: LibrarySettings
    by_number: dict[int, LabelCopy]
    volume_tier: bool

    def call_number(self, copy: LabelCopy) -> CallNumber:
        return _call_number(copy, self.volume_tier)


def load_label_data(db: Database, library_id: int, numbers: list[int]) -> LabelData:
    """The label data of copies ``numbers``: one query for all of them, only the columns a label
    shows (1,000 ORM rows would cost more to build than the labels). NotFound names the first
    number that is not registered, as load_copies does."""
    with db.read() as session:
        library = session.get(Library, library_id)
        settings = settings_for(session, library_id)
        rows = session.execute(
            select(Copy.number, Copy.title, Copy.classification, Copy.author_mark, Copy.volume, Copy.volume_mark)
            .where(Copy.library_id == library_id, Copy.number.in_(set(numbers)))).all()
    found = {row.number: LabelCopy(*row) for row in rows}
    missing = [n for n in numbers if n not in found]
    if missing:
        raise NotFound(f"no copies numbered {missing[:5]}", f"登録番号 {missing[0]} の本はありません")
    return LabelData(library.name, settings, found, settings.callnumber.volume_tier)


def _call_number(copy, volume_tier: bool) -> CallNumber:
    """The ledger's tiers; the third is the 巻冊記号 staff set, else the 巻次 where the rules ask for it."""
    return CallNumber(copy.classification or "", copy.author_mark or "",
                      copy.volume_mark or (copy.volume if volume_tier else None))
