"""A served kiosk's warm-up (kiosk_app.serve.ready_to_serve → web.warm_up): every template
compiled before the first request, and a real label sheet rendered with the label font."""

import subprocess

from printer.warm_up import warm_up as warm_printer
from web.warm_up import warm_up


def test_every_template_is_compiled_before_the_first_request(app):
    app.jinja_env.cache.clear()
    compiled = warm_up(app)
    names = [name for name in app.jinja_env.list_templates() if name.endswith(".html")]
    assert compiled == len(names) > 20
    cached = {key[1] for key in app.jinja_env.cache.keys()}
    assert set(names) <= cached, sorted(set(names) - cached)


def test_the_printer_warm_up_renders_a_real_sheet(tmp_path):
    pdf = tmp_path / "warm.pdf"
    pdf.write_bytes(warm_printer())
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "913" in text and "ア" in text  # the spine label, in the label font
    assert "図書館" in text  # the barcode label
