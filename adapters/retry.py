"""How long an adapter waits before retrying a retryable channel error: one rule for every channel."""

from __future__ import annotations

import math
import random

from oneprice.errors import ChannelError, ChannelRateLimited

MAX_BACKOFF = 30.0
"""Longest wait between two attempts when the channel does not say how long (seconds)."""


def retry_delay(
    error: ChannelError, attempt: int, *, backoff: float, max_retry_after: float, rng: random.Random
) -> float | None:
    """Seconds to wait before retry number `attempt + 1`, or None to give up now.

    A throttled answer that says how long (Retry-After, "ban lasts N seconds", a cost bucket)
    is obeyed to the second — unless it is longer than `max_retry_after`, then the call fails
    and the engine decides (dead letter, next run). Otherwise exponential backoff with jitter:
    `backoff * 2**attempt`, capped at MAX_BACKOFF, times a random 0.5-1.0.

    >>> retry_delay(ChannelRateLimited("c", "slow", retry_after=7), 0, backoff=1, max_retry_after=60,
    ...             rng=random.Random(1))
    7
    """
    if isinstance(error, ChannelRateLimited) and error.retry_after is not None and not math.isnan(error.retry_after):
        if error.retry_after > max_retry_after:
            return None
        return max(error.retry_after, 0.0)
    base = min(backoff * 2**attempt, MAX_BACKOFF)
    return base * (0.5 + rng.random() / 2)
