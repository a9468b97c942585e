"""A book registered by ISBN alone (``kiosk register --isbn X`` without ``--title``): the ledger's
fields from the record the lookup chain found (cache, sample catalogue, NDL, openBD), and its
call number as the library's rules give it.

No one confirms anything on a command line, so a tier that would only be estimated (推定: a
class from the C-code, a reading the analyser guessed) is left empty: the copy is registered
with its call number 未定 and its spine label waits as 請求記号待ち until staff set it
(``kiosk set-callnumber``, or the copy's screen). What the command's options say wins over the
record.
"""

from kiosk.errors import KioskError
from kiosk.labels.callnumber import CallNumberRules
from kiosk.labels.proposal import CallNumberState, propose_call_number
from kiosk.ledger.accession import Book
from kiosk.lookup.record import BibRecord


def book_from_record(record: BibRecord, rules: CallNumberRules, **given) -> Book:
    """The ledger's Book for ``record``; ``given`` (title, volume, series_title, authors, publisher,
    year, classification, author_mark), where not None, replaces what the record says."""
    given = {key: value for key, value in given.items() if value is not None}
    typed = "classification" in given and "author_mark" in given
    proposal = propose_call_number(record, rules=rules, read_names=False)
    top = given.pop("classification", None) or (None if proposal.top.estimated else proposal.top.value or None)
    bottom = given.pop("author_mark", None) or (None if proposal.bottom.estimated else proposal.bottom.value or None)
    authors = "、".join(f"{c.name} {c.role}".strip() if c.role else c.name for c in record.creators) or None
    values = {"title": record.title, "volume": record.volume, "series_title": record.series, "authors": authors,
              "publisher": record.publisher, "year": record.year, **given}
    state = CallNumberState.MISSING if not (top and bottom) else (
        CallNumberState.CONFIRMED if typed else CallNumberState.RECORD)
    return Book(isbn=record.isbn13, classification=top, author_mark=bottom, call_number_state=state.value, **values)


def unknown_isbn(isbn13: str) -> KioskError:
    return KioskError(f"no source knows ISBN {isbn13}: give --title (and the other fields) to register it",
                      f"ISBN {isbn13} の書誌が見つかりません。--title で書名を入力してください")
