"""The process's bibliographic lookups: one lookup chain and one background worker pool per
process (the sources' circuit breakers and request-rate timers must outlive a single
request), built by the app factory and rebuilt by the settings screen when the lookup
settings change."""

from flask import Flask

from kiosk.errors import KioskError
from kiosk.lookup_settings import LibraryLookupSettings


def configure_lookups(app: Flask, db, chosen: LibraryLookupSettings | None = None) -> None:
    """Build the chain and pool into ``app.extensions`` (``lookup_chain``, ``intake_scanner``),
    shutting down the pool they replace. ``chosen`` is the library's lookup settings (read
    here if not given; None before the library exists: the environment's)."""
    from kiosk.lookup.assemble import build_chain
    from kiosk.intake.pending_lookups import IntakeScanner
    from kiosk.lookup import BackgroundLookup

    if chosen is None:
        chosen = _stored_lookup_settings(app, db)
    chain = build_chain(db, sources=chosen.sources if chosen else None)
    offline = app.config["LOOKUP_OFFLINE"] or bool(chosen and chosen.offline)
    background = BackgroundLookup(chain, workers=2, offline=offline)
    previous = app.extensions.get("intake_scanner")
    app.extensions["lookup_chain"] = chain
    app.extensions["intake_scanner"] = IntakeScanner(db, chain, background)
    if previous is not None:
        previous.background.shutdown()


def _stored_lookup_settings(app: Flask, db) -> LibraryLookupSettings | None:
    from kiosk.settings import settings_of_library

    try:
        return settings_of_library(db, app.config.get("LIBRARY")).lookup
    except KioskError:  # no library yet: the environment's defaults
        return None
