"""A small brand for the alerting tests: config built in code, and the products and targets it watches."""

from __future__ import annotations

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
