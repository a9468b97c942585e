"""Where the kiosk keeps its data, read from the environment.

``KIOSK_DATABASE_URL`` picks the database (any SQLAlchemy URL; ``postgresql://`` is served
by psycopg 3). Without it, the kiosk uses an SQLite file in its data directory:
``KIOSK_DATA_DIR``, else ``$XDG_DATA_HOME/accession-kiosk``, else
``~/.local/share/accession-kiosk``. ``KIOSK_LIBRARY`` binds the kiosk to one library of a
server shared by a city's schools (docs/city.md).
"""

import os
from pathlib import Path


def data_dir() -> Path:
    if explicit := os.environ.get("KIOSK_DATA_DIR"):
        return Path(explicit)
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / "accession-kiosk"


def database_url() -> str:
    return os.environ.get("KIOSK_DATABASE_URL") or f"sqlite:///{data_dir() / 'kiosk.sqlite3'}"


def staff_name() -> str:
    """Who is acting, for the event log: ``KIOSK_STAFF``, else the OS user."""
    return os.environ.get("KIOSK_STAFF") or os.environ.get("USER") or "kiosk"


def bound_library() -> str | None:
    """``KIOSK_LIBRARY``: the library (id or ISIL) this kiosk is bound to, on a server that holds
    several; None: not bound (one library in the database, or an administrator's shell)."""
    return (os.environ.get("KIOSK_LIBRARY") or "").strip() or None
