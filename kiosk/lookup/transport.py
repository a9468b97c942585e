"""Fetching one response from a bibliographic service, within hard limits.

One ``fetch_text`` is the whole network part of one lookup: the polite wait, the request,
retries with backoff on 5xx/429 and timeouts, and reading the body. It returns by the deadline
whatever the server does: the work runs in a helper thread and the caller stops waiting at
the deadline (the helper ends on its own read timeout). The body is decoded strictly: a
response whose bytes do not match its declared encoding is a fault, never mojibake.
"""

import codecs
import re
import threading
import time
from dataclasses import dataclass
from typing import Callable

import httpx

from kiosk.lookup.faults import LookupFailed
from kiosk.lookup.resilience import RateLimiter

USER_AGENT = "accession-kiosk/0.1 (school library accession; polite, cached lookups)"
_RETRY_STATUSES = {429, 500, 502, 503, 504}
_CHARSET = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9_.:\-]+)", re.IGNORECASE)
_XML_DECL = re.compile(rb"^\s*<\?xml[^>]*encoding\s*=\s*[\"']([A-Za-z0-9_.:\-]+)[\"']")
_UTF8 = {"utf-8", "utf8", "utf_8"}


@dataclass(frozen=True)
class Limits:
    """Time and size limits of one lookup (seconds, bytes)."""

    connect_timeout: float = 2.0
    read_timeout: float = 3.0
    total_timeout: float = 5.0
    retries: int = 2
    backoff: float = 0.25
    max_body: int = 2_000_000


class Transport:
    """HTTP GET for one source (``name``), sharing one httpx client and one rate limiter."""

    def __init__(self, name: str, limits: Limits, rate: RateLimiter,
                 clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep,
                 client: httpx.Client | None = None):
        self.name = name
        self.limits = limits
        self.rate = rate
        self._clock = clock
        self._sleep = sleep
        self.client = client or httpx.Client(
            headers={"User-Agent": USER_AGENT}, follow_redirects=True, max_redirects=3)

    def close(self) -> None:
        self.client.close()

    def fetch_text(self, url: str, params: dict, isbn13: str, kind: str) -> str:
        """The decoded body of a successful GET, or LookupFailed. ``kind`` is xml or json.

        The wait for the first polite slot comes before the time limit starts: a burst of
        scans queues locally instead of timing out (and opening the circuit)."""
        self.rate.acquire()
        deadline = self._clock() + self.limits.total_timeout
        outcome: dict = {}
        worker = threading.Thread(
            target=self._run, args=(url, params, isbn13, deadline, outcome),
            name=f"lookup-{self.name}", daemon=True)
        worker.start()
        worker.join(max(0.0, deadline - self._clock()) + 0.05)
        if worker.is_alive():
            raise LookupFailed(self.name, "timeout", isbn13,
                               f"no complete answer within {self.limits.total_timeout:g} s")
        if "error" in outcome:
            raise outcome["error"]
        body, content_type = outcome["response"]
        return decode_body(body, content_type, kind, self.name, isbn13)

    def _run(self, url, params, isbn13, deadline, outcome) -> None:
        try:
            outcome["response"] = self._with_retries(url, params, isbn13, deadline)
        except LookupFailed as error:
            outcome["error"] = error
        except Exception as error:  # never let a worker die silently
            outcome["error"] = LookupFailed(self.name, "unreachable", isbn13, repr(error)[:200])

    def _with_retries(self, url, params, isbn13, deadline) -> tuple[bytes, str | None]:
        attempt = 0
        while True:
            if attempt and not self.rate.acquire(deadline):
                raise LookupFailed(self.name, "timeout", isbn13,
                                   "no time left within the polite interval between requests")
            retry_after = None
            try:
                status, content_type, body, retry_after = self._get_once(url, params, isbn13,
                                                                         deadline)
            except LookupFailed as fault:
                if fault.status not in ("timeout", "unreachable", "truncated"):
                    raise
                last = fault
            else:
                if status < 400:
                    return body, content_type
                last = LookupFailed(self.name, "http_error", isbn13, f"HTTP {status}")
                if status not in _RETRY_STATUSES:
                    raise last
            attempt += 1
            wait = self.limits.backoff * (2 ** (attempt - 1))
            if retry_after is not None:
                wait = max(wait, retry_after)
            if attempt > self.limits.retries or self._clock() + wait >= deadline:
                raise last
            self._sleep(wait)

    def _get_once(self, url, params, isbn13, deadline):
        remaining = deadline - self._clock()
        if remaining <= 0:
            raise LookupFailed(self.name, "timeout", isbn13, "time limit reached")
        read = min(self.limits.read_timeout, remaining)
        timeout = httpx.Timeout(connect=min(self.limits.connect_timeout, remaining),
                                read=read, write=read, pool=read)
        try:
            with self.client.stream("GET", url, params=params, timeout=timeout) as response:
                chunks, size = [], 0
                for chunk in response.iter_bytes():
                    size += len(chunk)
                    if size > self.limits.max_body:
                        raise LookupFailed(self.name, "too_large", isbn13,
                                           f"body over {self.limits.max_body} bytes")
                    if self._clock() > deadline:
                        raise LookupFailed(self.name, "timeout", isbn13, "body still arriving")
                    chunks.append(chunk)
                return (response.status_code, response.headers.get("content-type"),
                        b"".join(chunks), _retry_after(response))
        except httpx.TimeoutException as error:
            raise LookupFailed(self.name, "timeout", isbn13, type(error).__name__) from None
        except httpx.RemoteProtocolError as error:
            raise LookupFailed(self.name, "truncated", isbn13, str(error)[:200]) from None
        except httpx.DecodingError as error:
            detail = f"content coding: {error}"[:200]
            raise LookupFailed(self.name, "malformed", isbn13, detail) from None
        except httpx.TooManyRedirects as error:
            raise LookupFailed(self.name, "http_error", isbn13, str(error)[:200]) from None
        except httpx.HTTPError as error:
            detail = f"{type(error).__name__}: {error}"[:200]
            raise LookupFailed(self.name, "unreachable", isbn13, detail) from None


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("retry-after", "").strip()
    return float(value) if value.isdigit() else None


