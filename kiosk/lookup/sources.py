"""Where bibliographic records come from: one small interface, one class per service.

A source answers ``lookup(isbn13)`` with a BibRecord, None ("this source does not know the
ISBN"), or LookupFailed (it could not answer: see ``status``). Remote sources share the
fault handling: hard time limits, a polite interval, retries, and a circuit breaker.

Base URLs default to the real services and are overridden by ``KIOSK_NDL_SRU_URL`` and
``KIOSK_OPENBD_URL`` (tests point them at a fake server on 127.0.0.1).
"""

import os
import time
from dataclasses import dataclass, field
from typing import Callable, Mapping, Protocol, runtime_checkable

import httpx

from kiosk.errors import KioskError
from kiosk.lookup.dcndl import parse_sru_response
from kiosk.lookup.faults import LookupFailed
from kiosk.lookup.openbd import parse_openbd_response
from kiosk.lookup.record import BibRecord
from kiosk.lookup.resilience import CircuitBreaker, RateLimiter
from kiosk.lookup.transport import Limits, Transport
from kiosk.lookup_settings import SOURCES

__all__ = ["LookupSource", "LookupFailed", "LookupSettings", "NdlSruSource", "OpenBdSource",
           "RemoteSource", "build_remote_sources", "DEFAULT_NDL_SRU_URL", "DEFAULT_OPENBD_URL"]

DEFAULT_NDL_SRU_URL = "https://ndlsearch.ndl.go.jp/api/sru"
DEFAULT_OPENBD_URL = "https://api.openbd.jp/v1/get"


@runtime_checkable
class LookupSource(Protocol):
    """Anything that can look an ISBN up. ``remote`` sources are skipped offline and their
    answers are cached; local ones (cache, sample catalogue) are not."""

    name: str
    remote: bool

    def lookup(self, isbn13: str) -> BibRecord | None: ...


@dataclass(frozen=True)
class LookupSettings:
    """Lookup settings, from the environment by ``from_env`` (every value has a default)."""

    ndl_sru_url: str = DEFAULT_NDL_SRU_URL
    openbd_url: str = DEFAULT_OPENBD_URL
    order: tuple[str, ...] = SOURCES
    limits: Limits = field(default_factory=Limits)
    ndl_min_interval: float = 1.0
    openbd_min_interval: float = 0.5
    failure_threshold: int = 3
    cooldown: float = 60.0

    @classmethod
    def from_env(cls, environ: Mapping[str, str] = os.environ) -> "LookupSettings":
        """``KIOSK_NDL_SRU_URL``, ``KIOSK_OPENBD_URL``, ``KIOSK_LOOKUP_SOURCES`` (e.g.
        ``ndl,openbd``), ``KIOSK_LOOKUP_CONNECT_TIMEOUT``, ``KIOSK_LOOKUP_TIMEOUT`` (whole
        lookup), ``KIOSK_LOOKUP_RETRIES``, ``KIOSK_LOOKUP_COOLDOWN`` (seconds)."""
        order = tuple(s.strip() for s in environ.get("KIOSK_LOOKUP_SOURCES", ",".join(SOURCES))
                      .split(",") if s.strip())
        unknown = set(order) - set(SOURCES)
        if unknown:
            raise KioskError(
                f"KIOSK_LOOKUP_SOURCES names unknown sources: {', '.join(sorted(unknown))} "
                f"(known: {', '.join(SOURCES)})",
                f"KIOSK_LOOKUP_SOURCES に不明な検索先があります：{', '.join(sorted(unknown))}")
        total = _number(environ, "KIOSK_LOOKUP_TIMEOUT", 5.0)
        limits = Limits(
            connect_timeout=min(_number(environ, "KIOSK_LOOKUP_CONNECT_TIMEOUT", 2.0), total),
            read_timeout=min(3.0, total), total_timeout=total,
            retries=int(_number(environ, "KIOSK_LOOKUP_RETRIES", 2)))
        return cls(
            ndl_sru_url=environ.get("KIOSK_NDL_SRU_URL") or DEFAULT_NDL_SRU_URL,
            openbd_url=environ.get("KIOSK_OPENBD_URL") or DEFAULT_OPENBD_URL,
            order=order, limits=limits,
            cooldown=_number(environ, "KIOSK_LOOKUP_COOLDOWN", 60.0))


