"""Amazon SP-API channel settings: LWA credentials, the seller and marketplace, transport options."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, SecretStr

LWA_TOKEN_URL = "https://api.amazon.com/auth/o2/token"  # noqa: S105 - an endpoint, not a secret


class AmazonCredentials(BaseModel):
    """An SP-API app's LWA client pair, the seller's refresh token (from authorizing the app), seller id."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    lwa_client_id: SecretStr = Field(min_length=1)
    lwa_client_secret: SecretStr = Field(min_length=1)
    refresh_token: SecretStr = Field(min_length=1)
    seller_id: SecretStr = Field(min_length=1)


class AmazonOptions(BaseModel):
    """Where and how to talk to SP-API; the defaults suit the North America endpoint's limits."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    marketplace_id: str = Field(min_length=1, description="marketplace of the offers, e.g. ATVPDKIKX0DER")
    token_url: str = Field(default=LWA_TOKEN_URL, min_length=1, description="LWA token endpoint")
    product_type: str = Field(
        default="PRODUCT", min_length=1, description="productType sent with every PATCH (Amazon requires one)"
    )
    page_size: int = Field(default=20, ge=1, le=20, description="listings per searchListingsItems page")
    timeout: float = Field(default=30.0, gt=0, le=600, description="seconds to wait for one HTTP answer")
    max_retries: int = Field(default=3, ge=0, le=10, description="extra attempts after a retryable failure")
    backoff: float = Field(default=0.5, ge=0, le=60, description="first retry delay (s), doubled each time")
    max_retry_after: float = Field(default=120.0, ge=0, description="longest wait we accept from a throttled answer")
    verify_tls: bool = True


class AmazonSettings(BaseModel):
    """The part of a channel block the Amazon adapter reads: `credentials` and `options`."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    credentials: AmazonCredentials
    options: AmazonOptions
