"""The library (学校図書館): its name, ISIL and ledger settings. A database may hold a whole
city's schools; every copy, number and sheet belongs to one library."""

import re
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kiosk.errors import KioskError, NotFound
from kiosk.events import now, record_event
from kiosk.db.models import Copy, Library
from kiosk.db.storage import Database
from kiosk.ledger.prices import ROUNDING_MODES
from kiosk.text_limits import check_fields

# ISIL for Japanese libraries, assigned by the NDL: "JP-" and seven digits.
ISIL_PATTERN = re.compile(r"JP-\d{7}")


@dataclass(frozen=True)
class LibraryInfo:
    """A library as screens and commands show it: read in one transaction, no ORM row."""

    id: int
    name: str
    isil: str | None
    first_number: int
    next_number: int
    sheet_rows: int
    tax_rounding: str

    @classmethod
    def of(cls, library: Library) -> "LibraryInfo":
        return cls(library.id, library.name, library.isil, library.first_number, library.next_number,
                   library.sheet_rows, library.tax_rounding)

    def to_json(self) -> dict:
        return {"id": self.id, "name": self.name, "isil": self.isil, "first_number": self.first_number,
                "next_number": self.next_number, "sheet_rows": self.sheet_rows, "tax_rounding": self.tax_rounding}


# -- use cases: each takes the Database and owns its one transaction ---------------------------

def library_info(db: Database, ref: str | int | None) -> LibraryInfo:
    """The library named by id or ISIL (with none, the only one): find_library, read on its own."""
    with db.read() as session:
        return LibraryInfo.of(find_library(session, ref))


def all_libraries(db: Database) -> list[LibraryInfo]:
    with db.read() as session:
        return [LibraryInfo.of(library) for library in list_libraries(session)]


# -- a kiosk bound to its library (KIOSK_LIBRARY) ----------------------------------------------

class OtherLibrary(NotFound):
    """A kiosk bound to one library was asked for another: refused the same way whether or not
    that library exists, so a kiosk cannot even learn which libraries the server holds."""


def refers_to(library: LibraryInfo, ref: str | int) -> bool:
    """Whether ``ref`` (an id or an ISIL, as typed) names ``library``."""
    text = str(ref).strip()
    return text == str(library.id) or (library.isil is not None and text == library.isil)


def check_own_library(library: LibraryInfo, asked: str | int | None) -> None:
    """``asked`` (a page's ``?library=``, a command's ``--library``) must name the kiosk's own
    library, or be absent."""
    if asked is None or str(asked).strip() == "" or refers_to(library, asked):
        return
    raise OtherLibrary(
        f"this kiosk works for library {library.id} ({library.isil or library.name}) only (KIOSK_LIBRARY): "
        f"{str(asked).strip()!r} is another library's, refused",
        f"このキオスクは「{library.name}」専用です。ほかの図書館のデータは表示も変更もできません",
    )


def kiosk_library(db: Database, bound: str | None, asked: str | int | None) -> LibraryInfo:
    """The library a kiosk works on. Bound (``bound``: KIOSK_LIBRARY, an id or ISIL) it is that
    one, and ``asked`` naming another is refused (OtherLibrary). Unbound (an administrator's
    shell, a single-school kiosk), ``asked`` chooses, else the only library."""
    if bound is None or bound.strip() == "":
        return library_info(db, asked)
    library = library_info(db, bound)
    check_own_library(library, asked)
    return library


def kiosk_libraries(db: Database, bound: str | None) -> list[LibraryInfo]:
    """``kiosk libraries``: a bound kiosk sees its own library only."""
    return [library_info(db, bound)] if bound else all_libraries(db)