def _number(environ: Mapping[str, str], name: str, default: float) -> float:
    raw = environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if value < 0:
        raise KioskError(f"{name}={raw!r} is not a non-negative number",
                         f"設定 {name} の値「{raw}」は0以上の数ではありません")
    return value


class RemoteSource:
    """A web service behind the breaker: skip while open, count service faults."""

    name = "remote"
    remote = True
    kind = "xml"

    def __init__(self, base_url: str, settings: LookupSettings, min_interval: float, *,
                 clock: Callable[[], float] = time.monotonic,
                 client: httpx.Client | None = None):
        """``clock`` drives the circuit breaker's cooldown (tests pass a fake one); time
        limits and the polite interval always run on the real monotonic clock."""
        self.base_url = base_url
        self.settings = settings
        self.breaker = CircuitBreaker(settings.failure_threshold, settings.cooldown, clock)
        self.transport = Transport(self.name, settings.limits, RateLimiter(min_interval),
                                   client=client)

    def lookup(self, isbn13: str) -> BibRecord | None:
        if not self.breaker.allow():
            raise LookupFailed(self.name, "circuit_open", isbn13,
                               f"retry in {self.breaker.retry_in():.0f} s")
        try:
            text = self.transport.fetch_text(self.url(isbn13), self.params(isbn13), isbn13,
                                             self.kind)
            record = self.parse(text, isbn13)
        except LookupFailed as fault:
            if fault.counts_against_service:
                self.breaker.record_failure()
            else:
                self.breaker.record_success()
            raise
        self.breaker.record_success()
        return record

    def close(self) -> None:
        self.transport.close()

    def url(self, isbn13: str) -> str:
        return self.base_url

    def params(self, isbn13: str) -> dict:
        raise NotImplementedError

    def parse(self, text: str, isbn13: str) -> BibRecord | None:
        raise NotImplementedError


class NdlSruSource(RemoteSource):
    """NDL Search (国立国会図書館サーチ) SRU: ``isbn=`` query, DC-NDL RDF/XML records,
    bibliographic part only (``onlyBib=true``), packed as XML (string packing is read too)."""

    name = "ndl"
    kind = "xml"

    def __init__(self, base_url: str | None = None, settings: LookupSettings | None = None,
                 **kwargs):
        settings = settings or LookupSettings.from_env()
        super().__init__(base_url or settings.ndl_sru_url, settings,
                         settings.ndl_min_interval, **kwargs)

    def params(self, isbn13: str) -> dict:
        return {"operation": "searchRetrieve", "version": "1.2", "recordSchema": "dcndl",
                "onlyBib": "true", "recordPacking": "xml", "maximumRecords": "10",
                "query": f'isbn="{isbn13}"'}

    def parse(self, text: str, isbn13: str) -> BibRecord | None:
        return parse_sru_response(text, isbn13)


class OpenBdSource(RemoteSource):
    """openBD ``/v1/get?isbn=``: publishers' data (ONIX), often the newest books first."""

    name = "openbd"
    kind = "json"

    def __init__(self, base_url: str | None = None, settings: LookupSettings | None = None,
                 **kwargs):
        settings = settings or LookupSettings.from_env()
        super().__init__(_openbd_get_url(base_url or settings.openbd_url), settings,
                         settings.openbd_min_interval, **kwargs)

    def params(self, isbn13: str) -> dict:
        return {"isbn": isbn13}

    def parse(self, text: str, isbn13: str) -> BibRecord | None:
        return parse_openbd_response(text, isbn13)


def _openbd_get_url(base: str) -> str:
    """Accept the service root, ``…/v1`` or the full ``…/v1/get`` endpoint."""
    base = base.rstrip("/")
    if base.endswith("/get"):
        return base
    if base.endswith("/v1"):
        return base + "/get"
    return base + "/v1/get"


def build_remote_sources(settings: LookupSettings | None = None, **kwargs) -> list[RemoteSource]:
    """The remote sources in the configured order (default: NDL, then openBD)."""
    settings = settings or LookupSettings.from_env()
    classes = {"ndl": NdlSruSource, "openbd": OpenBdSource}
    return [classes[name](settings=settings, **kwargs) for name in settings.order]
