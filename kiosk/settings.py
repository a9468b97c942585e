"""A library's kiosk settings: what a librarian changes on the settings screen.

Stored as one JSON document per library; read back merged over the defaults, so a setting
added in a later version has its default until someone changes it. Each section is checked
by the code that uses it (item barcodes by kiosk.codes.itemcode, scanner by kiosk.scan, …) before
anything is saved, and every change is an event with the values before and after.
"""

import copy
import re

from sqlalchemy.orm import Session

from kiosk.errors import KioskError
from kiosk.events import now, record_event
from kiosk.codes.itemcode import ItemCodeSettings
from kiosk.library import lock_library
from kiosk.db.models import LibrarySettings
from kiosk.staff import set_administrator_pin, staff_members, verify_pin

DEFAULTS: dict = {
    "item_code": {"symbology": "nw7", "check": "mod11", "start": "A", "stop": "A", "width": 8},
    "scanner": {"prefix": "", "suffix": "", "double_read_seconds": 1.0, "price_code_seconds": 3.0,
                "device": "", "layout": "us"},
    "printing": {"printer": "", "spine_template": "", "barcode_template": "", "offset_x_mm": 0.0, "offset_y_mm": 0.0,
                 "colour": "band", "palette": {}, "offsets": {}, "card_layout": "a4",
                 "printers": [], "last_printer_id": 0},  # [{id, name, url}]; "printer" is the default's URL (kiosk.printing.printers)
    "callnumber": {},
    "lookup": {"sources": "ndl,openbd", "offline": False},
    "staff": {"session_minutes": 10},  # members and PINs: kiosk.staff
    # The processing checklist's steps (kiosk.labels.processing_checklist): the manual's, in the order done.
    "processing": {"steps": ["登録印", "小口印", "2段ラベル", "バーコード", "ラベルキーパー", "基本カード"]},
}


def settings_for(session: Session, library_id: int) -> dict:
    row = session.get(LibrarySettings, library_id)
    return _merged(DEFAULTS, row.data if row else {})


def change_settings(session: Session, library_id: int, section: str, values: dict, *, actor: str) -> dict:
    """Validate and save ``values`` into one section; returns the whole section as saved."""
    if section not in DEFAULTS or section == "staff":
        raise KioskError(f"unknown settings section {section!r}", f"設定「{section}」はありません")
    current = _locked_settings(session, library_id)
    unknown = set(values) - set(DEFAULTS[section]) if DEFAULTS[section] else set()
    if unknown:
        raise KioskError(f"unknown {section} settings: {', '.join(sorted(unknown))}", "不明な設定項目があります")
    updated = {**current[section], **values}
    VALIDATORS.get(section, lambda _: None)(updated)
    _save(session, library_id, section, current[section], updated, actor)
    return updated


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


def item_code_settings(settings: dict) -> ItemCodeSettings:
    return ItemCodeSettings(**settings["item_code"])


def _check_item_code(values: dict) -> None:
    ItemCodeSettings(**values)  # raises KioskError with the reason


def _check_scanner(values: dict) -> None:
    for key in ("double_read_seconds", "price_code_seconds"):
        if not isinstance(values[key], (int, float)) or not 0 <= values[key] <= 60:
            raise KioskError(f"scanner {key} must be 0 to 60 seconds", "スキャナーの秒数は0〜60にしてください")
    if values["layout"] not in ("us", "jis"):
        raise KioskError("scanner layout must be us or jis", "キーボード配列は us か jis です")
    if values["device"] and not re.fullmatch(r"[0-9a-fA-F]{4}:[0-9a-fA-F]{4}", values["device"]):
        raise KioskError("scanner device must be VID:PID in hex, e.g. 0c2e:0b61",
                         "スキャナーの指定は VID:PID（例 0c2e:0b61）です")


def _check_callnumber(values: dict) -> None:
    from kiosk.labels.callnumber import CallNumberRules

    CallNumberRules.from_settings(values)  # raises KioskError with the reason


def _check_printing(values: dict) -> None:
    from kiosk.printing.printers import check_printers

    check_printers(values)  # every printer URL one staff may set, in its saved form
    shifts = [values["offset_x_mm"], values["offset_y_mm"]] + [v for xy in values["offsets"].values() for v in xy]
    if any(not isinstance(v, (int, float)) or not -10 <= v <= 10 for v in shifts):
        raise KioskError("printer offsets must be -10 to 10 mm", "プリンターのずれの補正は-10〜10mmです")
    if values["card_layout"] not in ("a4", "card"):
        raise KioskError("card layout must be a4 or card", "カードの用紙は a4（A4に3枚）か card（カード用紙）です")


def _check_processing(values: dict) -> None:
    from kiosk.labels.processing_checklist import check_steps

    check_steps(values)


LOOKUP_SOURCES = ("ndl", "openbd")


def _check_lookup(values: dict) -> None:
    names = [n.strip() for n in str(values["sources"]).split(",") if n.strip()]
    if any(n not in LOOKUP_SOURCES for n in names) or len(set(names)) != len(names):
        raise KioskError("lookup sources must be ndl and/or openbd, each once, comma-separated",
                         "検索先は ndl・openbd をカンマ区切りで（各1回）指定してください")
    if not isinstance(values["offline"], bool):
        raise KioskError("offline must be true or false", "オフラインの設定が正しくありません")


VALIDATORS = {"item_code": _check_item_code, "scanner": _check_scanner, "callnumber": _check_callnumber,
              "printing": _check_printing, "lookup": _check_lookup, "processing": _check_processing}


def _locked_settings(session: Session, library_id: int) -> dict:
    """The settings read under the library's lock: a change rewrites the whole stored document,
    so two changes at once (two sections, two kiosks) must not both start from the same copy."""
    lock_library(session, library_id)
    row = session.get(LibrarySettings, library_id, populate_existing=True)
    return _merged(DEFAULTS, row.data if row else {})


def _save(session, library_id, section, before, after, actor, data=None) -> None:
    row = session.get(LibrarySettings, library_id)
    stored = copy.deepcopy(row.data) if row else {}
    stored[section] = data if data is not None else after
    if row is None:
        session.add(LibrarySettings(library_id=library_id, data=stored, updated_at=now()))
    else:
        row.data, row.updated_at = stored, now()
    record_event(session, library_id, actor, "settings_changed",
                 details={"section": section, "before": before, "after": after})


def _merged(defaults: dict, stored: dict) -> dict:
    merged = copy.deepcopy(defaults)
    for section, values in stored.items():
        if isinstance(values, dict) and isinstance(merged.get(section), dict):
            merged[section].update(values)
        else:
            merged[section] = values
    return merged
