"""A city's schools on one PostgreSQL server: each school's kiosk (a real `kiosk serve`, bound to
its library by KIOSK_LIBRARY) tries every route of the web app on the other school's data: its
copies' numbers and item barcodes, deliveries and their scanned copies, print jobs, staff,
vendor, printer and settings, and ``?library=`` naming it. Every attempt is refused (404/403/400
with the kiosk's Japanese page) or acts on the kiosk's own library only; no answer holds
anything of the other school; and the other school's rows are the same after as before.

The routes are read from the app's url_map: a new route must get its attempts in ``attempts``
or a reason in ``NO_LIBRARY_DATA``, or ``test_every_route_is_tried_or_has_a_reason`` fails."""

from dataclasses import dataclass, field

import httpx
import pytest
from tests.served_kiosk import Kiosk, Tab
from tests.two_schools import SLIP_HEADER, School, dump, two_schools

pytestmark = pytest.mark.timeout(300)

# Routes that carry no library's data, with the reason. Everything else is tried below.
NO_LIBRARY_DATA = {
    "static": "the kiosk's own CSS and JavaScript files",
    "home.language": "sets the language cookie and redirects to a path on this kiosk",
    "staff.logout": "ends this browser's staff session, nothing else",
    "scans.stream": "this kiosk process's own scanner events (server-sent, in memory), never read from the database",
    "settings.sheets": "the shipped label sheet catalogue (printer/templates), the same for every school",
    "settings.sheet": "one sheet of the shipped catalogue, drawn to scale",
}
REFUSED = {400, 403, 404}
GONE = {404}


@dataclass(frozen=True)
class Attempt:
    endpoint: str
    method: str
    path: str
    data: dict = field(default_factory=dict)  # the form (POST) or the query (GET)
    expect: frozenset = frozenset(GONE)
    json: dict | None = None
    files: dict | None = None  # an upload (POST)

    def typed(self) -> str:
        """What the request itself carries: an answer may say it back (「…」が見つかりません)."""
        return f"{self.path} {self.data} {self.json}"