def decode_body(body: bytes, content_type: str | None, kind: str, source: str,
                isbn13: str) -> str:
    """Bytes to text by the declared charset (HTTP header, else the XML declaration, else
    UTF-8), strictly. Bytes that are valid UTF-8 under a non-UTF-8 label are refused:
    decoding them as Shift_JIS would give a wrong title, not an error."""
    media = (content_type or "").split(";")[0].strip().lower()
    if media in ("text/html", "application/xhtml+xml"):
        raise LookupFailed(source, "html_page", isbn13, f"Content-Type {media}")
    if not body.strip():
        raise LookupFailed(source, "malformed", isbn13, "empty body")
    declared = None
    if content_type and (match := _CHARSET.search(content_type)):
        declared = match.group(1)
    elif kind == "xml" and (match := _XML_DECL.match(body[:200])):
        declared = match.group(1).decode("ascii")
    if body.startswith(codecs.BOM_UTF8):
        body = body[len(codecs.BOM_UTF8):]
        if declared and _codec(declared) not in _UTF8:
            raise LookupFailed(source, "encoding", isbn13, f"UTF-8 BOM but declared {declared}")
        declared = "utf-8"
    codec = _codec(declared or "utf-8")
    if codec is None:
        raise LookupFailed(source, "encoding", isbn13, f"unknown charset {declared!r}")
    if codec not in _UTF8 and not body.isascii() and _is_utf8(body):
        raise LookupFailed(source, "encoding", isbn13,
                           f"declared {declared} but the bytes are UTF-8")
    try:
        return body.decode(codec, errors="strict")
    except UnicodeDecodeError as error:
        raise LookupFailed(source, "encoding", isbn13,
                           f"bytes are not valid {declared or 'UTF-8'} at {error.start}"
                           ) from None


def _codec(label: str) -> str | None:
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    return "utf-8" if name in _UTF8 else name


def _is_utf8(body: bytes) -> bool:
    try:
        body.decode("utf-8", errors="strict")
    except UnicodeDecodeError:
        return False
    return True
