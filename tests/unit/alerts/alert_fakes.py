"""A small brand for the alerting tests: config built in code, and the products and targets it watches."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path
from typing import Any

from oneprice.domain.catalog import Catalog, Product, Reseller, WatchTarget
from oneprice.domain.money import Money
from oneprice.settings.loader import LoadedConfig
from oneprice.settings.models import Settings

JACKET = Product(sku="JK", name="Jacket", unified_price=Money.of("1000", "CNY"), product_line="apparel")
TENT = Product(sku="TN", name="Tent", unified_price=Money.of("2000", "CNY"), product_line="gear")
TARGETS = (
    WatchTarget(id="t-star", url="http://127.0.0.1:1/star", platform="tmall"),
    WatchTarget(id="t-grey", url="http://127.0.0.1:1/grey", platform="taobao"),
)


def make_config(tmp_path: Path, alerts: dict[str, Any] | None = None) -> LoadedConfig:
    settings = Settings.model_validate(
        {
            "brand": {"name": "山屿 <Shanyu>", "currency": "CNY"},
            "catalog": {"file": "catalog.csv"},
            "resellers": [
                Reseller(id="star", name="星光", platforms=("tmall",)).model_dump(),
                Reseller(id="grey", name="灰市", authorized=False).model_dump(),
            ],
            "watch": [t.model_dump() for t in TARGETS],
            "alerts": alerts or {},
        }
    )
    return LoadedConfig(path=tmp_path / "oneprice.yaml", settings=settings, catalog=Catalog(products=(JACKET, TENT)))


Feed = Callable[..., int]


MARKET_PLATFORMS = ("tmall", "jd", "taobao")


def market(tmp_path: Path, alerts: dict[str, Any], *, products: int, targets: int) -> LoadedConfig:
    """A wider market for the selection tests: P0..Pn-1 at 1000 CNY over two product lines, four
    resellers (everywhere, tmall only, unauthorized, own store on jd), targets w0.. on three platforms."""
    base = make_config(tmp_path, alerts)
    catalog = tuple(
        Product(sku=f"P{i}", name=f"p{i}", unified_price=Money.of(1000, "CNY"), product_line=("a", "b")[i % 2])
        for i in range(products)
    )
    resellers = (
        Reseller(id="r0", name="r0"),
        Reseller(id="r1", name="r1", platforms=("tmall",)),
        Reseller(id="r2", name="r2", authorized=False),
        Reseller(id="r3", name="r3", own_store=True, platforms=("jd",)),
    )
    watch = tuple(
        WatchTarget(id=f"w{i}", url=f"http://127.0.0.1:1/{i}", platform=MARKET_PLATFORMS[i % 3]) for i in range(targets)
    )
    settings = base.settings.model_copy(update={"resellers": resellers, "watch": watch})
    return dataclasses.replace(base, settings=settings, catalog=Catalog(products=catalog))
