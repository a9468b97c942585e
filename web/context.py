"""Per-request context for views: the library this kiosk serves, who acts, its settings."""

from flask import current_app, g

from sqlalchemy.exc import SQLAlchemyError

from kiosk import config
from kiosk.errors import KioskError
from kiosk.library import LibraryInfo, library_info
from kiosk.scan import ScanSettings
from kiosk.settings import LibrarySettings, library_settings
from web.db import get_db
from web.security import staff_active, staff_member_name


def current_library() -> LibraryInfo:
    """The library of this kiosk: ``LIBRARY`` in the app config (``KIOSK_LIBRARY``), else the
    only one in the database; read once a request."""
    if "library" not in g:
        g.library = library_info(get_db(), current_app.config.get("LIBRARY"))
    return g.library


def kiosk_settings() -> LibrarySettings:
    """The library's settings, read once a request."""
    if "kiosk_settings" not in g:
        g.kiosk_settings = library_settings(get_db(), current_library().id)
    return g.kiosk_settings


def scan_settings() -> ScanSettings:
    settings = kiosk_settings()
    return ScanSettings.of(settings.scanner, settings.item_code)


def wedge_suffix() -> str:
    """The scanner's programmed suffix, for the page's wedge listener to end a scan on; "" when
    the library's settings cannot be read (no library yet, or the page says the database failed:
    that page must not open a connection, which would outlive the fault in the pool)."""
    if g.get("database_fault"):
        return ""
    try:
        return kiosk_settings().scanner.suffix
    except (KioskError, SQLAlchemyError):
        return ""


def actor() -> str:
    """Who acts, for the event log: the staff member signed in with their PIN (「佐藤 (職員)」),
    else the kiosk (``KIOSK_STAFF`` or the OS user; also while no staff exist yet)."""
    if not staff_active():
        return config.staff_name()
    return f"{staff_member_name() or config.staff_name()} (職員)"
