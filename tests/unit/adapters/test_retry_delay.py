"""The one retry rule every adapter uses: obey the channel's wait, else capped backoff with jitter."""

from __future__ import annotations

import random

import pytest

from adapters.retry import MAX_BACKOFF, retry_delay
from oneprice.errors import ChannelError, ChannelRateLimited, ChannelUnavailable

CASES = [
    # error, attempt, expected range (low, high) or None = give up
    (ChannelRateLimited("c", "ban", retry_after=11), 0, (11, 11)),
    (ChannelRateLimited("c", "ban", retry_after=11), 5, (11, 11)),  # the channel's wait, not backoff
    (ChannelRateLimited("c", "ban", retry_after=-3), 0, (0, 0)),
    (ChannelRateLimited("c", "ban", retry_after=121), 0, None),  # longer than we block: give up
    (ChannelRateLimited("c", "429 without Retry-After"), 0, (0.5, 1.0)),
    (ChannelUnavailable("c", "503"), 0, (0.5, 1.0)),
    (ChannelUnavailable("c", "503"), 2, (2.0, 4.0)),
    (ChannelUnavailable("c", "503"), 20, (MAX_BACKOFF / 2, MAX_BACKOFF)),
]


@pytest.mark.parametrize(("error", "attempt", "expected"), CASES)
def test_retry_delay(error: ChannelError, attempt: int, expected: tuple[float, float] | None) -> None:
    for seed in range(20):
        got = retry_delay(error, attempt, backoff=1.0, max_retry_after=120, rng=random.Random(seed))
        if expected is None:
            assert got is None
        else:
            assert got is not None and expected[0] <= got <= expected[1]
