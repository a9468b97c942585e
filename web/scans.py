"""Scans read straight from the USB scanner reach the open kiosk page as server-sent events:
at once, in order, each exactly once. Each event's id is the broker's sequence number, so a
page that reconnects (``Last-Event-ID``) resumes where it stopped, losing and repeating nothing.
"""

import json
import logging
import os

from flask import Blueprint, Response, current_app, request

from kiosk.scan import ScanBroker, ScanFeed

bp = Blueprint("scans", __name__, url_prefix="/scans")
log = logging.getLogger(__name__)
HEARTBEAT_SECONDS = 15.0


def start_scanning(app) -> None:
    """One broker and feed per process; the USB reader only when a scanner is configured
    (``KIOSK_SCANNER_DEVICE`` = VID:PID, or app config SCANNER_DEVICE)."""
    broker = ScanBroker()
    feed = ScanFeed(broker)
    app.extensions["scan_broker"], app.extensions["scan_feed"] = broker, feed
    device = app.config.get("SCANNER_DEVICE") or os.environ.get("KIOSK_SCANNER_DEVICE")
    if device:
        from kiosk.scan.usbreader import UsbScannerReader

        reader = UsbScannerReader(feed.receive, device=device, layout=os.environ.get("KIOSK_SCANNER_LAYOUT", "us"),
                                  on_status=feed.scanner_status)
        reader.start()
        app.extensions["scan_reader"] = reader
        log.info("reading the USB scanner %s", device)


@bp.get("/stream")
def stream():
    broker: ScanBroker = current_app.extensions["scan_broker"]
    after = request.headers.get("Last-Event-ID") or request.args.get("after")
    subscription = broker.subscribe(after=int(after) if after and after.isdigit() else None)

    def events():
        try:
            yield "retry: 1000\n\n"
            while True:
                envelope = subscription.get(timeout=HEARTBEAT_SECONDS)
                if envelope is None:
                    if subscription.closed:
                        return
                    yield ": heartbeat\n\n"
                    continue
                data = json.dumps(envelope.event.to_json(), ensure_ascii=False)
                yield f"id: {envelope.seq}\ndata: {data}\n\n"
        finally:
            subscription.close()

    return Response(events(), mimetype="text/event-stream",
                    headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})