def check_unbound_for_set_up(db: Database, bound: str | None, *, if_empty: bool) -> LibraryInfo | None:
    """``kiosk init`` on a bound kiosk: with ``--if-empty`` its own library, when it exists, is
    the answer (returned: nothing to create); anything else is refused, since a new library is
    an administrator's act, from a shell that is bound to none. None: unbound, go ahead."""
    if bound is None or bound.strip() == "":
        return None
    library = library_info(db, bound)
    if if_empty:
        return library
    raise KioskError(
        f"this kiosk is bound to library {library.id} by KIOSK_LIBRARY: create a library from a shell without "
        "KIOSK_LIBRARY (the administrator's)",
        f"このキオスクは「{library.name}」専用です（KIOSK_LIBRARY）。図書館の作成は KIOSK_LIBRARY を"
        "設定していない管理者の端末から行ってください",
    )


def set_up_library(db: Database, name: str, *, if_empty: bool = False, actor: str, **settings) -> tuple[LibraryInfo, bool]:
    """``kiosk init``: the new library and True; with ``if_empty``, an existing library and False
    instead (decided in the transaction that would create it)."""
    with db.write() as session:
        library, created = set_up_in(session, name, if_empty=if_empty, actor=actor, **settings)
        return LibraryInfo.of(library), created


def change_library(db: Database, ref: str | int | None, *, actor: str, **changes) -> LibraryInfo:
    """Change the library's ledger settings (update_settings, under the library's lock) and
    return it as changed."""
    with db.write() as session:
        return LibraryInfo.of(change_in(session, ref, actor=actor, **changes))


# -- queries and commands inside a caller's transaction -----------------------------------------

def set_up_in(session: Session, name: str, *, if_empty: bool = False, actor: str, **settings) -> tuple[Library, bool]:
    existing = list_libraries(session)
    if if_empty and existing:
        return existing[0], False
    return create_library(session, name, actor=actor, **settings), True


def change_in(session: Session, ref: str | int | None, *, actor: str, **changes) -> Library:
    library = find_library(session, ref)
    update_settings(session, library, actor=actor, **changes)
    return library


def check_isil(isil: str) -> str:
    isil = isil.strip()
    if not ISIL_PATTERN.fullmatch(isil):
        raise KioskError(
            f"ISIL {isil!r} is not valid: a Japanese ISIL is 'JP-' followed by 7 digits (e.g. JP-1234567)",
            f"ISIL「{isil}」の形式が正しくありません（例: JP-1234567）",
        )
    return isil


def create_library(
    session: Session,
    name: str,
    *,
    isil: str | None = None,
    first_number: int = 1,
    sheet_rows: int = 10,
    tax_rounding: str = "floor",
    actor: str,
) -> Library:
    name = name.strip()
    if not name:
        raise KioskError("the library needs a name", "図書館名を入力してください")
    check_fields(Library, {"name": name})
    if isil is not None:
        isil = check_isil(isil)
        if session.scalar(select(Library.id).where(Library.isil == isil)) is not None:
            raise KioskError(f"a library with ISIL {isil} already exists", f"ISIL {isil} の図書館はすでにあります")
    _check_settings(first_number=first_number, sheet_rows=sheet_rows, tax_rounding=tax_rounding)
    library = Library(
        name=name,
        isil=isil,
        first_number=first_number,
        next_number=first_number,
        sheet_rows=sheet_rows,
        tax_rounding=tax_rounding,
        created_at=now(),
    )
    session.add(library)
    session.flush()
    record_event(
        session,
        library.id,
        actor,
        "library_created",
        details={"name": name, "isil": isil, "first_number": first_number, "sheet_rows": sheet_rows},
    )
    return library


