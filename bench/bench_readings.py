"""Reading proposals (kiosk/labels/readings.py): time and agreement with the NDL, printed with targets.

    .venv/bin/python bench/bench_readings.py

1. The first proposal in a fresh process (imports SudachiPy, opens its dictionary).
2. Time per name after the first, over the sample catalogue's names (target < 5 ms, issue 14).
3. How often the proposals agree with the NDL's readings in the sample catalogue (the figures
   docs/callnumbers.md gives).
"""

import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kiosk.labels.readings import propose_name_reading  # noqa: E402
from tests.readings_agreement import measure, sample_pairs  # noqa: E402
from report import Figure, emit  # noqa: E402

PER_NAME_TARGET_MS = 5.0


def first_use_ms() -> tuple[float, float]:
    """(importing kiosk.labels.readings, the first proposal: SudachiPy's import and its dictionary)."""
    code = ("import time; t = time.perf_counter(); from kiosk.labels.readings import propose_name_reading; "
            "u = time.perf_counter(); propose_name_reading('青山 剛昌'); "
            "print((u - t) * 1000, (time.perf_counter() - u) * 1000)")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    module, first = map(float, out.stdout.split())
    return module, first


def main() -> None:
    module, first = first_use_ms()
    print(f"fresh process: import kiosk.labels.readings {module:.0f} ms (kiosk.lookup: httpx, SQLAlchemy), "
          f"first proposal {first:.0f} ms (SudachiPy's import and dictionary, paid once)")
    emit(Figure("first reading proposal in a fresh process (import + dictionary)", module + first, "ms",
                mode="process", bench="readings"))
    _, names = sample_pairs()
    propose_name_reading("青山 剛昌")
    times = []
    for _ in range(5):
        for name, _reading in names:
            start = time.perf_counter()
            propose_name_reading(name)
            times.append((time.perf_counter() - start) * 1000)
    p95 = statistics.quantiles(times, n=20)[18]
    verdict = "ok" if p95 < PER_NAME_TARGET_MS else "OVER TARGET"
    emit(Figure("reading proposal per name (sample pairs), p95", p95, "ms", target=PER_NAME_TARGET_MS, bench="readings"))
    print(f"per name after the first ({len(times)} proposals): median {statistics.median(times):.3f} ms, "
          f"p95 {p95:.3f} ms (target < {PER_NAME_TARGET_MS} ms: {verdict})")
    for joined in (False, True):
        agreement = measure(join_names=joined)
        r = agreement.rates()
        how = "typed without a space" if joined else "typed family given"
        emit(Figure(f"name readings agreeing with the NDL ({how})", r["names"] * 100, "%", direction="higher",
                    bench="readings"))
        print(f"agreement with the NDL ({how}): titles {agreement.titles_same}/{agreement.titles} "
              f"({r['titles']:.1%}), names {agreement.names_same}/{agreement.names} ({r['names']:.1%}), "
              f"NDL reading among the proposals {agreement.names_among} ({r['names_among']:.1%}), "
              f"author mark {agreement.marks_same} ({r['marks']:.1%}), among the marks proposed "
              f"{agreement.marks_among} ({r['marks_among']:.1%})")


if __name__ == "__main__":
    main()
