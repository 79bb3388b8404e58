"""Pinduoduo channel settings: the app's client id/secret, the mall's access token, and price rules.

A Pinduoduo SKU has two prices; `single_price` and `group_price` say how each derives from the unified price.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Self

from pydantic import BaseModel, ConfigDict, Field, SecretStr, model_validator

from adapters.cn_gateway import GatewayOptions


class PinduoduoCredentials(BaseModel):
    """Client id and secret of the open-platform app and the access token the mall granted it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    client_id: SecretStr = Field(min_length=1)
    client_secret: SecretStr = Field(min_length=1)
    access_token: SecretStr = Field(min_length=1)


class PriceRule(BaseModel):
    """A price derived from the unified price: unified × `factor` + `offset_fen`, in fen, rounded half up."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    factor: Decimal = Field(default=Decimal(1), gt=0, le=10)
    offset_fen: int = Field(default=0, ge=-10_000_000, le=10_000_000)

    @property
    def is_unified(self) -> bool:
        return self.factor == 1 and self.offset_fen == 0


class PinduoduoOptions(GatewayOptions):
    """By default the single-buy price is the unified price and the group-buy price ¥1 below it."""

    single_price: PriceRule = PriceRule()
    group_price: PriceRule = PriceRule(offset_fen=-100)
    throttle_wait: float = Field(default=1.0, ge=0, le=600, description="seconds to wait after 52101/70031")
    auth_codes: tuple[int, ...] = (10016, 10017, 10019)
    """error_codes meaning "credentials refused": client_id, signature, access token (⚠ not confirmed)."""

    @model_validator(mode="after")
    def _one_is_unified(self) -> Self:
        if not (self.single_price.is_unified or self.group_price.is_unified):
            raise ValueError(
                "one of single_price/group_price must be the unified price (factor 1, offset_fen 0), "
                "so the listing's price can be read back"
            )
        return self


class PinduoduoSettings(BaseModel):
    """The part of a channel block the Pinduoduo adapter reads: `credentials` and `options`."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    credentials: PinduoduoCredentials
    options: PinduoduoOptions = PinduoduoOptions()
