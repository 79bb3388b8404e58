"""WooCommerce channel adapter (REST API v3): products listed by page, written by batch."""

from adapters.woocommerce.adapter import WooCommerceAdapter
from adapters.woocommerce.capabilities import WOOCOMMERCE_CAPABILITIES
from adapters.woocommerce.mapper import WooCommerceMapper
from adapters.woocommerce.settings import WooCommerceCredentials, WooCommerceOptions, WooCommerceSettings

__all__ = [
    "WOOCOMMERCE_CAPABILITIES",
    "WooCommerceAdapter",
    "WooCommerceCredentials",
    "WooCommerceMapper",
    "WooCommerceOptions",
    "WooCommerceSettings",
]
