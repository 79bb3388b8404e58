"""Channel adapters by kind: the registry the composition roots and the sync service use.

Adding a channel kind is one line in ADAPTERS (see STYLE.md, "Adding things").
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial
from typing import Any

import requests

from adapters.amazon import AmazonAdapter
from adapters.base import (
    Capabilities,
    Change,
    ChannelAdapter,
    ItemResult,
    RateFeedback,
    ThrottleStatus,
    UngovernedRate,
    settings_problems,
)
from adapters.ebay import EbayAdapter
from adapters.jd import JdAdapter
from adapters.pinduoduo import PinduoduoAdapter
from adapters.shopify import ShopifyAdapter
from adapters.taobao import TaobaoAdapter
from adapters.woocommerce import WooCommerceAdapter
from adapters.youzan import YouzanAdapter
from oneprice.errors import UserError
from oneprice.settings.loader import ChannelValidator, Loc
from oneprice.settings.models import ChannelSettings

ADAPTERS: dict[str, type[ChannelAdapter]] = {
    "woocommerce": WooCommerceAdapter,
    "taobao": TaobaoAdapter,
    "jd": JdAdapter,
    "pinduoduo": PinduoduoAdapter,
    "youzan": YouzanAdapter,
    "amazon": AmazonAdapter,
    "ebay": EbayAdapter,
    "shopify": ShopifyAdapter,
}


def adapter_class(kind: str) -> type[ChannelAdapter]:
    """The adapter class for a channel kind, or a UserError listing the known kinds."""
    try:
        return ADAPTERS[kind]
    except KeyError:
        raise UserError(f"unknown channel kind {kind!r} (known: {', '.join(sorted(ADAPTERS))})") from None


def create_adapter(channel: ChannelSettings, session: requests.Session | None = None) -> ChannelAdapter:
    """Build the adapter for one configured channel; `session` lets tests and callers share HTTP."""
    return adapter_class(channel.kind).from_settings(channel, session)


def _validate(cls: type[ChannelAdapter], channel: Mapping[str, Any]) -> list[tuple[Loc, str]]:
    return settings_problems(cls.settings_model, channel)


def channel_validators() -> dict[str, ChannelValidator]:
    """For `load_config`: per kind, a check of a raw channel's `credentials` and `options`."""
    return {kind: partial(_validate, cls) for kind, cls in ADAPTERS.items()}


__all__ = [
    "ADAPTERS",
    "Capabilities",
    "Change",
    "ChannelAdapter",
    "ItemResult",
    "RateFeedback",
    "ThrottleStatus",
    "UngovernedRate",
    "adapter_class",
    "channel_validators",
    "create_adapter",
]
