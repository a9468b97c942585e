"""Two schools on one database, each with a bit of everything a school keeps: copies (some with
an earlier system's item barcodes, one withdrawn, one lost), deliveries (one open with scanned
copies, one registered), print jobs, staff with PINs, a vendor with a remembered slip mapping,
a configured printer and a wrong PIN counted. Used by the tests that let one school's kiosk try
every route and command on the other's (tests/web/test_other_librarys_records.py,
tests/core/test_other_librarys_commands.py), and ``dump`` says whether anything of a school
changed."""

from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from kiosk.db.models import Base, Intake
from kiosk.db.storage import open_database
from kiosk.intake.delivery import add_scan, attach_slip, open_intake, register_intake, update_item
from kiosk.intake.slip import parse_slip
from kiosk.ledger.accession import Accession, Book, CopyRequest, register
from kiosk.ledger.funds import Fund, Kind
from kiosk.ledger.ledger_import import import_ledger
from kiosk.ledger.withdrawal import WithdrawalReason, withdraw
from kiosk.library import create_library
from kiosk.lookup.record import BibRecord
from kiosk.printing.queue import enqueue
from kiosk.settings import save_settings_section
from kiosk.staff import KioskIdentity, WrongPin, add_member, sign_in

SLIP_HEADER = "品名,コード,冊数,単価"  # headers no one knows: the vendor's mapping is remembered


@dataclass(frozen=True)
class School:
    id: int
    name: str
    isil: str
    title: str  # on every copy and scanned book of the school: never seen on the other's kiosk
    numbers: list[int]  # registered, held
    withdrawn: int
    lost: int  # withdrawn as lost: may be re-accessioned
    barcodes: list[str]  # item barcodes kept from an earlier system
    open_intake: int
    items: list[int]  # scanned copies of the open delivery
    registered_intake: int
    jobs: list[int]  # print jobs: [kept for a sheet, on a printer]
    staff: dict[str, str]  # name -> PIN; the first is the administrator
    member_ids: list[int]
    vendor: str
    printer_id: int
    printer_url: str

    @property
    def first(self) -> int:
        return self.numbers[0]

    @property
    def markers(self) -> list[str]:
        """Strings only this school's data holds: none may appear in the other's answers."""
        return [self.name, self.isil, self.title, *self.staff, self.vendor, *self.barcodes, self.printer_url]


