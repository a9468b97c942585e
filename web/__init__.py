"""The kiosk's web app (Flask). Views read the request, call kiosk/, render: no rules here."""

from flask import Flask, render_template

from kiosk.errors import KioskError
from kiosk.storage import open_database


def create_app(database_url: str | None = None, test_config: dict | None = None) -> Flask:
    app = Flask(__name__)
    app.config.from_mapping(DATABASE_URL=database_url, JSON_AS_ASCII=False)
    if test_config:
        app.config.update(test_config)
    app.extensions["kiosk_db"] = open_database(app.config["DATABASE_URL"])

    from web import ledger

    app.register_blueprint(ledger.bp)

    @app.errorhandler(KioskError)
    def kiosk_error(error: KioskError):
        app.logger.warning("refused: %s", error)
        return render_template("error.html", message=error.ja), 400

    @app.errorhandler(404)
    def not_found(_error):
        return render_template("error.html", message="ページが見つかりません"), 404

    return app
