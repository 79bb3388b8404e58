"""Pinduoduo channel adapter: both SKU prices (fen) and full-quantity stock of existing goods."""

from adapters.pinduoduo.adapter import PinduoduoAdapter
from adapters.pinduoduo.capabilities import PINDUODUO_CAPABILITIES
from adapters.pinduoduo.mapper import PinduoduoMapper
from adapters.pinduoduo.settings import PinduoduoCredentials, PinduoduoOptions, PinduoduoSettings, PriceRule

__all__ = [
    "PINDUODUO_CAPABILITIES",
    "PinduoduoAdapter",
    "PinduoduoCredentials",
    "PinduoduoMapper",
    "PinduoduoOptions",
    "PinduoduoSettings",
    "PriceRule",
]
