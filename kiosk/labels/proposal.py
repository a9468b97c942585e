"""A copy's call number (請求記号) proposed tier by tier, each tier with where it came from and
whether it is estimated (推定) or missing (未定): what the delivery card shows and staff confirm.

Top tier (分類記号 / 別置記号): the record's NDC (NDL's, or another source's), else the class the
C-code's subject suggests (kiosk.labels.ndc_from_ccode: 推定), then the school's rules (digits,
別置記号 by NDC range or C-code form: kiosk.labels.callnumber.top_tier). Bottom tier (図書記号):
the main author's reading in the record, else a reading proposed by the analyser
(kiosk.labels.readings: 推定), else the title's. Volume tier: the record's 巻次 where the rules ask
for a third tier. What staff typed or confirmed replaces all of it.

A prefix the school's rules give from the C-code's form digit (絵本 → E) is not estimated: it is
the school's own rule on the code the publisher printed. A prefix by NDC range is estimated when
the NDC was. Names are only read by the analyser when no reading is on record, so a cache hit
from the NDL never loads it.
"""

import logging
from dataclasses import dataclass
from enum import StrEnum

from kiosk.errors import KioskError
from kiosk.labels.callnumber import (BY_C_CODE_FORM, BY_NDC, BY_NDC_PREFIX, CallNumber, CallNumberRules, author_mark,
                                     main_creator, title_mark, top_tier)
from kiosk.labels.analyser import AnalyserUnavailable
from kiosk.labels.ndc_from_ccode import ndc_from_c_code
from kiosk.labels.readings import propose_author_marks, propose_name_reading, propose_title_reading
from kiosk.lookup.record import BibRecord, clean_text
from kiosk.text_limits import TextTooLong

log = logging.getLogger(__name__)

TIERS = ("top", "bottom", "volume")
TIER_LABELS_JA = {"top": "分類記号", "bottom": "図書記号", "volume": "巻冊記号"}
ESTIMATED_JA, MISSING_JA = "推定", "未定"


class Source:
    """Where a tier came from (stored nowhere: the card and the JSON name it)."""

    NDL = "ndl"  # the NDL's NDC (a record from the NDL or its sample catalogue)
    RECORD = "record"  # another source's NDC, or the record's 巻次
    C_CODE = "c_code"  # the C-code's subject (192 price code, slip or openBD)
    RULES = "rules"  # the school's prefixes (別置記号) and digits
    READING = "reading"  # the author's (or title's) reading on record
    PROPOSED_READING = "proposed_reading"  # a reading the analyser proposed
    STAFF = "staff"  # typed or confirmed by staff
    NONE = "none"  # nothing to go on


SOURCE_LABELS_JA = {Source.NDL: "NDLのNDC", Source.RECORD: "書誌", Source.C_CODE: "Cコード",
                    Source.RULES: "学校の別置・桁数", Source.READING: "著者の読み",
                    Source.PROPOSED_READING: "読みの推定", Source.STAFF: "職員が入力・確認", Source.NONE: "なし"}
# Where a C-code was read (the card says which): the book's second barcode, the slip, openBD.
C_CODE_ORIGINS_JA = {"price_code": "192 価格コード", "slip": "納品書", "record": "書誌（openBD）",
                     "typed": "入力"}
_NDL_SOURCES = ("ndl", "sample")


@dataclass(frozen=True)
class Tier:
    value: str
    source: str  # a Source value
    why: str  # in Japanese, for the card
    estimated: bool = False

    @property
    def missing(self) -> bool:
        return not self.value


@dataclass(frozen=True)
class ConfirmedCallNumber:
    """What staff confirmed (or typed) for a copy: it replaces every proposed tier."""

    top: str
    bottom: str
    volume: str | None = None


TIER_FIELDS = {"top": "classification", "bottom": "author_mark", "volume": "volume_mark"}  # the columns
TIER_LIMIT = 20  # characters, as the columns hold


def typed_call_number(top, bottom, volume=None) -> ConfirmedCallNumber:
    """Tiers staff typed or picked, cleaned (spaces, control characters) and checked: the top and
    bottom tiers are required (a label is never confirmed with a tier missing), each at most 20
    characters. KioskError with the tier's name in Japanese otherwise."""
    values = {}
    for name, value in (("top", top), ("bottom", bottom), ("volume", volume)):
        if value is not None and not isinstance(value, str):
            raise KioskError(f"the {name} tier must be text", f"{TIER_LABELS_JA[name]}は文字で入力してください")
        text = clean_text(value, 10**4) if value else None
        if text is not None and len(text) > TIER_LIMIT:
            raise TextTooLong(TIER_FIELDS[name], len(text), TIER_LIMIT)
        values[name] = text
    for name in ("top", "bottom"):
        if not values[name]:
            raise KioskError(f"the {name} tier is required",
                             f"{TIER_LABELS_JA[name]}を入力してください（空欄のラベルは作りません）")
    return ConfirmedCallNumber(values["top"], values["bottom"], values["volume"])


