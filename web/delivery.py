"""Receiving a delivery: start → scan → inspect → check the slip → register.

Views read the request, call kiosk.intake.delivery (and kiosk.intake.scan_page for the scan screen), render.
Scans arrive as JSON from the page (a USB scan as the stream's sequence number, a keyboard-wedge
burst or the typed-code field as text), are applied by kiosk.intake.scan_outcome and come back as
JSON for the big panel: the one copy that changed and the delivery's counts, so a
scan costs the same at copy 2,000 as at copy 10. The scan screen shows one page of copies.
"""

import base64
from datetime import date

from flask import Blueprint, abort, current_app, jsonify, redirect, render_template, request, url_for

from kiosk.intake.scan_outcome import REFUSED, ScanOutcome, scan_into_delivery
from kiosk.intake.eligibility import CATEGORIES
from kiosk.errors import KioskError
from kiosk.scan.camera import CAMERA_SCANNER, one_copy_per_book, read_frame
from kiosk.ledger.funds import FUND_LABELS_JA, KIND_LABELS_JA, default_fund, parse_fund, parse_kind
from kiosk.intake.delivery import (ROLES, AlreadyRegistered, add_slip_line, intake_library, intake_view, open_intake, open_intakes, register_intake,
                          typed_record, update_item, vendor_mapping, vendors)
from kiosk.intake.call_numbers import confirm_item_call_number
from kiosk.ledger.desk_choices import desk_choices
from kiosk.intake.register_checks import SlipDisagrees, UnconfirmedCallNumbers, registration_questions
from kiosk.intake.scan_page import changed_item, intake_counts, intake_page
from kiosk.printing.waiting_spines import waiting_spine_numbers
from kiosk.intake.slip import FIELD_LABELS_JA, UnknownSlipColumns, parse_slip
from web.camera import camera_panel
from web.context import actor, current_library
from web.db import get_db
from web.i18n import error_text, t
from web.scans import posted_frame, posted_scan, stream_scan

bp = Blueprint("delivery", __name__, url_prefix="/deliveries")


@bp.get("/")
def index():
    library = current_library()
    return render_template("delivery/index.html", intakes=open_intakes(get_db(), library.id))


@bp.get("/new")
def new():
    library = current_library()
    return render_template("delivery/new.html", vendors=vendors(get_db(), library.id), today=date.today(),
                           kinds=KIND_LABELS_JA, funds=FUND_LABELS_JA)


@bp.post("/")
def create():
    library = current_library()
    form = request.form
    kind = parse_kind(form.get("kind", "purchase"))
    fund = parse_fund(form["fund"]) if form.get("fund") else default_fund(kind)
    db = get_db()
    source = form.get("source", "").strip()
    data = _slip_bytes()
    slip, mapping = None, _mapping_from_form()
    if data is not None:
        try:
            slip = parse_slip(data, mapping or vendor_mapping(db, library.id, source))
        except UnknownSlipColumns as unknown:
            return render_template("delivery/new.html", vendors=vendors(db, library.id), today=date.today(),
                                   kinds=KIND_LABELS_JA, funds=FUND_LABELS_JA, form=form, header=unknown.header,
                                   fields=FIELD_LABELS_JA, slip_data=base64.b64encode(data).decode(),
                                   message=error_text(unknown)), 400
    received_on = _date(form.get("received_on")) if form.get("received_on") else (
        slip.received_on if slip and slip.received_on else date.today())
    intake_id = open_intake(db, library.id, source=source, received_on=received_on, kind=kind, fund=fund,
                            fund_note=form.get("fund_note") or None, actor=actor(), slip=slip, mapping=mapping or None)
    return redirect(url_for("delivery.show", intake_id=intake_id))


def _slip_bytes() -> bytes | None:
    """The uploaded slip, or the one carried over from the column-mapping form."""
    upload = request.files.get("slip")
    if upload and upload.filename:
        return upload.read()
    if request.form.get("slip_data"):
        try:
            return base64.b64decode(request.form["slip_data"], validate=True)
        except ValueError:
            raise KioskError("the carried-over slip file is damaged: choose it again",
                             "納品書ファイルをもう一度選んでください") from None
    return None


def _mapping_from_form() -> dict[str, str]:
    """Header → field chosen on the column-mapping form (fields ``column_N`` / ``header_N``)."""
    mapping = {}
    for key, field_ in request.form.items():
        if key.startswith("column_") and field_ in FIELD_LABELS_JA:
            header = request.form.get("header_" + key.removeprefix("column_"), "")
            if header:
                mapping[header] = field_
    return mapping


@bp.get("/<int:intake_id>")
def show(intake_id: int):
    """The scan screen: the newest copies (``?page=2`` for older ones) and the whole delivery's counts."""
    page = _page(intake_id)
    return render_template("delivery/scan.html", intake=page.intake, page=page, categories=CATEGORIES, roles=ROLES,
                           lookups=_scanner().lookup_states(item.id for item in page.items),
                           choices=desk_choices(get_db(), current_library().id),
                           **camera_panel("delivery", url_for("delivery.scan", intake_id=intake_id)))


