"""RateGovernor: a token bucket on a fake clock, corrected by what the channel says."""

from __future__ import annotations

import pytest

from adapters.base import ThrottleStatus, UngovernedRate
from sync.governor import RateGovernor


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(round(seconds, 6))
        self.now += seconds


def governor(rate: float | None, burst: float = 1) -> tuple[RateGovernor, FakeClock]:
    clock = FakeClock()
    return RateGovernor(rate, burst, clock=clock, sleep=clock.sleep), clock


@pytest.mark.parametrize(
    ("rate", "burst", "calls", "expected_sleep"),
    [
        # (requests/s, burst, calls made at once, total seconds slept)
        (None, 1, 10, 0.0),
        (2.0, 1, 1, 0.0),
        (2.0, 1, 3, 1.0),
        (2.0, 4, 4, 0.0),
        (2.0, 4, 6, 1.0),
        (10.0, 1, 11, 1.0),
    ],
)
def test_bucket_paces_calls(rate: float | None, burst: int, calls: int, expected_sleep: float) -> None:
    gov, clock = governor(rate, burst)
    for _ in range(calls):
        gov.acquire()
    assert sum(clock.slept) == pytest.approx(expected_sleep)
    assert gov.stats.calls == calls


def test_throttled_answer_blocks_for_retry_after() -> None:
    gov, clock = governor(None)
    gov.acquire()
    gov.report(ThrottleStatus(throttled=True, retry_after=2.5))
    gov.acquire()
    assert clock.slept == [2.5]
    assert gov.stats.throttled == 1 and gov.stats.throttled_after_first == 0


def test_throttled_without_retry_after_waits_the_default() -> None:
    gov, clock = governor(None)
    gov.default_retry_after = 0.7
    gov.report(ThrottleStatus(throttled=True))
    gov.acquire()
    assert clock.slept == [0.7]


def test_cost_status_sets_the_bucket() -> None:
    """Shopify-style: 50 points left of 1000, restoring 50/s; a 100-point call waits 1s."""
    gov, clock = governor(5.0, 1)
    gov.report(ThrottleStatus(available=50, capacity=1000, restore_rate=50, cost=10))
    assert (gov.capacity, gov.rate) == (1000.0, 50.0)
    gov.acquire(100)
    assert clock.slept == [1.0]


def test_rate_use_is_measured_after_the_first_call() -> None:
    gov, _ = governor(4.0)
    for _ in range(9):
        gov.acquire()
    assert gov.stats.rate_use(4.0) == pytest.approx(1.0)


def test_ungoverned_rate_never_waits() -> None:
    feedback = UngovernedRate()
    feedback.acquire(1000)
    feedback.report(ThrottleStatus(throttled=True, retry_after=60))
