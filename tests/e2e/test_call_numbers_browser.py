"""The desk's call-number step in headless Chromium at 1024×600 (issue 14), offline: a slip whose
books no source knows (no NDC), proposals on the cards, staff confirming on the touch editor, the
second confirmation, and spine labels that all come out with both tiers (read back with
pdftotext); a copy with no call number whose spine label waits, then prints once it is set."""

import subprocess

from tests.browser_wait import wait_for
from tests.e2e.conftest import screenshot
from tests.e2e.test_delivery_browser import scan_and_wait, start_delivery

SLIP = ("納品日,書店名,伝票番号,行,書名,著者,出版社,ISBN,本体価格,税込単価,数量,金額,Cコード\n"
        "2026/11/20,ひまわり書店,B-1,1,はらぺこあおむし,エリック・カール 作; もり ひさし 訳,偕成社,9784033280103,1200,1320,1,1320,C8797\n"
        "2026/11/20,ひまわり書店,B-1,2,坊っちゃん,夏目漱石,岩波書店,9784003101018,500,550,1,550,C0193\n"
        "2026/11/20,ひまわり書店,B-1,3,日本の歴史 1,,学研プラス,9784062748681,1500,1650,1,1650,C8321\n"
        ",,,,合計,,,,,,3,3520,\n")


def _printer(live_kiosk, folder):
    from kiosk.settings import change_settings

    with live_kiosk.db.write() as session:
        change_settings(session, 1, "printing", {"printer": f"pdf:{folder}"}, actor="t")


def _pdf_text(path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def _inspect_all(page, count):
    for index in range(count):
        page.locator("#items > li").nth(index).locator("button.tap.ok").tap()
        wait_for(page, f"document.querySelectorAll('#items > li.ok').length === {index + 1}")


def _edit(page, title):
    page.locator("#items > li", has_text=title).locator(".cn-open").tap()
    page.wait_for_selector("#cn-editor[open]")


def test_an_offline_slip_gets_proposals_confirmed_on_touch_and_every_spine_has_both_tiers(page, live_kiosk, tmp_path):
    _printer(live_kiosk, tmp_path / "printed")
    slip = tmp_path / "slip.csv"
    slip.write_text(SLIP, encoding="utf-8-sig")
    start_delivery(page, live_kiosk, slip=slip)
    for n, code in enumerate(["9784033280103", "9784003101018", "9784062748681"], start=1):
        scan_and_wait(page, code, n)
    _inspect_all(page, 3)
    cards = page.locator("#items")
    assert cards.locator(".badge.estimated").count() == 4  # 坊っちゃん 913/ナ and 日本の歴史 210/ニ: 推定
    assert "Cコード 0193" in cards.inner_text() and "納品書" in cards.inner_text()
    screenshot(page, "30-call-number-proposals")

    _edit(page, "坊っちゃん")  # the class to 913.6 on the keypad, the reading picked among the proposals
    assert page.input_value("#cn-top") == "913" and "明治以降" in page.inner_text("#cn-hint")
    page.tap("#cn-top")
    page.tap(".cn-key[data-cn-key='.']")
    page.tap(".cn-key[data-cn-key='6']")
    page.locator("#cn-readings .choice-key", has_text="ナツメ").first.tap()
    screenshot(page, "31-call-number-editor")
    page.tap("#cn-confirm")
    page.wait_for_selector("#items > li:has-text('坊っちゃん') .callnumber.is-confirmed")

    page.click("text=納品書との照合")
    page.click("button.go")  # 日本の歴史 is still 推定: listed, its own button
    page.wait_for_selector("#confirm-register")
    assert "日本の歴史 1" in page.inner_text("#unsettled") and "坊っちゃん" not in page.inner_text("#unsettled")
    screenshot(page, "32-second-confirmation")
    page.click("#confirm-back")
    _edit(page, "日本の歴史")  # the 図書記号 typed on the 五十音 keys: ニ → clear → ニ
    page.tap(".kana-key[data-kana-mod='clear']")
    page.tap(".kana-key[data-kana='ニ']")
    page.tap("#cn-confirm")
    page.wait_for_selector("#items > li:has-text('日本の歴史') .callnumber.is-confirmed")

    page.click("text=納品書との照合")
    page.click("button.go")  # nothing estimated or missing any more: registered on one tap
    page.wait_for_selector("table.registered")
    assert page.locator("#spine-waiting").count() == 0
    page.click("#print-labels")
    page.wait_for_url("**/printing/")
    (printed,) = (tmp_path / "printed").glob("labels-*.pdf")
    text = _pdf_text(printed)
    for tier in ("E", "カ", "913.6", "ナ", "210", "ニ"):
        assert tier in text, (tier, text)


def test_a_spine_label_waits_for_its_call_number_then_prints(page, live_kiosk, tmp_path):
    _printer(live_kiosk, tmp_path / "printed")
    slip = tmp_path / "slip.csv"
    slip.write_text(SLIP.splitlines()[0] + "\n2026/11/20,ひまわり書店,B-2,1,ABC,,,9784062748681,1500,1650,1,1650,\n",
                    encoding="utf-8-sig")
    start_delivery(page, live_kiosk, slip=slip)
    scan_and_wait(page, "9784062748681", 1)
    _inspect_all(page, 1)
    assert page.locator("#items .badge.missing").count() == 2  # no class, no kana: 未定
    page.click("text=納品書との照合")
    page.click("button.go")
    page.click("#confirm-register")  # registered as it is, deliberately
    page.wait_for_selector("#spine-waiting")
    page.click("#print-labels")
    page.wait_for_url("**/printing/")
    (barcodes,) = (tmp_path / "printed").glob("labels-*.pdf")
    assert "ABC" in _pdf_text(barcodes)  # the barcode label (with its title) printed; no spine label
    assert "請求記号待ち" in page.inner_text("main")
    screenshot(page, "33-spine-waiting")
    page.click("text=請求記号を設定")
    page.tap("#cn-set-open")
    for key in "370":
        page.tap(f".cn-key[data-cn-key='{key}']")
    page.tap(".kana-key[data-kana='ア']")
    page.tap(".kana-key[data-kana='ウ']")  # a second letter, taken back
    page.tap(".kana-key[data-kana-mod='back']")
    page.tap("#cn-confirm")
    page.wait_for_selector("#copy-call-number:has-text('370')")
    assert page.locator("#spine-waiting").count() == 0
    spine = [path for path in (tmp_path / "printed").glob("labels-*.pdf") if path != barcodes]
    assert len(spine) == 1 and "370" in _pdf_text(spine[0]) and "ア" in _pdf_text(spine[0])
    screenshot(page, "34-spine-printed-after-set")