def update_settings(session: Session, library: Library, *, actor: str, **changes) -> dict:
    """Change ledger settings. The first number can change only before any copy is registered."""
    changes = {k: v for k, v in changes.items() if v is not None}
    _check_settings(**changes)
    check_fields(Library, {"name": changes.get("name")})
    lock_library(session, library.id)  # the counter's lock: no number is given while this decides
    if "first_number" in changes and changes["first_number"] != library.first_number:
        if library.next_number != library.first_number or session.scalar(
                select(func.count()).where(Copy.library_id == library.id)):
            raise KioskError(
                "the first registration number cannot change once copies are registered",
                "登録済みの本があるため、最初の登録番号は変更できません",
            )
        if changes["first_number"] < library.next_number:  # the database's counter never goes back
            raise KioskError(
                f"the first registration number can only move forward from {library.next_number} "
                f"(got {changes['first_number']})",
                f"最初の登録番号は今の {library.next_number} より小さくできません",
            )
        library.next_number = library.first_number = changes["first_number"]
    if "isil" in changes:
        changes["isil"] = check_isil(changes["isil"])
        if session.scalar(select(Library.id).where(Library.isil == changes["isil"], Library.id != library.id)):
            raise KioskError(f"another library already has ISIL {changes['isil']}",
                             f"ISIL {changes['isil']} はほかの図書館のものです。この図書館のISILを入力してください")
    before = {key: getattr(library, key) for key in changes}
    for key, value in changes.items():
        setattr(library, key, value)
    record_event(session, library.id, actor, "settings_changed", details={"before": before, "after": changes})
    return changes


def lock_library(session: Session, library_id: int) -> Library:
    """The library row, locked (and read afresh) until the transaction ends. It is the row whose
    counter every registration advances, so a change decided under this lock cannot interleave
    with a number being given, and two settings changes at once are applied one after the other."""
    library = session.scalar(select(Library).where(Library.id == library_id).with_for_update()
                             .execution_options(populate_existing=True))
    if library is None:
        raise NotFound(f"no library {library_id}", f"図書館 {library_id} が見つかりません")
    return library


# The counter is an INTEGER column (32 bits on PostgreSQL): a first number of 9 digits at most
# leaves over a billion numbers to give before it could overflow.
LARGEST_FIRST_NUMBER = 999_999_999


def _check_settings(first_number=None, sheet_rows=None, tax_rounding=None, **_):
    if first_number is not None and (not isinstance(first_number, int) or not 0 <= first_number <= LARGEST_FIRST_NUMBER):
        raise KioskError(
            f"first number must be 0 to {LARGEST_FIRST_NUMBER:,} (got {first_number!r})",
            f"最初の登録番号は0〜{LARGEST_FIRST_NUMBER:,}の整数にしてください",
        )
    if sheet_rows is not None and (not isinstance(sheet_rows, int) or not 1 <= sheet_rows <= 1000):
        raise KioskError(
            f"rows per sheet must be between 1 and 1000 (got {sheet_rows!r})",
            "台帳1枚の行数は1〜1000にしてください",
        )
    if tax_rounding is not None and tax_rounding not in ROUNDING_MODES:
        raise KioskError(
            f"tax rounding must be one of {', '.join(ROUNDING_MODES)} (got {tax_rounding!r})",
            "消費税の端数処理は floor（切り捨て）/ half_up（四捨五入）/ ceil（切り上げ）です",
        )


def find_library(session: Session, ref: str | int | None) -> Library:
    """The library named by id or ISIL; with no reference, the only library in the database."""
    if ref is None or ref == "":
        libraries = list(session.scalars(select(Library).order_by(Library.id).limit(2)))
        if not libraries:
            raise NotFound(
                "no library in this database yet: run `kiosk init --name NAME` first",
                "図書館がまだ登録されていません（kiosk init で作成してください）",
            )
        if len(libraries) > 1:
            raise KioskError(
                "this database holds several libraries: choose one with --library ID or KIOSK_LIBRARY",
                "複数の図書館があります。--library で図書館を指定してください",
            )
        return libraries[0]
    text = str(ref).strip()
    if text.isdigit():
        library = session.get(Library, int(text))
    else:
        library = session.scalar(select(Library).where(Library.isil == text))
    if library is None:
        raise NotFound(f"no library {text!r} in this database", f"図書館「{text}」が見つかりません")
    return library


def list_libraries(session: Session) -> list[Library]:
    return list(session.scalars(select(Library).order_by(Library.id)))
