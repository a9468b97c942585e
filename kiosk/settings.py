"""A library's kiosk settings: what a librarian changes on the settings screen.

Stored as one JSON document per library, one object per section; read back as a
``LibrarySettings``, one typed section per attribute, each a frozen dataclass owned by the module
that uses it, with its defaults, its choices and its checks:

- ``item_code``: kiosk.codes.itemcode.ItemCodeSettings (the copies' own barcodes);
- ``scanner``: kiosk.scanner_settings.ScannerSettings;
- ``printing``: kiosk.printing_settings.PrintingSettings (printers, label sheets, colours, cards);
- ``callnumber``: kiosk.labels.callnumber.CallNumberRules;
- ``lookup``: kiosk.lookup_settings.LibraryLookupSettings;
- ``staff``: kiosk.staff.StaffSettings (not changed here: members and PINs are kiosk.staff's);
- ``processing``: kiosk.processing_steps.ProcessingSettings (the checklist's steps).

A key missing from the stored object has its section's default, so a setting added in a later
version has its default until someone changes it. Each section checks itself when it is read
and before anything is saved, and every change is an event with the values before and after.
"""

import copy
from dataclasses import dataclass, field, fields
from typing import Callable

from sqlalchemy.orm import Session

from kiosk.db import models
from kiosk.labels.callnumber import CallNumberRules
from kiosk.errors import KioskError
from kiosk.events import now, record_event
from kiosk.codes.itemcode import ItemCodeSettings
from kiosk.db.storage import Database
from kiosk.library import LibraryInfo, change_in, find_library, lock_library, set_up_in
from kiosk.lookup_settings import LibraryLookupSettings
from kiosk.printing.printers import check_printers
from kiosk.printing_settings import PrintingSettings
from kiosk.processing_steps import ProcessingSettings
from kiosk.scanner_settings import ScannerSettings
from kiosk.staff import StaffSettings, set_administrator_pin, staff_members, verify_pin

# The sections by their stored name, as the settings screen heads them.
SECTION_LABELS_JA = {"item_code": "本のバーコード", "scanner": "スキャナー", "printing": "ラベルの印刷",
                     "callnumber": "請求記号", "lookup": "書誌の検索先", "staff": "職員",
                     "processing": "装備チェックリスト"}


@dataclass(frozen=True)
class LibrarySettings:
    """A library's settings, one section per attribute (a fresh library's: every default).
    Not the ORM row ``kiosk.db.models.LibrarySettings``, which keeps them as JSON."""

    item_code: ItemCodeSettings = field(default_factory=ItemCodeSettings)
    scanner: ScannerSettings = field(default_factory=ScannerSettings)
    printing: PrintingSettings = field(default_factory=PrintingSettings)
    callnumber: CallNumberRules = field(default_factory=CallNumberRules)
    lookup: LibraryLookupSettings = field(default_factory=LibraryLookupSettings)
    staff: StaffSettings = field(default_factory=StaffSettings)
    processing: ProcessingSettings = field(default_factory=ProcessingSettings)

    @classmethod
    def from_stored(cls, data: dict) -> "LibrarySettings":
        """The stored document read back; KioskError names the section that is wrong."""
        if not isinstance(data, dict):
            raise KioskError("the stored settings are not an object", "保存されている設定が正しくありません")
        unknown = set(data) - set(SECTIONS)
        if unknown:
            raise KioskError(f"unknown settings sections: {', '.join(sorted(unknown))}",
                             f"保存されている設定に不明な項目があります（{'、'.join(sorted(unknown))}）")
        sections = {}
        for name, section in SECTIONS.items():
            try:
                sections[name] = section.from_stored(data.get(name, {}))
            except KioskError as error:
                raise KioskError(f"the stored {name} settings are wrong: {error}",
                                 f"保存されている「{SECTION_LABELS_JA[name]}」の設定が正しくありません: {error.ja}") from None
        return cls(**sections)

    def to_stored(self) -> dict:
        return {name: getattr(self, name).to_stored() for name in SECTIONS}


SECTIONS: dict[str, type] = {section.name: section.type for section in fields(LibrarySettings)}
CHANGEABLE = tuple(name for name in SECTIONS if name != "staff")  # what change_settings changes


def library_settings(db: Database, library_id: int) -> LibrarySettings:
    """The library's settings, read on their own (settings_for in a transaction of its own)."""
    with db.read() as session:
        return settings_for(session, library_id)


def settings_of_library(db: Database, ref: str | int | None) -> LibrarySettings:
    """The settings of the library named by id or ISIL (with none, the only one), in one read:
    what the app reads at start-up. A KioskError when there is no such library (yet)."""
    with db.read() as session:
        return settings_for(session, find_library(session, ref).id)


