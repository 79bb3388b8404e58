"""Local marketplace emulator: WooCommerce REST v3 stores and reseller storefront pages.

Use `Sandbox.from_config(load_config(path))`, then `start()`/`stop()`, `running()` or `serve_forever()`.
"""

from sandbox.app import Sandbox
from sandbox.seed import Offer, SeedFile, StoreListing, default_offers_file, load_offers
from sandbox.woocommerce import WooError, WooStore

__all__ = [
    "Offer",
    "Sandbox",
    "SeedFile",
    "StoreListing",
    "WooError",
    "WooStore",
    "default_offers_file",
    "load_offers",
]
