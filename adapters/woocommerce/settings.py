"""WooCommerce channel settings: the consumer key pair and the transport options."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, SecretStr


class WooCommerceCredentials(BaseModel):
    """A REST API key pair (WooCommerce > Settings > Advanced > REST API), read/write."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    consumer_key: SecretStr = Field(min_length=1)
    consumer_secret: SecretStr = Field(min_length=1)


class WooCommerceOptions(BaseModel):
    """Transport options; the defaults suit a stock WooCommerce install."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    batch_size: int = Field(default=100, ge=1, le=100, description="items per products/batch call (cap 100)")
    per_page: int = Field(default=100, ge=1, le=100, description="products per page when listing")
    timeout: float = Field(default=30.0, gt=0, le=600, description="seconds to wait for one HTTP answer")
    max_retries: int = Field(default=3, ge=0, le=10, description="extra attempts after a retryable failure")
    backoff: float = Field(default=0.5, ge=0, le=60, description="first retry delay (s), doubled each time")
    max_retry_after: float = Field(
        default=120.0, ge=0, description="longest Retry-After we wait for; a longer one fails the call"
    )
    verify_tls: bool = True


class WooCommerceSettings(BaseModel):
    """The part of a channel block the WooCommerce adapter reads: `credentials` and `options`."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    credentials: WooCommerceCredentials
    options: WooCommerceOptions = WooCommerceOptions()
