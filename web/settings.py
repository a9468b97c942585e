"""Settings (staff only): the library and its ledger, item barcodes, scanner, printing, the
processing checklist, lookups, the staff PIN."""

from contextlib import contextmanager

from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for

from kiosk.errors import KioskError
from kiosk.library import change_library
from kiosk.ledger.number_ranges import typed_items
from kiosk.ledger.prices import ROUNDING_MODES
from kiosk.settings import CHANGEABLE, library_settings, save_settings_section
from kiosk.staff import NoSuchMember, NotPermitted, add_member as add_staff_member, remove_member_by_admin, set_own_pin, staff_screen
from web.context import actor, current_library, kiosk_settings
from web.db import get_db
from web.security import end_staff_session, staff_member_id, staff_required, start_staff_session

bp = Blueprint("settings", __name__, url_prefix="/settings")


@bp.get("/")
@staff_required
def index():
    library = current_library()
    settings = library_settings(get_db(), library.id)
    # Each section's choices come with it (settings.printing.CARD_LAYOUTS, …).
    return render_template("settings.html", library=library, settings=settings, roundings=ROUNDING_MODES,
                           saved=request.args.get("saved"), backup=_backup_state(), **_staff_state())


def _backup_state() -> dict | None:
    """Where backups go, the newest, and the automatic backup's last failure (SQLite only)."""
    from datetime import datetime

    from kiosk.db.backup import backup_dir, latest_backup

    if get_db().dialect != "sqlite":
        return None
    latest = latest_backup()
    timer = current_app.extensions.get("backup_timer")
    return {"directory": backup_dir(), "latest": latest.name if latest else None,
            "latest_at": datetime.fromtimestamp(latest.stat().st_mtime).strftime("%Y-%m-%d %H:%M") if latest else None,
            "error": timer.last_error if timer else None, "minutes": timer.minutes if timer else None}


@bp.post("/library")
@staff_required
def library():
    form = request.form
    change_library(get_db(), current_library().id, actor=actor(), name=form.get("name") or None,
                   isil=form.get("isil") or None, sheet_rows=_int(form.get("sheet_rows")),
                   first_number=_int(form.get("first_number")), tax_rounding=form.get("tax_rounding") or None)
    return redirect(url_for("settings.index", saved="library"))


@bp.post("/<section>")
@staff_required
def section(section: str):
    if section not in CHANGEABLE:
        raise KioskError(f"unknown settings section {section!r}", "設定の種類が正しくありません")
    values = {key: value for key, value in request.form.items() if key != "csrf_token"}
    for key in ("width", "digits", "mark_length"):
        if key in values:
            values[key] = _int(values[key])
    if section == "item_code" and "prefix" in values:
        values["prefix"] = values["prefix"].strip().upper()  # typed tku: the letters TKU
    if section == "callnumber":
        values["volume_tier"] = "volume_tier" in request.form  # a check box: sent only when ticked
    if section == "printing":
        if "palette" in values:
            from printer.labels import parse_palette

            values["palette"] = parse_palette(values["palette"])
        _check_printing(values)
    for key in ("double_read_seconds", "price_code_seconds", "offset_x_mm", "offset_y_mm"):
        if key in values:
            values[key] = _float(values[key])
    if section == "lookup":
        values["offline"] = "offline" in request.form  # a check box: sent only when ticked
    if section == "processing":
        values["steps"] = typed_items(values.get("steps", ""))
    saved = save_settings_section(get_db(), current_library().id, section, values, actor=actor(),
                                  revise=_keep_calibrations if section == "printing" else None)
    if section == "lookup":
        from web.lookups import configure_lookups

        configure_lookups(current_app, get_db(), saved)
    return redirect(url_for("settings.index", saved=section))


def _keep_calibrations(settings, values: dict) -> dict:
    """The offsets typed are this printer's; each printer keeps its own."""
    from printer.calibration import with_calibrations
    from web.printing import printers_from_form

    return with_calibrations(settings.printing, printers_from_form(settings.printing, values))


@bp.post("/backup")
@staff_required
def backup():
    """Back up now (an SQLite kiosk), e.g. before the PC is moved or updated."""
    from kiosk.db.backup import back_up

    made = back_up(get_db())
    return redirect(url_for("settings.index", saved="backup", backup=made.path.name))


@bp.post("/pin")
@staff_required
def pin():
    """Your own PIN; on a kiosk with no staff yet, the first member's name and PIN (the
    administrator, who is then signed in)."""
    with _staff_only():
        first = set_own_pin(get_db(), current_library().id, staff_member_id(), request.form.get("pin", ""),
                            first_name=request.form.get("name"), actor=actor())
    if first is not None:
        start_staff_session(kiosk_settings().staff.session_minutes, first)
    return redirect(url_for("settings.index", saved="pin"))


