"""A short random token kept in a file of the data directory (the web secret key, this
kiosk's id): written atomically and durably, and never over a valid one another process,
starting at the same moment, kept first."""

import os
import tempfile
from pathlib import Path
from typing import Callable


def keep_token(path: Path, token: str, valid: Callable[[str], bool]) -> str:
    """Write ``token`` to ``path`` (a temporary file fsynced, then linked or renamed into place,
    mode 0600) and return the token the file holds: ``token``, or the valid one another process
    kept first. A file there that is not ``valid`` (empty, short) is replaced. OSError if the
    file cannot be written (a full or read-only disk): the caller decides what then."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(prefix=f".{path.name}-", dir=path.parent)  # mode 0600
    try:
        with os.fdopen(fd, "w") as handle:
            handle.write(token)
            handle.flush()
            os.fsync(handle.fileno())
        if path.exists():  # not a valid token: replace it
            os.replace(temporary, path)
        else:
            try:
                os.link(temporary, path)  # none yet: create it, but never over another's
            except FileExistsError:
                theirs = _read(path)
                if theirs is not None and valid(theirs):
                    return theirs
                os.replace(temporary, path)
            except OSError:  # a file system without hard links
                os.replace(temporary, path)
        fsync_path(path.parent)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)
    return token


def _read(path: Path) -> str | None:
    try:
        return path.read_text().strip()
    except (OSError, UnicodeDecodeError):
        return None


def fsync_path(path: Path) -> None:
    """fsync a file or a directory (a directory: so a rename or link in it survives a power cut)."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
