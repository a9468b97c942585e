"""設定 → ラベル用紙 in real Chromium (under the kiosk's CSP, which fails the test on any
violation): 28368 typed on the on-screen keypad lists エーワン 44面, tapping it draws its 44
labels to scale, its outline test page downloads as a PDF of that sheet, choosing it sets the
barcode sheet, and a refused sheet shows its Japanese reason with nothing to print."""

from kiosk.settings import settings_for
from tests.browser_wait import wait_for
from tests.e2e.conftest import screenshot
from tests.web.test_settings_sheets import _page_operators


def _sign_in(page, live_kiosk):
    page.goto(f"{live_kiosk.url}/staff/login?next=/settings/")
    page.click("form.pin-form button[type=submit]")  # no PIN set yet: staff pages are open
    page.goto(f"{live_kiosk.url}/settings/")


def test_a_sheet_found_by_its_package_number_is_drawn_tested_and_chosen(page, live_kiosk):
    _sign_in(page, live_kiosk)
    page.tap("#sheet-query")
    for key in "28368":
        page.tap(f"#keypad .key[data-key='{key}']")
    wait_for(page, "document.querySelector('#sheet-results a.sheet-pick') !== null")
    first = page.locator("#sheet-results a.sheet-pick").first
    assert first.get_attribute("data-name") == "A-one:28368"
    assert " ".join(first.inner_text().split()) == "エーワン 28368 44面 48.3×25.4mm"
    assert first.bounding_box()["height"] >= 47.5  # a touch target
    first.tap()
    card = "#sheet-results #sheet-card-A-one-28368"
    page.wait_for_selector(f"{card} svg.sheet-layout")
    box = page.locator(f"{card} svg.sheet-layout").bounding_box()
    assert abs(box["width"] / box["height"] - 210 / 297) < 0.01  # A4, to scale
    assert page.locator(f"{card} svg rect.label").count() == 44
    screenshot(page, "14-settings-sheet-28368")
    with page.expect_download() as download:
        page.tap(f"{card} a.sheet-test-page")
    pdf = open(download.value.path(), "rb").read()
    assert pdf.startswith(b"%PDF") and _page_operators(pdf).count(" re S") == 44  # this sheet's outlines
    page.tap(f"{card} button[data-role=barcode]")
    page.wait_for_selector(".ok-banner")
    with live_kiosk.db.read() as session:
        assert settings_for(session, 1).printing.barcode_template == "A-one:28368"
    assert page.locator("#sheet-chosen #sheet-card-A-one-28368 svg rect.label").count() == 44


def test_a_refused_sheet_says_why_in_japanese(page, live_kiosk):
    _sign_in(page, live_kiosk)
    page.fill("#sheet-query", "SRA3450320")
    wait_for(page, "document.querySelector('#sheet-results .sheet-refused') !== null")
    assert "使えません（用紙サイズ「SRA3」が分かりません）" in page.inner_text("#sheet-results .sheet-refused")
    assert page.locator("#sheet-results a.sheet-pick").count() == 0
    page.goto(f"{live_kiosk.url}/settings/sheet?name=Endisch:SRA3450320")
    assert "用紙サイズ「SRA3」が分かりません" in page.inner_text("[role=alert]")
    assert page.locator("a.sheet-test-page, button[data-role]").count() == 0


def test_the_item_barcode_is_chosen_on_the_settings_screen(page, live_kiosk):
    """Code 39 with the letters TKU, M10W21 and 7 digits, chosen with real taps; then a prefix on
    NW-7 is refused with the Japanese reason and the saved choice stays."""
    _sign_in(page, live_kiosk)
    form = "form[action$='/settings/item_code']"
    page.select_option(f"{form} select[name=symbology]", "code39")
    page.select_option(f"{form} select[name=check]", "m10w21")
    assert "公共図書館に最も多い" in page.inner_text(f"{form} select[name=check] option:checked")
    page.tap(f"{form} input[name=width]")
    for key in ("clear", "7", "ok"):
        page.tap(f"#keypad .key[data-key='{key}']")
    page.fill(f"{form} input[name=prefix]", "tku")
    page.tap(f"{form} button[type=submit]")
    page.wait_for_selector(".ok-banner")
    with live_kiosk.db.read() as session:
        chosen = settings_for(session, 1).item_code
    assert (chosen.symbology, chosen.check, chosen.width, chosen.prefix) == ("code39", "m10w21", 7, "TKU")
    assert page.input_value(f"{form} input[name=prefix]") == "TKU"
    page.select_option(f"{form} select[name=symbology]", "nw7")
    with page.expect_navigation():
        page.tap(f"{form} button[type=submit]")
    assert "Code 39 のときだけ使えます" in page.inner_text("main")
    with live_kiosk.db.read() as session:
        assert settings_for(session, 1).item_code == chosen
