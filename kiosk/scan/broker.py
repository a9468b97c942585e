"""In-process fan-out of scan events to every open kiosk page, in order, each exactly once.

The USB reader publishes from its own thread; each connected page (a server-sent-events
stream, later) holds a ``Subscription``. Publishing never blocks on a subscriber: each has
its own queue, filled under the broker's lock so that all subscribers see one order. A
subscriber that closes is removed; one that stops reading and lets ``max_pending`` events
pile up is cut off (its next ``get`` raises ``SubscriptionClosed``) rather than slowing the
reader or growing memory without bound.

Every event gets a sequence number. The last ``history`` events are kept so a page that
reconnects (SSE ``Last-Event-ID``) can subscribe ``after`` the last number it saw and miss
nothing, without receiving anything twice.
"""

import threading
from collections import deque
from dataclasses import dataclass
from typing import Any, Iterator

DEFAULT_HISTORY = 1000
DEFAULT_MAX_PENDING = 10_000


class SubscriptionClosed(Exception):
    """The subscription was closed, cut off for not reading, or the broker shut down."""


@dataclass(frozen=True)
class Envelope:
    seq: int
    event: Any


class Subscription:
    """One consumer's ordered view of the event stream."""

    def __init__(self, broker: "ScanBroker", max_pending: int):
        self._broker = broker
        self._max_pending = max_pending
        self._queue: deque[Envelope] = deque()
        self._ready = threading.Condition(threading.Lock())
        self.closed_reason: str | None = None
        self.missed = False  # asked to resume after events that are no longer kept
        self.position = 0  # the broker's last sequence number when this subscription began

    def get(self, timeout: float | None = None) -> Envelope | None:
        """The next event; None if ``timeout`` passes first; SubscriptionClosed when closed."""
        with self._ready:
            if not self._ready.wait_for(lambda: self._queue or self.closed_reason, timeout):
                return None
            if self.closed_reason:
                raise SubscriptionClosed(self.closed_reason)
            return self._queue.popleft()

    def __iter__(self) -> Iterator[Envelope]:
        while True:
            try:
                yield self.get()
            except SubscriptionClosed:
                return

    def close(self) -> None:
        """Disconnect: the broker forgets this subscriber; other subscribers are unaffected."""
        self._shut("closed")
        self._broker._remove(self)

    @property
    def closed(self) -> bool:
        return self.closed_reason is not None

    def _offer(self, envelope: Envelope) -> bool:
        with self._ready:
            if self.closed_reason:
                return False
            if len(self._queue) >= self._max_pending:
                self.closed_reason = f"cut off: more than {self._max_pending} events not read"
                self._queue.clear()
                self._ready.notify_all()
                return False
            self._queue.append(envelope)
            self._ready.notify()
            return True

    def _shut(self, reason: str) -> None:
        with self._ready:
            if not self.closed_reason:
                self.closed_reason = reason
            self._queue.clear()
            self._ready.notify_all()


class ScanBroker:
    """Thread-safe, ordered publish/subscribe for scan events."""

    def __init__(self, history: int = DEFAULT_HISTORY, max_pending: int = DEFAULT_MAX_PENDING):
        self._lock = threading.Lock()
        self._seq = 0
        self._history: deque[Envelope] = deque(maxlen=history)
        self._subscribers: list[Subscription] = []
        self._max_pending = max_pending
        self._closed = False

    def publish(self, event: Any) -> Envelope:
        """Number ``event`` and queue it for every subscriber; never blocks on them."""
        with self._lock:
            self._seq += 1
            envelope = Envelope(self._seq, event)
            self._history.append(envelope)
            kept = [s for s in self._subscribers if s._offer(envelope)]
            if len(kept) != len(self._subscribers):
                self._subscribers = kept
            return envelope

    def subscribe(self, after: int | None = None) -> Subscription:
        """A new subscription: events published from now on, or all kept ones after ``after``."""
        subscription = Subscription(self, self._max_pending)
        with self._lock:
            if self._closed:
                subscription._shut("broker closed")
                return subscription
            subscription.position = self._seq  # the last event before this subscription's first
            if after is not None and after < self._seq:
                oldest = self._history[0].seq if self._history else self._seq + 1
                subscription.missed = after + 1 < oldest
                for envelope in self._history:
                    if envelope.seq > after:
                        subscription._offer(envelope)
            self._subscribers.append(subscription)
        return subscription

    @property
    def last_seq(self) -> int:
        return self._seq

    @property
    def subscriber_count(self) -> int:
        with self._lock:
            return len(self._subscribers)

    def close(self) -> None:
        """Shut down: every subscription ends (its ``get`` raises SubscriptionClosed)."""
        with self._lock:
            self._closed = True
            subscribers, self._subscribers = self._subscribers, []
        for subscription in subscribers:
            subscription._shut("broker closed")

    def _remove(self, subscription: Subscription) -> None:
        with self._lock:
            if subscription in self._subscribers:
                self._subscribers.remove(subscription)
