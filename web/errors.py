"""Every error the kiosk can answer, answered on the kiosk's own page (never Flask's English one,
never a traceback): a refused action (KioskError, 400/404), a database fault (503: the
database is unreachable, its disk is full or it is read-only; kiosk/db/faults.py), a request
body over the upload limit (413), and anything unexpected (500). A JSON request gets
``{"ok": false, "message": ..., "detail": ...}`` instead of a page.
"""

import sqlite3

from flask import Flask, current_app, g, jsonify, render_template, request
from markupsafe import escape
from sqlalchemy.exc import DBAPIError
from werkzeug.exceptions import HTTPException, InternalServerError, RequestEntityTooLarge

from kiosk.db.faults import DatabaseFault, classify
from kiosk.errors import KioskError, NotFound
from web.db import get_db
from web.i18n import error_text, language, t

# The last resort when even the error page cannot be rendered: plain Japanese, no template.
_BARE_PAGE = ("<!doctype html><html lang=\"ja\"><meta charset=\"utf-8\"><title>受入キオスク</title>"
              "<p role=\"alert\">{message}</p><p><a href=\"javascript:history.back()\">戻る</a> "
              "<a href=\"/\">ホーム</a></p></html>")


def register(app: Flask) -> None:
    app.register_error_handler(KioskError, refused)
    app.register_error_handler(DatabaseFault, database_fault)
    app.register_error_handler(DBAPIError, database_error)
    app.register_error_handler(sqlite3.Error, database_error)
    app.register_error_handler(403, forbidden)
    app.register_error_handler(404, not_found)
    app.register_error_handler(RequestEntityTooLarge, too_large)
    app.register_error_handler(InternalServerError, unexpected)
    app.register_error_handler(HTTPException, other_http_error)


def wants_json() -> bool:
    return request.is_json or request.accept_mimetypes.best == "application/json"


def refused(error: KioskError):
    current_app.logger.warning("refused %s %s: %s", request.method, request.path, error)
    status = 404 if isinstance(error, NotFound) else 400
    if wants_json():
        return jsonify(ok=False, message=error_text(error), detail=str(error)), status
    return _page("error.html", status, message=error_text(error))


def database_error(error: Exception):
    """A DBAPI error: a database fault gets its page; anything else is unexpected (500)."""
    fault = classify(error, get_db().engine.url)
    if fault is None:
        raise error  # not the database's fault: Flask logs it and answers with ``unexpected``
    return database_fault(fault)


def database_fault(fault: DatabaseFault):
    current_app.logger.error("database fault on %s %s: %s", request.method, request.path, fault)
    g.database_fault = True  # the page below must not touch the database (see web.context)
    # Drop pooled connections: an SQLite connection that fell back to read-only, or a
    # PostgreSQL connection the server closed, must not outlive the fault. The next request
    # opens fresh ones, so the kiosk works again by itself once the fault ends.
    get_db().engine.dispose()
    english = language() == "en"
    text = fault.text
    title = text.en if english else text.ja
    nothing = t("fault.nothing")
    if wants_json():
        return jsonify(ok=False, fault=fault.kind, message=f"{title}. {nothing}" if english else f"{title}。{nothing}",
                       detail=str(fault)), 503
    return _page("fault.html", 503, message=title, title=title, nothing=nothing,
                 advice=text.advice_en if english else text.advice_ja,
                 retry_url=request.url if request.method == "GET" else None)


def forbidden(_error):
    return _page("error.html", 403, message="この操作はできません（画面を開き直してください）")


def not_found(_error):
    return _page("error.html", 404, message="ページが見つかりません")


def too_large(_error):
    limit = current_app.config.get("MAX_CONTENT_LENGTH") or 0
    message = t("error.too_large", mb=f"{limit / (1024 * 1024):g}")
    current_app.logger.warning("refused %s %s: request body of %s bytes is over the limit of %s bytes",
                               request.method, request.path, request.content_length, limit)
    return _answer(413, message)


def unexpected(error: InternalServerError):
    """Anything unexpected. Flask has already logged the exception with its traceback."""
    original = getattr(error, "original_exception", None)
    if original is not None and (fault := classify(original, get_db().engine.url)):
        return database_fault(fault)  # e.g. raised again after a rollback that failed too
    return _answer(500, t("error.unexpected"))


def other_http_error(error: HTTPException):
    if error.code is None or error.code < 400:
        return error  # a redirect, not an error
    key = {400: "error.bad_request", 405: "error.method"}.get(error.code, "error.http")
    return _answer(error.code, t(key, code=error.code))


def _answer(status: int, message: str):
    if wants_json():
        return jsonify(ok=False, message=message), status
    return _page("error.html", status, message=message)


def _page(template: str, status: int, *, message: str, **context):
    try:
        return render_template(template, message=message, **context), status
    except Exception:  # the page itself failed (a broken template, a failing context processor)
        current_app.logger.exception("could not render %s for a %s answer", template, status)
        return _BARE_PAGE.format(message=escape(message)), status, {"Content-Type": "text/html; charset=utf-8"}
