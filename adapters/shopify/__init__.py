"""Shopify channel adapter (GraphQL Admin API): variants listed by page, prices written per product."""

from adapters.shopify.adapter import ShopifyAdapter
from adapters.shopify.capabilities import SHOPIFY_CAPABILITIES
from adapters.shopify.mapper import ShopifyMapper, VariantRecord
from adapters.shopify.settings import ShopifyCredentials, ShopifyOptions, ShopifySettings

__all__ = [
    "SHOPIFY_CAPABILITIES",
    "ShopifyAdapter",
    "ShopifyCredentials",
    "ShopifyMapper",
    "ShopifyOptions",
    "ShopifySettings",
    "VariantRecord",
]
