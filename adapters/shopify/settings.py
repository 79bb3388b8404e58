"""Shopify channel settings: the Admin API access token and the transport options."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, SecretStr

# Admin API versions are named by quarter (2025-01, 2025-04, ...) plus "unstable".
API_VERSION_PATTERN = r"^(\d{4}-(01|04|07|10)|unstable)$"


class ShopifyCredentials(BaseModel):
    """A custom app's Admin API access token (shpat_...), scopes write_products and write_inventory."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    access_token: SecretStr = Field(min_length=1)


class ShopifyOptions(BaseModel):
    """Transport options; the defaults suit a shop on any plan."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    api_version: str = Field(default="2025-01", pattern=API_VERSION_PATTERN, description="Admin API version in the URL")
    location_id: str | None = Field(
        default=None,
        min_length=1,
        description="location whose stock oneprice sets (gid or number); default: the shop's primary location",
    )
    page_size: int = Field(default=100, ge=1, le=250, description="variants per page when listing")
    timeout: float = Field(default=30.0, gt=0, le=600, description="seconds to wait for one HTTP answer")
    max_retries: int = Field(default=3, ge=0, le=10, description="extra attempts after a retryable failure")
    backoff: float = Field(default=0.5, ge=0, le=60, description="first retry delay (s), doubled each time")
    max_retry_after: float = Field(
        default=60.0, ge=0, description="longest throttle wait we sit out; a longer one fails the call"
    )
    verify_tls: bool = True


class ShopifySettings(BaseModel):
    """The part of a channel block the Shopify adapter reads: `credentials` and `options`."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    credentials: ShopifyCredentials
    options: ShopifyOptions = ShopifyOptions()
