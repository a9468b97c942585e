"""The lookup section of a library's settings (設定 → 書誌の検索先): which remote sources are
asked, in what order, and whether the kiosk is offline (no remote source at all).

Used to build the lookup chain (kiosk.lookup.assemble.build_chain, web/lookups.py). The process's own
lookup settings (service URLs, time limits: kiosk.lookup.sources.LookupSettings) come from the
environment; this is what staff choose. It lives beside the lookup package rather than in it:
reading a library's settings must not import the HTTP client.
"""

from dataclasses import dataclass
from typing import ClassVar

from kiosk.errors import KioskError
from kiosk.stored_section import section_values, stored_form

SOURCES = ("ndl", "openbd")  # the remote sources kiosk.lookup.sources knows
# The orders the settings screen offers: every order of every choice of sources.
SOURCE_ORDER_LABELS_JA = {
    ("ndl", "openbd"): "国立国会図書館 → openBD",
    ("openbd", "ndl"): "openBD → 国立国会図書館",
    ("ndl",): "国立国会図書館のみ",
    ("openbd",): "openBDのみ",
    (): "検索しない（キャッシュとサンプルのみ）",
}


@dataclass(frozen=True)
class LibraryLookupSettings:
    SOURCE_ORDER_LABELS_JA: ClassVar = SOURCE_ORDER_LABELS_JA

    sources: tuple[str, ...] = SOURCES  # stored as text: "ndl,openbd"
    offline: bool = False

    def __post_init__(self):
        if (not isinstance(self.sources, tuple) or any(name not in SOURCES for name in self.sources)
                or len(set(self.sources)) != len(self.sources)):
            raise KioskError(f"lookup sources must be {' and/or '.join(SOURCES)}, each once, comma-separated",
                             f"検索先は {'・'.join(SOURCES)} をカンマ区切りで（各1回）指定してください")
        if not isinstance(self.offline, bool):
            raise KioskError("offline must be true or false", "オフラインの設定が正しくありません")

    @classmethod
    def from_stored(cls, values: dict) -> "LibraryLookupSettings":
        values = section_values(cls, values, "書誌の検索先")
        if "sources" in values:
            values["sources"] = tuple(name.strip() for name in str(values["sources"]).split(",") if name.strip())
        return cls(**values)

    def to_stored(self) -> dict:
        return {**stored_form(self), "sources": ",".join(self.sources)}
