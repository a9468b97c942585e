"""No NUL character in a form field or a query parameter. PostgreSQL refuses a NUL in text (a
500, and on SQLite it would be kept, invisible), and no screen of the kiosk can type one: a field
holding one is a crafted request. Refused before any view runs, in Japanese, with nothing written.

Not here: the routes that take a scanner's text (a delivery's scans, the wedge's POST /scans).
They answer in JSON and the one scan parser refuses control characters itself
(kiosk.scan.parser). Uploaded files are read by their own readers, which drop control
characters (kiosk.textfiles.without_controls)."""

from flask import request

from kiosk.errors import KioskError

TAKES_SCANNER_TEXT = {"delivery.scan", "scans.receive"}


def refuse_nul_characters() -> None:
    """A before_request hook: a KioskError (400, the kiosk's error page) on a NUL."""
    if request.endpoint in TAKES_SCANNER_TEXT:
        return
    where = _nul_in(request.args) or _nul_in(request.form)
    if where:
        raise KioskError(f"a NUL character in the request's {where}: refused, nothing was changed",
                         "入力に使えない文字（NUL）が含まれています。何も記録していません。入力し直してください")


def _nul_in(fields) -> str | None:
    for name, values in fields.lists():
        if "\x00" in name or any("\x00" in value for value in values):
            return f"field {name!r:.40}"
    return None