class CallNumberState(StrEnum):
    """How a copy's call number was settled (copies.call_number_state)."""

    CONFIRMED = "confirmed"  # staff confirmed or typed it
    RECORD = "record"  # from the records and the school's rules, nothing estimated
    ESTIMATED = "estimated"  # registered with a 推定 tier, after the second confirmation
    MISSING = "missing"  # a tier was empty: the spine label waits (請求記号待ち)


CALL_NUMBER_STATE_LABELS_JA = {CallNumberState.CONFIRMED: "職員が確認", CallNumberState.RECORD: "書誌と規則から",
                               CallNumberState.ESTIMATED: "推定のまま登録", CallNumberState.MISSING: "未定（請求記号待ち）"}


@dataclass(frozen=True)
class CallNumberProposal:
    top: Tier
    bottom: Tier
    volume: Tier | None  # None: no third tier
    confirmed: bool = False
    hint: str | None = None  # where else to look for the class (a broad C-code)
    readings: tuple[str, ...] = ()  # the main author's proposed readings, best first
    marks: tuple[str, ...] = ()  # the 図書記号 they give, best first
    reading_marks: tuple[tuple[str, str], ...] = ()  # (reading, the 図書記号 it gives): the editor's buttons
    ndc: str | None = None  # the NDC the top tier came from (for the editor's keypad)

    def tiers(self) -> dict[str, Tier]:
        return {"top": self.top, "bottom": self.bottom, **({"volume": self.volume} if self.volume else {})}

    @property
    def estimated(self) -> list[str]:
        """Tiers with a value staff have not confirmed that came from a guess."""
        return [name for name, tier in self.tiers().items() if tier.estimated and not tier.missing]

    @property
    def missing(self) -> list[str]:
        """The two tiers a spine label cannot do without, when empty (the volume is optional)."""
        return [name for name in ("top", "bottom") if getattr(self, name).missing]

    @property
    def settled(self) -> bool:
        """Nothing missing and nothing estimated: registered without a second confirmation."""
        return not self.missing and not self.estimated

    @property
    def state(self) -> CallNumberState:
        if self.missing:
            return CallNumberState.MISSING
        if self.confirmed:
            return CallNumberState.CONFIRMED
        return CallNumberState.ESTIMATED if self.estimated else CallNumberState.RECORD

    def call_number(self) -> CallNumber:
        return CallNumber(self.top.value, self.bottom.value, self.volume.value if self.volume else None,
                          {name: tier.why for name, tier in self.tiers().items()})

    def to_json(self) -> dict:
        tiers = self.tiers()
        return {"top": self.top.value or None, "bottom": self.bottom.value or None,
                "volume": self.volume.value if self.volume else None,
                "why": {name: tier.why for name, tier in tiers.items()},
                "sources": {name: tier.source for name, tier in tiers.items()},
                "estimated": self.estimated, "missing": self.missing, "confirmed": self.confirmed,
                "hint": self.hint, "readings": list(self.readings), "marks": list(self.marks), "ndc": self.ndc,
                "reading_marks": [list(pair) for pair in self.reading_marks]}


@dataclass(frozen=True)
class CCode:
    """A C-code and where it was read (a key of C_CODE_ORIGINS_JA)."""

    code: str
    origin: str = "record"

    @property
    def origin_ja(self) -> str:
        return C_CODE_ORIGINS_JA.get(self.origin, self.origin)


def propose_call_number(record: BibRecord | None, *, c_code: CCode | None = None,
                        rules: CallNumberRules = CallNumberRules(), confirmed: ConfirmedCallNumber | None = None,
                        read_names: bool = True) -> CallNumberProposal:
    """The call number for a copy of ``record`` (None: no source knows it yet), tier by tier.
    ``c_code``: the copy's C-code if any (the record's is used otherwise); ``read_names`` False
    never loads the analyser (a screen that must answer at once)."""
    if c_code is None and record is not None and record.c_code:
        c_code = CCode(record.c_code, "record")
    if confirmed is not None:
        return _confirmed(confirmed)
    code = _four_digits(c_code.code) if c_code else None
    top, hint, ndc = _top(record, c_code, code, rules)
    bottom, readings, marks = _bottom(record, rules, read_names)
    volume = None
    if rules.volume_tier and record is not None and record.volume:
        volume = Tier(record.volume, Source.RECORD, "書誌の巻次")
    pairs = tuple((reading, author_mark(reading, rules)) for reading in readings)
    return CallNumberProposal(top, bottom, volume, hint=hint, readings=readings, marks=marks, ndc=ndc,
                              reading_marks=tuple(pair for pair in pairs if pair[1]))


def _confirmed(confirmed: ConfirmedCallNumber) -> CallNumberProposal:
    why = "職員が確認"
    volume = Tier(confirmed.volume, Source.STAFF, why) if confirmed.volume else None
    return CallNumberProposal(Tier(confirmed.top or "", Source.STAFF, why if confirmed.top else "分類記号が未定"),
                              Tier(confirmed.bottom or "", Source.STAFF, why if confirmed.bottom else "図書記号が未定"),
                              volume, confirmed=True)


def _four_digits(code: str) -> str | None:
    text = code.strip().upper().removeprefix("C")
    return text if len(text) == 4 and text.isdigit() else None


