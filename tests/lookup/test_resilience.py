"""The circuit breaker and the polite rate limiter, on a hand-driven clock (no sleeping)."""

from kiosk.lookup.resilience import CircuitBreaker, RateLimiter


class FakeClock:
    def __init__(self):
        self.now = 1000.0
        self.slept = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def test_breaker_opens_after_consecutive_failures():
    clock = FakeClock()
    breaker = CircuitBreaker(failure_threshold=3, cooldown=60, clock=clock)
    for _ in range(2):
        assert breaker.allow()
        breaker.record_failure()
    assert breaker.state == "closed"
    breaker.record_failure()
    assert breaker.state == "open" and not breaker.allow()
    assert breaker.retry_in() == 60


def test_a_success_resets_the_count():
    breaker = CircuitBreaker(failure_threshold=2, cooldown=60, clock=FakeClock())
    breaker.record_failure()
    breaker.record_success()
    breaker.record_failure()
    assert breaker.state == "closed"


def test_after_the_cooldown_one_trial_goes_through():
    clock = FakeClock()
    breaker = CircuitBreaker(failure_threshold=1, cooldown=30, clock=clock)
    breaker.record_failure()
    clock.now += 29.9
    assert not breaker.allow()
    clock.now += 0.1
    assert breaker.state == "half-open"
    assert breaker.allow()
    assert not breaker.allow()  # only one trial at a time
    breaker.record_success()
    assert breaker.state == "closed" and breaker.allow()


def test_a_failed_trial_opens_the_circuit_again():
    clock = FakeClock()
    breaker = CircuitBreaker(failure_threshold=3, cooldown=30, clock=clock)
    for _ in range(3):
        breaker.record_failure()
    clock.now += 30
    assert breaker.allow()
    breaker.record_failure()  # one failure is enough after a trial
    assert breaker.state == "open" and breaker.retry_in() == 30


def test_rate_limiter_spaces_requests():
    clock = FakeClock()
    limiter = RateLimiter(1.0, clock=clock, sleep=clock.sleep)
    assert limiter.acquire() and clock.slept == []
    assert limiter.acquire() and clock.slept == [1.0]
    clock.now += 5
    assert limiter.acquire() and clock.slept == [1.0]


def test_rate_limiter_refuses_a_slot_after_the_deadline():
    clock = FakeClock()
    limiter = RateLimiter(2.0, clock=clock, sleep=clock.sleep)
    limiter.acquire()
    assert not limiter.acquire(deadline=clock.now + 1.0)
    assert clock.slept == []
    assert limiter.acquire(deadline=clock.now + 3.0) and clock.slept == [2.0]