def save_settings_section(db: Database, library_id: int, section: str, values: dict, *, actor: str,
                          revise: Callable[[LibrarySettings, dict], dict] | None = None):
    """change_settings in a write transaction of its own (under the library's lock); ``revise``
    adjusts the values against the settings as they are, in that same transaction (the settings
    screen keeps each printer's own calibration). Returns the section as saved."""
    with db.write() as session:
        if revise is not None:
            values = revise(settings_for(session, library_id), values)
        return change_settings(session, library_id, section, values, actor=actor)


def settings_for(session: Session, library_id: int) -> LibrarySettings:
    row = session.get(models.LibrarySettings, library_id)
    return LibrarySettings.from_stored(row.data if row else {})


def change_settings(session: Session, library_id: int, section: str, values: dict, *, actor: str):
    """Check and save ``values`` (keys and values as stored, e.g. from the settings screen's form)
    into one section; returns the whole section as saved (e.g. a ScannerSettings).

    Only the section changed is read back: a section stored wrong (by hand) is put right by
    saving it, as the settings screen does with every field of it."""
    if section not in CHANGEABLE:
        raise KioskError(f"unknown settings section {section!r}", f"設定「{section}」はありません")
    kind = SECTIONS[section]
    unknown = set(values) - {key.name for key in fields(kind)}
    if unknown:
        raise KioskError(f"unknown {section} settings: {', '.join(sorted(unknown))}", "不明な設定項目があります")
    stored = _locked_stored(session, library_id).get(section, {})
    before = {**kind().to_stored(), **(stored if isinstance(stored, dict) else {})}
    after = kind.from_stored({**before, **values})
    if section == "printing":
        # Printer URLs are checked against this kiosk's folders on saving (and on each use), not on
        # reading: a folder allowed when saved may not be any more, and printing says so.
        after = check_printers(after)
    _save(session, library_id, section, before, after.to_stored(), actor)
    return after


def set_staff_pin(session: Session, library_id: int, pin: str, *, actor: str) -> None:
    """The administrator's PIN: on a new kiosk this makes the first staff member, 管理者 (the
    administrator); staff members and their PINs are kiosk.staff's."""
    set_administrator_pin(session, library_id, pin, actor=actor)


def check_staff_pin(session: Session, library_id: int, pin: str) -> bool:
    """True for the first administrator's PIN (no throttle: sign-in uses kiosk.staff.sign_in).
    With no staff yet, staff actions are open (and the settings screen says so), so a new
    kiosk can be set up."""
    admins = [m for m in staff_members(session, library_id) if m.is_admin]
    return not admins or verify_pin(pin or "", admins[0].pin_hash)


def _locked_stored(session: Session, library_id: int) -> dict:
    """The stored document read under the library's lock: a change rewrites the whole document,
    so two changes at once (two sections, two kiosks) must not both start from the same copy."""
    lock_library(session, library_id)
    row = session.get(models.LibrarySettings, library_id, populate_existing=True)
    return row.data if row and isinstance(row.data, dict) else {}


def _save(session, library_id, section, before: dict, after: dict, actor) -> None:
    row = session.get(models.LibrarySettings, library_id)
    stored = copy.deepcopy(row.data) if row and isinstance(row.data, dict) else {}
    kept = stored.get(section)  # keys an earlier version stored stay as they were (nothing reads them)
    stored[section] = {**(kept if isinstance(kept, dict) else {}), **after}
    if row is None:
        session.add(models.LibrarySettings(library_id=library_id, data=stored, updated_at=now()))
    else:
        row.data, row.updated_at = stored, now()
    record_event(session, library_id, actor, "settings_changed",
                 details={"section": section, "before": before, "after": after})


def set_up_library_and_item_code(db: Database, name: str, *, item_code: dict, if_empty: bool = False, actor: str,
                                 **library) -> tuple[LibraryInfo, bool, ItemCodeSettings]:
    """``kiosk init`` with item barcode choices: the library and its item_code section in one
    transaction (a refused choice creates no library). An existing library (``if_empty``) is
    left as it is."""
    with db.write() as session:
        created_library, created = set_up_in(session, name, if_empty=if_empty, actor=actor, **library)
        if created and item_code:
            change_settings(session, created_library.id, "item_code", item_code, actor=actor)
        return LibraryInfo.of(created_library), created, settings_for(session, created_library.id).item_code


def change_library_and_item_code(db: Database, ref: str | int | None, *, item_code: dict, actor: str,
                                 **changes) -> tuple[LibraryInfo, ItemCodeSettings]:
    """``kiosk settings``: the ledger settings and the item barcode choices, all or nothing."""
    with db.write() as session:
        library = change_in(session, ref, actor=actor, **changes)
        if item_code:
            change_settings(session, library.id, "item_code", item_code, actor=actor)
        return LibraryInfo.of(library), settings_for(session, library.id).item_code
