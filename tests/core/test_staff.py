"""Staff members and their PINs (kiosk.staff): the administrator, the hash, and the throttle that
makes guessing slow. Time is moved with ``now``: no test sleeps."""

import hashlib
import os
import threading
from datetime import datetime, timedelta, timezone

import pytest
from alembic import command
from sqlalchemy import text

from kiosk.errors import KioskError, NotFound
from kiosk.events import events_for
from kiosk.library import create_library
from kiosk.settings import settings_for
from kiosk.staff import (
    FIRST_ADMIN_NAME,
    KioskIdentity,
    TooManyTries,
    WrongPin,
    add_staff,
    delay_after,
    has_staff,
    hash_pin,
    needs_rehash,
    recent_failures,
    remove_staff,
    sign_in,
    staff_members,
    this_kiosk,
    throttle_state,
    verify_pin,
)
from kiosk.db.storage import alembic_config, create_kiosk_engine, open_database

DESK = KioskIdentity("a" * 32, "desk-pc")
OFFICE = KioskIdentity("b" * 32, "office-pc")
T0 = datetime(2026, 11, 23, 9, 0, tzinfo=timezone.utc)


@pytest.fixture
def staffed(db, library_id):
    with db.write() as session:
        add_staff(session, library_id, "佐藤", "2580", actor="t")
        add_staff(session, library_id, "鈴木", "1357", actor="t")
    return db


def _wrong(db, library_id, now, kiosk=DESK, name="佐藤"):
    with pytest.raises(WrongPin) as wrong:
        sign_in(db, library_id, kiosk, name, "0000", now=now)
    return wrong.value


def test_the_first_member_is_the_administrator_who_cannot_be_removed_last(db, library_id):
    with db.write() as session:
        assert not has_staff(session, library_id)
        first = add_staff(session, library_id, " 佐藤 ", "2580", actor="setup")
        second = add_staff(session, library_id, "鈴木", "1357", actor="佐藤 (職員)")
        assert (first.name, first.is_admin, second.is_admin) == ("佐藤", True, False)
        assert has_staff(session, library_id)
    with db.write() as session, pytest.raises(KioskError, match="already"):
        add_staff(session, library_id, "鈴木", "9999", actor="t")
    for name, pin in [("", "2580"), ("x" * 31, "2580"), ("田中", "12"), ("田中", "12ab")]:
        with db.write() as session, pytest.raises(KioskError):
            add_staff(session, library_id, name, pin, actor="t")
    with db.write() as session, pytest.raises(KioskError, match="last administrator"):
        remove_staff(session, library_id, "佐藤", actor="t")
    with db.write() as session, pytest.raises(NotFound):
        remove_staff(session, library_id, "田中", actor="t")
    with db.write() as session:
        remove_staff(session, library_id, "鈴木", actor="佐藤 (職員)")
        assert [m.name for m in staff_members(session, library_id)] == ["佐藤"]
        logged = [(e.actor, e.action, e.details["name"]) for e in events_for(session, library_id)
                  if e.action.startswith("staff_")]
    assert logged == [("setup", "staff_added", "佐藤"), ("佐藤 (職員)", "staff_added", "鈴木"),
                      ("佐藤 (職員)", "staff_removed", "鈴木")]


def test_pins_are_kept_as_salted_scrypt_hashes():
    one, two = hash_pin("2580"), hash_pin("2580")
    assert one != two and one.startswith("scrypt$16384$8$1$") and "2580" not in one
    assert verify_pin("2580", one) and not verify_pin("2581", one) and not verify_pin("", one)
    assert not verify_pin("2580", "garbage") and not verify_pin("2580", "md5$1$2$3$aa$bb")
    stronger = hash_pin("2580", n=2**15)
    assert verify_pin("2580", stronger) and needs_rehash(stronger) and not needs_rehash(one)