@bp.get("/<int:intake_id>/items.json")
def items_json(intake_id: int):
    """The whole delivery's counts and one page of its copies, newest first (``?page=N``)."""
    page = _page(intake_id)
    return jsonify(scanned=page.counts.scanned, expected=page.counts.expected, page=page.page, pages=page.pages,
                   items=[i.to_json() for i in page.items])


def _page(intake_id: int):
    number = request.args.get("page", "1")
    page = intake_page(get_db(), intake_id, page=int(number) if number.isdigit() else 1)
    if page.intake.library_id != current_library().id:
        abort(404)
    return page


@bp.post("/<int:intake_id>/scans")
def scan(intake_id: int):
    """One scan: a USB scan the page got from the stream (JSON ``{"seq": N}``: taken as the
    feed parsed and paired it), a keyboard-wedge burst (JSON ``{"code": …}``) or a typed code
    (form field ``code``), both through the same feed. kiosk.intake.scan_outcome says what it does."""
    _check_library(intake_id)
    body = request.get_json(silent=True) if request.is_json else request.form
    body = body if hasattr(body, "get") else {}
    seq, code = body.get("seq"), body.get("code")
    if "camera" in body:
        return _camera_scan(intake_id, body)
    if seq is not None:
        event = stream_scan(int(seq)) if str(seq).isdigit() else None
        if event is None:
            return _scan_reply(ScanOutcome(REFUSED, "unknown", reason=KioskError(
                f"scan {seq} is no longer kept: scan the book again", "もう一度スキャンしてください")))
    else:
        event = posted_scan(code if isinstance(code, str) else "")
    return _scan_reply(scan_into_delivery(_scanner(), intake_id, event.pairing), intake_id)


@bp.post("/<int:intake_id>/items/<int:item_id>")
def change_item(intake_id: int, item_id: int):
    """Inspection taps, removal, a typed record or price, a 'not registered' override."""
    _check_library(intake_id)
    form = request.form
    changes: dict = {}
    if form.get("inspection"):
        changes["inspection"] = form["inspection"]
    if form.get("remove"):
        changes["removed"] = True
    if form.get("title"):
        creators = tuple((form.get(f"author_{n}", ""), form.get(f"author_{n}_reading"), form.get(f"author_{n}_role"))
                         for n in (1, 2, 3))
        year = form.get("year", "").strip()
        changes["record"] = typed_record(form.get("isbn13") or None, form["title"], form.get("authors", ""),
                                         form.get("publisher") or None, title_reading=form.get("title_reading"),
                                         creators=creators, year=_int(year) if year else None,
                                         ndc=form.get("ndc") or None)
    if form.get("price", "").strip():
        changes["price"] = _int(form["price"])
    if "category" in form:
        changes["category"] = form["category"] or None
        changes["override_note"] = form.get("override_note") or None
    update_item(get_db(), item_id, of_intake=intake_id, **changes)
    if request.accept_mimetypes.best == "application/json":
        if changes.get("removed"):
            return jsonify(ok=True, removed=True, item={"id": item_id}, counts=_counts_text(intake_counts(get_db(), intake_id)))
        return jsonify(ok=True, **_item(intake_id, item_id))
    return redirect(url_for("delivery.show", intake_id=intake_id) + f"#item-{item_id}")


@bp.post("/<int:intake_id>/items/<int:item_id>/callnumber")
def confirm_callnumber(intake_id: int, item_id: int):
    """The touch editor's 確定: the tiers staff confirmed, kept with the scanned copy."""
    _check_library(intake_id)
    form = request.form
    confirm_item_call_number(get_db(), item_id, of_intake=intake_id, top=form.get("top", ""),
                             bottom=form.get("bottom", ""), volume=form.get("volume") or None, actor=actor())
    if request.accept_mimetypes.best == "application/json":
        return jsonify(ok=True, **_item(intake_id, item_id))
    return redirect(url_for("delivery.show", intake_id=intake_id) + f"#item-{item_id}")


@bp.get("/<int:intake_id>/check")
def check(intake_id: int):
    view = _view(intake_id)
    return render_template("delivery/check.html", intake=view, check=view.check,
                           items={item.id: item for item in view.items},
                           printable=request.args.get("print") == "1")


@bp.post("/<int:intake_id>/slip-lines")
def add_line(intake_id: int):
    """A slip line typed in on the check screen."""
    _check_library(intake_id)
    form = request.form
    add_slip_line(get_db(), intake_id, title=form.get("title", ""), isbn=form.get("isbn") or None,
                  quantity=_int(form.get("quantity") or "1"),
                  unit_price=_int(form["unit_price"]) if form.get("unit_price", "").strip() else None)
    return redirect(url_for("delivery.check", intake_id=intake_id))


