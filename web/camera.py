"""The camera scanner's panel on a page (templates/camera/_panel.html, static/js/camera.js): what
the page's script needs from the server. Which codes of a look count is kiosk.scan.camera's; the
delivery takes a look's codes at its scan route (web.delivery)."""

from sqlalchemy.exc import SQLAlchemyError

from kiosk.errors import KioskError
from kiosk.scan.camera import FLAT_MAX, SHARPNESS_MIN
from kiosk.scanner_settings import ScannerSettings
from web.context import kiosk_settings


def camera_panel(mode: str, post_url: str | None = None) -> dict:
    """The template values of the panel: ``mode`` "delivery" (a look is posted to ``post_url``)
    or "find" (a code opens the copy). A code counts again only after it was out of sight for the
    library's double-read interval (docs/camera.md)."""
    try:
        seconds = kiosk_settings().scanner.double_read_seconds
    except (KioskError, SQLAlchemyError):
        seconds = ScannerSettings.double_read_seconds
    return {"camera_mode": mode, "camera_post_url": post_url, "camera_absent_ms": int(seconds * 1000),
            "camera_sharpness_min": SHARPNESS_MIN, "camera_flat_max": FLAT_MAX}
