"""Per-library kiosk settings: defaults, validation before saving, events, the staff PIN."""

import pytest

from kiosk.errors import KioskError
from kiosk.events import events_for
from kiosk.scanner_settings import ScannerSettings
from kiosk.settings import LibrarySettings, change_settings, check_staff_pin, set_staff_pin, settings_for


def test_defaults_until_changed_then_saved_with_an_event(db, library_id):
    with db.write() as session:
        assert settings_for(session, library_id) == LibrarySettings()
        saved = change_settings(session, library_id, "item_code", {"symbology": "code39", "check": "mod10w3"},
                                actor="司書")
    assert saved.symbology == "code39" and saved.width == 8
    with db.read() as session:
        settings = settings_for(session, library_id)
        assert settings.item_code.symbology == "code39"
        assert settings.scanner == ScannerSettings()
        (event,) = [e for e in events_for(session, library_id) if e.action == "settings_changed"]
        assert event.details["before"]["symbology"] == "nw7" and event.actor == "司書"


@pytest.mark.parametrize(
    "section, values",
    [
        ("item_code", {"check": "luhn"}),
        ("item_code", {"symbology": "code39", "check": "mod16"}),
        ("scanner", {"layout": "dvorak"}),
        ("scanner", {"device": "scanner-1"}),
        ("scanner", {"double_read_seconds": -1}),
        ("scanner", {"colour": "red"}),
        ("nonsense", {}),
    ],
)
def test_bad_settings_are_refused_and_nothing_changes(db, library_id, section, values):
    with db.write() as session, pytest.raises(KioskError):
        change_settings(session, library_id, section, values, actor="t")
    with db.read() as session:
        assert settings_for(session, library_id) == LibrarySettings()


def test_staff_pin(db, library_id):
    with db.write() as session:
        assert check_staff_pin(session, library_id, "")  # no PIN yet: open for set-up
        with pytest.raises(KioskError):
            set_staff_pin(session, library_id, "12ab", actor="t")
        set_staff_pin(session, library_id, "2580", actor="t")
    with db.read() as session:
        assert check_staff_pin(session, library_id, "2580")
        assert not check_staff_pin(session, library_id, "2581")
        assert "2580" not in str(settings_for(session, library_id))


def _store(db, library_id, data: dict) -> None:
    """A settings document written straight into the database, past every check (an older kiosk's,
    or one edited by hand)."""
    from kiosk.events import now
    from kiosk.db.models import LibrarySettings as SettingsRow

    with db.write() as session:
        session.add(SettingsRow(library_id=library_id, data=data, updated_at=now()))


def _stored(db, library_id) -> dict:
    from kiosk.db.models import LibrarySettings as SettingsRow

    with db.read() as session:
        return session.get(SettingsRow, library_id).data


# The printing section of a fresh library, as every version stored it.
EARLIER_PRINTING = {"printer": "", "spine_template": "", "barcode_template": "", "offset_x_mm": 0.0, "offset_y_mm": 0.0,
                    "colour": "band", "palette": {}, "offsets": {}, "card_layout": "a4", "printers": [],
                    "last_printer_id": 0}


def test_an_earlier_kiosks_document_reads_back_and_a_change_keeps_its_shape(db, library_id):
    printing = {"spine_printer": "", "print_at_once": True, "printer": "", "spine_template": "", "barcode_template": "",
                "offset_x_mm": 0.5, "offset_y_mm": 0.0}  # as the first versions stored it
    _store(db, library_id, {"printing": printing, "lookup": {"sources": "openbd", "offline": False}})
    with db.write() as session:
        assert settings_for(session, library_id).printing.offset_x_mm == 0.5
        saved = change_settings(session, library_id, "printing", {"card_layout": "card"}, actor="司書")
    assert (saved.card_layout, saved.offset_x_mm) == ("card", 0.5)
    stored = _stored(db, library_id)
    assert stored["lookup"] == {"sources": "openbd", "offline": False}  # another section: untouched
    assert stored["printing"] == {**EARLIER_PRINTING, "offset_x_mm": 0.5, "card_layout": "card",
                                  "spine_printer": "", "print_at_once": True}  # the old keys stay, read by nothing
    with db.read() as session:
        (event,) = [e for e in events_for(session, library_id) if e.action == "settings_changed"]
    assert event.details["section"] == "printing" and event.details["before"]["card_layout"] == "a4"
    assert event.details["after"] == {**EARLIER_PRINTING, "offset_x_mm": 0.5, "card_layout": "card"}


def test_a_section_stored_wrong_says_so_and_is_put_right_by_saving_it(db, library_id):
    _store(db, library_id, {"scanner": {"layout": "dvorak", "prefix": "#"}})
    with db.read() as session, pytest.raises(KioskError) as refused:
        settings_for(session, library_id)
    assert "「スキャナー」の設定が正しくありません: キーボード配列は us か jis です" in refused.value.ja
    with db.write() as session:
        change_settings(session, library_id, "scanner", {"layout": "jis"}, actor="司書")
    with db.read() as session:
        assert settings_for(session, library_id).scanner == ScannerSettings(prefix="#", layout="jis")
