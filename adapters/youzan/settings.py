"""Youzan channel settings: the shop's access token (token auth, no request signature) and options."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, SecretStr

from adapters.cn_gateway import GatewayOptions


class YouzanCredentials(BaseModel):
    """The access token of a self-use (自用型) or authorized app, from Youzan's token endpoint."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    access_token: SecretStr = Field(min_length=1)


class YouzanOptions(GatewayOptions):
    """Youzan options. Its error code list was not confirmed in a first-party source: the codes are settable."""

    version: str = Field(default="3.0.0", pattern=r"^\d+\.\d+\.\d+$", description="API version in the path")
    auth_codes: tuple[int, ...] = (4201, 4202, 4203)
    """Codes meaning "access token refused or expired"."""
    throttle_codes: tuple[int, ...] = (429, 4290)
    """Codes meaning "called too often"."""
    throttle_wait: float = Field(default=1.0, ge=0, le=600, description="seconds to wait after a throttle")


class YouzanSettings(BaseModel):
    """The part of a channel block the Youzan adapter reads: `credentials` and `options`."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    credentials: YouzanCredentials
    options: YouzanOptions = YouzanOptions()
