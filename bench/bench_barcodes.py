"""Barcode encoding: the kiosk against python-barcode alone and zint's CLI, in the same run.

    .venv/bin/python bench/bench_barcodes.py [--count 1000] [--runs 5]

1. In a running kiosk (warm): ``count`` registration numbers (8 digits, Code 39, no check
   character) to patterns ready to draw (printer.barcode.item_barcode, bars listed), against
   python-barcode alone encoding the same data (``Code39(...).build()``), which the kiosk
   calls underneath: the ratio is what the kiosk's own layer costs.
2. As a whole process: a fresh interpreter that encodes the ``count`` numbers and writes them to
   one PDF on the Hisago ELM006 sheet, bars and number only (no library name, no title),
   against zint's CLI writing the same ``count`` Code 39 symbols as SVG files in batch mode
   (``zint -b 8 --batch``). Skipped without zint (scripts/bench.sh installs it).

Each figure is the median of ``--runs``. The issues set no target for these; the ratio is the figure.
"""

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from report import Figure, emit  # noqa: E402

KIOSK_FILE = """
import sys
from kiosk.codes.itemcode import ItemCodeSettings
from printer.barcode import item_barcode
from printer.labels import barcode_label
from printer.sheet_pdf import render_sheet_pdf
from printer.templates import find_template
count, out = int(sys.argv[1]), sys.argv[2]
settings = ItemCodeSettings(symbology="code39", check="none", width=8)
labels = [barcode_label(n, item_barcode(n, settings), "", "") for n in range(1, count + 1)]
open(out, "wb").write(render_sheet_pdf(labels, find_template("Hisago:ELM006")))
"""


def median_seconds(work, runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def warm(count: int, runs: int) -> tuple[float, float]:
    """(kiosk, python-barcode alone) seconds for ``count`` patterns, each after one untimed round."""
    from barcode.codex import Code39

    from kiosk.codes.itemcode import ItemCodeSettings, encode_item_number
    from printer.barcode import item_barcode

    settings = ItemCodeSettings(symbology="code39", check="none", width=8)
    numbers = range(1, count + 1)
    data = [encode_item_number(n, settings) for n in numbers]

    def kiosk():
        for n in numbers:
            item_barcode(n, settings).bars()

    def alone():
        for code in data:
            Code39(code, add_checksum=False).build()

    kiosk(), alone()
    return median_seconds(kiosk, runs), median_seconds(alone, runs)


def whole_process(count: int, runs: int) -> tuple[float, float | None]:
    """(kiosk process, zint CLI) seconds for ``count`` symbols to files; zint None when absent."""
    with tempfile.TemporaryDirectory() as tmp:
        kiosk = [sys.executable, "-c", KIOSK_FILE, str(count), f"{tmp}/kiosk.pdf"]
        subprocess.run(kiosk, cwd=ROOT, check=True)  # untimed: the disk cache
        kiosk_seconds = median_seconds(lambda: subprocess.run(kiosk, cwd=ROOT, check=True), runs)
        if not shutil.which("zint"):
            return kiosk_seconds, None
        codes = Path(tmp) / "codes.txt"
        codes.write_text("".join(f"{n:08d}\n" for n in range(1, count + 1)), encoding="ascii")
        zint = ["zint", "-b", "8", "--batch", f"--input={codes}", f"--output={tmp}/zint~~~~~.svg"]
        subprocess.run(zint, check=True, capture_output=True)
        return kiosk_seconds, median_seconds(lambda: subprocess.run(zint, check=True, capture_output=True), runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    kiosk, alone = warm(args.count, args.runs)
    print(f"{args.count} Code 39 patterns, warm: kiosk {kiosk * 1000:.1f} ms, python-barcode alone {alone * 1000:.1f} ms "
          f"(ratio {kiosk / alone:.2f})")
    emit(Figure(f"{args.count:,} Code 39 barcodes encoded", kiosk * 1000, "ms", anchor=alone * 1000,
                anchor_name="python-barcode alone", mode="warm", bench="barcodes"))
    process, zint = whole_process(args.count, args.runs)
    against = f", zint CLI (SVG files) {zint:.3f} s (ratio {process / zint:.2f})" if zint else ", zint: not installed"
    print(f"{args.count} Code 39 barcodes to a file, whole process: kiosk (one PDF) {process:.3f} s{against}")
    emit(Figure(f"{args.count:,} Code 39 barcodes to a file", process, "s", anchor=zint,
                anchor_name="zint CLI, batch to SVG" if zint else None, mode="process", bench="barcodes"))


if __name__ == "__main__":
    main()
