"""Scans into an intake without waiting on the network.

A scan is written at once, with the record if a local source (the cache, the sample
catalogue) knows the book; otherwise the remote lookup runs in the background and the record
fills in when it arrives. A dead network never slows a scan.
"""

import logging
from typing import Callable

from kiosk.intake import add_scan, fill_record
from kiosk.lookup import BackgroundLookup, LookupChain, LookupResult
from kiosk.storage import Database

log = logging.getLogger(__name__)


class IntakeScanner:
    def __init__(self, db: Database, chain: LookupChain, background: BackgroundLookup,
                 on_record: Callable[[int, LookupResult], None] | None = None):
        self.db = db
        self.chain = chain
        self.background = background
        self.on_record = on_record  # e.g. push the record to the open page

    def scan(self, intake_id: int, isbn13: str, *, list_price: int | None = None, c_code: str | None = None) -> int:
        """Record one scanned copy; returns the item id. Only local sources are asked here."""
        local = self.chain.lookup(isbn13, offline=True)
        item_id = add_scan(self.db, intake_id, isbn13, record=local.record, list_price=list_price, c_code=c_code)
        if local.record is None:
            self.background.submit(isbn13, lambda result: self._arrived(item_id, result))
        return item_id

    def _arrived(self, item_id: int, result: LookupResult) -> None:
        if result.record is not None:
            try:
                fill_record(self.db, item_id, result.record)
            except Exception:  # the scan is kept whatever happens to its lookup
                log.exception("could not store the record for item %s", item_id)
                return
        if self.on_record is not None:
            self.on_record(item_id, result)
