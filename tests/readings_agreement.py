"""How often the proposed readings agree with the NDL's own, over the shipped sample catalogue.
Used by tests/test_readings.py (floors) and bench/bench_readings.py (the figures in the docs)."""

import re
import unicodedata
from dataclasses import dataclass, field

from kiosk.labels.callnumber import author_mark
from kiosk.lookup.assemble import BUNDLED_SAMPLE
from kiosk.lookup.catalogue_import import import_catalogue
from kiosk.lookup.roles import katakana
from kiosk.labels.readings import propose_author_marks, propose_name_reading, propose_title_reading

_IGNORED = re.compile(r"[\s,，・:：;；/()（）〈〉「」『』\[\]!！?？\"'.\-‐&＆=＝~～*＊]")


def comparable(reading: str | None) -> str:
    """Spacing, punctuation, script width and case do not count (the NDL spaces words its own way)."""
    return _IGNORED.sub("", katakana(unicodedata.normalize("NFKC", reading or ""))).upper()


@dataclass
class Agreement:
    titles: int = 0
    titles_same: int = 0
    names: int = 0
    names_same: int = 0
    names_among: int = 0  # the NDL's reading is the proposal or one of its alternatives
    marks_same: int = 0  # the first kana (図書記号) of the proposal is the NDL's
    marks_among: int = 0  # the NDL's author mark is among the proposed marks
    title_misses: list = field(default_factory=list)
    name_misses: list = field(default_factory=list)

    def rates(self) -> dict:
        return {"titles": self.titles_same / self.titles, "names": self.names_same / self.names,
                "names_among": self.names_among / self.names, "marks": self.marks_same / self.names,
                "marks_among": self.marks_among / self.names}


def sample_pairs():
    """(titles with the NDL's reading, names with the NDL's reading), from the shipped sample."""
    records = import_catalogue(BUNDLED_SAMPLE).records
    titles = [(r.title, r.title_reading) for r in records if r.title_reading]
    names = {c.name: c.reading for r in records for c in r.creators
             if c.reading and re.search(r"[^\x00-\x7f]", c.name)}
    return titles, sorted(names.items())


def measure(join_names: bool = False) -> Agreement:
    """``join_names``: type names without the space between family and given name."""
    titles, names = sample_pairs()
    result = Agreement(titles=len(titles), names=len(names))
    for title, ndl in titles:
        if " : " in title and " : " not in ndl:  # the NDL read the title proper only
            title = title.split(" : ")[0]
        proposed = propose_title_reading(title).reading
        if comparable(proposed) == comparable(ndl):
            result.titles_same += 1
        else:
            result.title_misses.append((title, ndl, proposed))
    for name, ndl in names:
        proposal = propose_name_reading(name.replace(" ", "") if join_names else name)
        readings = [proposal.reading, *proposal.alternatives]
        result.names_same += comparable(readings[0]) == comparable(ndl)
        result.names_among += comparable(ndl) in {comparable(r) for r in readings}
        result.marks_same += author_mark(readings[0]) == author_mark(ndl)
        result.marks_among += author_mark(ndl) in propose_author_marks(proposal)
        if comparable(readings[0]) != comparable(ndl):
            result.name_misses.append((name, ndl, readings))
    return result
