"""1,000 labels to a PDF: the kiosk's renderer against gLabels, measured in the same run.

    .venv/bin/python bench/bench_labels.py

The anchor (shared/bench/glabels-spine-anchor.glabels) is a Hisago ELM006 sheet (2 × 5) with
two text tiers and a Code 39 barcode of an 8-digit registration number per label; gLabels
writes 1,000 rows as 100 pages. The kiosk renders the same 1,000 numbers on the same sheet:

- as its barcode labels (Code 39, no check character: library name, bars, number, title: three
  texts and the bars, more than the anchor's label holds): the like-for-like figure;
- as spine labels (the two tiers);
- as both, 1,000 spine and 1,000 barcode labels (2,000 labels, 200 pages), what 1,000 copies
  of a delivery need.

Each is a fresh process, as gLabels' batch run is (start-up, imports and the font included),
so the peak memory (max RSS) of each is its own. "In a running kiosk" is the same 1,000
barcode labels rendered again in one process that has rendered a sheet before, as the web
app does. Then one label to a 1-bit thermal raster (target < 10 ms). Every kiosk label on a
sampled page is decoded back with zbar to show the output is real.

The project's modules are byte-compiled first, as on an installed kiosk (pip compiles the
libraries at install time; this checkout's own code is compiled on first use unless
PYTHONDONTWRITEBYTECODE is set, as it is on the development machines): without that, every
run would spend ~40 ms compiling the kiosk's own source.

Each command is run RUNS times (BENCH_LABELS_RUNS overrides it: bench/run_all.py --quick sets 1).
With BENCH_FIGURES set, the figures also go to bench/report.py's report: each time against gLabels'
time scaled to the same number of labels (target: ratio <= 0.1, ten times faster).
"""

import compileall
import csv
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from report import Figure, emit

ROOT = Path(__file__).resolve().parents[1]
ANCHOR = ROOT.parent / "shared" / "bench" / "glabels-spine-anchor.glabels"
COUNT = 1000

KIOSK_RENDER = """
import sys
from kiosk.labels.callnumber import CallNumber
from kiosk.codes.itemcode import ItemCodeSettings
from printer.barcode import item_barcode
from printer.labels import barcode_label, spine_label
from printer.sheet_pdf import render_sheet_pdf, render_sheets_pdf
from printer.templates import find_template
kind, count, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
settings = ItemCodeSettings(symbology="code39", check="none", width=8)
numbers = range(1, count + 1)
def barcodes():
    return [barcode_label(n, item_barcode(n, settings), "ひまわり小学校図書館", f"本の題名 {n}") for n in numbers]
def spines():
    return [spine_label(n, CallNumber(f"{n % 1000:03d}", "ア")) for n in numbers]
sheet = find_template("Hisago:ELM006")
if kind == "warm":  # a running kiosk: the font and the sheet already loaded, a sheet made before
    import time
    render_sheet_pdf(barcodes()[:10], sheet)
    started = time.perf_counter()
    open(out, "wb").write(render_sheet_pdf(barcodes(), sheet))
    print(time.perf_counter() - started)
elif kind == "both":
    open(out, "wb").write(render_sheets_pdf([(spines(), sheet, 1), (barcodes(), sheet, 1)]))
else:
    open(out, "wb").write(render_sheet_pdf(barcodes() if kind == "barcode" else spines(), sheet))
"""

THERMAL = """
import statistics, sys, time
from kiosk.labels.callnumber import CallNumber
from kiosk.codes.itemcode import ItemCodeSettings
from printer.barcode import item_barcode
from printer.labels import barcode_label, spine_label
from printer.raster import render_label_image
settings = ItemCodeSettings(symbology="nw7", check="mod11", width=8)
for kind in ("barcode", "spine"):
    times = []
    for n in range(1, 202):
        started = time.perf_counter()
        if kind == "barcode":
            label = barcode_label(n, item_barcode(n, settings), "ひまわり小学校図書館", f"本の題名 {n}")
        else:
            label = spine_label(n, CallNumber("913", "ア"))
        render_label_image(label, 48.3, 25.4, 300)
        times.append((time.perf_counter() - started) * 1000)
    first, rest = times[0], sorted(times[1:])
    print(kind, first, statistics.median(rest), rest[int(len(rest) * 0.99) - 1])
"""


# A fresh wrapper process per run: its RUSAGE_CHILDREN peak is exactly that one command's.
MEASURE = ("import resource, subprocess, sys, time; t = time.perf_counter(); "
           "subprocess.run(sys.argv[1:], check=True, capture_output=True); "
           "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")


ENV = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}


RUNS = 5  # each command's median of 5: one run on a busy machine can be off by a third


def run(command: list[str], **kwargs) -> tuple[float, float]:
    """(median seconds, highest peak MB) of one command, each of RUNS runs in its own process."""
    times, peaks = [], []
    for _ in range(int(os.environ.get("BENCH_LABELS_RUNS", RUNS))):
        out = subprocess.run([sys.executable, "-c", MEASURE, *command], check=True, capture_output=True, text=True,
                             env=ENV, **kwargs)
        seconds, peak_kib = out.stdout.split()
        times.append(float(seconds))
        peaks.append(int(peak_kib) / 1024)  # ru_maxrss is in KiB on Linux
    return statistics.median(times), max(peaks)


