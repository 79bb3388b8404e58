"""eBay channel settings: the app's OAuth client pair, the seller's refresh token, transport options."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, SecretStr

TOKEN_URL = "https://api.ebay.com/identity/v1/oauth2/token"  # noqa: S105 - an endpoint, not a secret
SCOPE_INVENTORY = "https://api.ebay.com/oauth/api_scope/sell.inventory"


class EbayCredentials(BaseModel):
    """App keys (client id = App ID, client secret = Cert ID) and the seller's OAuth refresh token."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    client_id: SecretStr = Field(min_length=1)
    client_secret: SecretStr = Field(min_length=1)
    refresh_token: SecretStr = Field(min_length=1)


class EbayOptions(BaseModel):
    """Where and how to talk to the Sell Inventory API."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    marketplace_id: str = Field(default="EBAY_US", min_length=1, description="offers' marketplace, e.g. EBAY_US")
    token_url: str = Field(default=TOKEN_URL, min_length=1, description="OAuth token endpoint")
    scope: str = Field(default=SCOPE_INVENTORY, min_length=1, description="scope asked for on refresh")
    batch_size: int = Field(
        default=25, ge=1, le=25, description="SKUs per bulk_update_price_quantity call (1 if eBay wants one)"
    )
    page_size: int = Field(default=100, ge=1, le=200, description="inventory items per page when listing")
    revisions_per_day: int = Field(
        default=250, ge=1, le=250, description="revisions of one listing allowed per UTC day"
    )
    timeout: float = Field(default=30.0, gt=0, le=600, description="seconds to wait for one HTTP answer")
    max_retries: int = Field(default=3, ge=0, le=10, description="extra attempts after a retryable failure")
    backoff: float = Field(default=0.5, ge=0, le=60, description="first retry delay (s), doubled each time")
    max_retry_after: float = Field(default=120.0, ge=0, description="longest Retry-After we wait for")
    verify_tls: bool = True


class EbaySettings(BaseModel):
    """The part of a channel block the eBay adapter reads: `credentials` and `options`."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    credentials: EbayCredentials
    options: EbayOptions = EbayOptions()
