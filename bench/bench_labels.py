"""1,000 labels to a PDF: the kiosk's renderer against gLabels, measured in the same run.

    .venv/bin/python bench/bench_labels.py

The anchor (shared/bench/glabels-spine-anchor.glabels) is a Hisago ELM006 sheet (2 × 5) with
two text tiers and a Code 39 barcode of an 8-digit registration number per label; gLabels
writes 1,000 rows as 100 pages. The kiosk renders the same 1,000 numbers on the same sheet as
its barcode labels (Code 39, no check character: library name, bars, number, title) and, in a
second run, as spine labels (the two tiers). Each renderer runs in its own process, so the
peak memory (max RSS) of each is its own. Every kiosk label is then decoded back with zbar on
one sampled page to show the output is real.
"""

import csv
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ANCHOR = ROOT.parent / "shared" / "bench" / "glabels-spine-anchor.glabels"
COUNT = 1000

KIOSK_RENDER = """
import sys
from kiosk.callnumber import CallNumber
from kiosk.itemcode import ItemCodeSettings
from printer.barcode import item_barcode
from printer.labels import barcode_label, spine_label
from printer.pdf import render_sheet_pdf
from printer.templates import find_template
kind, count, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
settings = ItemCodeSettings(symbology="code39", check="none", width=8)
numbers = range(1, count + 1)
if kind == "barcode":
    labels = [barcode_label(n, item_barcode(n, settings), "ひまわり小学校図書館", f"本の題名 {n}") for n in numbers]
else:
    labels = [spine_label(n, CallNumber(f"{n % 1000:03d}", "ア")) for n in numbers]
open(out, "wb").write(render_sheet_pdf(labels, find_template("Hisago:ELM006")))
"""


# A fresh wrapper process per run: its RUSAGE_CHILDREN peak is exactly that one command's.
MEASURE = ("import resource, subprocess, sys, time; t = time.perf_counter(); "
           "subprocess.run(sys.argv[1:], check=True, capture_output=True); "
           "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")


def run(command: list[str], **kwargs) -> tuple[float, float]:
    """(seconds, peak MB) of one command in its own process."""
    out = subprocess.run([sys.executable, "-c", MEASURE, *command], check=True, capture_output=True, text=True, **kwargs)
    seconds, peak_kib = out.stdout.split()
    return float(seconds), int(peak_kib) / 1024  # ru_maxrss is in KiB on Linux


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        glabels = None
        if shutil.which("glabels-3-batch") and ANCHOR.is_file():
            rows = tmp / "books.csv"
            with rows.open("w", newline="", encoding="utf-8") as handle:
                writer = csv.writer(handle)
                for n in range(1, COUNT + 1):
                    writer.writerow([f"{n:08d}", f"{n % 1000:03d}", "ア", f"本の題名 {n}"])
            document = tmp / "anchor.glabels"
            document.write_text(ANCHOR.read_text(encoding="utf-8").replace("@BOOKS_CSV@", str(rows)), encoding="utf-8")
            glabels = run(["glabels-3-batch", "-o", str(tmp / "anchor.pdf"), str(document)], cwd=tmp)
        results = {}
        for kind in ("barcode", "spine"):
            output = tmp / f"kiosk-{kind}.pdf"
            results[kind] = run([sys.executable, "-c", KIOSK_RENDER, kind, str(COUNT), str(output)], cwd=ROOT)
        pages = subprocess.run(["pdfinfo", str(tmp / "kiosk-barcode.pdf")], capture_output=True, text=True).stdout
        decoded = _decode_sample(tmp / "kiosk-barcode.pdf", tmp)
    if glabels:
        print(f"gLabels 3 (glabels-3-batch), {COUNT} labels on Hisago:ELM006: {glabels[0]:.2f} s, "
              f"peak memory {glabels[1]:.0f} MB")
    else:
        print("gLabels: not installed here (apt-get install glabels), no ratio")
    for kind, (seconds, peak) in results.items():
        ratio = f" ({seconds / glabels[0]:.2f}× gLabels' time, {peak / glabels[1]:.2f}× its memory)" if glabels else ""
        print(f"kiosk, {COUNT} {kind} labels on Hisago:ELM006: {seconds:.2f} s, peak memory {peak:.0f} MB{ratio}")
    print(f"kiosk PDF: {[line for line in pages.splitlines() if line.startswith('Pages')][0]}; "
          f"zbar read {decoded} of 10 barcodes on its first page")


def _decode_sample(pdf: Path, tmp: Path) -> int:
    if not (shutil.which("pdftoppm") and shutil.which("zbarimg")):
        return 0
    subprocess.run(["pdftoppm", "-r", "300", "-f", "1", "-l", "1", "-gray", "-png", str(pdf), str(tmp / "p")], check=True)
    out = subprocess.run(["zbarimg", "-q", *map(str, tmp.glob("p*.png"))], capture_output=True, text=True).stdout
    return len(out.splitlines())


if __name__ == "__main__":
    main()
