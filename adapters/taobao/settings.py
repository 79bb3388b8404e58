"""Taobao/Tmall channel settings: the TOP app key pair, the seller's session key and options."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr

from adapters.cn_gateway import GatewayOptions


class TaobaoCredentials(BaseModel):
    """App key and secret of the TOP app, and the session key the seller granted it (OAuth)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    app_key: SecretStr = Field(min_length=1)
    app_secret: SecretStr = Field(min_length=1)
    session: SecretStr = Field(min_length=1)


class TaobaoOptions(GatewayOptions):
    """TOP options; the defaults suit a Taobao C-store and a Tmall store alike."""

    sign_method: Literal["md5", "hmac"] = "md5"
    ban_margin: float = Field(
        default=1.0, ge=0, le=60, description="seconds added to a 'ban will last N seconds' answer"
    )


class TaobaoSettings(BaseModel):
    """The part of a channel block the Taobao adapter reads: `credentials` and `options`."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    credentials: TaobaoCredentials
    options: TaobaoOptions = TaobaoOptions()
