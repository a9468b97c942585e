"""The registration floor: what SQLite alone does, with the kiosk's durability settings.

A bare ``sqlite3`` loop on a file in WAL mode with ``synchronous=FULL`` (as kiosk/db/storage.py
opens SQLite): one row like a copy inserted and committed per registration, and 1,000 rows
inserted in one transaction. No ORM, no counter, no event, no ledger row: no registration can
be faster than this on the same disk, so the kiosk's figure over this one is what its own work costs.
"""

import sqlite3
import time
from pathlib import Path

SCHEMA = ("CREATE TABLE copies (id INTEGER PRIMARY KEY, library_id INTEGER NOT NULL, number INTEGER NOT NULL, "
          "title TEXT NOT NULL, price INTEGER, registered_at TEXT NOT NULL, UNIQUE (library_id, number))")
INSERT = "INSERT INTO copies (library_id, number, title, price, registered_at) VALUES (1, ?, ?, 1000, ?)"


def bare_inserts(path: Path, single: int, delivery: int = 1000) -> dict:
    """{"single": inserts+commits per second over ``single`` rows, "delivery": seconds for
    ``delivery`` rows in one transaction}."""
    connection = sqlite3.connect(path, isolation_level=None)
    try:
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("PRAGMA synchronous=FULL")
        connection.execute(SCHEMA)
        at = time.strftime("%Y-%m-%dT%H:%M:%S")
        started = time.perf_counter()
        for number in range(1, single + 1):
            connection.execute("BEGIN IMMEDIATE")
            connection.execute(INSERT, (number, "ベンチマーク", at))
            connection.execute("COMMIT")
        rate = single / (time.perf_counter() - started)
        started = time.perf_counter()
        connection.execute("BEGIN IMMEDIATE")
        for number in range(single + 1, single + delivery + 1):
            connection.execute(INSERT, (number, f"配本 {number}", at))
        connection.execute("COMMIT")
        return {"single": rate, "delivery": time.perf_counter() - started}
    finally:
        connection.close()
