"""Sandbox emulations of Taobao/Tmall, JD, Pinduoduo and Youzan: one shop per configured channel.

Items cannot be created through these platforms' price APIs, so the shops are seeded from the catalog.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import ClassVar, Protocol, Self

from oneprice.domain.catalog import Catalog
from oneprice.settings.models import ChannelSettings
from sandbox.cn_common import CnShop, seed_shops, shops_from
from sandbox.cn_jd import JdGateway
from sandbox.cn_pinduoduo import PinduoduoGateway
from sandbox.cn_taobao import TaobaoGateway
from sandbox.cn_youzan import YouzanGateway
from sandbox.emulations import ChannelEmulation
from sandbox.server import Router


class Gateway(Protocol):
    def install(self, router: Router) -> None: ...


class CnEmulation(ChannelEmulation):
    """Shops by channel name behind one platform gateway; `shop(name)` reaches one for tests."""

    kind: ClassVar[str]
    platform: ClassVar[str]

    def __init__(self, shops: dict[str, CnShop]) -> None:
        self.shops = shops

    @classmethod
    def from_channels(cls, channels: Sequence[ChannelSettings]) -> Self:
        return cls(shops_from(channels))

    def gateway(self, shops: Mapping[str, CnShop]) -> Gateway:
        raise NotImplementedError

    def install(self, router: Router) -> None:
        self.gateway(self.shops).install(router)

    def seed_catalog(self, catalog: Catalog) -> None:
        seed_shops(self.shops, catalog)

    def shop(self, name: str) -> CnShop:
        try:
            return self.shops[name]
        except KeyError:
            known = ", ".join(sorted(self.shops)) or "none"
            raise KeyError(f"no emulated {self.platform} shop {name!r} (known: {known})") from None


class TaobaoEmulation(CnEmulation):
    """TOP router at `/taobao/<channel>/router/rest`."""

    kind = "taobao"
    platform = "Taobao/Tmall"

    def gateway(self, shops: Mapping[str, CnShop]) -> Gateway:
        return TaobaoGateway(shops)


class JdEmulation(CnEmulation):
    """JOS gateway at `/jd/<channel>/routerjson`."""

    kind = "jd"
    platform = "JD"

    def gateway(self, shops: Mapping[str, CnShop]) -> Gateway:
        return JdGateway(shops)


class PinduoduoEmulation(CnEmulation):
    """Pinduoduo router at `/pinduoduo/<channel>/api/router`."""

    kind = "pinduoduo"
    platform = "Pinduoduo"

    def gateway(self, shops: Mapping[str, CnShop]) -> Gateway:
        return PinduoduoGateway(shops)


class YouzanEmulation(CnEmulation):
    """youzanyun gateway at `/youzan/<channel>/api/<name>/<version>`."""

    kind = "youzan"
    platform = "Youzan"

    def gateway(self, shops: Mapping[str, CnShop]) -> Gateway:
        return YouzanGateway(shops)
