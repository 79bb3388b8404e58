"""JD (JOS) channel settings: the app key pair, the shop's access token, and options."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, SecretStr

from adapters.cn_gateway import GatewayOptions


class JdCredentials(BaseModel):
    """App key and secret of the JOS app and the access token the shop granted it (OAuth)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    app_key: SecretStr = Field(min_length=1)
    app_secret: SecretStr = Field(min_length=1)
    access_token: SecretStr = Field(min_length=1)


class JdOptions(GatewayOptions):
    """JOS options. JD's error code list was not confirmed in a first-party source: the codes are settable."""

    auth_codes: tuple[str, ...] = ("19", "21", "22")
    """Error codes meaning "credentials refused" (invalid access token, app key, signature)."""
    throttle_codes: tuple[str, ...] = ("60", "61")
    """Error codes meaning "called too often"."""
    throttle_wait: float = Field(default=1.0, ge=0, le=600, description="seconds to wait after a throttle")


class JdSettings(BaseModel):
    """The part of a channel block the JD adapter reads: `credentials` and `options`."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    credentials: JdCredentials
    options: JdOptions = JdOptions()
