"""Per-library kiosk settings: defaults, validation before saving, events, the staff PIN."""

import pytest

from kiosk.errors import KioskError
from kiosk.events import events_for
from kiosk.settings import DEFAULTS, change_settings, check_staff_pin, item_code_settings, set_staff_pin, settings_for


def test_defaults_until_changed_then_saved_with_an_event(db, library_id):
    with db.write() as session:
        assert settings_for(session, library_id) == DEFAULTS
        saved = change_settings(session, library_id, "item_code", {"symbology": "code39", "check": "mod10w3"},
                                actor="司書")
    assert saved["symbology"] == "code39" and saved["width"] == 8
    with db.read() as session:
        settings = settings_for(session, library_id)
        assert item_code_settings(settings).symbology == "code39"
        assert settings["scanner"] == DEFAULTS["scanner"]
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
        assert settings_for(session, library_id) == DEFAULTS


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
