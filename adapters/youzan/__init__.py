"""Youzan channel adapter (youzanyun, token auth): SKU price and full-quantity stock of existing items."""

from adapters.youzan.adapter import YouzanAdapter
from adapters.youzan.capabilities import YOUZAN_CAPABILITIES
from adapters.youzan.mapper import YouzanMapper
from adapters.youzan.settings import YouzanCredentials, YouzanOptions, YouzanSettings

__all__ = [
    "YOUZAN_CAPABILITIES",
    "YouzanAdapter",
    "YouzanCredentials",
    "YouzanMapper",
    "YouzanOptions",
    "YouzanSettings",
]
