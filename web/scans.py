"""Scans on the web: every scan takes the one path of ``kiosk.scan.ScanFeed`` (double reads
dropped, parsed, a 192 price code paired with its ISBN, numbered by the broker), whichever
way it came in:

- the USB reader thread (started here when a scanner is configured) calls the feed itself;
- the page's keyboard-wedge listener (``static/js/wedge.js``) posts the burst it caught to
  ``POST /scans`` and gets the parsed scan back;
- the delivery screen posts its wedge bursts and typed codes to the delivery, which passes them
  through the feed (``posted_scan``), the codes its camera read in one frame together
  (``posted_frame``), and a USB scan by its sequence number (``stream_scan``):
  what a scan means for the delivery is ``kiosk.intake.scan_outcome``'s, never parsed twice.

``GET /scans/stream`` sends the broker's events to the page as server-sent events: at once,
in order, each exactly once. Each event's ``id`` is the broker's sequence number, so a page
that reconnects (``Last-Event-ID``, or ``?after=`` on first load) resumes where it stopped,
losing and repeating nothing. ``GET /scan`` is a page that shows what the scanners send.
"""

import json
import logging
import os
import re
from urllib.parse import urlsplit

from flask import Blueprint, Response, current_app, jsonify, render_template, request

from kiosk.errors import KioskError
from kiosk.scan import ScanBroker, ScanEvent, ScanFeed, ScanSettings, SubscriptionClosed
from kiosk.scan.camera import CameraFrame
from kiosk.settings import LibrarySettings

bp = Blueprint("scans", __name__)
log = logging.getLogger(__name__)
HEARTBEAT_SECONDS = 2.0  # also how soon a page that went away is noticed and its thread freed
MAX_SCAN_CHARACTERS = 256  # a barcode burst, not a document
WEDGE_SCANNER = re.compile(r"wedge(-[a-z0-9]{1,16})?")  # the stream tells page scans from USB ones by it
WEDGE_DEFAULTS = {"WEDGE_GAP_MS": 40, "WEDGE_MIN_LENGTH": 4}


def start_scanning(app) -> None:
    """One broker and feed per process; the USB reader only when a scanner is configured:
    app config SCANNER_DEVICE (``VID:PID``), else ``KIOSK_SCANNER_DEVICE``, else the device
    saved in the library's scanner settings. A testing app reads neither the environment
    nor the settings: a test asks for a reader with SCANNER_DEVICE (and SCANNER_BACKEND)."""
    broker = ScanBroker()
    feed = ScanFeed(broker)
    app.extensions["scan_broker"], app.extensions["scan_feed"] = broker, feed
    for key, default in WEDGE_DEFAULTS.items():
        app.config.setdefault(key, _env_int(f"KIOSK_{key}", default))
    saved = None if app.testing else _saved_scanner_settings(app)
    if saved:
        _apply_settings(feed, saved)
    if "SCANNER_DEVICE" in app.config:
        device = app.config["SCANNER_DEVICE"]
    elif app.testing:
        device = None
    else:
        device = os.environ.get("KIOSK_SCANNER_DEVICE") or (saved.scanner.device if saved else None)
    if not device:
        return
    from kiosk.scan.usbreader import UsbScannerReader

    layout = (app.config.get("SCANNER_LAYOUT") or os.environ.get("KIOSK_SCANNER_LAYOUT")
              or (saved.scanner.layout if saved else "us"))
    reader = UsbScannerReader(feed.receive, device=device, layout=layout, on_status=feed.scanner_status,
                              backend=app.config.get("SCANNER_BACKEND"))
    reader.start()
    app.extensions["scan_reader"] = reader
    log.info("reading the USB scanner %s (%s layout)", device, layout)


def _env_int(name: str, default: int) -> int:
    try:
        return int(os.environ.get(name) or default)
    except ValueError:
        log.warning("%s=%r is not a whole number; using %d", name, os.environ[name], default)
        return default


def _saved_scanner_settings(app) -> LibrarySettings | None:
    """The library's saved settings at start-up, or None before the library exists."""
    from kiosk.settings import settings_of_library

    try:
        return settings_of_library(app.extensions["kiosk_db"], app.config.get("LIBRARY"))
    except KioskError:
        return None
    except Exception:  # noqa: BLE001 - e.g. a database not created yet: scanning still starts
        log.warning("scanner settings not read at start-up; defaults used", exc_info=True)
        return None


def _apply_settings(feed: ScanFeed, settings: LibrarySettings) -> None:
    """The library's scanner settings (prefix/suffix, item labels, intervals) into the feed.
    Plain attribute stores: a reader thread sees the old or the new value, never a mix."""
    wanted = ScanSettings.of(settings.scanner, settings.item_code)
    if feed.settings != wanted:
        feed.settings = wanted
    feed.double_reads.interval_s = float(settings.scanner.double_read_seconds)
    feed.pairing.window_s = float(settings.scanner.price_code_seconds)


def posted_scan(text: str, scanner_id: str = "wedge") -> ScanEvent:
    """A keyboard-wedge burst or a typed code the delivery screen posted, through the feed
    (parsed, paired, numbered) with every read counted: two copies of one title are scanned
    one after the other there, and the page posts a scan once."""
    feed: ScanFeed = current_app.extensions["scan_feed"]
    _refresh_settings(feed)
    return feed.receive(scanner_id, text, every_read=True).event


def posted_frame(frame: CameraFrame, scanner_id: str) -> list[ScanEvent]:
    """The codes the delivery screen's camera counted in one frame, through the feed together
    (the ISBN, then its 192 code: paired at once). The page posts a look once (its own
    double-read rule, docs/camera.md), so every code counts."""
    feed: ScanFeed = current_app.extensions["scan_feed"]
    _refresh_settings(feed)
    return [envelope.event for envelope in feed.receive_frame(scanner_id, frame.texts)]


