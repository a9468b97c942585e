"""Bibliographic lookup (書誌検索): ISBN → title, readings, creators, publisher, year, price, NDC.

Sources are tried in order behind one interface (cache → NDL Search SRU → openBD → …), with
hard time limits and a circuit breaker, off the scan path. See docs/lookup.md.
"""

from kiosk.lookup.catalogue_import import (CatalogueError, ImportProblem, ImportReport,
                                           import_catalogue)
from kiosk.lookup.chain import (BackgroundLookup, Cache, LookupChain, LookupResult, MemoryCache,
                                SourceStatus)
from kiosk.lookup.faults import LookupFailed
from kiosk.lookup.record import BibRecord, Creator, InvalidRecord
from kiosk.lookup.sources import (LookupSettings, LookupSource, NdlSruSource, OpenBdSource,
                                  build_remote_sources)

__all__ = [
    "BackgroundLookup", "BibRecord", "Cache", "CatalogueError", "Creator", "ImportProblem",
    "ImportReport", "InvalidRecord", "LookupChain", "import_catalogue",
    "LookupFailed", "LookupResult", "LookupSettings", "LookupSource", "MemoryCache",
    "NdlSruSource", "OpenBdSource", "SourceStatus", "build_remote_sources",
]