def attempts(mine: School, theirs: School) -> list[Attempt]:
    """What a kiosk of ``mine`` tries on ``theirs``, route by route."""
    number, lost, withdrawn = theirs.numbers[2], theirs.lost, theirs.withdrawn
    barcode, intake, item, job_sheet, job_printer = theirs.barcodes[0], theirs.open_intake, theirs.items[0], *theirs.jobs
    other = {"library": str(theirs.id)}
    ok_own = frozenset({302})  # acts on the kiosk's own library (the dump shows the other's unchanged)
    shown = frozenset({200})  # the kiosk's own page: holds nothing of the other's (markers checked)
    A = Attempt
    return [
        A("home.index", "GET", "/", other, shown),
        A("copies.find", "GET", "/copies/", {"code": str(number)}),
        A("copies.find", "GET", "/copies/", {"scan": barcode}, frozenset(REFUSED)),
        A("copies.show", "GET", f"/copies/{number}"),
        A("copies.show", "GET", f"/copies/{withdrawn}"),
        A("copies.do_correct", "POST", f"/copies/{number}/correct", {"title": "書き換え", "reason": "越境"}),
        A("copies.set_callnumber", "POST", f"/copies/{number}/callnumber", {"top": "913", "bottom": "エ"}),
        A("copies.do_reaccession", "POST", f"/copies/{lost}/reaccession"),
        A("copies.do_split", "POST", f"/copies/{number}/split", {"volumes": "上、下"}),
        A("copies.do_withdraw", "POST", f"/copies/{number}/withdraw", {"reason": "lost"}),
        A("copies.do_bind", "POST", "/copies/bind", {"numbers": f"{number},{number + 1}"}),
        A("copies.weeding", "GET", "/copies/withdraw", {"numbers": str(number), "add": str(number + 1), **other}, shown),
        A("copies.weeding", "GET", "/copies/withdraw", {"scan": barcode}, shown),
        A("copies.do_weeding", "POST", "/copies/withdraw", {"numbers": f"{number},{number + 1}", "reason": "discarded"}),
        A("copies.withdrawn", "GET", "/copies/withdrawn", {"numbers": f"{withdrawn},{lost}"}),
        A("copies.withdrawn_pdf", "GET", "/copies/withdrawn.pdf", {"numbers": f"{withdrawn},{lost}"}),
        A("delivery.index", "GET", "/deliveries/", other, shown),
        A("delivery.new", "GET", "/deliveries/new", other, shown),
        # the other school's vendor name: its remembered slip columns are not used here
        A("delivery.create", "POST", "/deliveries/", {"source": theirs.vendor, "kind": "purchase", **other},
          frozenset({400}), files={"slip": ("slip.csv", f"{SLIP_HEADER}\n越境,9784033280103,1,1000\n".encode())}),
        A("delivery.show", "GET", f"/deliveries/{intake}"),
        A("delivery.check", "GET", f"/deliveries/{intake}/check"),
        A("delivery.discrepancy_pdf", "GET", f"/deliveries/{intake}/discrepancy.pdf"),
        A("delivery.items_json", "GET", f"/deliveries/{intake}/items.json"),
        A("delivery.item", "GET", f"/deliveries/{intake}/items/{item}"),
        A("delivery.item", "GET", f"/deliveries/{mine.open_intake}/items/{item}"),
        A("delivery.change_item", "POST", f"/deliveries/{intake}/items/{item}", {"inspection": "defective"}),
        A("delivery.change_item", "POST", f"/deliveries/{mine.open_intake}/items/{item}", {"remove": "1"}),
        A("delivery.confirm_callnumber", "POST", f"/deliveries/{intake}/items/{item}/callnumber",
          {"top": "913", "bottom": "エ"}),
        A("delivery.confirm_callnumber", "POST", f"/deliveries/{mine.open_intake}/items/{item}/callnumber",
          {"top": "913", "bottom": "エ"}),
        A("delivery.scan", "POST", f"/deliveries/{intake}/scans", {"code": "9784033280103"}),
        A("delivery.scan", "POST", f"/deliveries/{intake}/scans", json={"camera": [  # a camera's look
            {"text": "9784033280103", "format": "ean_13"}, {"text": "1928797012008", "format": "ean_13"}],
            "scanner_id": "camera-x"}),
        A("delivery.scan", "POST", f"/deliveries/{mine.open_intake}/scans", json={"code": barcode},
          expect=frozenset({422})),
        A("delivery.add_line", "POST", f"/deliveries/{intake}/slip-lines", {"title": "越境", "quantity": "1"}),
        A("delivery.register", "POST", f"/deliveries/{intake}/register", {"accept": "1"}),
        A("ledger.index", "GET", "/ledger/", other),
        A("ledger.index", "GET", "/ledger/", {"library": theirs.isil, "year": "all"}),
        A("ledger.csv_file", "GET", "/ledger/ledger.csv", other),
        A("ledger.csv_file", "GET", "/ledger/ledger.csv", {"library": theirs.isil, "encoding": "sjis"}),
        *[A("ledger.export_file", "GET", f"/ledger/export/{kind}", other) for kind in ("xlsx", "marc", "tsv")],
        *[A("ledger.report_file", "GET", f"/ledger/report/{name}.pdf", {**other, "year": "2025"})
          for name in ("ledger", "audit")],
        A("ledger_import.form", "GET", "/ledger/import/", other, shown),
        # a ledger naming the other school's numbers goes into this kiosk's own library, or nowhere
        A("ledger_import.check_or_import", "POST", "/ledger/import/", {**other}, frozenset({200, 400, 422}),
          files={"ledger": ("ledger.csv", f"登録番号,書名\n{number},越境\n".encode())}),
        A("ledger.year_figures", "GET", "/ledger/year", {"library": theirs.isil, "year": "2025"}),
        A("printing.index", "GET", "/printing/", other, shown),
        A("printing.labels", "GET", "/printing/labels.pdf", {"numbers": str(number)}),
        A("printing.checklist", "GET", "/printing/checklist.pdf", {"numbers": str(number)}),
        A("printing.cards", "GET", "/printing/cards.pdf", {"numbers": str(number)}),
        A("printing.preview", "GET", f"/printing/preview/{number}-spine.png"),
        A("printing.preview", "GET", f"/printing/preview/{number}-barcode.png"),
        A("printing.test_page", "GET", "/printing/test-page.pdf", {"printer": str(theirs.printer_id)}, frozenset({400})),
        A("printing.collected_sheet", "GET", "/printing/collected.pdf", {"jobs": str(job_sheet)}, frozenset({400})),
        A("printing.collected_printed", "POST", "/printing/collected/printed", {"jobs": str(job_sheet)},
          frozenset({400})),
        A("printing.later", "POST", "/printing/later", {"numbers": str(number)}),
        A("printing.print_labels", "POST", "/printing/print", {"numbers": str(number), "printer": str(mine.printer_id)}),
        A("printing.print_labels", "POST", "/printing/print",
          {"numbers": str(mine.numbers[0]), "printer": str(theirs.printer_id)}, frozenset({400})),
        *[A("printing.job_action", "POST", f"/printing/jobs/{job}", {"action": action})
          for job in (job_sheet, job_printer) for action in ("retry", "cancel", "printed", "not_printed")],
        A("scans.page", "GET", "/scan", other, shown),
        A("scans.receive", "POST", "/scans", json={"text": barcode}, expect=frozenset({200, 422})),
        A("settings.index", "GET", "/settings/", other, shown),
        A("settings.library", "POST", "/settings/library", {"isil": theirs.isil}, frozenset({400})),
        A("settings.library", "POST", "/settings/library", {"name": mine.name, **other}, ok_own),
        A("settings.section", "POST", "/settings/printing",
          {f"printer_{theirs.printer_id}_remove": "1", "default_printer": "", **other}, frozenset({400})),
        A("settings.section", "POST", "/settings/scanner", {"prefix": "", "suffix": "", **other}, frozenset({400})),
        A("settings.section", "POST", "/settings/scanner", {"prefix": "", "suffix": ""}, ok_own),
        A("settings.choose_sheet", "POST", "/settings/sheet", {"role": "spine", "name": "A-one:28368", **other},
          ok_own),
        A("settings.backup", "POST", "/settings/backup", {}, frozenset({400})),  # PostgreSQL: on its server
        A("settings.pin", "POST", "/settings/pin", {"pin": next(iter(mine.staff.values())), **other}, ok_own),
        A("settings.add_member", "POST", "/settings/staff", {"name": f"{mine.name}の助手", "pin": "97531", **other},
          ok_own),
        A("settings.remove_member", "POST", f"/settings/staff/{theirs.member_ids[1]}/remove"),
        A("staff.login", "GET", "/staff/login", {"name": next(iter(theirs.staff)), **other}, shown),
        # the other school's staff and their PINs: no such member here (a wrong PIN, counted for this kiosk)
        *[A("staff.login_post", "POST", "/staff/login", {"name": name, "pin": pin}, frozenset({403, 429}))
          for name, pin in theirs.staff.items()],
    ]


