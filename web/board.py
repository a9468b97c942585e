"""The board of education's web view (教育委員会), served by ``kiosk serve --board``: one read-only
page of every school's year (kiosk.board) and its CSV. An app of its own, not the kiosk's: no
staff, no PIN screens, no scanner, no lookups, no session; every request that is not a GET is
refused before any view runs, and the database role it connects as can only SELECT
(scripts/board-role.sql), so PostgreSQL itself refuses a write too. Japanese only."""

from datetime import date

from pathlib import Path

from flask import Flask, Response, abort, render_template, request
from jinja2 import ChoiceLoader, FileSystemLoader

from kiosk.board import board_csv, board_report
from kiosk.db.storage import open_database
from kiosk.errors import KioskError
from kiosk.ledger.fiscal import fiscal_year
from web import errors, headers
from web.i18n import t


def create_board_app(database_url: str | None = None) -> Flask:
    app = Flask(__name__)
    templates = Path(app.root_path) / "templates"
    app.jinja_loader = ChoiceLoader([FileSystemLoader(templates / "board"), FileSystemLoader(templates)])
    app.extensions["kiosk_db"] = open_database(database_url, migrate_if_needed=False)
    app.jinja_env.globals.update(t=t)

    @app.before_request
    def read_only():
        if request.method not in ("GET", "HEAD"):
            abort(405)

    @app.context_processor
    def page_context():
        return {"lang": "ja", "csrf_token": lambda: "", "staff": False, "usb_scanner": False, "wedge_suffix": ""}

    @app.get("/", endpoint="home.index")  # the name the shared error pages link back to
    def index():
        year = _year()
        return render_template("index.html", report=board_report(app.extensions["kiosk_db"], year),
                               this_year=fiscal_year(date.today()))

    @app.get("/board.csv")
    def csv_file():
        year, encoding = _year(), request.args.get("encoding", "utf-8")
        data = board_csv(board_report(app.extensions["kiosk_db"], year), encoding)
        charset = "shift_jis" if encoding == "sjis" else "utf-8"
        return Response(data, content_type=f"text/csv; charset={charset}",
                        headers={"Content-Disposition": f'attachment; filename="board-{year}.csv"'})

    errors.register(app)
    headers.install(app)
    return app


def _year() -> int:
    value = request.args.get("year", "").strip()
    if not value:
        return fiscal_year(date.today())
    if not value.isdigit():
        raise KioskError(f"year {value!r} is not a number", "年度は数字で指定してください")
    return int(value)
