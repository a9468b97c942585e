"""Every page of the kiosk in headless Chromium at 1024×600, visited once in each language:
every button's text is readable (contrast ≥ 4.5:1, computed in the browser from the computed
styles), the English pages have no Japanese left outside the data they show (elements marked
``data-content``, or ``lang="ja"``: docs/screens.md), and the 1024×600 layout holds (the new
delivery's start button above the fold, ledger headers and dates on one line, the keypad never
over the field it fills). Then the two flows the same try found wanting: a withdrawal asks
twice and shows its note afterwards; an unknown ISBN's lookup says one state at a time."""

from datetime import date
from pathlib import Path

import pytest

from tests.browser_wait import wait_for
from tests.e2e.conftest import screenshot
from tests.e2e.test_delivery_browser import scan_burst, start_delivery

# SQLite only: contrast, translation and layout are the page's, not the database's. The suite stays
# well under 15 minutes; test_delivery_browser.py and test_call_numbers_browser.py drive whole
# deliveries on both backends.
pytestmark = pytest.mark.parametrize("backend", ["sqlite"])


SLIP = Path(__file__).parents[1] / "delivery" / "fixtures" / "slip-himawari-utf8bom.csv"

# Every tappable thing that carries text.
BUTTONS = "button, .button, a.nav, .tile, .key, input[type=submit], a.card, summary.button"

LOW_CONTRAST = """selector => {
  const parse = text => {
    const parts = (text.match(/rgba?\\(([^)]+)\\)/) || [, "0 0 0 0"])[1].split(/[\\s,\\/]+/).filter(Boolean).map(Number);
    return {r: parts[0], g: parts[1], b: parts[2], a: parts.length > 3 ? parts[3] : 1};
  };
  const over = (top, under) => ({r: top.r * top.a + under.r * (1 - top.a), g: top.g * top.a + under.g * (1 - top.a),
                                 b: top.b * top.a + under.b * (1 - top.a), a: 1});
  const backdrop = element => {  // the colour behind the text: backgrounds composited up to an opaque one
    const layers = [];
    for (let e = element; e; e = e.parentElement) {
      const colour = parse(getComputedStyle(e).backgroundColor);
      if (colour.a > 0) { layers.push(colour); if (colour.a >= 1) { break; } }
    }
    return layers.reverse().reduce((under, top) => over(top, under), {r: 255, g: 255, b: 255, a: 1});
  };
  const luminance = c => [c.r, c.g, c.b].map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; })
    .reduce((sum, v, i) => sum + v * [0.2126, 0.7152, 0.0722][i], 0);
  const low = [];
  for (const button of document.querySelectorAll(selector)) {
    if (button.disabled) { continue; }  // an inactive control (WCAG 1.4.3 exempts it)
    const holders = [button, ...button.querySelectorAll("*")]
      .filter(e => Array.from(e.childNodes).some(n => n.nodeType === 3 && n.textContent.trim()) || e === button && e.value);
    for (const holder of holders) {
      const back = backdrop(holder), text = over(parse(getComputedStyle(holder).color), back);
      const [light, dark] = [luminance(text), luminance(back)].sort((a, b) => b - a);
      const ratio = (light + 0.05) / (dark + 0.05);
      if (ratio < 4.5) {
        low.push(`${(button.textContent || button.value).trim().slice(0, 30)}: ${getComputedStyle(holder).color} on ` +
                 `rgb(${Math.round(back.r)}, ${Math.round(back.g)}, ${Math.round(back.b)}) = ${ratio.toFixed(2)}`);
      }
    }
  }
  return low;
}"""

JAPANESE_CHROME = """() => {
  const japanese = /[\\u3000-\\u303f\\u3040-\\u30ff\\u3400-\\u9fff\\uff00-\\uffef]/;
  const data = e => e.closest("[data-content], [lang=ja], script, style, template");
  const found = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (japanese.test(node.textContent) && !data(node.parentElement)) { found.push(node.textContent.trim().slice(0, 70)); }
  }
  for (const e of document.body.querySelectorAll("[placeholder], [aria-label], [alt], [title], input[type=submit]")) {
    for (const name of ["placeholder", "aria-label", "alt", "title", "value"]) {
      const value = e.getAttribute(name);
      if (value && japanese.test(value) && !data(e) && (name !== "value" || e.type === "submit")) { found.push(`${name}="${value}"`); }
    }
  }
  return found;
}"""

WRAPPED = """selector => Array.from(document.querySelectorAll(selector)).filter(cell => {
  const range = document.createRange();
  range.selectNodeContents(cell);
  const tops = Array.from(range.getClientRects()).filter(r => r.width > 0).map(r => r.top);
  return tops.length && Math.max(...tops) - Math.min(...tops) > parseFloat(getComputedStyle(cell).fontSize) / 2;
}).map(cell => cell.textContent.trim())"""