def test_sign_in_names_the_member_and_is_open_with_no_staff(db, library_id):
    assert sign_in(db, library_id, DESK, "", "", now=T0) is None  # a new kiosk: open for set-up
    with db.write() as session:
        add_staff(session, library_id, "佐藤", "2580", actor="t")
    assert sign_in(db, library_id, DESK, "", "2580", now=T0).name == "佐藤"  # the only member
    with db.write() as session:
        add_staff(session, library_id, "鈴木", "1357", actor="t")
    assert sign_in(db, library_id, DESK, "鈴木", "1357", now=T0).name == "鈴木"
    _wrong(db, library_id, T0, name="")  # two members: a name is needed
    with pytest.raises(WrongPin):
        sign_in(db, library_id, DESK, "佐藤", "1357", now=T0)  # another member's PIN
    with pytest.raises(WrongPin):
        sign_in(db, library_id, DESK, "田中", "2580", now=T0)  # nobody of that name


def test_the_delay_grows_then_locks_out_and_a_right_pin_resets_it(staffed, library_id):
    assert [delay_after(n).total_seconds() for n in range(1, 12)] == [0, 0, 5, 10, 20, 40, 80, 160, 320, 900, 900]
    now = T0
    for _ in range(3):
        _wrong(staffed, library_id, now)  # three free tries
    with pytest.raises(TooManyTries) as early:
        sign_in(staffed, library_id, DESK, "佐藤", "2580", now=now + timedelta(seconds=4))  # even the right PIN
    assert early.value.seconds == 1 and "あと1秒待ってから" in early.value.ja
    with staffed.read() as session:
        assert throttle_state(session, library_id, DESK.id, now=now).failures == 3
    for n in range(4, 11):  # each try as soon as it is allowed
        now += delay_after(n - 1)
        wrong = _wrong(staffed, library_id, now)
    assert wrong.failures == 10 and wrong.next_try == now + timedelta(minutes=15)
    with pytest.raises(TooManyTries) as locked:
        sign_in(staffed, library_id, DESK, "佐藤", "2580", now=now + timedelta(minutes=14))
    assert "10回続けて間違えた" in locked.value.ja and "職員ログインは" in locked.value.ja and "あと1分" in locked.value.ja
    with staffed.read() as session:
        assert throttle_state(session, library_id, DESK.id, now=now).locked
        assert not throttle_state(session, library_id, OFFICE.id, now=now).locked  # per kiosk
    assert sign_in(staffed, library_id, OFFICE, "鈴木", "1357", now=now).name == "鈴木"
    now += timedelta(minutes=15)
    assert sign_in(staffed, library_id, DESK, "佐藤", "2580", now=now).name == "佐藤"
    with staffed.read() as session:
        assert throttle_state(session, library_id, DESK.id, now=now).failures == 0
    for _ in range(3):
        _wrong(staffed, library_id, now)  # a fresh start: three free tries again


def test_brute_force_gets_a_handful_of_tries_an_hour(staffed, library_id):
    """An attacker trying each PIN the moment the kiosk allows it, in a fixed window of simulated
    time: was 560 tries a minute with no throttle."""
    now, end, tries, refused = T0, T0 + timedelta(hours=1), 0, 0
    while now < end:
        try:
            sign_in(staffed, library_id, DESK, "佐藤", f"{tries:04d}" if tries != 2580 else "9999", now=now)
        except WrongPin as wrong:
            tries += 1
            now = wrong.next_try or now
        except TooManyTries:  # pragma: no cover - the attacker waited exactly as long as told
            refused += 1
            now += timedelta(seconds=1)
    assert refused == 0
    assert tries <= 14  # 10 in the first 11 minutes, then one every 15 minutes
    with staffed.read() as session:
        assert len(recent_failures(session, library_id, limit=100)) == tries


def test_tries_sent_at_once_are_counted_one_by_one(staffed, library_id):
    outcomes, lock = [], threading.Lock()

    def guess(pin):
        try:
            sign_in(staffed, library_id, DESK, "佐藤", pin, now=T0)
            result = "right"
        except (WrongPin, TooManyTries) as error:
            result = type(error).__name__
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=guess, args=(f"{n:04d}",)) for n in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(outcomes) == ["TooManyTries"] * 9 + ["WrongPin"] * 3  # only three PINs were looked at