@bp.post("/staff")
@staff_required
def add_member():
    """The administrator adds a member of staff."""
    with _staff_only():
        add_staff_member(get_db(), current_library().id, request.form.get("name", ""), request.form.get("pin", ""),
                         admin="admin" in request.form, actor=actor(), by=staff_member_id() or 0)
    return redirect(url_for("settings.index", saved="staff"))


@bp.post("/staff/<int:member_id>/remove")
@staff_required
def remove_member(member_id: int):
    """The administrator removes a member (not the last administrator); removing oneself signs out."""
    with _staff_only():
        remove_member_by_admin(get_db(), current_library().id, staff_member_id(), member_id, actor=actor())
    if member_id == staff_member_id():
        end_staff_session()
        return redirect(url_for("home.index"))
    return redirect(url_for("settings.index", saved="staff"))


@contextmanager
def _staff_only():
    """A staff change the signed-in member may not make is 403 (kiosk.staff.NotPermitted), one
    on a member not there 404."""
    try:
        yield
    except NotPermitted:
        abort(403)
    except NoSuchMember:
        abort(404)


def _staff_state() -> dict:
    """The settings screen's staff section: the members, who is signed in, recent wrong PINs
    and this kiosk's count of them."""
    from web.staff import kiosk_identity

    screen = staff_screen(get_db(), current_library().id, kiosk_identity().id, staff_member_id())
    return {"staff_list": screen.members, "pin_failures": screen.pin_failures, "me": screen.me,
            "pin_throttle": screen.throttle}


def _check_printing(values: dict) -> None:
    """A printer URL staff may set (kiosk.printing.printers) and label sheets that exist, before they are
    saved (the rest of the section checks itself: kiosk.printing_settings)."""
    from kiosk.printing.printers import check_printer_url
    from printer.templates import find_template

    if values.get("printer"):
        values["printer"] = check_printer_url(values["printer"])
    for key in ("spine_template", "barcode_template"):
        if values.get(key):
            find_template(values[key])


def _int(text: str | None) -> int | None:
    if text is None or not text.strip():
        return None
    if not text.strip().isdigit():
        raise KioskError(f"{text!r} is not a whole number", "数字で入力してください")
    return int(text)


def _float(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        raise KioskError(f"{text!r} is not a number", "数字で入力してください") from None


# 設定 → ラベルの印刷: finding a label sheet by the number on its package (printer.sheet_search),
# its layout drawn to scale (printer.sheet_drawing), and choosing it for spine or barcode labels.

@bp.app_template_global("sheet_view")
def _sheet_view(name: str):
    from printer.sheet_drawing import sheet_view

    return sheet_view(name)


@bp.get("/sheets")
@staff_required
def sheets():
    """The sheets matching ``q`` (maker, product number, N面); ``partial=1``: the list alone, for
    the settings screen's search field."""
    from printer.sheet_search import find_refused_sheets, find_sheets

    query = (request.args.get("q") or "").strip()[:MAX_SHEET_QUERY]
    found = {"query": query, "sheets": find_sheets(query), "refused": find_refused_sheets(query)[:MAX_REFUSED_SHOWN]}
    return _sheet_page("settings/sheet_results.html", **found)


@bp.get("/sheet")
@staff_required
def sheet():
    """One sheet (``name``: BRAND:PART): its layout to scale, the buttons that choose it and print
    its outline test page; a refused sheet, its reason."""
    return _sheet_page("settings/sheet_card.html", sheet=_sheet_view(request.args.get("name", "")))


@bp.post("/sheet")
@staff_required
def choose_sheet():
    """The sheet ``name`` for the ``role``'s labels (spine or barcode): refused with the reason
    when it cannot be printed on (printer.templates.find_template)."""
    from printer.sheet_drawing import SHEET_ROLES
    from printer.templates import find_template

    role, name = request.form.get("role", ""), request.form.get("name", "").strip()
    if role not in SHEET_ROLES:
        raise KioskError(f"label role must be one of {', '.join(SHEET_ROLES)}, not {role!r}", "ラベルの種類が正しくありません")
    sheet = find_template(name)
    save_settings_section(get_db(), current_library().id, "printing", {SHEET_ROLES[role]: sheet.name}, actor=actor())
    current_app.logger.info("settings: %s labels now print on sheet %s (by %s)", role, sheet.name, actor())
    return redirect(url_for("settings.index", saved="printing", _anchor="sheets"))


MAX_SHEET_QUERY = 60
MAX_REFUSED_SHOWN = 10


def _sheet_page(partial: str, **values):
    """A sheet partial alone (``partial=1``, fetched by js/sheet_search.js), or in a page of its own."""
    if request.args.get("partial"):
        return render_template(partial, **values)
    return render_template("settings/sheet_page.html", partial=partial, **values)
