"""The home screen and the language switch."""

from flask import Blueprint, make_response, redirect, render_template, request

from kiosk.errors import NotFound
from web.context import current_library
from web.i18n import LANGUAGES

bp = Blueprint("home", __name__)


@bp.get("/")
def index():
    try:
        library = current_library()
    except NotFound:
        return render_template("setup_needed.html")
    return render_template("home.html", library=library)


@bp.get("/language/<to>")
def language(to: str):
    target = request.args.get("next", "/")
    response = make_response(redirect(target if target.startswith("/") and not target.startswith("//") else "/"))
    if to in LANGUAGES:
        response.set_cookie("lang", to, max_age=365 * 24 * 3600, samesite="Lax")
    return response