COVERED = """() => {  // each keypad field, scrolled to where staff would tap it and tapped: is it left free?
  const covered = [];
  for (const field of document.querySelectorAll("[data-keypad]")) {
    if (field.offsetParent === null) { continue; }  // not on screen (a closed section)
    field.scrollIntoView({block: "center"});
    field.click();  // what a tap gives keypad.js
    const pad = document.getElementById("keypad").getBoundingClientRect(), box = field.getBoundingClientRect();
    const inside = box.top >= 0 && box.bottom <= window.innerHeight;
    const apart = pad.right <= box.left || box.right <= pad.left || pad.bottom <= box.top || box.bottom <= pad.top;
    if (!inside || !apart) { covered.push(`${field.name} ${Math.round(box.top)}-${Math.round(box.bottom)} under ${Math.round(pad.top)}`); }
    if (field.name === "price") { return covered; }  // the last on the desk: left open for its screenshot
    document.dispatchEvent(new KeyboardEvent("keydown", {key: "Escape"}));
  }
  return covered;
}"""


def _a_kiosk_with_everything(live_kiosk) -> dict:
    """A library whose every page has something on it: copies (one withdrawn with a note), a
    print job kept for a sheet and one whose outcome is unknown, a delivery that disagrees with
    its slip (every copy inspected, one not on the slip and without a title)."""
    from kiosk.intake.delivery import attach_slip, open_intake, update_item
    from kiosk.intake.slip import parse_slip
    from kiosk.ledger.accession import Accession, Book, CopyRequest, register
    from kiosk.ledger.funds import Fund, Kind
    from kiosk.ledger.withdrawal import WithdrawalReason, withdraw
    from kiosk.printing.errors import PrintOutcomeUnknown
    from kiosk.printing.queue import enqueue, send

    db = live_kiosk.db
    accession = Accession(kind=Kind.PURCHASE, fund=Fund.CITY, source="ひまわり書店", on=date(2026, 11, 20))
    books = [CopyRequest(Book(title, authors="なかがわ りえこ", publisher="福音館書店", classification="913",
                              author_mark="ナ"), price=1100) for title in ("ぐりとぐら", "ぐりとぐらのおきゃくさま", "ぐりとぐらのえんそく")]
    numbers = [copy.number for copy in register(db, 1, accession, books, actor="t").copies]
    withdraw(db, 1, numbers[2], WithdrawalReason.WORN, note="表紙が外れた", actor="t")
    enqueue(db, 1, numbers[:1], printer=None, actor="t")  # kept for a sheet: the start field on the keypad
    unknown = enqueue(db, 1, numbers[1:2], printer="pdf:labels", actor="t")

    def lost_answer(_job):
        raise PrintOutcomeUnknown("the printer stopped answering", "プリンターの応答がありません")

    with pytest.raises(PrintOutcomeUnknown):
        send(db, unknown, lost_answer, actor="t")
    intake = open_intake(db, 1, source="ひまわり書店", received_on=date(2026, 11, 20), kind=Kind.PURCHASE, fund=Fund.CITY,
                         actor="t")
    attach_slip(db, intake, parse_slip(SLIP.read_bytes()))
    scanner = live_kiosk.app.extensions["intake_scanner"]
    for isbn in ("9784033280103", "9784834000825", "9784001106824"):  # the last is not on the slip, nor known
        update_item(db, scanner.scan(intake, isbn), of_intake=intake, inspection="ok")
    return {"active": numbers[0], "withdrawn": numbers[2], "intake": intake}


def _sign_in(page, live_kiosk) -> None:
    page.goto(live_kiosk.url + "/staff/login")
    page.click("form.pin-form button[type=submit]")  # no PIN set yet: staff actions are open
    page.wait_for_load_state()


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_every_page_is_readable_translated_and_fits(page, live_kiosk, lang):
    made = _a_kiosk_with_everything(live_kiosk)
    page.context.add_cookies([{"name": "lang", "value": lang, "url": live_kiosk.url}])
    _sign_in(page, live_kiosk)
    desk, weeding = f"/deliveries/{made['intake']}", f"/copies/withdraw?numbers={made['active']}"
    pages = ["/", "/deliveries/", "/deliveries/new", desk, desk + "/check", "/scan", "/copies/",
             f"/copies/{made['active']}", f"/copies/{made['withdrawn']}", weeding,
             f"/copies/withdrawn?numbers={made['withdrawn']}", "/ledger/", "/ledger/year?year=2026", "/printing/",
             "/ledger/import/", "/settings/", "/staff/login"]
    problems = []
    for path in pages + ["confirm"]:
        if path == "confirm":  # the withdrawal's confirmation: the weeding list's form posted
            page.goto(live_kiosk.url + weeding)
            page.check("#weeding-form input[name=reason][value=worn]")
            page.click("#weeding-submit")
            page.wait_for_selector("#withdraw-confirm")
        else:
            page.goto(live_kiosk.url + path)
        problems += [f"{path}: low contrast {found}" for found in page.evaluate(LOW_CONTRAST, BUTTONS)]
        if lang == "en":
            problems += [f"{path}: Japanese chrome {found!r}" for found in page.evaluate(JAPANESE_CHROME)]
            continue
        if path == "/deliveries/new":
            bottom = page.evaluate("document.querySelector('form.form button[type=submit]').getBoundingClientRect().bottom")
            if bottom > 600:
                problems.append(f"{path}: the start button is below the fold ({bottom:.0f} px)")
        if path == "/ledger/":
            problems += [f"{path}: wrapped {found!r}" for found in page.evaluate(WRAPPED, "main table th, main table td:first-child")]
        problems += [f"{path}: the keypad covers {found}" for found in page.evaluate(COVERED)]
        if path == desk:
            screenshot(page, "30-desk-keypad")  # the keypad open on the typed record's price
    if lang == "en":
        page.goto(live_kiosk.url + "/settings/")
        screenshot(page, "31-settings-english")
    assert problems == [], "\n".join(problems)


