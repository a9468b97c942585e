"""Real file-system faults for tests: a small tmpfs to fill up, a file or a tmpfs made read-only.

Mounting needs root (or CAP_SYS_ADMIN); ``tmpfs_unavailable()`` says why it cannot be done, for
a skip. Every mount is undone when the context ends, even if the test fails.
"""

import os
import subprocess
import tempfile
from contextlib import contextmanager
from pathlib import Path


def _mount(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["mount", *args], capture_output=True, text=True, timeout=30)


def tmpfs_unavailable() -> str | None:
    """None if this process can mount a tmpfs, else the reason."""
    if os.geteuid() != 0:
        return "mounting a small tmpfs needs root (the full-disk and read-only tests run as root in CI)"
    probe = tempfile.mkdtemp(prefix="kiosk-tmpfs-probe-")
    try:
        done = _mount("-t", "tmpfs", "-o", "size=64k", "tmpfs", probe)
        if done.returncode != 0:
            return f"cannot mount a tmpfs here: {done.stderr.strip()}"
        subprocess.run(["umount", probe], check=True, timeout=30)
        return None
    finally:
        os.rmdir(probe)


@contextmanager
def small_tmpfs(size: str = "4m"):
    """A fresh tmpfs of ``size`` mounted on a new directory."""
    where = Path(tempfile.mkdtemp(prefix="kiosk-tmpfs-"))
    done = _mount("-t", "tmpfs", "-o", f"size={size},mode=0755", "tmpfs", str(where))
    assert done.returncode == 0, done.stderr
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], timeout=30)
        os.rmdir(where)


def fill(directory: Path) -> Path:
    """Fill the file system of ``directory`` to the last byte; returns the filler (delete it to free)."""
    filler = directory / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        chunk = b"\0" * 65536
        while True:
            try:
                os.write(fd, chunk)
            except OSError:
                if len(chunk) == 1:
                    break
                chunk = chunk[: len(chunk) // 2]
    finally:
        os.close(fd)
    return filler


@contextmanager
def read_only_file(path: Path):
    """``path`` bound read-only onto itself: the file can be read, not written (its directory
    stays writable), as a database file whose permissions or disk refuse writes."""
    done = _mount("--bind", str(path), str(path))
    assert done.returncode == 0, done.stderr
    try:
        done = _mount("-o", "remount,bind,ro", str(path))
        assert done.returncode == 0, done.stderr
        yield path
    finally:
        subprocess.run(["umount", "-l", str(path)], timeout=30)  # lazily: a leaked connection must not block


@contextmanager
def read_only_remount(mountpoint: Path):
    """The whole tmpfs at ``mountpoint`` remounted read-only (nothing may have a file open for
    writing on it), then read-write again."""
    done = _mount("-o", "remount,ro", str(mountpoint))
    assert done.returncode == 0, done.stderr
    try:
        yield mountpoint
    finally:
        subprocess.run(["mount", "-o", "remount,rw", str(mountpoint)], timeout=30)
