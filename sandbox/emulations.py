"""Channel API emulations by kind: each builds itself from the config's channels of its kind.

Adding a channel kind to the sandbox is one module with a `ChannelEmulation` subclass and one
line in `EMULATIONS`.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from typing import ClassVar, Self

from oneprice.domain.catalog import Catalog
from oneprice.settings.models import ChannelSettings
from sandbox.server import Router
from sandbox.woo_api import WooCommerceApi
from sandbox.woocommerce import WooStore


class ChannelEmulation(ABC):
    """One channel kind's API in the sandbox, serving every configured channel of that kind.

    >>> class EchoEmulation(ChannelEmulation):
    ...     kind = "echo"
    ...     @classmethod
    ...     def from_channels(cls, channels): return cls()
    ...     def install(self, router): router.add(("GET",), r"/echo", lambda r: Response.text("echo"))
    """

    kind: ClassVar[str]

    @classmethod
    @abstractmethod
    def from_channels(cls, channels: Sequence[ChannelSettings]) -> Self:
        """Build the emulation for these channels (credentials taken from their resolved settings)."""

    @abstractmethod
    def install(self, router: Router) -> None:
        """Register this emulation's routes."""

    def set_public_url(self, base: str) -> None:  # noqa: B027 - optional hook
        """Called with the sandbox's base URL once it is known (for links in answers)."""

    def seed_catalog(self, catalog: Catalog) -> None:  # noqa: B027 - optional hook
        """Called with the catalog: platforms whose items cannot be created by API start with them."""


class WooCommerceEmulation(ChannelEmulation):
    """WooCommerce REST v3 stores at `/woo/<channel-name>/wp-json/wc/v3/`."""

    kind = "woocommerce"

    def __init__(self, stores: dict[str, WooStore]) -> None:
        self.stores = stores

    @classmethod
    def from_channels(cls, channels: Sequence[ChannelSettings]) -> Self:
        stores: dict[str, WooStore] = {}
        for channel in channels:
            creds = {k: v.get_secret_value() for k, v in channel.credentials.items()}
            stores[channel.name] = WooStore(
                channel.name,
                creds.get("consumer_key", ""),
                creds.get("consumer_secret", ""),
                currency=channel.currency,
            )
        return cls(stores)

    def install(self, router: Router) -> None:
        WooCommerceApi(self.stores).install(router)

    def set_public_url(self, base: str) -> None:
        for name, store in self.stores.items():
            store.public_url = f"{base}/woo/{name}"


# Below the base class: these modules subclass ChannelEmulation.
from sandbox.amazon_api import AmazonEmulation  # noqa: E402
from sandbox.cn_emulations import JdEmulation, PinduoduoEmulation, TaobaoEmulation, YouzanEmulation  # noqa: E402
from sandbox.ebay_api import EbayEmulation  # noqa: E402
from sandbox.shopify_graphql import ShopifyEmulation  # noqa: E402

EMULATIONS: dict[str, type[ChannelEmulation]] = {
    WooCommerceEmulation.kind: WooCommerceEmulation,
    "taobao": TaobaoEmulation,
    "jd": JdEmulation,
    "pinduoduo": PinduoduoEmulation,
    "youzan": YouzanEmulation,
    ShopifyEmulation.kind: ShopifyEmulation,
    AmazonEmulation.kind: AmazonEmulation,
    EbayEmulation.kind: EbayEmulation,
}
