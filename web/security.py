"""The kiosk's web safety: CSRF tokens on every state-changing request, a staff PIN for staff
actions with a session that times out, and the secret key that signs the session cookie.

The kiosk runs on a shared touch screen: anyone can scan and inspect, but withdrawing a copy,
changing settings or correcting the ledger needs the staff PIN, and the staff session ends
by itself after a few idle minutes.
"""

import functools
import hmac
import logging
import os
import re
import secrets
import time
from pathlib import Path
from urllib.parse import urlsplit

from flask import abort, current_app, g, redirect, request, session, url_for

from kiosk import config
from kiosk.kept_file import keep_token

CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
MIN_KEY_HEX = 32  # a kept key shorter than this is made again

logger = logging.getLogger("kiosk.web")


def secret_key() -> str:
    """``KIOSK_SECRET_KEY``, else a random key kept in the data directory (made on first run),
    so sessions survive a restart without anyone having to configure a secret.

    A kept key that is empty or short (a first start on a full disk left the file empty) is
    made again. The file is written whole or not at all (a temporary file beside it, synced,
    then renamed; mode 0600). If it cannot be written at all, the kiosk still starts, with a
    key in memory only: sessions (and staff sign-ins) then end when it restarts."""
    if explicit := os.environ.get("KIOSK_SECRET_KEY"):
        return explicit
    path = Path(config.data_dir()) / "secret-key"
    if (kept := _read_key(path)) is not None:
        return kept
    key = secrets.token_hex(32)
    try:
        return keep_token(path, key, lambda kept: bool(re.fullmatch(rf"[0-9a-fA-F]{{{MIN_KEY_HEX},}}", kept)))
    except OSError as error:
        logger.warning("cannot keep the web secret key in %s (%s): using a key in memory only; "
                       "sessions will end when the kiosk restarts", path, error)
        return key


def _read_key(path: Path) -> str | None:
    """The kept key, or None when there is none worth keeping (missing, empty, short, not hex)."""
    try:
        text = path.read_text().strip()
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as error:
        logger.warning("cannot read the web secret key in %s (%s): making a new one", path, error)
        return None
    if re.fullmatch(rf"[0-9a-fA-F]{{{MIN_KEY_HEX},}}", text):
        return text
    logger.warning("the web secret key in %s is empty or too short: making a new one", path)
    return None


def csrf_token() -> str:
    if CSRF_FIELD not in session:
        session[CSRF_FIELD] = secrets.token_urlsafe(32)
    return session[CSRF_FIELD]


def check_csrf() -> None:
    """Before every request: a state-changing request must carry the session's token and, when
    the browser says where it comes from, come from this kiosk's own pages."""
    if request.method in SAFE_METHODS or current_app.config.get("CSRF_DISABLED"):
        return
    if not _from_this_kiosk():
        current_app.logger.warning("refused %s %s from origin %s (Sec-Fetch-Site %s)", request.method, request.path,
                                   request.headers.get("Origin"), request.headers.get("Sec-Fetch-Site"))
        abort(403)
    sent = request.headers.get(CSRF_HEADER) or request.form.get(CSRF_FIELD) or ""
    expected = session.get(CSRF_FIELD, "")
    if not expected or not hmac.compare_digest(sent, expected):
        current_app.logger.warning("refused %s %s: missing or wrong CSRF token", request.method, request.path)
        abort(403)


def _from_this_kiosk() -> bool:
    """Whether the browser says the request comes from the kiosk's own pages. The pages are
    served with Referrer-Policy: no-referrer, under which Chromium sends ``Origin: null`` even
    for the page's own form posts; Sec-Fetch-Site (set by the browser, never by a script) then
    says whether it was the same origin. A null origin from anywhere else (a sandboxed frame on
    another site) is refused. A client that sends neither header (curl, the test client) is
    judged by the CSRF token alone."""
    fetch_site = request.headers.get("Sec-Fetch-Site")
    if fetch_site is not None and fetch_site not in ("same-origin", "none"):
        return False
    origin = request.headers.get("Origin")
    if not origin:
        return True
    if origin == "null":
        return fetch_site == "same-origin"
    return urlsplit(origin).netloc == request.host


def staff_active() -> bool:
    until = session.get("staff_until", 0)
    return time.time() < until


def start_staff_session(minutes: int, member=None) -> None:
    """Signed in: ``member`` (a kiosk.staff StaffMember) is who acts until the session ends;
    None while the library has no staff yet (open for set-up)."""
    session["staff_until"] = time.time() + minutes * 60
    session["staff_id"] = member.id if member is not None else None
    session["staff_name"] = member.name if member is not None else None


def end_staff_session() -> None:
    for key in ("staff_until", "staff_id", "staff_name"):
        session.pop(key, None)


def refresh_staff_session(minutes: int) -> None:
    """Each staff request extends the session: it ends after ``minutes`` of inactivity."""
    if staff_active():
        session["staff_until"] = time.time() + minutes * 60


def staff_member_id() -> int | None:
    """The signed-in staff member's id (None: not signed in, or signed in before any staff existed)."""
    return session.get("staff_id") if staff_active() else None


def staff_member_name() -> str | None:
    return session.get("staff_name") if staff_active() else None


def staff_required(view):
    """A view only staff may use: without a live staff session, ask for the PIN first. A session
    whose member has been removed meanwhile (or that was opened before the first PIN was set,
    on a kiosk that has staff now) ends here."""

    @functools.wraps(view)
    def wrapped(*args, **kwargs):
        if staff_active() and not _member_still_there():
            end_staff_session()
        if not staff_active():
            if request.method != "GET":
                abort(403)
            return redirect(url_for("staff.login", next=request.full_path))
        g.staff = True
        return view(*args, **kwargs)

    return wrapped


def _member_still_there() -> bool:
    from kiosk.staff import still_signed_in
    from web.context import current_library
    from web.db import get_db

    return still_signed_in(get_db(), current_library().id, session.get("staff_id"))