@bp.post("/<int:intake_id>/register")
def register(intake_id: int):
    """登録. A delivery that disagrees with its slip, or copies whose call number is estimated or
    missing, are refused with the confirmation screen: it lists them and its own button sends
    the second confirmation (the differences' fingerprint and the copies' ids, as shown)."""
    _check_library(intake_id)
    form = request.form
    accepted_items = [int(part) for part in form.get("accept_items", "").split(",") if part.strip().isdigit()]
    try:
        result = register_intake(get_db(), intake_id, actor=actor(),
                                 accept_discrepancies=form.get("accept_discrepancies", ""),
                                 accept_call_numbers=accepted_items)
    except AlreadyRegistered as already:  # a double tap or a second tab: the first one registered
        current_app.logger.info("register refused: %s", already)
        return render_template("error.html", message=error_text(already)), 409
    except (SlipDisagrees, UnconfirmedCallNumbers) as question:
        current_app.logger.info("register asks a second confirmation: %s", question)
        view = _view(intake_id)
        fingerprint, waiting = registration_questions(view)
        return render_template("delivery/confirm_register.html", intake=view, check=view.check,
                               items={item.id: item for item in view.items}, fingerprint=fingerprint,
                               waiting=waiting), 409
    return render_template("delivery/registered.html", intake={"id": intake_id}, result=result,
                           waiting_spines=waiting_spine_numbers(get_db(), current_library().id,
                                                                [c.number for c in result.copies]))


def _camera_scan(intake_id: int, body) -> tuple:
    """The codes the camera counted in one frame (JSON ``{"camera": [{"text", "format"}…],
    "scanner_id": "camera…"}``; kiosk.scan.camera says what one look may hold): through the feed
    together, then each into the delivery. The reply is the copy the look added or priced (its
    ISBN and 192 code side by side: one copy with its price), else why nothing was."""
    scanner_id = body.get("scanner_id") or "camera"
    if not isinstance(scanner_id, str) or not CAMERA_SCANNER.fullmatch(scanner_id):
        raise KioskError(f"scanner_id {scanner_id!r:.40} is not a camera's (camera or camera-NAME)",
                         "スキャナーの指定が違います")
    events = posted_frame(read_frame(body.get("camera")), scanner_id)
    outcomes = [scan_into_delivery(_scanner(), intake_id, pairing)
                for pairing in one_copy_per_book([event.pairing for event in events])]
    done = [outcome for outcome in outcomes if outcome.ok]
    return _scan_reply(done[-1] if done else outcomes[0], intake_id)


def _scan_reply(outcome: ScanOutcome, intake_id: int | None = None):
    """The scan's outcome as the page reads it: the copy that changed, or why nothing did."""
    if outcome.ok:
        return jsonify(ok=True, kind=outcome.kind, **_item(intake_id, outcome.item_id)), 200
    current_app.logger.info("scan refused: %s", outcome.reason)
    extra = {"number": outcome.number} if outcome.number is not None else {}
    return jsonify(ok=False, kind=outcome.kind, message=error_text(outcome.reason), **extra), 422


@bp.get("/<int:intake_id>/items/<int:item_id>")
def item(intake_id: int, item_id: int):
    """One copy as JSON with its row's HTML (the page polls this while a lookup runs)."""
    return jsonify(ok=True, **_item(intake_id, item_id))


def _item(intake_id: int, item_id: int) -> dict:
    """The copy's data and its list row, rendered (and escaped) by the same template as the
    page, with the delivery's counts: read by id and by count, never the whole delivery."""
    changed = changed_item(get_db(), intake_id, item_id)
    if changed.intake.library_id != current_library().id:
        abort(404)
    lookup = _scanner().lookup_state(item_id)
    row = render_template("delivery/_item.html", item=changed.item, intake=changed.intake, categories=CATEGORIES, roles=ROLES,
                          lookups={item_id: lookup})
    return {"item": changed.item.to_json(), "row": row, "counts": _counts_text(changed.counts), "lookup": lookup}


def _counts_text(counts) -> str:
    return t("scan.counts", scanned=counts.scanned, expected=counts.expected if counts.expected is not None else "—")


def _scanner():
    return current_app.extensions["intake_scanner"]


def _check_library(intake_id: int) -> None:
    """This kiosk's library's delivery, or 404 (cheap: the scan path calls it)."""
    if intake_library(get_db(), intake_id) != current_library().id:
        abort(404)


def _view(intake_id: int):
    view = intake_view(get_db(), intake_id)
    if view.library_id != current_library().id:
        abort(404)
    return view


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise KioskError(f"date {text!r} is not YYYY-MM-DD", "日付の形式が正しくありません（例 2026-11-20）") from None


def _int(text: str) -> int:
    cleaned = text.replace(",", "").replace("円", "").strip()
    if not cleaned.lstrip("-").isdigit():
        raise KioskError(f"{text!r} is not a whole number of yen", "価格は数字で入力してください")
    return int(cleaned)



@bp.get("/<int:intake_id>/discrepancy.pdf")
def discrepancy_pdf(intake_id: int):
    """The delivery discrepancy report for the bookseller (納品差異報告書), as `kiosk report
    discrepancy --delivery ID` writes it."""
    from flask import Response

    from printer.reports import report_pdf

    pdf = report_pdf(get_db(), current_library().id, "discrepancy", delivery=intake_id)
    return Response(pdf, content_type="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="discrepancy-{intake_id}.pdf"'})
