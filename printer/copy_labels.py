"""The labels of registered copies, from the ledger and the library's settings, as one PDF."""

from dataclasses import dataclass, replace

from kiosk.labels.copy_set import LabelData, load_label_data
from kiosk.errors import KioskError
from kiosk.printing.queue import LabelKind, parse_label_kind
from kiosk.settings import settings_for
from kiosk.db.storage import Database
from printer.barcode import item_barcode
from printer.calibration import offset_for
from printer.labels import barcode_label, colours_from_settings, spine_label
from printer.sheet_pdf import render_sheets_pdf
from printer.templates import find_template


@dataclass(frozen=True)
class LabelOptions:
    kind: str = LabelKind.BOTH  # a LabelKind, or its value (checked when the labels are made)
    spine_template: str | None = None  # BRAND:PART; None: the settings' (kiosk.printing_settings)
    barcode_template: str | None = None
    start: int = 1  # first free position on the (first) sheet
    same_sheet: bool = False  # spine and barcode labels side by side on the barcode sheet
    item_code: dict | None = None  # override the settings' symbology / check scheme
    printer: str | None = None  # where the sheet goes (None: the browser): its calibration applies
    incomplete_spines: bool = False  # the screen's preview only: a spine label with a tier missing


def labels_pdf(db: Database, library_id: int, numbers: list[int], options: LabelOptions = LabelOptions()) -> bytes:
    data = load_label_data(db, library_id, numbers)
    groups = _groups(data, numbers, options)
    return render_sheets_pdf(groups, offset_mm=offset_for(data.settings.printing, options.printer))


def collected_pdf(db: Database, library_id: int, jobs, *, start: int = 1) -> bytes:
    """One PDF for jobs collected for a sheet: every spine label on the spine sheet (from
    ``start``), then every barcode label on the barcode sheet, in the order they were queued."""
    spines = [n for job in jobs if LabelKind(job.kind).has_spine for n in job.numbers]
    barcodes = [n for job in jobs if LabelKind(job.kind).has_barcode for n in job.numbers]
    if not spines and not barcodes:
        raise KioskError("no labels are waiting for a sheet", "シートにまとめるラベルはありません")
    data = load_label_data(db, library_id, spines + barcodes)
    groups = _groups(data, spines, LabelOptions(kind=LabelKind.SPINE, start=start)) if spines else []
    if barcodes:
        groups += _groups(data, barcodes, LabelOptions(kind=LabelKind.BARCODE, start=1 if spines else start))
    return render_sheets_pdf(groups, offset_mm=offset_for(data.settings.printing, None))  # opened in the browser


def test_page_pdf(db: Database, library_id: int, template: str | None = None, printer: str | None = None) -> bytes:
    """The calibration page: every label's outline on the sheet, moved by the offset of
    ``printer`` (None: the browser's). Print it on plain paper, lay it over a label sheet, and
    correct the offset in settings."""
    with db.read() as session:
        printing = settings_for(session, library_id).printing
    sheet = find_template(template or printing.barcode_template)
    return render_sheets_pdf([([], sheet, 1)], offset_mm=_offset(db, library_id, printer), outline=True)


def _offset(db: Database, library_id: int, printer: str | None) -> tuple[float, float]:
    with db.read() as session:
        return offset_for(settings_for(session, library_id).printing, printer)


def labels_for(db: Database, library_id: int, numbers: list[int], options: LabelOptions = LabelOptions()):
    """(labels, [(width_mm, height_mm)…]) in print order, for a roll printer: each label at the
    size of the sheet template it would have on A4."""
    labels, sizes = [], []
    for group, template, _ in _groups(load_label_data(db, library_id, numbers), numbers, options):
        labels += group
        sizes += [template.label_mm] * len(group)
    return labels, sizes


def _groups(chosen: LabelData, numbers: list[int], options: LabelOptions) -> list:
    kind = parse_label_kind(options.kind, "ラベルの種類は spine / barcode / both です")
    printing, copies = chosen.settings.printing, chosen.by_number
    codes = replace(chosen.settings.item_code, **(options.item_code or {}))
    palette, colour = colours_from_settings(printing)
    # A label per number as listed (a number given twice: two labels). A copy whose call number
    # lacks a tier gets no spine label here: it waits as 請求記号待ち (kiosk.printing.waiting_spines).
    printed = [n for n in numbers if copies[n].complete or options.incomplete_spines]
    spine_of = {n: spine_label(n, chosen.call_number(copies[n]), palette=palette, colour=colour) for n in printed}
    spines = [spine_of[n] for n in printed]
    barcode_of = {n: barcode_label(n, item_barcode(n, codes), chosen.library_name, copies[n].title) for n in numbers}
    barcodes = [barcode_of[n] for n in numbers]
    spine_sheet = find_template(options.spine_template or printing.spine_template)
    barcode_sheet = find_template(options.barcode_template or printing.barcode_template)
    if not spines and kind is LabelKind.SPINE:
        raise KioskError("no copy asked for has a complete call number: spine labels wait for it",
                         "請求記号が決まっていないため、背ラベルは印刷できません（請求記号待ち）")
    if kind is LabelKind.SPINE:
        groups = [(spines, spine_sheet, options.start)]
    elif kind is LabelKind.BARCODE:
        groups = [(barcodes, barcode_sheet, options.start)]
    elif options.same_sheet:
        # each copy's spine label (when it has one) beside its own barcode label
        groups = [([label for n in numbers for label in ((spine_of[n],) if n in spine_of else ()) + (barcode_of[n],)],
                   barcode_sheet, options.start)]
    else:
        groups = [(spines, spine_sheet, options.start), (barcodes, barcode_sheet, 1)]
    return groups
