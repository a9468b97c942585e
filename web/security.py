"""The kiosk's web safety: CSRF tokens on every state-changing request, a staff PIN for staff
actions with a session that times out, and the secret key that signs the session cookie.

The kiosk runs on a shared touch screen: anyone can scan and inspect, but withdrawing a copy,
changing settings or correcting the ledger needs the staff PIN, and the staff session ends
by itself after a few idle minutes.
"""

import functools
import hmac
import os
import secrets
import time
from pathlib import Path
from urllib.parse import urlsplit

from flask import abort, current_app, g, redirect, request, session, url_for

from kiosk import config

CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


def secret_key() -> str:
    """``KIOSK_SECRET_KEY``, else a random key kept in the data directory (made on first run),
    so sessions survive a restart without anyone having to configure a secret."""
    if explicit := os.environ.get("KIOSK_SECRET_KEY"):
        return explicit
    path = Path(config.data_dir()) / "secret-key"
    if path.is_file():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    return key


def csrf_token() -> str:
    if CSRF_FIELD not in session:
        session[CSRF_FIELD] = secrets.token_urlsafe(32)
    return session[CSRF_FIELD]


def check_csrf() -> None:
    """Before every request: a state-changing request must carry the session's token and, when
    the browser says where it comes from, come from this kiosk's own pages."""
    if request.method in SAFE_METHODS or current_app.config.get("CSRF_DISABLED"):
        return
    origin = request.headers.get("Origin")
    if origin and urlsplit(origin).netloc != request.host:
        current_app.logger.warning("refused %s %s from origin %s", request.method, request.path, origin)
        abort(403)
    sent = request.headers.get(CSRF_HEADER) or request.form.get(CSRF_FIELD) or ""
    expected = session.get(CSRF_FIELD, "")
    if not expected or not hmac.compare_digest(sent, expected):
        current_app.logger.warning("refused %s %s: missing or wrong CSRF token", request.method, request.path)
        abort(403)


def staff_active() -> bool:
    until = session.get("staff_until", 0)
    return time.time() < until


def start_staff_session(minutes: int) -> None:
    session["staff_until"] = time.time() + minutes * 60


def end_staff_session() -> None:
    session.pop("staff_until", None)


def refresh_staff_session(minutes: int) -> None:
    """Each staff request extends the session: it ends after ``minutes`` of inactivity."""
    if staff_active():
        start_staff_session(minutes)


def staff_required(view):
    """A view only staff may use: without a live staff session, ask for the PIN first."""

    @functools.wraps(view)
    def wrapped(*args, **kwargs):
        if not staff_active():
            if request.method != "GET":
                abort(403)
            return redirect(url_for("staff.login", next=request.full_path))
        g.staff = True
        return view(*args, **kwargs)

    return wrapped
