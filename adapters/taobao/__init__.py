"""Taobao/Tmall channel adapter (TOP router API): SKU price and full-quantity stock of existing items."""

from adapters.taobao.adapter import TaobaoAdapter
from adapters.taobao.capabilities import TAOBAO_CAPABILITIES
from adapters.taobao.mapper import TaobaoMapper
from adapters.taobao.settings import TaobaoCredentials, TaobaoOptions, TaobaoSettings

__all__ = [
    "TAOBAO_CAPABILITIES",
    "TaobaoAdapter",
    "TaobaoCredentials",
    "TaobaoMapper",
    "TaobaoOptions",
    "TaobaoSettings",
]
