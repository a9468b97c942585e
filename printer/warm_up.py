"""Load what the first label sheet and the first ledger PDF of a served kiosk would otherwise
load while staff wait: python-barcode (and the Pillow modules it imports), the label font's
tables, the sheet-template index. The labels PDF right after a 300-copy 登録 took 80–110 ms the
first time and 30–45 ms after; this makes the first one an ordinary one."""

from kiosk.codes.itemcode import ItemCodeSettings
from kiosk.labels.callnumber import CallNumber
from kiosk.printing_settings import PrintingSettings
from printer.barcode import item_barcode
from printer.labels import barcode_label, spine_label
from printer.sheet_pdf import render_sheets_pdf
from printer.templates import find_template


def warm_up(printing: PrintingSettings = PrintingSettings(), codes: ItemCodeSettings = ItemCodeSettings()) -> bytes:
    """Render one spine and one barcode label on the given sheets, as the kiosk would, and throw
    the PDF away (returned for the test that reads it back)."""
    spine = spine_label(1, CallNumber("913", "ア"))
    barcode = barcode_label(1, item_barcode(1, codes), "図書館", "書名")
    groups = [([spine], find_template(printing.spine_template), 1),
              ([barcode], find_template(printing.barcode_template), 1)]
    return render_sheets_pdf(groups)
