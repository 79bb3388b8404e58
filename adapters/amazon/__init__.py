"""Amazon SP-API channel adapter (Listings Items 2021-08-01): LWA auth, JSON Patch price and stock."""

from adapters.amazon.adapter import CREATE_REFUSED, AmazonAdapter
from adapters.amazon.capabilities import AMAZON_CAPABILITIES
from adapters.amazon.mapper import AmazonMapper, decode_json, encode_json
from adapters.amazon.settings import AmazonCredentials, AmazonOptions, AmazonSettings

__all__ = [
    "AMAZON_CAPABILITIES",
    "CREATE_REFUSED",
    "AmazonAdapter",
    "AmazonCredentials",
    "AmazonMapper",
    "AmazonOptions",
    "AmazonSettings",
    "decode_json",
    "encode_json",
]