def main() -> None:
    for package in ("kiosk", "printer"):
        compileall.compile_dir(ROOT / package, quiet=1)
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
        for kind in ("barcode", "spine", "both"):
            output = tmp / f"kiosk-{kind}.pdf"
            results[kind] = run([sys.executable, "-c", KIOSK_RENDER, kind, str(COUNT), str(output)], cwd=ROOT)
        warm = subprocess.run([sys.executable, "-c", KIOSK_RENDER, "warm", str(COUNT), str(tmp / "warm.pdf")],
                              cwd=ROOT, check=True, capture_output=True, text=True, env=ENV)
        thermal = subprocess.run([sys.executable, "-c", THERMAL], cwd=ROOT, check=True, capture_output=True, text=True,
                                 env=ENV)
        pages = subprocess.run(["pdfinfo", str(tmp / "kiosk-both.pdf")], capture_output=True, text=True).stdout
        decoded = _decode_sample(tmp / "kiosk-barcode.pdf", tmp)
    if glabels:
        print(f"gLabels 3 (glabels-3-batch), {COUNT} labels on Hisago:ELM006: {glabels[0]:.2f} s, "
              f"peak memory {glabels[1]:.0f} MB")
    else:
        print("gLabels: not installed here (scripts/install-system-packages.sh bench installs it), no ratio")
    names = {"barcode": f"{COUNT} barcode labels", "spine": f"{COUNT} spine labels",
             "both": f"{COUNT} spine + {COUNT} barcode labels"}
    for kind, (seconds, peak) in results.items():
        labels = 2 if kind == "both" else 1  # "both" is twice gLabels' labels: compared label for label
        print(f"kiosk, {names[kind]} on Hisago:ELM006, a fresh process: {seconds:.3f} s, peak memory {peak:.0f} MB"
              f"{_ratio(seconds / labels, peak, glabels)}")
        # Compared label for label: gLabels' time scaled to this command's number of labels.
        anchor = dict(anchor=glabels[0] * labels, anchor_name=f"gLabels 3 batch ×{labels}") if glabels else {}
        emit(Figure(f"{names[kind]} to PDF (ELM006)", seconds, "s", target=0.1, target_of="ratio", mode="process",
                    bench="labels", **anchor))
        emit(Figure(f"{names[kind]} to PDF (ELM006), peak memory", peak, "MB", target=100, mode="process",
                    bench="labels", **({"anchor": glabels[1], "anchor_name": "gLabels 3 batch"} if glabels else {})))
    seconds = float(warm.stdout)
    print(f"kiosk, {COUNT} barcode labels in a running kiosk: {seconds:.3f} s{_ratio(seconds, None, glabels)}")
    emit(Figure(f"{COUNT} barcode labels to PDF (ELM006), in a running kiosk", seconds, "s", target=0.1, target_of="ratio", mode="warm",
                bench="labels", **({"anchor": glabels[0], "anchor_name": "gLabels 3 batch"} if glabels else {})))
    for line in thermal.stdout.splitlines():
        kind, first, median, p99 = line.split()
        emit(Figure(f"one {kind} label to a 300 dpi raster, p99", float(p99), "ms", target=10, mode="warm",
                    bench="labels"))
        print(f"one {kind} label to a 1-bit raster at 300 dpi: first {float(first):.1f} ms, median {float(median):.2f} ms, "
              f"p99 {float(p99):.2f} ms (target < 10 ms: {'OK' if float(p99) < 10 else 'MISSED'})")
    print(f"kiosk PDF (both): {[line for line in pages.splitlines() if line.startswith('Pages')][0]}; "
          f"zbar read {decoded} of 10 barcodes on the first page of the barcode sheet")


def _ratio(seconds: float, peak: float | None, glabels) -> str:
    """Against gLabels' 1,000 labels: the time (for 1,000 labels) as a fraction and how many
    times faster (target 10×, < 100 MB)."""
    if not glabels:
        return ""
    memory = f", {peak / glabels[1]:.2f}× its memory" if peak is not None else ""
    verdict = "OK" if seconds * 10 <= glabels[0] and (peak is None or peak < 100) else "MISSED"
    return f" ({seconds / glabels[0]:.3f}× gLabels' time: {glabels[0] / seconds:.1f}× faster{memory}; target 10×: {verdict})"


def _decode_sample(pdf: Path, tmp: Path) -> int:
    if not (shutil.which("pdftoppm") and shutil.which("zbarimg")):
        return 0
    subprocess.run(["pdftoppm", "-r", "300", "-f", "1", "-l", "1", "-gray", "-png", str(pdf), str(tmp / "p")], check=True)
    out = subprocess.run(["zbarimg", "-q", *map(str, tmp.glob("p*.png"))], capture_output=True, text=True).stdout
    return len(out.splitlines())


if __name__ == "__main__":
    main()
