"""Where bibliographic data comes from, assembled in one place for the CLI and the web app.

Order: the cache in the database, then the remote sources (NDL Search, then openBD; see
``KIOSK_LOOKUP_SOURCES``), then the sample catalogue bundled with the kiosk. Build one chain
per process: the remote sources carry circuit breakers and request-rate timers.
"""

import os
from dataclasses import replace
from pathlib import Path

from kiosk.lookup.cache import DatabaseCache
from kiosk.lookup import BibRecord, LookupChain, LookupSettings, build_remote_sources, import_catalogue
from kiosk.db.storage import Database

BUNDLED_SAMPLE = Path(__file__).parent.parent / "data" / "sample-catalogue.tsv"


class SampleCatalogueSource:
    """A catalogue file read once into memory: a local source, used offline too.

    ``KIOSK_SAMPLE_CATALOGUE`` names the file (TSV/CSV or MARC 21, as ``kiosk import-catalogue``
    reads); by default the one bundled with the kiosk, if present.
    """

    name = "sample"
    remote = False

    def __init__(self, path: Path | None = None):
        self.path = Path(path or os.environ.get("KIOSK_SAMPLE_CATALOGUE") or BUNDLED_SAMPLE)
        self._records: dict[str, BibRecord] | None = None

    def lookup(self, isbn13: str) -> BibRecord | None:
        if self._records is None:
            self._records = self._load()
        return self._records.get(isbn13)

    def _load(self) -> dict[str, BibRecord]:
        if not self.path.is_file():
            return {}
        report = import_catalogue(self.path)
        return {record.isbn13: replace(record, source="sample") for record in report.records}


def build_chain(db: Database, settings: LookupSettings | None = None,
                sources: tuple[str, ...] | None = None) -> LookupChain:
    """``sources``: the library's setting (kiosk.lookup_settings: ("ndl", "openbd"), ("openbd",),
    () for none), over the environment's KIOSK_LOOKUP_SOURCES."""
    settings = settings or LookupSettings.from_env()
    if sources is not None:
        settings = replace(settings, order=tuple(sources))
    return LookupChain(build_remote_sources(settings) + [SampleCatalogueSource()], cache=DatabaseCache(db))


def import_into_cache(db: Database, path: Path):
    """Read a catalogue file (TSV/CSV in UTF-8 or Shift_JIS, or MARC 21) into the cache."""
    report = import_catalogue(path)
    DatabaseCache(db).put_many(replace(record, source="import") for record in report.records)
    return report
