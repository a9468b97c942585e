"""The kiosk's web app (Flask). Views read the request, call kiosk/, render: no rules here."""

import logging
import os

from flask import Flask, g

from kiosk.db.storage import open_database
from kiosk.ledger.funds import FUND_LABELS_JA, KIND_LABELS_JA
from web import errors, headers
from web.i18n import language, t, tr
from web.context import wedge_suffix
from web.lookups import configure_lookups  # also web.configure_lookups, as before
from web.security import check_csrf, csrf_token, refresh_staff_session, secret_key, staff_active
from web.input_guard import refuse_nul_characters


def create_app(database_url: str | None = None, test_config: dict | None = None) -> Flask:
    app = Flask(__name__)
    app.config.from_mapping(
        DATABASE_URL=database_url,
        LIBRARY=os.environ.get("KIOSK_LIBRARY") or None,
        LOOKUP_OFFLINE=False,
        MAX_CONTENT_LENGTH=8 * 1024 * 1024,  # a delivery slip, not a film
    )
    if test_config:
        app.config.update(test_config)
    app.secret_key = app.config.get("SECRET_KEY") or secret_key()
    db = open_database(app.config["DATABASE_URL"])
    app.extensions["kiosk_db"] = db
    _start_lookups(app, db)

    from web import copies, delivery, home, ledger, ledger_import, printing, scans, settings, staff

    scans.start_scanning(app)
    for blueprint in (home.bp, delivery.bp, copies.bp, ledger.bp, ledger_import.bp, printing.bp, scans.bp, settings.bp,
                      staff.bp):
        app.register_blueprint(blueprint)

    app.before_request(check_csrf)
    app.before_request(refuse_nul_characters)

    @app.before_request
    def keep_staff_session_alive():
        if staff_active():
            from web.context import kiosk_settings

            refresh_staff_session(kiosk_settings().staff.session_minutes)
    app.jinja_env.globals.update(t=t, _=tr, csrf_token=csrf_token, fund_labels=FUND_LABELS_JA,
                           kind_labels=KIND_LABELS_JA)

    @app.context_processor
    def screen_context():
        return {"lang": language(), "staff": staff_active(), "usb_scanner": "scan_reader" in app.extensions or bool(app.config.get("SCAN_STREAM")),
                "wedge_suffix": wedge_suffix()}

    errors.register(app)
    headers.install(app)

    @app.teardown_appcontext
    def forget_request_state(_exc):
        g.pop("library", None)

    return app


def stop_app(app: Flask) -> None:
    """Stop what ``create_app`` started, in reverse: the USB reader thread, the lookup worker
    pool, the database's connections (kiosk_app/serve.py calls it when serving ends)."""
    reader = app.extensions.pop("scan_reader", None)
    if reader is not None:
        reader.stop()
    scanner = app.extensions.pop("intake_scanner", None)
    if scanner is not None:
        scanner.background.shutdown(wait=True, timeout=5)
    app.extensions["kiosk_db"].dispose()


def _start_lookups(app: Flask, db) -> None:
    configure_lookups(app, db)
    logging.getLogger("kiosk").setLevel(logging.INFO)