@pytest.fixture(scope="module")
def city(tmp_path_factory):
    """Two schools on one PostgreSQL database (a schema of its own), and a `kiosk serve` for
    each, bound to it: the first by its ISIL, the second by its id (KIOSK_LIBRARY takes either)."""
    tmp = tmp_path_factory.mktemp("city")
    with two_schools(tmp) as (db, url, schools):
        kiosks = []
        for school, bound in zip(schools, (schools[0].isil, str(schools[1].id))):
            (tmp / school.isil).mkdir()
            kiosks.append(Kiosk(url, tmp / school.isil,
                                env={"KIOSK_LIBRARY": bound, "KIOSK_PDF_FOLDER": str(tmp / "printed")}))
        try:
            for kiosk in kiosks:
                kiosk.wait_ready()
            yield db, url, schools, kiosks
        finally:
            for kiosk in kiosks:
                kiosk.stop()


def _send(tab: Tab, attempt: Attempt) -> httpx.Response:
    if attempt.method == "GET":
        return tab.client.get(attempt.path, params=attempt.data, follow_redirects=True)
    headers = {"X-CSRF-Token": tab.token}
    if attempt.json is not None:
        return tab.client.post(attempt.path, json=attempt.json, headers={**headers, "Accept": "application/json"})
    return tab.client.post(attempt.path, data={**attempt.data, "csrf_token": tab.token}, files=attempt.files,
                           headers=headers)


