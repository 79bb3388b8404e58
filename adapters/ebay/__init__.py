"""eBay channel adapter (Sell Inventory API): OAuth user token, bulk price/quantity, revision budget."""

from adapters.ebay.adapter import CREATE_REFUSED, EbayAdapter
from adapters.ebay.budget import RevisionBudget
from adapters.ebay.capabilities import EBAY_CAPABILITIES
from adapters.ebay.mapper import EbayMapper
from adapters.ebay.settings import EbayCredentials, EbayOptions, EbaySettings

__all__ = [
    "CREATE_REFUSED",
    "EBAY_CAPABILITIES",
    "EbayAdapter",
    "EbayCredentials",
    "EbayMapper",
    "EbayOptions",
    "EbaySettings",
    "RevisionBudget",
]
