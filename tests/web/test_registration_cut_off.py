"""The network to a city's PostgreSQL server drops in the middle of a registration: the kiosk
says so (503, データベースに接続できません, 何も登録・記録されていません) and nothing is half-written:
no copy, no number used, no event, the delivery still waiting to be registered; when the server
is back, the same 登録 gives the same first number. A throwaway server of the test's own is
stopped (immediate: no goodbye to clients) while the registration's transaction has already
advanced the counter and written the copies: a trigger on the marking of the delivery's copies
waits on an advisory lock the test holds, so the moment is exact, not a guess."""

import threading
import time
from datetime import date

import pytest
from sqlalchemy import create_engine, text

from kiosk.db.storage import normalise_url
from kiosk.intake.delivery import add_scan, open_intake, update_item
from kiosk.ledger.funds import Fund, Kind
from kiosk.lookup.record import BibRecord
from tests.web.test_faults import Browser, make_app, postgres_server, quiet_lookups, served  # noqa: F401 (fixtures)

pytestmark = pytest.mark.timeout(180)
LOCK = 4242
PAUSE = f"""
CREATE FUNCTION pause_registration() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN PERFORM pg_advisory_lock({LOCK}); PERFORM pg_advisory_unlock({LOCK}); RETURN NULL; END $$;
CREATE TRIGGER pause_registration AFTER UPDATE ON intake_items FOR EACH ROW
  WHEN (NEW.copy_number IS NOT NULL) EXECUTE FUNCTION pause_registration();
"""


def _state(server) -> str:
    return server.psql("SELECT (SELECT next_number FROM libraries), (SELECT count(*) FROM copies), "
                       "(SELECT count(*) FROM events WHERE action = 'registered'), "
                       "(SELECT count(*) FROM intake_items WHERE copy_number IS NOT NULL), "
                       "(SELECT status FROM intakes)").strip()


def test_a_registration_cut_off_by_the_server_going_away_leaves_nothing_half_written(postgres_server, make_app,
                                                                                     served):
    app = make_app(postgres_server.url)
    db = app.extensions["kiosk_db"]
    intake = open_intake(db, 1, source="ひまわり書店", received_on=date.today(), kind=Kind.PURCHASE, fund=Fund.CITY,
                         actor="t")
    items = []
    for n in range(3):
        item = add_scan(db, intake, "9784033280103", list_price=1000,
                        record=BibRecord(isbn13="9784033280103", title=f"途中の本 {n}", source="typed"))
        update_item(db, item, inspection="ok")
        items.append(str(item))
    assert _state(postgres_server) == "1001|0|0|0|open"
    postgres_server.psql(PAUSE)
    holder = create_engine(normalise_url(postgres_server.url)).connect()
    holder.execute(text(f"SELECT pg_advisory_lock({LOCK})"))
    browser = served(app)
    _, home, _ = browser.request("/")
    token = home.split('name="csrf-token" content="')[1].split('"')[0]
    answer = {}
    registering = threading.Thread(target=lambda: answer.update(
        # the records have no call numbers: registered as they are (the second confirmation's fields)
        reply=browser.request(f"/deliveries/{intake}/register", {"accept_items": ",".join(items)},
                              {"X-CSRF-Token": token})))
    registering.start()
    deadline = time.monotonic() + 30
    while "t" not in postgres_server.psql("SELECT bool_or(NOT granted) FROM pg_locks WHERE locktype = 'advisory'"):
        assert time.monotonic() < deadline, "the registration never reached the copies' marking"
        time.sleep(0.05)
    # mid-transaction now: the counter advanced, the copies and events written, not committed
    postgres_server.stop(mode="immediate")
    registering.join(60)
    holder.invalidate()
    status, page, _ = answer["reply"]
    assert status == 503 and "データベースに接続できません" in page and "何も登録・記録されていません" in page

    postgres_server.start()
    assert _state(postgres_server) == "1001|0|0|0|open"  # nothing of it was kept
    postgres_server.psql("DROP TRIGGER pause_registration ON intake_items")
    status, page, _ = browser.request(f"/deliveries/{intake}/register", {"accept_items": ",".join(items)},
                                      {"X-CSRF-Token": token})
    assert status == 200 and "1001" in page, page[-500:]
    assert _state(postgres_server) == "1004|3|3|3|open"
