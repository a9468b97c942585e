"""Copies asked for by registration number, with what printing anything about them needs:
the library, its settings, each copy once in the order asked, its call number as the labels
show it (the ledger's tiers, staff corrections included, and the volume as a third tier where
the library's rules ask for one), and the old number of a re-accessioned copy."""

from dataclasses import dataclass

from kiosk.callnumber import CallNumber, CallNumberRules
from kiosk.ledger import copies_numbered, old_numbers
from kiosk.models import Copy, Library
from kiosk.settings import settings_for
from kiosk.storage import Database


@dataclass(frozen=True)
class CopySet:
    library: Library
    settings: dict
    copies: list[Copy]  # each once, in the order asked
    by_number: dict[int, Copy]
    volume_tier: bool  # the library's rules put the volume on a third tier
    _earlier: dict[int, int]

    def call_number(self, copy: Copy) -> CallNumber:
        return CallNumber(copy.classification or "", copy.author_mark or "", copy.volume if self.volume_tier else None)

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
                   CallNumberRules.from_settings(settings["callnumber"]).volume_tier, earlier)