def _top(record: BibRecord | None, c_code: CCode | None, code: str | None,
         rules: CallNumberRules) -> tuple[Tier, str | None, str | None]:
    ndc9 = record.ndc9 if record else None
    ndc10 = record.ndc10 if record else None
    if record is not None and (ndc9 or ndc10):
        ndc_source, estimated, hint = _record_ndc_source(record), False, None
        edition = "NDC10" if (rules.ndc_edition == "ndc10" and ndc10) or not ndc9 else "NDC9"
        ndc_why = {Source.NDL: f"NDLの{edition}", Source.STAFF: f"入力された{edition}"}.get(ndc_source, f"書誌（{record.source}）の{edition}")
    else:
        proposal = _ndc_from(c_code)
        if proposal is not None:
            ndc9 = ndc10 = proposal.ndc
            ndc_source, estimated, hint = Source.C_CODE, True, proposal.hint
            ndc_why = f"{proposal.why}（{c_code.origin_ja}）"
        else:
            ndc_source, estimated, hint, ndc_why = Source.NONE, False, None, ""
    value, why, basis = top_tier(ndc9, ndc10, code, rules)
    if ndc_source in (Source.C_CODE, Source.NONE) and code:  # the form digit by the school's rules, as it is
        by_form = top_tier(None, None, code, rules)
        if by_form[2] == BY_C_CODE_FORM:
            value, why, basis = by_form
    ndc = (ndc10 or ndc9) if rules.ndc_edition == "ndc10" else (ndc9 or ndc10)
    if basis == BY_C_CODE_FORM:
        return Tier(value, Source.RULES, f"{why}（{c_code.origin_ja}）→ 別置記号 {value}"), hint, ndc
    if basis == BY_NDC_PREFIX:
        return Tier(value, Source.RULES, f"{ndc_why}: {why} → 別置記号 {value}", estimated), hint, ndc
    if basis == BY_NDC:
        cut = f"（{rules.digits}桁）" if value != ndc else ""
        return Tier(value, ndc_source, f"{ndc_why} {ndc}{cut}" if ndc_source != Source.C_CODE else f"{ndc_why}{cut}",
                    estimated), hint, ndc
    return Tier("", Source.NONE, "分類がわかりません（入力してください）"), None, None


def _record_ndc_source(record: BibRecord) -> str:
    if record.source in _NDL_SOURCES:
        return Source.NDL
    return Source.STAFF if record.source == "typed" else Source.RECORD


def _ndc_from(c_code: CCode | None):
    if c_code is None:
        return None
    try:
        return ndc_from_c_code(c_code.code)
    except KioskError:  # logged by ndc_from_c_code; a bad code gives no proposal here
        return None


def _bottom(record: BibRecord | None, rules: CallNumberRules, read_names: bool) -> tuple[Tier, tuple, tuple]:
    if record is None:
        return Tier("", Source.NONE, "書誌がありません（図書記号を入力してください）"), (), ()
    staff = record.source == "typed"
    creator = main_creator(tuple((c.name, c.reading, c.role) for c in record.creators))
    if creator is not None:
        name, reading, role = creator
        who = f"{name}（{role or '著者'}）"
        mark = author_mark(reading, rules)
        if mark:
            return (Tier(mark, Source.STAFF if staff else Source.READING,
                         f"{who}の読み{'（入力）' if staff else ''} {reading}"), (reading,), (mark,))
        mark = author_mark(name, rules)
        if mark:
            return Tier(mark, Source.READING, f"{who}のかな表記"), (), (mark,)
        proposed = _proposed_name(name, rules) if read_names else None
        if proposed is not None:
            readings, marks = proposed
            return (Tier(marks[0], Source.PROPOSED_READING, f"{who}の読みを推定 {readings[0]}", True),
                    readings, marks)
    mark = title_mark(record.title_reading, rules)
    if mark:
        return (Tier(mark, Source.STAFF if staff else Source.READING,
                     f"著者がないため書名の読み{'（入力）' if staff else ''}"), (), (mark,))
    mark = title_mark(record.title, rules)
    if mark:
        return Tier(mark, Source.READING, "著者がないため書名のかな表記"), (), (mark,)
    proposed = _proposed_title(record.title, rules) if read_names else None
    if proposed:
        return Tier(proposed, Source.PROPOSED_READING, "著者がないため書名の読みを推定", True), (), (proposed,)
    return Tier("", Source.NONE, "読みがわかりません（図書記号を入力してください）"), (), ()


def _proposed_name(name: str, rules: CallNumberRules) -> tuple[tuple, tuple] | None:
    try:
        proposal = propose_name_reading(name)
    except AnalyserUnavailable:
        return None
    marks = propose_author_marks(proposal, rules)
    if not marks:
        return None
    return (proposal.reading, *proposal.alternatives), marks


def _proposed_title(title: str, rules: CallNumberRules) -> str | None:
    try:
        proposal = propose_title_reading(title)
    except AnalyserUnavailable:
        return None
    return (title_mark(proposal.reading, rules) or None) if proposal else None
