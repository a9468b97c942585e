"""Staff sign-in with the PIN (on the on-screen keypad); the session times out by itself."""

from urllib.parse import urlsplit

from flask import Blueprint, current_app, redirect, render_template, request, url_for

from kiosk.settings import check_staff_pin, settings_for
from web.context import current_library
from web.db import get_db
from web.security import end_staff_session, start_staff_session

bp = Blueprint("staff", __name__, url_prefix="/staff")


@bp.get("/login")
def login():
    with get_db().read() as session:
        no_pin = settings_for(session, current_library().id)["staff"]["pin_hash"] is None
    return render_template("staff/login.html", next=_safe_next(request.args.get("next")), no_pin=no_pin, wrong=False)


@bp.post("/login", endpoint="login_post")
def do_login():
    library = current_library()
    with get_db().read() as session:
        settings = settings_for(session, library.id)
        right = check_staff_pin(session, library.id, request.form.get("pin", ""))
    if not right:
        current_app.logger.warning("wrong staff PIN at %s", request.remote_addr)
        return render_template("staff/login.html", next=_safe_next(request.form.get("next")), no_pin=False,
                               wrong=True), 403
    start_staff_session(settings["staff"]["session_minutes"])
    return redirect(_safe_next(request.form.get("next")))


@bp.post("/logout")
def logout():
    end_staff_session()
    return redirect(url_for("home.index"))


def _safe_next(target: str | None) -> str:
    """Only a path on this kiosk (never another site) after signing in."""
    if not target or urlsplit(target).netloc or not target.startswith("/") or target.startswith("//"):
        return url_for("home.index")
    return target
