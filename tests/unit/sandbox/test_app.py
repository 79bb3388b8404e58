"""Building the sandbox from a config, and starting and stopping it."""

from __future__ import annotations

from pathlib import Path

import pytest
import requests

from oneprice.errors import ConfigError
from oneprice.settings import LoadedConfig, load_config
from sandbox import Sandbox
from sandbox.server import Request

REPO = Path(__file__).resolve().parents[3]


def test_one_store_per_woocommerce_channel_seeded_from_the_offers_file(demo_config: LoadedConfig) -> None:
    box = Sandbox.from_config(demo_config)
    assert set(box.stores) == {"official", "outlet"}
    official = box.woo_store("official")
    assert sorted(p["sku"] for p in official.products.values()) == [
        "SY-GR31",
        "SY-JK01-BLK-M",
        "SY-PK21-45",
        "SY-TS05",
    ]
    assert official.by_sku("SY-TS05") is not None
    assert official.by_sku("SY-TS05")["regular_price"] == "179.00"  # type: ignore[index]
    assert (official.read_requests, official.write_requests, official.requests) == (0, 0, [])
    assert box.woo_store("outlet").products == {}
    with pytest.raises(KeyError, match="known: official, outlet"):
        box.woo_store("shopify")


def test_lifecycle(demo_config: LoadedConfig) -> None:
    box = Sandbox.from_config(demo_config)
    with pytest.raises(RuntimeError, match="not running"):
        _ = box.url
    url = box.start(port=0)
    try:
        assert url.startswith("http://127.0.0.1:") and box.url == url
        with pytest.raises(RuntimeError, match="already running"):
            box.start()
        assert requests.get(url + "/healthz", timeout=10).text == "ok"
    finally:
        box.stop()
    box.stop()  # a second stop is harmless
    with pytest.raises(requests.ConnectionError):
        requests.get(url + "/healthz", timeout=10)
    with box.running() as again:
        assert requests.get(again + "/healthz", timeout=10).status_code == 200


def test_credentials_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OFFICIAL_WC_KEY", "ck_from_env")
    monkeypatch.setenv("OFFICIAL_WC_SECRET", "cs_from_env")
    box = Sandbox.from_config(load_config(REPO / "config" / "demo.yaml"))
    with box.running() as url:
        api = url + "/woo/official/wp-json/wc/v3/products"
        assert requests.get(api, auth=("ck_from_env", "cs_from_env"), timeout=10).status_code == 200
        assert requests.get(api, auth=("ck_sandbox_official", "cs_sandbox_official"), timeout=10).status_code == 401


def test_handle_routes_without_a_server(demo_config: LoadedConfig) -> None:
    box = Sandbox.from_config(demo_config)
    response = box.handle(Request("GET", "/shop/tmall/item/flagship-jacket", {}, {}))
    assert response.status == 200 and "ld+json" in response.body.decode()
    assert box.handle(Request("GET", "/healthz", {}, {})).body == b"ok"


def _write_config(tmp_path: Path, extra_channel: str = "") -> Path:
    (tmp_path / "catalog.csv").write_text("sku,name,unified_price\nA-1,Thing,10.00\n", encoding="utf-8")
    config = tmp_path / "c.yaml"
    config.write_text(
        "brand: {name: Test}\n"
        "catalog: {file: catalog.csv}\n"
        "channels:\n"
        "  - {name: shop, kind: woocommerce, base_url: 'http://127.0.0.1:1/woo/shop',"
        " credentials: {consumer_key: ck_t, consumer_secret: cs_t}}\n" + extra_channel,
        encoding="utf-8",
    )
    return config


def test_other_channel_kinds_get_no_store(tmp_path: Path) -> None:
    config = _write_config(tmp_path, "  - {name: other, kind: shopify, base_url: 'http://127.0.0.1:1/x'}\n")
    offers = tmp_path / "offers.yaml"
    offers.write_text(
        'offers:\n  - {id: a, platform: jd, seller: S, sku: A-1, price: "9.00", shape: microdata}\n'
        'stores:\n  shop:\n    - {sku: A-1, regular_price: "10.00", stock_quantity: 2}\n',
        encoding="utf-8",
    )
    box = Sandbox.from_config(load_config(config), offers)
    assert set(box.stores) == {"shop"}
    assert [p["name"] for p in box.woo_store("shop").products.values()] == ["Thing"]
    assert box.handle(Request("GET", "/shop/jd/item/a", {}, {})).status == 200


def test_offers_naming_unknown_skus_are_a_config_error(tmp_path: Path, demo_config: LoadedConfig) -> None:
    config = load_config(_write_config(tmp_path))
    with pytest.raises(ConfigError) as err:
        Sandbox.from_config(config)  # the demo offers name SKUs this catalog does not have
    assert any(p.path.endswith(".sku") for p in err.value.problems)
    assert any(p.path == "stores.official" for p in err.value.problems)
