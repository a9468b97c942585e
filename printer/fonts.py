"""The Japanese font labels are set in: IPAexGothic (Debian fonts-ipaexfont, installed by the
project's scripts), so no tofu on a label; ``KIOSK_LABEL_FONT`` names another TrueType
(.ttf, glyf outlines: the PDF writer embeds those) font."""

import os
from functools import lru_cache
from pathlib import Path

from kiosk.errors import KioskError

CANDIDATES = (
    "/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf",
    "/usr/share/fonts/truetype/ipaexfont-gothic/ipaexg.ttf",
    "/usr/share/fonts/truetype/fonts-japanese-gothic.ttf",
)


@lru_cache(maxsize=1)
def label_font_path() -> Path:
    for candidate in (os.environ.get("KIOSK_LABEL_FONT"), *CANDIDATES):
        if candidate and Path(candidate).is_file():
            return Path(candidate)
    raise KioskError("no Japanese font for labels: install fonts-ipaexfont (scripts/install-system-packages.sh)",
                     "ラベル用の日本語フォントがありません（fonts-ipaexfont をインストールしてください）")
