"""Each sheet printer keeps its own x/y calibration; roll printers need none."""

from kiosk.printing_settings import PrintingSettings
from printer.calibration import offset_for, sheet_printer, with_calibrations

BEFORE_STORED = {"printer": "cups:Office", "offset_x_mm": 1.5, "offset_y_mm": -0.5, "offsets": {}}
BEFORE = PrintingSettings.from_stored(BEFORE_STORED)


def test_roll_printers_leave_the_calibration_to_the_browsers_pdf():
    assert sheet_printer("cups:Office") == "cups:Office" and sheet_printer(None) == ""
    assert sheet_printer("zpl:tcp://192.0.2.10:9100") == sheet_printer("brother-ql:usb://0x04f9:0x209d") == ""


def test_a_printer_gets_its_own_shift_and_no_one_elses():
    stored = {**BEFORE_STORED, "offsets": {"cups:Office": [1.5, -0.5], "ipp://192.0.2.5/ipp/print": [0.3, 0.2]}}
    printing = PrintingSettings.from_stored(stored)
    assert offset_for(printing, "cups:Office") == (1.5, -0.5)
    assert offset_for(printing, "ipp://192.0.2.5/ipp/print") == (0.3, 0.2)
    assert offset_for(printing, "cups:Library") == (0.0, 0.0)  # never calibrated
    assert offset_for(printing, None) == (0.0, 0.0)  # the browser's PDF is another printer here
    assert offset_for(PrintingSettings.from_stored({**stored, "printer": "zpl:tcp://192.0.2.10:9100"}), None) == (1.5, -0.5)


def test_switching_printers_brings_back_each_ones_calibration():
    to_lab = with_calibrations(BEFORE, {"printer": "cups:Lab", "offset_x_mm": 1.5, "offset_y_mm": -0.5})
    assert (to_lab["offset_x_mm"], to_lab["offset_y_mm"]) == (0.0, 0.0)  # untyped: the Lab's own (none yet)
    assert to_lab["offsets"] == {"cups:Office": [1.5, -0.5], "cups:Lab": [0.0, 0.0]}
    lab = {**BEFORE_STORED, **to_lab}
    calibrated = with_calibrations(PrintingSettings.from_stored(lab),
                                   {"printer": "cups:Lab", "offset_x_mm": 0.8, "offset_y_mm": 0.0})
    back = with_calibrations(PrintingSettings.from_stored({**lab, **calibrated}),
                             {"printer": "cups:Office", "offset_x_mm": 0.8, "offset_y_mm": 0.0})
    assert (back["offset_x_mm"], back["offset_y_mm"]) == (1.5, -0.5)
    assert back["offsets"] == {"cups:Office": [1.5, -0.5], "cups:Lab": [0.8, 0.0]}


def test_offsets_typed_with_a_new_printer_are_the_new_printers():
    saved = with_calibrations(BEFORE, {"printer": "cups:Lab", "offset_x_mm": 2.0, "offset_y_mm": 1.0})
    assert saved["offsets"] == {"cups:Office": [1.5, -0.5], "cups:Lab": [2.0, 1.0]}