@pytest.mark.parametrize("direction", ["first tries the second", "second tries the first"])
def test_a_schools_kiosk_cannot_cross_over_through_any_route(city, direction):
    db, _, schools, kiosks = city
    (mine, theirs), kiosk = (schools if direction.startswith("first") else schools[::-1],
                             kiosks[0] if direction.startswith("first") else kiosks[1])
    before = dump(db, theirs.id)
    tab = Tab(kiosk, name=next(iter(mine.staff)), pin=next(iter(mine.staff.values())))
    wrong = []
    for attempt in attempts(mine, theirs):
        reply = _send(tab, attempt)
        body = reply.text if "text" in reply.headers.get("content-type", "") or "json" in reply.headers.get(
            "content-type", "") else reply.content.decode("latin-1")
        leaked = [marker for marker in theirs.markers if marker in body and marker not in attempt.typed()]
        if reply.status_code not in attempt.expect or leaked:
            wrong.append((attempt.endpoint, attempt.path, attempt.data, reply.status_code, leaked, body[:300]))
        elif reply.status_code in REFUSED and "html" in reply.headers.get("content-type", ""):
            assert '<html lang="ja">' in body and 'role="alert"' in body, (attempt, body[:500])
    tab.close()
    assert not wrong, "\n".join(map(str, wrong))
    assert dump(db, theirs.id) == before  # nothing of the other school changed


def test_a_staff_session_of_one_school_is_nothing_at_the_others_kiosk(city):
    """Both kiosks sign their cookies with the same key (the worst case: one key for the city):
    a session signed in at the first school, replayed at the second, acts as nobody there."""
    db, _, (first, second), (first_kiosk, second_kiosk) = city
    before = dump(db, second.id)
    tab = Tab(first_kiosk, name=next(iter(first.staff)), pin=next(iter(first.staff.values())))
    stolen = httpx.Client(base_url=second_kiosk.url, cookies=tab.client.cookies, follow_redirects=False)
    for path, form in ((f"/copies/{second.numbers[0]}/withdraw", {"reason": "lost"}),
                       (f"/settings/staff/{second.member_ids[1]}/remove", {}), ("/settings/library", {"name": "乗っ取り"})):
        reply = stolen.post(path, data={**form, "csrf_token": tab.token}, headers={"X-CSRF-Token": tab.token})
        assert reply.status_code == 403 and "この操作はできません" in reply.text, (path, reply.status_code)
    assert stolen.get("/settings/").status_code == 302  # asked for a PIN of its own staff
    stolen.close()
    tab.close()
    assert dump(db, second.id) == before


def test_every_route_is_tried_or_has_a_reason(city):
    """The app's routes, read from its url_map: each one is tried on the other school, or says
    why it carries no library's data."""
    from web import create_app, stop_app

    _, url, (first, second), _ = city
    app = create_app(url, {"TESTING": True, "SECRET_KEY": "x", "LOOKUP_OFFLINE": True, "LIBRARY": first.isil})
    try:
        routes = {rule.endpoint: rule.methods - {"HEAD", "OPTIONS"} for rule in app.url_map.iter_rules()}
    finally:
        stop_app(app)
    tried = {}
    for attempt in attempts(first, second):
        tried.setdefault(attempt.endpoint, set()).add(attempt.method)
    assert not set(tried) - set(routes), f"attempts for routes that no longer exist: {set(tried) - set(routes)}"
    untried = {endpoint for endpoint in routes if endpoint not in tried and endpoint not in NO_LIBRARY_DATA}
    assert not untried, f"routes with no cross-over attempt and no reason in NO_LIBRARY_DATA: {sorted(untried)}"
    assert not set(NO_LIBRARY_DATA) & set(tried)
    for endpoint, methods in tried.items():
        assert methods <= routes[endpoint], (endpoint, methods, routes[endpoint])
