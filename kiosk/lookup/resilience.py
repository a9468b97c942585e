"""Being a polite and patient client: a minimum interval between requests to one service,
and a circuit breaker that stops asking a service that keeps failing.

Both take a ``clock`` (seconds, monotonic) and the rate limiter a ``sleep``, so tests drive
time by hand instead of sleeping.
"""

import threading
import time
from typing import Callable

Clock = Callable[[], float]


class CircuitBreaker:
    """After ``failure_threshold`` consecutive failures the circuit opens: the source is
    skipped for ``cooldown`` seconds, so a dead network costs nothing per scan. Then one
    trial request is let through (half-open): success closes the circuit, failure opens it
    for another cooldown."""

    def __init__(self, failure_threshold: int = 3, cooldown: float = 60.0,
                 clock: Clock = time.monotonic):
        if failure_threshold < 1:
            raise ValueError("failure_threshold must be at least 1")
        self.failure_threshold = failure_threshold
        self.cooldown = cooldown
        self._clock = clock
        self._lock = threading.Lock()
        self._failures = 0
        self._opened_at: float | None = None
        self._trial_running = False

    @property
    def state(self) -> str:
        """``closed`` (normal), ``open`` (skipping) or ``half-open`` (one trial allowed)."""
        with self._lock:
            return self._state()

    def _state(self) -> str:
        if self._opened_at is None:
            return "closed"
        if self._clock() - self._opened_at >= self.cooldown:
            return "half-open"
        return "open"

    def allow(self) -> bool:
        """May a request go out now? In half-open state only one trial at a time."""
        with self._lock:
            state = self._state()
            if state == "closed":
                return True
            if state == "half-open" and not self._trial_running:
                self._trial_running = True
                return True
            return False

    def retry_in(self) -> float:
        """Seconds until the next trial is allowed (0 when closed)."""
        with self._lock:
            if self._opened_at is None:
                return 0.0
            return max(0.0, self.cooldown - (self._clock() - self._opened_at))

    def record_success(self) -> None:
        with self._lock:
            self._failures = 0
            self._opened_at = None
            self._trial_running = False

    def record_failure(self) -> None:
        with self._lock:
            self._failures += 1
            if self._trial_running or self._failures >= self.failure_threshold:
                self._opened_at = self._clock()
            self._trial_running = False


class RateLimiter:
    """At least ``min_interval`` seconds between the starts of two requests to one service.

    ``acquire(deadline)`` waits for the next slot and returns True, or returns False at once
    if the slot comes after ``deadline`` (the lookup would overrun its time limit anyway).
    """

    def __init__(self, min_interval: float, clock: Clock = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep):
        self.min_interval = max(0.0, min_interval)
        self._clock = clock
        self._sleep = sleep
        self._lock = threading.Lock()
        self._next_slot = float("-inf")

    def acquire(self, deadline: float | None = None) -> bool:
        with self._lock:
            now = self._clock()
            slot = max(now, self._next_slot)
            if deadline is not None and slot > deadline:
                return False
            self._next_slot = slot + self.min_interval
        wait = slot - now
        if wait > 0:
            self._sleep(wait)
        return True