def test_a_withdrawal_asks_twice_and_shows_its_note_afterwards(page, live_kiosk):
    from sqlalchemy import func, select

    from kiosk.db.models import Event

    made = _a_kiosk_with_everything(live_kiosk)
    _sign_in(page, live_kiosk)
    page.goto(f"{live_kiosk.url}/copies/{made['active']}")
    page.check("#withdraw-form input[name=reason][value=lost]")
    page.fill("#withdraw-form input[name=note]", "2年1組で貸出中に紛失")
    page.click("#withdraw-form button[type=submit]")
    page.wait_for_selector("#withdraw-confirm")
    assert "1冊を除籍します" in page.inner_text("#withdraw-question")
    assert page.inner_text("#withdraw-reason") == "紛失" and page.inner_text("#withdraw-note") == "2年1組で貸出中に紛失"
    assert "ぐりとぐら" in page.inner_text("#withdraw-copies")
    with live_kiosk.db.read() as session:  # the first tap withdrew nothing
        assert session.scalar(select(func.count()).select_from(Event).where(Event.action == "withdrawn",
                                                                           Event.number == made["active"])) == 0
    screenshot(page, "32-withdrawal-confirm")
    page.click("#withdraw-confirm")
    page.wait_for_selector("#withdrawal")
    assert "紛失" in page.inner_text("#withdrawal") and page.inner_text("#withdrawal-note") == "2年1組で貸出中に紛失"
    assert "除籍" in page.inner_text("h2")
    screenshot(page, "33-withdrawn-copy")


@pytest.fixture
def slow_lookups(live_kiosk, monkeypatch):
    """The kiosk online, its lookup service (a real HTTP server on 127.0.0.1) answering "no such
    book" after a second."""
    from tests.lookup.fake_service import FakeService, Reply, fixture
    from web import configure_lookups

    service = FakeService().start()
    monkeypatch.setenv("KIOSK_LOOKUP_SOURCES", "ndl")
    monkeypatch.setenv("KIOSK_NDL_SRU_URL", service.base + "/api/sru")
    monkeypatch.setenv("KIOSK_OPENBD_URL", service.base)
    monkeypatch.setenv("KIOSK_LOOKUP_RETRIES", "0")
    service.script("/api/sru", Reply(fixture("ndl/sru-empty.xml"), delay=1.0))
    service.script("/v1/get", Reply(b"[null]", content_type="application/json"))
    live_kiosk.app.config["LOOKUP_OFFLINE"] = False
    configure_lookups(live_kiosk.app, live_kiosk.db)
    yield service
    service.stop()


def test_an_unknown_isbn_says_one_lookup_state_at_a_time(page, live_kiosk, slow_lookups):
    """Searching, then not found: never both on the screen. The big panel and the copy's row
    say the same state; the panel's bare "…" while the row says not found counted as both."""
    start_delivery(page, live_kiosk, slip=None)
    page.evaluate("""() => {
      window.seen = [];
      const look = () => window.seen.push([document.getElementById("latest-title").textContent.trim(),
        (document.querySelector("#items > li .title") || {textContent: ""}).textContent.trim()]);
      new MutationObserver(look).observe(document.getElementById("now"), {subtree: true, childList: true, characterData: true});
      new MutationObserver(look).observe(document.getElementById("items"), {subtree: true, childList: true, characterData: true});
    }""")
    scan_burst(page, "9784001106824")
    wait_for(page, "document.querySelector('#items > li .gave-up') !== null")
    page.wait_for_timeout(100)
    seen = [tuple(s) for s in page.evaluate("window.seen") if any(s)]
    searching = [("書誌を検索中" in panel + row or panel == "…") for panel, row in seen]
    not_found = [("見つかりません" in panel + row) for panel, row in seen]
    assert not any(s and n for s, n in zip(searching, not_found)), seen
    assert searching.index(True) < not_found.index(True), seen  # searching first, then not found
    panel, row = seen[-1]
    assert "見つかりませんでした" in panel and "見つかりませんでした" in row, seen
    screenshot(page, "34-lookup-not-found")
