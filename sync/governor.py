"""The per-channel rate governor: a token bucket from config, corrected by what the channel answers.

Adapters see it as `adapters.base.RateFeedback` (`acquire` before a call, `report` after).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from adapters.base import ThrottleStatus

log = logging.getLogger(__name__)

EPSILON = 1e-9


@dataclass
class GovernorStats:
    """What the governor saw: calls let through, units spent, throttled answers, time spent waiting."""

    calls: int = 0
    units: float = 0.0
    throttled: int = 0
    waited: float = 0.0
    first_call: float | None = None
    last_call: float | None = None
    times: list[float] = field(default_factory=list)
    """Clock reading of every call let through (kept for rate measurements)."""

    @property
    def throttled_after_first(self) -> int:
        return max(self.throttled - 1, 0)

    def rate_use(self, rate: float) -> float | None:
        """Units per second actually spent between the first and the last call, over `rate`.

        Counts the calls after the first one only, since the first opens the measured span.
        """
        if self.first_call is None or self.last_call is None or self.calls < 2 or rate <= 0:
            return None
        span = self.last_call - self.first_call
        if span <= 0:
            return None
        return ((self.calls - 1) / span) / rate


class RateGovernor:
    """A token bucket of `burst` units refilled at `rate` units per second; `rate=None` never waits.

    The channel's own word wins over the configuration: a throttled answer empties the
    bucket and blocks every call until `retry_after` has passed; a cost status (Shopify
    `throttleStatus`) sets the bucket's level, size and refill rate to the channel's.

    >>> governor = RateGovernor(rate=2.0, burst=4)
    >>> adapter.rate_feedback = governor              # doctest: +SKIP
    >>> governor.acquire(); governor.stats.calls
    1
    """

    def __init__(
        self,
        rate: float | None,
        burst: float = 1.0,
        *,
        default_retry_after: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        channel: str = "",
    ) -> None:
        self.rate = rate if rate and rate > 0 else None
        self.capacity = max(float(burst), 1.0)
        self.default_retry_after = default_retry_after
        self.clock = clock
        self.sleep = sleep
        self.channel = channel
        self.stats = GovernorStats()
        self._tokens = self.capacity
        self._updated = clock()
        self._blocked_until = 0.0
        self._lock = threading.Lock()

    def _refill(self, now: float) -> None:
        if self.rate is not None:
            self._tokens = min(self.capacity, self._tokens + (now - self._updated) * self.rate)
        self._updated = now

    def wait_for(self, cost: float = 1.0) -> float:
        """Seconds until a call of `cost` units may go out (0: now); does not take the units."""
        with self._lock:
            now = self.clock()
            self._refill(now)
            wait = max(self._blocked_until - now, 0.0)
            if self.rate is not None:
                need = min(cost, self.capacity) - self._tokens
                if need > EPSILON:  # float dust must not turn into endless tiny sleeps
                    wait = max(wait, need / self.rate)
            return wait if wait > EPSILON else 0.0

    def acquire(self, cost: float = 1.0) -> None:
        """Block until `cost` units are available, then take them."""
        while True:
            wait = self.wait_for(cost)
            if wait <= 0:
                break
            self.stats.waited += wait
            self.sleep(wait)
        with self._lock:
            now = self.clock()
            self._refill(now)
            if self.rate is not None:
                self._tokens = max(self._tokens - min(cost, self.capacity), -self.capacity)
            self.stats.calls += 1
            self.stats.units += cost
            if self.stats.first_call is None:
                self.stats.first_call = now
            self.stats.last_call = now
            self.stats.times.append(now)

    def report(self, status: ThrottleStatus) -> None:
        """Correct the bucket with what the channel said about its limit."""
        with self._lock:
            now = self.clock()
            self._refill(now)
            if status.capacity is not None and status.capacity > 0:
                self.capacity = float(status.capacity)
            if status.restore_rate is not None and status.restore_rate > 0:
                self.rate = float(status.restore_rate)
            if status.available is not None:
                self._tokens = min(float(status.available), self.capacity)
            if status.throttled:
                self.stats.throttled += 1
                pause = status.retry_after if status.retry_after is not None else self.default_retry_after
                self._blocked_until = max(self._blocked_until, now + max(pause, 0.0))
                if status.available is None:
                    self._tokens = 0.0
                log.info("%s: throttled by the channel; pausing %.2fs", self.channel, pause)


def governor_for(
    channel: str,
    requests_per_second: float | None,
    burst: int | None,
    *,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
) -> RateGovernor:
    """A governor for one channel: config first, the adapter's declared rate second."""
    return RateGovernor(requests_per_second, float(burst or 1), channel=channel, sleep=sleep, clock=clock)
