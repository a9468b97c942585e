"""Staff sign-in: a name from the touch list and its PIN (on the on-screen keypad); the session
remembers who, and times out by itself. Wrong PINs are slowed down by kiosk.staff's throttle."""

from urllib.parse import urlsplit

from flask import Blueprint, current_app, redirect, render_template, request, url_for

from kiosk.staff import KioskIdentity, TooManyTries, WrongPin, sign_in, sign_in_choices, this_kiosk
from web.context import current_library, kiosk_settings
from web.db import get_db
from web.i18n import error_text
from web.security import end_staff_session, start_staff_session

bp = Blueprint("staff", __name__, url_prefix="/staff")


def kiosk_identity() -> KioskIdentity:
    """This kiosk, for counting wrong PINs: ``KIOSK_ID`` in the app config (tests), else the id
    kept in the data directory (kiosk.staff.this_kiosk), read once per process."""
    if "kiosk_identity" not in current_app.extensions:
        given = current_app.config.get("KIOSK_ID")
        current_app.extensions["kiosk_identity"] = KioskIdentity(given, given) if given else this_kiosk()
    return current_app.extensions["kiosk_identity"]


@bp.get("/login")
def login():
    return _login_page(_safe_next(request.args.get("next")), chosen=request.args.get("name"))


@bp.post("/login", endpoint="login_post")
def do_login():
    library, target = current_library(), _safe_next(request.form.get("next"))
    name = request.form.get("name")
    try:
        member = sign_in(get_db(), library.id, kiosk_identity(), name, request.form.get("pin", ""),
                         remote=request.remote_addr)
    except TooManyTries as refused:
        current_app.logger.warning("staff sign-in refused at %s: %s", request.remote_addr, refused)
        page = _login_page(target, chosen=name, message=error_text(refused), status=429)
        page.headers["Retry-After"] = str(refused.seconds)
        return page
    except WrongPin as wrong:
        current_app.logger.warning("wrong staff PIN for %r at %s (%d in a row)", name, request.remote_addr,
                                   wrong.failures)
        return _login_page(target, chosen=name, message=error_text(wrong), status=403)
    start_staff_session(kiosk_settings().staff.session_minutes, member)
    return redirect(target)


@bp.post("/logout")
def logout():
    end_staff_session()
    return redirect(url_for("home.index"))


def _login_page(target: str, *, chosen: str | None = None, message: str | None = None, status: int = 200):
    library = current_library()
    choices = sign_in_choices(get_db(), library.id, kiosk_identity().id)
    names, state = list(choices.names), choices.throttle
    if chosen not in names:
        chosen = names[0] if len(names) == 1 else None
    page = render_template("staff/login.html", next=target, names=names, chosen=chosen, no_pin=not names,
                           message=message, locked=state.locked,
                           wait_until=state.next_try.astimezone().strftime("%H:%M:%S") if state.next_try else None)
    return current_app.make_response((page, status))


def _safe_next(target: str | None) -> str:
    """Only a path on this kiosk (never another site) after signing in."""
    if not target or urlsplit(target).netloc or not target.startswith("/") or target.startswith("//"):
        return url_for("home.index")
    return target
