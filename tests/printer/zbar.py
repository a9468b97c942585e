"""Decode barcodes with the real zbar (Debian zbar-tools) from PDF pages rasterised at 300 dpi
by pdftoppm (poppler-utils), or from images."""

import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

ZBAR_NAMES = {"nw7": "Codabar", "code39": "CODE-39", "code128": "CODE-128"}


def require_tools():
    missing = [tool for tool in ("zbarimg", "pdftoppm") if shutil.which(tool) is None]
    if missing:
        pytest.skip(f"{', '.join(missing)} not installed (scripts/install-system-packages.sh installs them)")


def decode_pdf(pdf: bytes, dpi: int = 300) -> list[tuple[str, str]]:
    require_tools()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "labels.pdf"
        path.write_bytes(pdf)
        subprocess.run(["pdftoppm", "-r", str(dpi), "-gray", "-png", str(path), str(Path(tmp) / "page")], check=True)
        return decode_images(sorted(Path(tmp).glob("page*.png")))


def decode_images(paths) -> list[tuple[str, str]]:
    require_tools()
    result = subprocess.run(["zbarimg", "-q", *map(str, paths)], capture_output=True, text=True)
    if result.returncode not in (0, 4):  # 4: nothing found in some image
        raise RuntimeError(result.stderr)
    return [tuple(line.split(":", 1)) for line in result.stdout.splitlines() if ":" in line]
