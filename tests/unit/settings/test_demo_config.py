"""The shipped demo and example configurations load, and the demo data keeps its promises."""

from __future__ import annotations

import os
import re
from collections import Counter
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from pydantic import BaseModel

from oneprice.domain.catalog import gtin_check_digit_ok
from oneprice.settings import LoadedConfig, Settings, load_config, masked
from sandbox import load_offers

CONFIG = Path(__file__).resolve().parents[3] / "config"
SANDBOX_DEFAULT = "http://127.0.0.1:8700"


@pytest.fixture(scope="module")
def demo() -> LoadedConfig:
    return load_config(CONFIG / "demo.yaml")


def test_catalog(demo: LoadedConfig) -> None:
    products = demo.catalog.products
    assert len(products) >= 20
    assert {p.currency for p in products} == {"CNY"}
    assert {p.product_line for p in products} >= {"apparel", "footwear", "packs", "gear"}
    gtins = [p.gtin for p in products]
    assert all(g and g.startswith("69") and len(g) == 13 and gtin_check_digit_ok(g) for g in gtins)
    assert len(set(gtins)) == len(gtins)
    assert all(p.model for p in products)
    assert any(p.unified_price.amount == Decimal("1299.00") and "冲锋衣" in p.name for p in products)


def test_variants_share_a_parent(demo: LoadedConfig) -> None:
    products = demo.catalog.products
    skus = {p.sku for p in products}
    families = Counter(p.parent_sku for p in products if p.parent_sku)
    assert sum(1 for n in families.values() if n >= 2) >= 4
    assert not set(families) & skus  # parents are styles, not sellable rows
    for parent in families:
        variants = [p for p in products if p.parent_sku == parent]
        keys = {(p.color, p.size) for p in variants}
        assert len(keys) == len(variants), parent  # each variant differs in colour or size


def test_channels(demo: LoadedConfig) -> None:
    channels = [c for c in demo.settings.channels if c.kind == "woocommerce"]
    assert [c.kind for c in channels] == ["woocommerce", "woocommerce"]
    assert len({c.platform for c in channels}) == 2
    for c in channels:
        assert c.currency == "CNY"
        assert c.options == {"batch_size": 100}
        assert set(c.credentials) == {"consumer_key", "consumer_secret"}
        if "ONEPRICE_SANDBOX_URL" not in os.environ:
            assert c.base_url == f"{SANDBOX_DEFAULT}/woo/{c.name}"
    restricted = [p for p in demo.catalog.products if p.channels]
    assert restricted and all(set(p.channels) <= {c.name for c in channels} for p in restricted)


def test_policy(demo: LoadedConfig) -> None:
    policy = demo.settings.policy
    assert policy.tolerance.percent == Decimal(5)
    assert policy.product_lines and set(policy.product_lines) <= {p.product_line for p in demo.catalog.products}


def test_resellers(demo: LoadedConfig) -> None:
    resellers = demo.settings.resellers
    assert len(resellers) >= 8
    assert any(r.authorized and not r.own_store for r in resellers)
    assert any(not r.authorized for r in resellers)
    assert sum(1 for r in resellers if r.own_store) == 1
    names = [n.casefold() for r in resellers for n in r.names()]
    assert len(names) == len(set(names))  # one seller name, one reseller
    assert all(re.search(r"[\u4e00-\u9fff]", r.name) for r in resellers)


def test_every_watch_target_hits_a_seeded_offer(demo: LoadedConfig) -> None:
    seed = load_offers()
    watch = demo.settings.watch
    assert len(watch) >= 12
    hit: set[str] = set()
    for target in watch:
        m = re.fullmatch(r"/shop/(?P<platform>[a-z]+)/item/(?P<id>[a-z0-9-]+)", urlsplit(target.url).path)
        assert m, target.url
        offer = seed.offer(m["platform"], m["id"])
        assert offer is not None, target.url
        assert target.platform == offer.platform
        hit.add(offer.id)
    assert hit == {o.id for o in seed.offers}  # and every offer is watched


def test_database_and_alerts(demo: LoadedConfig, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ONEPRICE_DATABASE_URL", raising=False)
    assert demo.database_url() == "sqlite:///" + str((CONFIG.parent / "var" / "demo.db").resolve())
    routes = {r.name: r for r in demo.settings.alerts.routes}
    assert routes["log"].url.get_secret_value() == "log://"
    assert routes["mail"].url.get_secret_value().startswith("mailto://")
    printed = masked(demo.settings)
    mail = next(r for r in printed["alerts"]["routes"] if r["name"] == "mail")
    assert mail["url"] == "mailto://***@127.0.0.1:8725?***"


def test_sandbox_url_is_configurable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ONEPRICE_SANDBOX_URL", "http://127.0.0.1:9999")
    config = load_config(CONFIG / "demo.yaml")
    assert all(c.base_url.startswith("http://127.0.0.1:9999/") for c in config.settings.channels)
    assert all(t.url.startswith("http://127.0.0.1:9999/shop/") for t in config.settings.watch)


def _keys(model: type[BaseModel], prefix: str = "") -> set[str]:
    """Every key path of a settings model (descending into nested models)."""
    out: set[str] = set()
    for name, field in model.model_fields.items():
        out.add(prefix + name)
        annotation: Any = field.annotation
        for candidate in (annotation, *getattr(annotation, "__args__", ())):
            if isinstance(candidate, type) and issubclass(candidate, BaseModel):
                out |= _keys(candidate, f"{prefix}{name}.")
    return out


def test_example_documents_every_key() -> None:
    config = load_config(CONFIG / "oneprice.example.yaml")
    assert config.settings.brand.name and config.catalog.products
    text = (CONFIG / "oneprice.example.yaml").read_text(encoding="utf-8")
    for path in sorted(_keys(Settings)):
        key = path.rsplit(".", 1)[-1]
        assert re.search(rf"^\s*#?\s*-?\s*{key}:", text, re.M), f"{path} is not in oneprice.example.yaml"
    assert "WooCommerce → Settings → Advanced → REST API" in text