def stream_scan(seq: int) -> ScanEvent | None:
    """The USB scan the page got from the stream as number ``seq``, as the feed parsed and
    paired it when the reader read it; None when it is no longer kept."""
    feed: ScanFeed = current_app.extensions["scan_feed"]
    return feed.scan_event(seq)


def _refresh_settings(feed: ScanFeed) -> None:
    """Settings may have changed on the settings screen since the last scan."""
    from web.context import kiosk_settings

    try:
        _apply_settings(feed, kiosk_settings())
    except KioskError:  # no library yet: the defaults stand
        pass


@bp.get("/scan")
def page():
    reader = current_app.extensions.get("scan_reader")
    return render_template("scan.html", reader=reader, max_characters=MAX_SCAN_CHARACTERS)


@bp.get("/scans/stream")
def stream():
    broker: ScanBroker = current_app.extensions["scan_broker"]
    _refresh_settings(current_app.extensions["scan_feed"])
    after = request.headers.get("Last-Event-ID") or request.args.get("after")
    resume = int(after) if after and after.isdigit() else None
    subscription = broker.subscribe(after=resume)
    reader = current_app.extensions.get("scan_reader")
    heartbeat = float(current_app.config.get("SCAN_HEARTBEAT_SECONDS", HEARTBEAT_SECONDS))

    def events():
        try:
            yield "retry: 1000\n\n"  # also sends the headers now, so the page knows it is connected
            if reader is not None:  # the state now: a new page must not wait for the next change
                yield _unnumbered({"type": "scanner", **_status_json(reader.status)})
            if subscription.missed:
                yield _unnumbered({"type": "missed"})
            if resume is None:  # a page new to the stream learns where it joined: the next page of
                # this tab resumes from here, so a scan made while one page gives way to the next is kept
                yield f"id: {subscription.position}\ndata: {json.dumps({'type': 'position'})}\n\n"
            while True:
                envelope = subscription.get(timeout=heartbeat)
                if envelope is None:
                    yield ": heartbeat\n\n"  # a page that went away fails this write and is dropped
                    continue
                data = json.dumps(envelope.event.to_json(), ensure_ascii=False)
                yield f"id: {envelope.seq}\ndata: {data}\n\n"
        except SubscriptionClosed as closed:
            log.info("scan stream ended: %s", closed)
        finally:
            subscription.close()

    return Response(events(), mimetype="text/event-stream",
                    headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})


def _unnumbered(data: dict) -> str:
    """An event without ``id``: not part of the numbered scan sequence."""
    return f"data: {json.dumps(data, ensure_ascii=False)}\n\n"


def _status_json(status) -> dict:
    return {"scanner": status.scanner_id, "state": status.state, "detail": status.detail, "device": status.device}


@bp.post("/scans")
def receive():
    """One keyboard-wedge burst: JSON ``{"text": …, "scanner_id": "wedge"}`` from this kiosk's
    own page (the CSRF check runs before every POST; the Origin is checked here too)."""
    origin = request.headers.get("Origin")
    if origin and urlsplit(origin).netloc != request.host:
        return _refused(403, f"scan posted from another site ({origin})", "このページからはスキャンを送れません")
    if not request.is_json:
        return _refused(415, f"scans are posted as JSON, not {request.mimetype or 'nothing'}",
                        "スキャンの送り方が違います（JSON）")
    body = request.get_json(silent=True)
    text = body.get("text") if isinstance(body, dict) else None
    if not isinstance(text, str) or not text.strip():
        return _refused(400, "no scanned text in the request", "何も読み取れませんでした。もう一度スキャンしてください")
    if len(text) > MAX_SCAN_CHARACTERS:
        return _refused(400, f"scan of {len(text)} characters refused (at most {MAX_SCAN_CHARACTERS})",
                        "読み取った文字が長すぎます。バーコードだけをスキャンしてください")
    scanner_id = body.get("scanner_id") or "wedge"
    if not isinstance(scanner_id, str) or not WEDGE_SCANNER.fullmatch(scanner_id):
        return _refused(400, f"scanner_id {scanner_id!r} is not a keyboard-wedge id (wedge or wedge-NAME)",
                        "スキャナーの指定が違います")
    feed: ScanFeed = current_app.extensions["scan_feed"]
    _refresh_settings(feed)
    envelope = feed.receive(scanner_id, text)
    if envelope is None:
        log.info("double read from %s dropped: %r", scanner_id, text)
        return jsonify(ok=True, dropped=True, message_ja="二度読みのため数えませんでした")
    event = envelope.event.to_json()
    if envelope.event.scan.rejected:
        log.info("scan from %s refused: %s", scanner_id, envelope.event.scan.error)
        return jsonify(ok=False, seq=envelope.seq, event=event, error=envelope.event.scan.error,
                       error_ja=envelope.event.scan.error_ja), 422
    return jsonify(ok=True, seq=envelope.seq, event=event)


def _refused(status: int, error: str, error_ja: str):
    log.warning("refused POST /scans: %s", error)
    return jsonify(ok=False, error=error, error_ja=error_ja), status


@bp.errorhandler(403)
def forbidden(_error):
    """The app's CSRF check refuses before the view runs: the page still gets JSON to show."""
    if request.method == "POST":
        return jsonify(ok=False, error="missing or wrong CSRF token, or another site's page",
                       error_ja="この操作はできません（画面を開き直してください）"), 403
    return render_template("error.html", message="この操作はできません（画面を開き直してください）"), 403