def test_the_count_survives_a_restart_and_old_failures_are_forgotten(database_url, library_id, db):
    with db.write() as session:
        add_staff(session, library_id, "佐藤", "2580", actor="t")
    for _ in range(3):
        _wrong(db, library_id, T0)
    db.dispose()
    restarted = open_database(database_url)  # a new process: nothing kept in memory
    try:
        with pytest.raises(TooManyTries):
            sign_in(restarted, library_id, DESK, "佐藤", "2580", now=T0 + timedelta(seconds=2))
        later = T0 + timedelta(hours=25)  # a day without wrong PINs: the count starts again
        with restarted.read() as session:
            assert throttle_state(session, library_id, DESK.id, now=later).failures == 0
        for _ in range(3):
            _wrong(restarted, library_id, later)
        with restarted.read() as session:
            assert throttle_state(session, library_id, DESK.id, now=later).failures == 3
    finally:
        restarted.dispose()


def test_recent_failures_say_when_where_and_which_name(staffed, library_id):
    with pytest.raises(WrongPin):
        sign_in(staffed, library_id, OFFICE, "鈴木", "0000", remote="192.0.2.7", now=T0)
    _wrong(staffed, library_id, T0 + timedelta(minutes=1))
    with staffed.read() as session:
        failures = recent_failures(session, library_id)
    assert [(f.at, f.kiosk_name, f.staff_name, f.remote) for f in failures] == [
        (T0 + timedelta(minutes=1), "desk-pc", "佐藤", None), (T0, "office-pc", "鈴木", "192.0.2.7")]
    _wrong(staffed, library_id, T0 + timedelta(days=91), kiosk=OFFICE)  # older than 90 days: dropped
    with staffed.read() as session:
        assert [f.at for f in recent_failures(session, library_id)] == [T0 + timedelta(days=91)]


def test_a_kiosk_keeps_its_id_in_the_data_directory(tmp_path):
    first = this_kiosk(tmp_path / "data")
    assert this_kiosk(tmp_path / "data") == first and (tmp_path / "data" / "kiosk-id").read_text() == first.id
    assert this_kiosk(tmp_path / "other").id != first.id
    (tmp_path / "data" / "kiosk-id").write_text("")  # an empty file (a full disk): made again
    assert len(this_kiosk(tmp_path / "data").id) == 32
    (tmp_path / "a-file").write_text("")
    fallback = this_kiosk(tmp_path / "a-file" / "data")  # cannot be written: the hostname's, every time
    assert fallback.id.startswith("host:") and this_kiosk(tmp_path / "a-file" / "data") == fallback


def test_the_old_single_pin_becomes_the_administrator(empty_database_url):
    database_url = empty_database_url
    engine = create_kiosk_engine(database_url)
    cfg = alembic_config()
    with engine.execution_options(kiosk_write=True).begin() as connection:
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, "0005")
    engine.dispose()
    old = open_database(database_url, migrate_if_needed=False)
    salt = os.urandom(16)  # what kiosk.settings stored until now
    legacy = f"{salt.hex()}${hashlib.scrypt(b'2580', salt=salt, n=2**14, r=8, p=1).hex()}"
    with old.write() as session:
        library_id = create_library(session, "旧版の図書館", first_number=1, actor="t").id
        other_id = create_library(session, "PINのない図書館", first_number=1, actor="t").id
        session.execute(text("INSERT INTO library_settings (library_id, data, updated_at) VALUES (:id, :data, :at)"),
                        [{"id": library_id, "at": T0,
                          "data": f'{{"staff": {{"pin_hash": "{legacy}", "session_minutes": 5}}, "lookup": {{"offline": true}}}}'},
                         {"id": other_id, "at": T0, "data": '{"staff": {"pin_hash": null}}'}])
    old.dispose()
    upgraded = open_database(database_url)
    try:
        with upgraded.read() as session:
            (admin,) = staff_members(session, library_id)
            assert (admin.name, admin.is_admin) == (FIRST_ADMIN_NAME, True)
            settings = settings_for(session, library_id)
            assert settings.staff.session_minutes == 5  # the section has no pin_hash: it is read as a StaffSettings
            assert settings.lookup.offline is True
            assert not has_staff(session, other_id)
        assert sign_in(upgraded, library_id, DESK, "", "2580", now=T0).name == FIRST_ADMIN_NAME
        with pytest.raises(WrongPin):
            sign_in(upgraded, library_id, DESK, "", "2581", now=T0)
    finally:
        upgraded.dispose()