def make_school(db, tmp: Path, *, name: str, isil: str, first: int, tag: str, pins: tuple[str, str]) -> School:
    with db.write() as session:
        library_id = create_library(session, name, isil=isil, first_number=first, actor="setup").id
    title = f"{tag}の秘密の本"
    ledger = tmp / f"ledger-{tag}.csv"
    ledger.write_text("登録番号,受入年月日,受入先,書名,価格,財源,バーコード\n"
                      f"{first},2024-05-01,{tag}書店,{title}（旧）,1100,市費,{tag}-BC-{first}\n"
                      f"{first + 1},2024-05-01,{tag}書店,{title}（旧）,1100,市費,{tag}-BC-{first + 1}\n", encoding="utf-8")
    import_ledger(db, library_id, ledger, dry_run=False, actor="setup")
    accession = Accession(kind=Kind.PURCHASE, fund=Fund.CITY, source=f"{tag}書店", on=date(2025, 6, 1))
    made = register(db, library_id, accession, [CopyRequest(Book(title), price=990)] * 4, actor="setup").copies
    numbers = [first, first + 1] + [copy.number for copy in made]
    withdraw(db, library_id, numbers[-1], WithdrawalReason.WORN, on=date(2025, 7, 1), actor="setup")
    withdraw(db, library_id, numbers[-2], WithdrawalReason.LOST, on=date(2025, 7, 1), actor="setup")

    vendor = f"{tag}ブックス"
    delivery = dict(source=vendor, received_on=date.today(), kind=Kind.PURCHASE, fund=Fund.CITY, actor="setup")
    registered = open_intake(db, library_id, **delivery)
    mapping = {"品名": "title", "コード": "isbn", "冊数": "quantity", "単価": "unit_price"}
    slip = parse_slip(f"{SLIP_HEADER}\n{title},9784033280103,1,1000\n".encode(), mapping)
    attach_slip(db, registered, slip, mapping=mapping)
    item = add_scan(db, registered, "9784033280103", record=BibRecord(isbn13="9784033280103", title=title,
                                                                       source="typed"), list_price=1000)
    update_item(db, item, inspection="ok")
    register_intake(db, registered, actor="setup", accept_call_numbers=True)
    still_open = open_intake(db, library_id, **delivery)
    items = [add_scan(db, still_open, "9784033280103", record=BibRecord(isbn13="9784033280103", title=title,
                                                                         source="typed")) for _ in range(2)]

    printer_url = f"pdf:{tmp / 'printed' / tag}"  # KIOSK_PDF_FOLDER must allow tmp/printed
    printer_id = first // 1000  # the two schools' printers have different ids
    save_settings_section(db, library_id, "printing", {"printers": [{"id": printer_id, "name": f"{tag}のプリンター",
                                                                     "url": printer_url}],
                                                       "last_printer_id": printer_id}, actor="setup")
    jobs = [enqueue(db, library_id, numbers[:2], kind="both", printer=None, actor="setup"),
            enqueue(db, library_id, numbers[2:3], kind="both", printer=printer_url, actor="setup")]
    staff = {f"{tag}司書": pins[0], f"{tag}先生": pins[1]}
    members = [add_member(db, library_id, member, pin, admin=not index, actor="setup").id
               for index, (member, pin) in enumerate(staff.items())]
    try:
        sign_in(db, library_id, KioskIdentity(f"setup-{tag}", "setup"), f"{tag}司書", "000000")
    except WrongPin:
        pass  # one wrong PIN counted: the other school's attempts must not add to it
    return School(library_id, name, isil, title, [n for n in numbers if n not in numbers[-2:]], numbers[-1],
                  numbers[-2], [f"{tag}-BC-{first}", f"{tag}-BC-{first + 1}"], still_open, items, registered,
                  jobs, staff, members, vendor, printer_id, printer_url)


def dump(db, library_id: int) -> dict[str, list[tuple]]:
    """Every row the library owns, table by table (the shared bibliographic cache is nobody's)."""
    rows = {}
    with db.read() as session:
        intakes = select(Intake.id).where(Intake.library_id == library_id)
        for table in Base.metadata.sorted_tables:
            columns = table.c
            if table.name == "libraries":
                where = columns.id == library_id
            elif "library_id" in columns:
                where = columns.library_id == library_id
            elif "intake_id" in columns:
                where = columns.intake_id.in_(intakes)
            else:
                continue
            order = list(table.primary_key.columns) or list(columns)
            rows[table.name] = [tuple(row) for row in session.execute(select(table).where(where).order_by(*order))]
    return rows


@contextmanager
def two_schools(tmp: Path):
    """(db, url, [first, second]): the two schools in a PostgreSQL schema of their own, dropped
    after. Their printers write under ``tmp / "printed"`` (KIOSK_PDF_FOLDER)."""
    from tests.conftest import own_postgres_schema

    with own_postgres_schema("kiosk_city") as url:
        db = None
        try:
            with pytest.MonkeyPatch.context() as patch:
                patch.setenv("KIOSK_PDF_FOLDER", str(tmp / "printed"))
                db = open_database(url)
                schools = [make_school(db, tmp, name="ひまわり小学校図書館", isil="JP-0000001", first=1001,
                                       tag="ひまわり", pins=("2580", "1470")),
                           make_school(db, tmp, name="あさがお中学校図書館", isil="JP-0000002", first=5001,
                                       tag="あさがお", pins=("1357", "8642"))]
            yield db, url, schools
        finally:
            if db is not None:
                db.dispose()
