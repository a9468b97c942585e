"""The lookup cache in the kiosk's database (implements kiosk.lookup.chain.Cache).

Every record looked up, imported or typed is appended with its source and time; the newest
record for an ISBN answers. Nothing is overwritten, so a typed record that turns out wrong
can be traced and superseded.
"""

from typing import Iterable

from sqlalchemy import bindparam, func, select

from kiosk.events import now
from kiosk.lookup.record import BibRecord
from kiosk.db.models import CachedRecord
from kiosk.db.storage import Database


class DatabaseCache:
    def __init__(self, db: Database):
        self.db = db
        table = CachedRecord.__table__
        # Built once: this runs for every scan, and must stay well under 2 ms.
        self._newest = (
            select(table.c.record).where(table.c.isbn13 == bindparam("isbn13"))
            .order_by(table.c.id.desc()).limit(1)
        )
        # One statement needs no transaction: in autocommit PostgreSQL is spared the BEGIN and
        # the ROLLBACK around it (two of four round trips). Not on SQLite, whose connections the
        # kiosk sets up to BEGIN itself (storage._configure_sqlite) and must stay so.
        postgres = db.engine.dialect.name == "postgresql"
        self._reads = db.engine.execution_options(isolation_level="AUTOCOMMIT") if postgres else db.engine

    def get(self, isbn13: str) -> BibRecord | None:
        with self._reads.connect() as connection:
            data = connection.execute(self._newest, {"isbn13": isbn13}).scalar()
        return BibRecord.from_json(data) if data is not None else None

    def put(self, record: BibRecord) -> None:
        self.put_many([record])

    def put_many(self, records: Iterable[BibRecord]) -> int:
        at = now()
        rows = [{"isbn13": r.isbn13, "source": r.source, "fetched_at": at, "record": r.to_json()} for r in records]
        if rows:
            with self.db.write() as session:
                session.connection().execute(CachedRecord.__table__.insert(), rows)
        return len(rows)

    def __len__(self) -> int:
        with self.db.read() as session:
            return session.scalar(select(func.count()).select_from(CachedRecord))
