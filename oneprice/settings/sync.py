"""The `sync:` section (guards, rate governor defaults, retry policy) and per-channel sync keys."""

from __future__ import annotations

from decimal import Decimal

from pydantic import Field

from oneprice.settings.base import Strict


class GuardSettings(Strict):
    """Limits that stop one channel's apply before anything is sent; CLI flags override them."""

    max_price_change_percent: Decimal | None = Field(default=Decimal(30), ge=0)
    """Largest price move (up or down, % of the live price) one run may make; null: no limit."""
    max_delist_share: Decimal = Field(default=Decimal("0.1"), ge=0, le=1)
    """Largest share of a channel's bound listings one run may delist (0.1 = 10%)."""
    refuse_empty_remote: bool = True
    """Refuse to plan a channel that lists nothing while bindings say it holds listings."""


class RetrySettings(Strict):
    """Retries of retryable failures (429, 5xx, timeouts), then the dead-letter list."""

    max_attempts: int = Field(default=4, ge=1, le=20)
    """Sends of one action before it goes to the dead-letter list (`oneprice sync status`)."""
    backoff: float = Field(default=0.5, ge=0, le=60)
    """Seconds before the second attempt; doubled each time, with jitter."""
    max_backoff: float = Field(default=30.0, ge=0, le=600)


class RateSettings(Strict):
    """A channel's write rate: token bucket of `burst` calls refilled at `requests_per_second`."""

    requests_per_second: float | None = Field(default=None, gt=0)
    """Null: the rate the adapter declares; when neither says, calls are not paced."""
    burst: int | None = Field(default=None, ge=1)


class PriceOverride(Strict):
    """An explicit, audited exception to the unified price on one channel."""

    price: Decimal = Field(ge=0)
    """Price on this channel, in the channel's currency."""
    reason: str = Field(min_length=3)
    """Why this channel differs (shown in every plan and journaled)."""


class SyncSettings(Strict):
    guards: GuardSettings = GuardSettings()
    retry: RetrySettings = RetrySettings()
    rate: RateSettings = RateSettings()
    """Default rate for channels that set none."""
    verify: bool = True
    """Read written listings back after apply; a mismatch fails the item (journal state `failed`)."""
