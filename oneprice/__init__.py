"""oneprice: one product, one price on every channel.

Sync the brand's listings to its own stores, crawl resellers' pages, alert on
undercutting and unauthorized sellers with evidence.
"""

__version__ = "0.1.0"
