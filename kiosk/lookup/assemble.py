"""Where bibliographic data comes from, assembled in one place for the CLI and the web app.

Order: the cache in the database, then the remote sources (NDL Search, then openBD; see
``KIOSK_LOOKUP_SOURCES``), then the sample catalogue bundled with the kiosk. Build one chain
per process: the remote sources carry circuit breakers and request-rate timers.

The bundled sample catalogue holds 193 real NDL records, so a kiosk with no network and no
configuration knows real books. The NDL's terms ask that its source and edits be shown:
``SAMPLE_CATALOGUE_ATTRIBUTION`` (and ``sample_catalogue_attribution()`` for the file in use)
is what the README and the settings screen show.
"""

import logging
import os
from dataclasses import replace
from pathlib import Path

from kiosk.lookup.cache import DatabaseCache
from kiosk.errors import KioskError
from kiosk.lookup import BibRecord, LookupChain, LookupSettings, build_remote_sources, import_catalogue
from kiosk.lookup.catalogue_import import comment_lines, looks_like_marc
from kiosk.db.storage import Database

log = logging.getLogger(__name__)

BUNDLED_SAMPLE = Path(__file__).parent.parent / "data" / "sample-catalogue.tsv"
# Written into the bundled file's first lines by kiosk.lookup.ndl_sample, which builds it.
SAMPLE_CATALOGUE_ATTRIBUTION = (
    "出典：国立国会図書館書誌データ（2021〜2025年に取得された国立国会図書館サーチのAPI応答）"
    "をもとに加工して作成。加工（著者名の典拠形から生没年を除く、価格を数値にする等）は"
    "受入キオスクによるもので、国立国会図書館が作成したものではありません。")
SAMPLE_CATALOGUE_TERMS_URL = "https://www.ndl.go.jp/jp/use/metadata/"
__all__ = ["BUNDLED_SAMPLE", "SAMPLE_CATALOGUE_ATTRIBUTION", "SAMPLE_CATALOGUE_TERMS_URL",
           "SampleCatalogueSource", "build_chain", "import_into_cache", "sample_catalogue_attribution"]


def sample_catalogue_path() -> Path:
    """The sample catalogue in use: ``KIOSK_SAMPLE_CATALOGUE``, else the bundled one."""
    return Path(os.environ.get("KIOSK_SAMPLE_CATALOGUE") or BUNDLED_SAMPLE)


def sample_catalogue_attribution(path: Path | None = None) -> str | None:
    """What the settings screen shows under the sample catalogue: the bundled file's
    attribution, or the comment lines (``# …``) at the top of another file; None when the
    file is missing or says nothing about itself."""
    path = Path(path or sample_catalogue_path())
    if path.resolve() == BUNDLED_SAMPLE.resolve():
        return SAMPLE_CATALOGUE_ATTRIBUTION if path.is_file() else None
    try:
        data = path.read_bytes()
        return None if looks_like_marc(data) else ("\n".join(comment_lines(data)) or None)
    except (OSError, KioskError):
        return None


class SampleCatalogueSource:
    """A catalogue file read once into memory: a local source, used offline too.

    ``KIOSK_SAMPLE_CATALOGUE`` names the file (TSV/CSV or MARC 21, as ``kiosk import-catalogue``
    reads); by default the one bundled with the kiosk, if present.
    """

    name = "sample"
    remote = False

    def __init__(self, path: Path | None = None):
        self.path = Path(path or sample_catalogue_path())
        self._records: dict[str, BibRecord] | None = None

    def lookup(self, isbn13: str) -> BibRecord | None:
        if self._records is None:
            self._records = self._load()
        return self._records.get(isbn13)

    def _load(self) -> dict[str, BibRecord]:
        """Every readable record; a bad row is logged with its line and left out, and a file
        that cannot be read at all is logged and answers nothing (the kiosk still starts)."""
        if not self.path.is_file():
            return {}
        try:
            report = import_catalogue(self.path)
        except KioskError as error:
            log.error("sample catalogue %s not used: %s", self.path, error)
            return {}
        for problem in report.problems:
            log.warning("sample catalogue %s, %s: %s", self.path, problem.where(), problem.message)
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
