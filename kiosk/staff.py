"""Staff members (職員), their PINs, and the throttle that makes guessing a PIN slow.

Each member has a name (written in the event log for what they do) and a PIN of 4 to 8 digits,
kept as a salted scrypt hash. The first member made is the administrator, who adds and
removes the others; the last administrator cannot be removed. With no member at all, staff
actions are open, so that a new kiosk can be set up.

Wrong PINs are counted per kiosk (``KioskIdentity``: a random id kept in the data directory)
in the database, so restarting the kiosk does not reset the count; a right PIN does:

- the first ``FREE_FAILURES`` (3) wrong PINs in a row cost nothing;
- after the 3rd, the next try waits 5 s, and the wait doubles with each further wrong PIN
  (10, 20, 40, 80, 160, 320 s);
- after the 10th (``LOCKOUT_AFTER``), staff sign-in on that kiosk is locked for 15 minutes,
  and each wrong PIN after that locks it for 15 minutes more;
- wrong PINs more than 24 hours apart from the previous one start the count again.

So a guesser gets 10 tries in the first 11 minutes and then 4 an hour, about 100 a day: a
4-digit PIN takes weeks on average, not the 18 minutes it took with no throttle. A try made
before the next allowed time is refused at once (nothing is checked, and no worker waits);
every try is counted as wrong from the moment it starts until the PIN proves right, so many
tries sent at once get no more than one at a time would. Every clock reading here can be given
as ``now``, so tests move time instead of sleeping.

The hash: scrypt with n=2**14, r=8, p=1 (16 MiB, about 60 ms here), stored with its parameters
(``scrypt$n$r$p$salt$digest``) so they can be raised later; a PIN is re-hashed at sign-in when
they change. For a PIN, the hash cannot be what protects it: 10,000 4-digit PINs at 60 ms fall
in ten minutes to anyone holding the database, whatever the parameters within reason. The
throttle protects the kiosk; the database itself must be protected (and a 6 to 8 digit PIN
helps).
"""

import hashlib
import hmac
import os
import re
import secrets
import socket
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from kiosk import config
from kiosk.errors import KioskError, NotFound
from kiosk.events import record_event
from kiosk.kept_file import keep_token
from kiosk.library import lock_library
from kiosk.db.models import PinFailure, PinThrottle, StaffMember
from kiosk.db.storage import Database
from kiosk.stored_section import is_whole_number, section_values, stored_form
from kiosk.text_limits import check_length, limit_of

FIRST_ADMIN_NAME = "管理者"
PIN_PATTERN = re.compile(r"\d{4,8}")

FREE_FAILURES = 3
FIRST_DELAY = timedelta(seconds=5)
LOCKOUT_AFTER = 10
LOCKOUT = timedelta(minutes=15)
FORGET_AFTER = timedelta(hours=24)
KEEP_FAILURES = timedelta(days=90)  # older wrong PINs are dropped from the settings screen's list

SCRYPT = {"n": 2**14, "r": 8, "p": 1}
KIOSK_ID_FILE = "kiosk-id"
MAX_SESSION_MINUTES = 24 * 60


@dataclass(frozen=True)
class StaffSettings:
    """The staff section of a library's settings: how many idle minutes a staff sign-in lasts
    (web.security). Members and PINs are rows of their own (``StaffMember``); a PIN kept here
    before (``pin_hash``) was moved there by migration 0006."""

    session_minutes: int = 10

    def __post_init__(self):
        if not is_whole_number(self.session_minutes) or not 1 <= self.session_minutes <= MAX_SESSION_MINUTES:
            raise KioskError(f"a staff session lasts 1 to {MAX_SESSION_MINUTES} minutes, not {self.session_minutes!r}",
                             f"職員ログインの時間は1〜{MAX_SESSION_MINUTES}分にしてください")

    @classmethod
    def from_stored(cls, values: dict) -> "StaffSettings":
        return cls(**section_values(cls, values, "職員", obsolete=("pin_hash",)))

    def to_stored(self) -> dict:
        return stored_form(self)


class WrongPin(KioskError):
    """The name or PIN was wrong; ``next_try`` is when this kiosk takes the next one."""

    def __init__(self, failures: int, next_try: datetime | None, now: datetime):
        wait = _wait_text(next_try - now) if next_try and next_try > now else None
        super().__init__("wrong staff name or PIN" + (f"; next try in {wait[0]}" if wait else ""),
                         "暗証番号が違います" + (f"。次に入れられるのは{wait[1]}後です" if wait else ""))
        self.failures, self.next_try = failures, next_try


