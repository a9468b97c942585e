"""The app's Database, opened once by create_app."""

from flask import current_app

from kiosk.db.storage import Database


def get_db() -> Database:
    return current_app.extensions["kiosk_db"]
