"""合本 and 分本: copies bound into one volume, or one copy split into several (the manual's
その他の受入: "一度受入した図書を合本したり分本したりして数量に変更が生じた場合の受入").

Either way the copies that no longer exist as such are withdrawn (reason ``bound`` or
``split``) and what exists now is accessioned anew, kind ``other``, with new numbers: numbers
are never reused, and the year's figures show the change in count. The value carries over: a
bound volume is priced at the sum of its parts; the parts of a split copy share its price, the
yen left over on the last (端数調整). Each new row and each old one names the other numbers,
and the event log links them. All in one transaction, all or nothing.
"""

from datetime import date

from kiosk.ledger.accession import RegisteredCopy, write_copies
from kiosk.clock import ledger_today
from kiosk.db.models import Copy
from kiosk.text_limits import check_fields
from kiosk.errors import KioskError
from kiosk.ledger.fiscal import fiscal_year
from kiosk.db.storage import Database
from kiosk.ledger.withdrawal import lock_withdrawable, retire

BOUND, SPLIT = "bound", "split"  # withdrawal reasons set only here, never chosen on their own
MAX_PARTS = 50
KEPT = ("series", "fund", "fund_note", "source", "isbn", "title", "volume", "series_title", "authors", "publisher",
        "year", "classification", "author_mark", "eligibility_category", "override_note")


def bind(db: Database, library_id: int, numbers: list[int], *, title: str | None = None, volume: str | None = None,
         on: date | None = None, actor: str) -> RegisteredCopy:
    """Copies ``numbers`` (at least two, active, on the same ledger series and fund) bound into
    one volume: the first copy's book, ``title``/``volume`` if given, the parts' prices summed."""
    numbers = list(dict.fromkeys(numbers))
    if not 2 <= len(numbers) <= MAX_PARTS:
        raise KioskError(f"binding takes 2 to {MAX_PARTS} copies", f"合本する本は2〜{MAX_PARTS}冊にしてください")
    check_fields(Copy, {"title": title.strip() if title else None, "volume": volume.strip() if volume else None})
    with db.write() as session:
        on = on or ledger_today(session)
        parts = lock_withdrawable(session, library_id, numbers, on)
        first = parts[0]
        if len({(p.series, p.fund, p.fund_note) for p in parts}) > 1:
            raise KioskError("copies from different ledger series or funds cannot be bound together",
                             "購入と寄贈、または財源の違う本は合本できません")
        listed = "・".join(str(n) for n in numbers)
        row = {column: getattr(first, column) for column in KEPT}
        row.update(_new_row(on), price=sum(p.price for p in parts), list_price=None, discount=0,
                   rounding_adjusted=False, price_note=f"合本（旧登録番号 {listed}）")
        if title:
            row["title"] = title.strip()
        if volume is not None:
            row["volume"] = volume.strip() or None
        (new,) = write_copies(session, library_id, [row], None, actor)
        for part in parts:
            retire(session, library_id, part, BOUND, on, f"合本 → 新登録番号 {new.number}", actor,
                    {"into": new.number})
        return new


def split(db: Database, library_id: int, number: int, volumes: list[str], *, on: date | None = None,
          actor: str) -> list[RegisteredCopy]:
    """Copy ``number`` split into one copy per ``volumes`` (e.g. 上, 下), its price shared."""
    volumes = [v.strip() for v in volumes]
    if not 2 <= len(volumes) <= MAX_PARTS or not all(volumes):
        raise KioskError(f"splitting makes 2 to {MAX_PARTS} copies, each with its volume",
                         f"分本は2〜{MAX_PARTS}冊に、それぞれ巻次をつけて分けてください")
    if len(set(volumes)) != len(volumes):
        raise KioskError("two parts have the same volume", "同じ巻次が2つあります")
    for volume in volumes:
        check_fields(Copy, {"volume": volume})
    with db.write() as session:
        on = on or ledger_today(session)
        (whole,) = lock_withdrawable(session, library_id, [number], on)
        share, left = divmod(whole.price, len(volumes))
        rows = []
        for index, volume in enumerate(volumes):
            last = index == len(volumes) - 1
            row = {column: getattr(whole, column) for column in KEPT}
            row.update(_new_row(on), volume=volume, list_price=None, discount=0,
                       price=share + (left if last else 0), rounding_adjusted=bool(last and left),
                       price_note=f"分本（旧登録番号 {number}）")
            rows.append(row)
        made = write_copies(session, library_id, rows, None, actor)
        retire(session, library_id, whole, SPLIT, on, "分本 → 新登録番号 " + "・".join(str(c.number) for c in made),
                actor, {"into": [c.number for c in made]})
        return made


def _new_row(on: date) -> dict:
    return {"kind": "other", "acquired_on": on, "fiscal_year": fiscal_year(on), "status": "active",
            "reaccession_of_id": None, "note": None}