class TooManyTries(KioskError):
    """A try before the next allowed time: refused without looking at the PIN."""

    def __init__(self, failures: int, next_try: datetime, now: datetime):
        wait_en, wait_ja = _wait_text(next_try - now)
        local = next_try.astimezone()
        if failures >= LOCKOUT_AFTER:
            super().__init__(f"{failures} wrong PINs in a row: staff sign-in on this kiosk is locked until "
                             f"{local:%H:%M} ({wait_en})",
                             f"暗証番号を{failures}回続けて間違えたため、このキオスクの職員ログインは"
                             f"{local:%H:%M}まで止まっています（あと{wait_ja}）")
        else:
            super().__init__(f"{failures} wrong PINs in a row: wait {wait_en} before the next try",
                             f"暗証番号を{failures}回続けて間違えました。あと{wait_ja}待ってから入れてください")
        self.failures, self.next_try = failures, next_try
        self.seconds = max(1, int(-(-(next_try - now).total_seconds() // 1)))


@dataclass(frozen=True)
class KioskIdentity:
    """Which kiosk a sign-in happens at: ``id`` counts its wrong PINs, ``name`` is shown."""

    id: str
    name: str


@dataclass(frozen=True)
class ThrottleState:
    failures: int
    next_try: datetime | None

    @property
    def locked(self) -> bool:
        return self.failures >= LOCKOUT_AFTER


# -- PINs ------------------------------------------------------------------------------------

def check_pin_format(pin: str) -> None:
    if not PIN_PATTERN.fullmatch(pin or ""):
        raise KioskError("the staff PIN must be 4 to 8 digits", "職員用の暗証番号は4〜8桁の数字にしてください")


def hash_pin(pin: str, *, salt: bytes | None = None, n: int = SCRYPT["n"], r: int = SCRYPT["r"],
             p: int = SCRYPT["p"]) -> str:
    salt = salt or os.urandom(16)
    digest = hashlib.scrypt(pin.encode(), salt=salt, n=n, r=r, p=p, maxmem=256 * n * r + 1024 * 1024)
    return f"scrypt${n}${r}${p}${salt.hex()}${digest.hex()}"


def verify_pin(pin: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt_hex, digest_hex = stored.split("$")
        if scheme != "scrypt":
            return False
        again = hash_pin(pin or "", salt=bytes.fromhex(salt_hex), n=int(n), r=int(r), p=int(p))
    except ValueError:
        return False
    return hmac.compare_digest(again.rsplit("$", 1)[1], digest_hex)


def needs_rehash(stored: str) -> bool:
    return not stored.startswith(f"scrypt${SCRYPT['n']}${SCRYPT['r']}${SCRYPT['p']}$")


# -- members ---------------------------------------------------------------------------------

def has_staff(session: Session, library_id: int) -> bool:
    """Whether the library has any staff member (and so a PIN): without one, staff actions
    are open for setting the kiosk up."""
    return session.scalar(select(StaffMember.id).where(StaffMember.library_id == library_id).limit(1)) is not None


def staff_members(session: Session, library_id: int) -> list[StaffMember]:
    return list(session.scalars(select(StaffMember).where(StaffMember.library_id == library_id)
                                .order_by(StaffMember.id)))


def find_member(session: Session, library_id: int, name: str) -> StaffMember:
    member = session.scalar(select(StaffMember).where(StaffMember.library_id == library_id,
                                                      StaffMember.name == _clean_name(name)))
    if member is None:
        raise NotFound(f"no staff member named {name!r}", f"職員「{name}」はいません")
    return member


def member_by_id(session: Session, library_id: int, member_id: int) -> StaffMember | None:
    member = session.get(StaffMember, member_id)
    return member if member is not None and member.library_id == library_id else None


def add_staff(session: Session, library_id: int, name: str, pin: str, *, admin: bool = False,
              actor: str) -> StaffMember:
    """A new member. The library's first member is its administrator, whatever ``admin`` says."""
    name = _clean_name(name)
    check_pin_format(pin)
    lock_library(session, library_id)  # two first members at once: one of them is first
    first = not has_staff(session, library_id)
    if session.scalar(select(StaffMember.id).where(StaffMember.library_id == library_id, StaffMember.name == name)):
        raise KioskError(f"there is already a staff member named {name!r}", f"職員「{name}」はすでにいます")
    member = StaffMember(library_id=library_id, name=name, pin_hash=hash_pin(pin), is_admin=admin or first,
                         created_at=_now(), created_by=actor)
    session.add(member)
    session.flush()
    record_event(session, library_id, actor, "staff_added", details={"name": name, "admin": member.is_admin})
    return member


def remove_staff(session: Session, library_id: int, name: str, *, actor: str) -> None:
    lock_library(session, library_id)
    member = find_member(session, library_id, name)
    if member.is_admin and session.scalar(select(func.count()).where(
            StaffMember.library_id == library_id, StaffMember.is_admin)) == 1:
        raise KioskError(f"{member.name} is the last administrator: make another one first",
                         f"「{member.name}」は最後の管理者なので外せません。先に別の管理者を追加してください")
    session.delete(member)
    record_event(session, library_id, actor, "staff_removed", details={"name": member.name})


def change_pin(session: Session, library_id: int, name: str, pin: str, *, actor: str) -> None:
    check_pin_format(pin)
    member = find_member(session, library_id, name)
    member.pin_hash = hash_pin(pin)
    record_event(session, library_id, actor, "staff_pin_changed", details={"name": member.name})


def set_administrator_pin(session: Session, library_id: int, pin: str, *, actor: str) -> StaffMember:
    """The first PIN of a new kiosk makes the administrator 管理者; after that, this changes
    the first administrator's PIN (kiosk.settings.set_staff_pin, kept for scripts)."""
    admin = session.scalar(select(StaffMember).where(StaffMember.library_id == library_id, StaffMember.is_admin)
                           .order_by(StaffMember.id).limit(1))
    if admin is None:
        return add_staff(session, library_id, FIRST_ADMIN_NAME, pin, admin=True, actor=actor)
    change_pin(session, library_id, admin.name, pin, actor=actor)
    return admin


def _clean_name(name: str | None) -> str:
    name = (name or "").strip()
    if not name or any(ord(c) < 32 or c == "\x7f" for c in name):
        raise KioskError("a staff member needs a name", "職員の名前を入れてください")
    check_length("name", name, limit_of(StaffMember, "name"))
    return name


# -- read models and use cases: what the sign-in page, the settings screen and `kiosk staff` call --

@dataclass(frozen=True)
class MemberInfo:
    """A member as a screen or command shows them (no PIN hash, no ORM row)."""

    id: int
    name: str
    is_admin: bool
    created_at: datetime
    created_by: str

    @classmethod
    def of(cls, member: StaffMember) -> "MemberInfo":
        return cls(member.id, member.name, member.is_admin, member.created_at, member.created_by)


@dataclass(frozen=True)
class FailureLine:
    """One wrong PIN as the settings screen lists it."""

    at: datetime
    kiosk_name: str
    staff_name: str | None
    remote: str | None


@dataclass(frozen=True)
class StaffScreen:
    """The settings screen's staff section: the members, who is signed in (None: nobody, or a
    member removed meanwhile), recent wrong PINs and this kiosk's count of them."""

    members: tuple[MemberInfo, ...]
    me: MemberInfo | None
    pin_failures: tuple[FailureLine, ...]
    throttle: ThrottleState


@dataclass(frozen=True)
class SignInChoices:
    """The sign-in page: the members' names to choose from, and this kiosk's wrong-PIN count."""

    names: tuple[str, ...]
    throttle: ThrottleState


class NotPermitted(KioskError):
    """Who acts is not a member allowed to do this (a removed member, or not an administrator)."""

    def __init__(self):
        super().__init__("not allowed for this staff member", "この操作はできません")


class NoSuchMember(NotFound):
    def __init__(self, member_id: int):
        super().__init__(f"no staff member {member_id}", "その職員はいません")


def staff_screen(db: Database, library_id: int, kiosk_id: str, me_id: int | None) -> StaffScreen:
    with db.read() as session:
        me = member_by_id(session, library_id, me_id or 0)
        return StaffScreen(tuple(MemberInfo.of(m) for m in staff_members(session, library_id)),
                           MemberInfo.of(me) if me else None,
                           tuple(FailureLine(f.at, f.kiosk_name, f.staff_name, f.remote)
                                 for f in recent_failures(session, library_id)),
                           throttle_state(session, library_id, kiosk_id))


def sign_in_choices(db: Database, library_id: int, kiosk_id: str) -> SignInChoices:
    with db.read() as session:
        return SignInChoices(tuple(m.name for m in staff_members(session, library_id)),
                             throttle_state(session, library_id, kiosk_id))


def still_signed_in(db: Database, library_id: int, member_id: int | None) -> bool:
    """Whether a staff session still stands: its member is still there, or (a session opened
    with no staff yet) there are still no staff."""
    with db.read() as session:
        if member_id is None:
            return not has_staff(session, library_id)
        return member_by_id(session, library_id, member_id) is not None


def members_of(db: Database, library_id: int) -> list[MemberInfo]:
    with db.read() as session:
        return [MemberInfo.of(m) for m in staff_members(session, library_id)]


def add_member(db: Database, library_id: int, name: str, pin: str, *, admin: bool = False, actor: str,
               by: int | None = None) -> MemberInfo:
    """A new member (add_staff); with ``by``, only if that member is an administrator, decided
    in the same transaction."""
    with db.write() as session:
        if by is not None:
            _acting(session, library_id, by, admin=True)
        return MemberInfo.of(add_staff(session, library_id, name, pin, admin=admin, actor=actor))


def remove_member(db: Database, library_id: int, name: str, *, actor: str) -> None:
    with db.write() as session:
        remove_staff(session, library_id, name, actor=actor)


def remove_member_by_admin(db: Database, library_id: int, by: int | None, member_id: int, *, actor: str) -> None:
    """The administrator ``by`` removes member ``member_id`` (remove_staff: not the last administrator)."""
    with db.write() as session:
        _acting(session, library_id, by, admin=True)
        member = member_by_id(session, library_id, member_id)
        if member is None:
            raise NoSuchMember(member_id)
        remove_staff(session, library_id, member.name, actor=actor)


def set_own_pin(db: Database, library_id: int, me_id: int | None, pin: str, *, first_name: str | None,
                actor: str) -> MemberInfo | None:
    """The signed-in member's own PIN; on a kiosk with no staff yet, the first member instead
    (named ``first_name``, else FIRST_ADMIN_NAME: the administrator), who is returned."""
    with db.write() as session:
        if not has_staff(session, library_id):
            return MemberInfo.of(add_staff(session, library_id, first_name or FIRST_ADMIN_NAME, pin, admin=True,
                                           actor=actor))
        change_pin(session, library_id, _acting(session, library_id, me_id).name, pin, actor=actor)
        return None


def _acting(session: Session, library_id: int, member_id: int | None, *, admin: bool = False) -> StaffMember:
    """The member who acts (an administrator, if ``admin``), else NotPermitted."""
    me = member_by_id(session, library_id, member_id or 0)
    if me is None or (admin and not me.is_admin):
        raise NotPermitted()
    return me


# -- signing in, and the throttle ------------------------------------------------------------

def sign_in(db, library_id: int, kiosk: KioskIdentity, name: str | None, pin: str, *,
            remote: str | None = None, now: datetime | None = None) -> StaffMember | None:
    """The member whose name and PIN these are, or None when the library has no staff yet (open
    for set-up). Raises TooManyTries before the next allowed time, WrongPin for a wrong name or
    PIN. With no name and one member only, the name is that member's."""
    now = now or _now()
    with db.write() as session:
        if not has_staff(session, library_id):
            return None
        _take_a_try(session, library_id, kiosk.id, now)
        member = _named(session, library_id, name)
        stored = member.pin_hash if member else None
    right = stored is not None and verify_pin(pin, stored)  # slow on purpose: outside the transaction
    with db.write() as session:
        throttle = _throttle(session, library_id, kiosk.id)
        if right:
            throttle.failures, throttle.last_failure_at, throttle.next_allowed_at = 0, None, None
            if needs_rehash(stored):
                session.get(StaffMember, member.id).pin_hash = hash_pin(pin)
            return member
        session.add(PinFailure(library_id=library_id, kiosk_id=kiosk.id, kiosk_name=kiosk.name[:100], at=now,
                               staff_name=(name or "")[:30] or None, remote=(remote or "")[:64] or None))
        session.execute(delete(PinFailure).where(PinFailure.library_id == library_id,
                                                 PinFailure.at < now - KEEP_FAILURES))
        failures, next_try = throttle.failures, _utc(throttle.next_allowed_at)
    raise WrongPin(failures, next_try, now)


def delay_after(failures: int) -> timedelta:
    """How long a kiosk waits for the next try after ``failures`` wrong PINs in a row."""
    if failures < FREE_FAILURES:
        return timedelta(0)
    if failures >= LOCKOUT_AFTER:
        return LOCKOUT
    return FIRST_DELAY * 2 ** (failures - FREE_FAILURES)


def throttle_state(session: Session, library_id: int, kiosk_id: str, *, now: datetime | None = None) -> ThrottleState:
    """This kiosk's wrong PINs in a row, and the next allowed try if it is still to come."""
    now = now or _now()
    row = session.get(PinThrottle, (library_id, kiosk_id))
    if row is None or _forgotten(row, now):
        return ThrottleState(0, None)
    next_try = _utc(row.next_allowed_at)
    return ThrottleState(row.failures, next_try if next_try and next_try > now else None)


def recent_failures(session: Session, library_id: int, limit: int = 20) -> list[PinFailure]:
    failures = list(session.scalars(select(PinFailure).where(PinFailure.library_id == library_id)
                                    .order_by(PinFailure.at.desc(), PinFailure.id.desc()).limit(limit)))
    for failure in failures:
        failure.at = _utc(failure.at)
    return failures


def _take_a_try(session: Session, library_id: int, kiosk_id: str, now: datetime) -> None:
    """Refuse a try before the next allowed time; else count it as wrong until it proves right
    (under the throttle row's lock, so tries at the same moment are counted one by one)."""
    throttle = _throttle(session, library_id, kiosk_id)
    next_try = _utc(throttle.next_allowed_at)
    if next_try is not None and now < next_try:
        raise TooManyTries(throttle.failures, next_try, now)
    if _forgotten(throttle, now):
        throttle.failures = 0
    throttle.failures += 1
    throttle.last_failure_at = now
    wait = delay_after(throttle.failures)
    throttle.next_allowed_at = now + wait if wait else None


def _throttle(session: Session, library_id: int, kiosk_id: str) -> PinThrottle:
    """The kiosk's throttle row, made if need be, locked until the transaction ends."""
    from importlib import import_module  # the dialect's own INSERT … ON CONFLICT, loaded when a PIN is
    # checked: importing both dialects at start cost every `kiosk` command ~45 ms

    insert = import_module(f"sqlalchemy.dialects.{session.get_bind().dialect.name}").insert
    session.execute(insert(PinThrottle).values(library_id=library_id, kiosk_id=kiosk_id, failures=0)
                    .on_conflict_do_nothing())
    return session.scalar(select(PinThrottle).where(PinThrottle.library_id == library_id,
                                                    PinThrottle.kiosk_id == kiosk_id)
                          .with_for_update().execution_options(populate_existing=True))


def _forgotten(throttle: PinThrottle, now: datetime) -> bool:
    last = _utc(throttle.last_failure_at)
    return last is None or now - last > FORGET_AFTER


def _named(session: Session, library_id: int, name: str | None) -> StaffMember | None:
    if not (name or "").strip():
        members = staff_members(session, library_id)
        return members[0] if len(members) == 1 else None
    try:
        return find_member(session, library_id, name)
    except KioskError:
        return None


def _wait_text(wait: timedelta) -> tuple[str, str]:
    seconds = max(1, int(-(-wait.total_seconds() // 1)))
    if seconds < 60:
        return f"{seconds} s", f"{seconds}秒"
    minutes = -(-seconds // 60)
    return f"{minutes} min", f"{minutes}分"


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _utc(moment: datetime | None) -> datetime | None:
    """SQLite gives back the UTC time stored without its zone."""
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=timezone.utc)


# -- which kiosk -----------------------------------------------------------------------------

_KIOSK_ID = re.compile(r"[0-9a-f]{16,64}")


def this_kiosk(data_dir: Path | None = None) -> KioskIdentity:
    """This kiosk: a random id made on first use and kept in the data directory as
    ``kiosk-id`` (a hostname can repeat on PCs set up from one image), named by its hostname.
    If the file cannot be written, the id is made from the hostname, which survives restarts too."""
    directory = Path(data_dir or config.data_dir())
    host = socket.gethostname() or "kiosk"
    path = directory / KIOSK_ID_FILE
    try:
        kept = path.read_text().strip()
        if _KIOSK_ID.fullmatch(kept):
            return KioskIdentity(kept, host)
    except (OSError, UnicodeDecodeError):
        pass
    try:
        made = keep_token(path, secrets.token_hex(16), lambda kept: bool(_KIOSK_ID.fullmatch(kept)))
    except OSError:
        return KioskIdentity(f"host:{host}"[:64], host)
    return KioskIdentity(made, host)
