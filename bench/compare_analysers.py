"""The trial that chose the analyser: SudachiPy + sudachidict_core against fugashi + unidic-lite,
both reading the sample catalogue's titles and names, the same way, against the NDL's readings.

Each runs in its own scratch virtualenv (fugashi is not a kiosk dependency):

    python3 -m venv /tmp/try-sudachi && /tmp/try-sudachi/bin/pip install sudachipy sudachidict_core
    python3 -m venv /tmp/try-fugashi && /tmp/try-fugashi/bin/pip install fugashi unidic-lite
    /tmp/try-sudachi/bin/python bench/compare_analysers.py sudachi
    /tmp/try-fugashi/bin/python bench/compare_analysers.py fugashi

It uses no kiosk code, so both analysers get the same plain treatment: particles は・へ・を as
ワ・エ・オ, Latin letters and digits as written, spacing and punctuation ignored; a title is
compared on its title proper when the NDL read only that. docs/callnumbers.md has the figures.
"""

import csv
import re
import sys
import time
import unicodedata
from pathlib import Path

SOURCE = Path(__file__).resolve().parents[1] / "data-sources" / "ndl-sample" / "sample-catalogue.tsv"
PARTICLES = {"は": "ワ", "へ": "エ", "を": "オ"}


def analyser(which: str):
    if which == "sudachi":
        from sudachipy import Dictionary, SplitMode

        tokenizer = Dictionary(dict="core").tokenizer(mode=SplitMode.C)
        return lambda text: [(m.surface(), m.reading_form(), m.part_of_speech()[0]) for m in tokenizer.tokenize(text)]
    import fugashi

    tagger = fugashi.Tagger()
    return lambda text: [(w.surface, getattr(w.feature, "kana", None) or w.surface, w.feature.pos1) for w in tagger(text)]


def kata(text: str) -> str:
    return "".join(chr(ord(c) + 0x60) if "ぁ" <= c <= "ゖ" else c for c in text)


def comparable(text: str) -> str:
    text = kata(unicodedata.normalize("NFKC", text))
    return re.sub(r"[\s,，・:：;/()（）〈〉「」『』\[\]!！?？\"'.\-‐&＆]", "", text).upper()


def main(which: str) -> None:
    started = time.perf_counter()
    words = analyser(which)
    loaded = time.perf_counter() - started

    def reading(text: str) -> str:
        out = []
        for surface, read, pos in words(text):
            if pos in ("補助記号", "空白"):
                continue
            plain = unicodedata.normalize("NFKC", surface)
            if re.fullmatch(r"[0-9A-Za-z.\-+]+", plain):
                out.append(plain)
            elif pos == "助詞" and surface in PARTICLES:
                out.append(PARTICLES[surface])
            else:
                out.append(kata(read) if read and read != "*" else surface)
        return " ".join(out)

    rows = list(csv.DictReader(SOURCE.open(encoding="utf-8"), delimiter="\t", quoting=csv.QUOTE_NONE))
    titles = same_titles = 0
    names = {}
    for row in rows:
        if row["title_reading"]:
            titles += 1
            title = row["title"]
            if " : " not in row["title_reading"]:
                title = title.split(" : ")[0]
            same_titles += comparable(reading(title)) == comparable(row["title_reading"])
        for creator in filter(None, row["creators"].split(" / ")):
            name, ndl, _ = creator.split("|")
            if ndl:
                keep = lambda form: " ".join(p for p in form.split(", ") if not re.search(r"\d", p))  # noqa: E731
                names[keep(name)] = keep(ndl)
    started = time.perf_counter()
    same_names = same_marks = 0
    for name, ndl in names.items():
        got = comparable(" ".join(reading(part) for part in name.split(" ")))
        same_names += got == comparable(ndl)
        same_marks += got[:1] == comparable(ndl)[:1]
    per_name = (time.perf_counter() - started) / len(names) * 1000
    print(f"{which}: load {loaded * 1000:.0f} ms, {per_name:.2f} ms a name; titles {same_titles}/{titles} "
          f"({same_titles / titles:.1%}), names {same_names}/{len(names)} ({same_names / len(names):.1%}), "
          f"first kana {same_marks}/{len(names)} ({same_marks / len(names):.1%})")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "sudachi")
