"""Serving the kiosk: the one place where what runs beside the web app starts and stops.

``create_app`` (web/) starts what every app needs, in tests too: the lookup worker pool and,
when a scanner is configured, the USB reader thread. Serving adds the backup timer of an
SQLite kiosk. When waitress returns (Ctrl+C, SIGTERM), everything started is stopped here in
reverse order: the timer, then the app's reader, pool and database (``web.stop_app``).
"""

import os
import signal
import sys

from kiosk.errors import KioskError


def serve_kiosk(host: str, port: int, threads: int, say=print) -> None:
    """Check that serving on ``host`` is allowed, then serve until stopped."""
    import waitress

    from kiosk.db.storage import open_database
    from kiosk.lan import check_lan_serving
    from web import create_app, stop_app

    db = open_database()
    try:
        check_lan_serving(db, host, os.environ.get("KIOSK_LIBRARY") or None)
    finally:
        db.dispose()
    app = create_app()
    # SIGTERM (systemd, `kill`) ends serving as Ctrl+C does, so the finally below runs
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    timer = app.extensions["backup_timer"] = backup_timer(app.extensions["kiosk_db"], say)
    ready_to_serve(app)
    say(f"受入キオスク: http://{'localhost' if host in ('127.0.0.1', '::1') else host}:{port}/")
    try:
        waitress.serve(app, host=host, port=port, threads=threads)
    finally:
        if timer:
            timer.stop()
        stop_app(app)
        say("受入キオスクを停止しました")


def serve_board(host: str, port: int, threads: int, say=print) -> None:
    """The board of education's read-only view (web/board.py) until stopped: nothing beside it
    runs (no backups, no scanner, no lookups). Refused on a school's kiosk (KIOSK_LIBRARY)."""
    import waitress

    from kiosk import config
    from kiosk.board import check_schema, refuse_on_a_school_kiosk
    from web.board import create_board_app

    refuse_on_a_school_kiosk(config.bound_library())
    app = create_board_app()
    check_schema(app.extensions["kiosk_db"])
    settle_heap()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    say(f"学校図書館の集計（教育委員会・読み取り専用）: http://{'localhost' if host in ('127.0.0.1', '::1') else host}:{port}/")
    try:
        waitress.serve(app, host=host, port=port, threads=threads)
    finally:
        app.extensions["kiosk_db"].dispose()
        say("停止しました")


def backup_timer(db, say=print):
    """An SQLite kiosk backs itself up every KIOSK_BACKUP_MINUTES (default 60; 0: never) while
    it serves, when anything was recorded since the last backup."""
    from kiosk.db.backup import BackupTimer, backup_dir

    try:
        minutes = float(os.environ.get("KIOSK_BACKUP_MINUTES") or 60)
    except ValueError:
        raise KioskError("KIOSK_BACKUP_MINUTES must be a number of minutes",
                         "KIOSK_BACKUP_MINUTES は分の数で指定してください") from None
    if db.dialect != "sqlite" or minutes <= 0:
        return None
    say(f"バックアップ: {backup_dir()}（{minutes:g}分ごと、記録があったとき）")
    return BackupTimer(db, minutes).start()


def ready_to_serve(app) -> None:
    """Once, before the first request: templates compiled and printing code loaded
    (web.warm_up), the reading analyser loading beside, and the heap settled."""
    from web.warm_up import warm_up

    warm_up(app)
    warm_analyser()
    settle_heap()


def settle_heap() -> None:
    """What the process has loaded by now (SQLAlchemy, Jinja, the app, its templates) lives as
    long as it does: move it out of the garbage collector's sight (``gc.freeze``), so that a
    collection during a request walks only what requests made. Without it a 300-copy 登録 spent
    ~90 of its ~200 ms in collections walking those modules (bench/bench_school_day.py)."""
    import gc

    gc.collect()
    gc.freeze()


def warm_analyser() -> None:
    """Load the reading analyser (SudachiPy's dictionary, 40-150 ms, seconds on a cold disk) in
    the background while the kiosk starts, so the first card that proposes a reading does not
    wait for it. A kiosk without it proposes no readings (kiosk.labels.analyser says why)."""
    import threading

    from kiosk.labels import analyser

    def load():
        try:
            analyser.analyser_name()
        except analyser.AnalyserUnavailable:
            pass  # logged by the analyser; readings are typed instead

    threading.Thread(target=load, name="analyser-warm-up", daemon=True).start()
