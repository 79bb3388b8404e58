"""Config loading: exact Decimal values, ${ENV} placeholders, and FILE:LINE: path: message errors."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from config_files import edit

from oneprice.errors import ConfigError
from oneprice.settings import load_config, masked


def problems(path: Path) -> list[str]:
    with pytest.raises(ConfigError) as info:
        load_config(path)
    return [str(p) for p in info.value.problems]


def test_good_config_loads_exact_decimals(cfgdir: Path) -> None:
    cfg = load_config(cfgdir / "c.yaml")
    products = cfg.catalog.by_sku()
    assert products["BP-30"].unified_price.amount == Decimal("499.90")
    assert products["JK-1-L"].channels == ("shop",)
    assert cfg.settings.policy.tolerance_for("packs").absolute == Decimal("20.50")
    assert cfg.settings.policy.tolerance.percent == Decimal(5)
    assert cfg.database_url() == f"sqlite:///{cfgdir / 'db' / 'test.db'}"


def test_env_placeholders_and_defaults(cfgdir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SANDBOX", "http://127.0.0.1:9999")
    monkeypatch.setenv("SHOP_SECRET", "cs_from_env")
    cfg = load_config(cfgdir / "c.yaml")
    shop = cfg.settings.channel("shop")
    assert shop.base_url == "http://127.0.0.1:9999/woo/shop"
    assert shop.credentials["consumer_secret"].get_secret_value() == "cs_from_env"


def test_missing_env_without_default_names_the_line(cfgdir: Path) -> None:
    edit(cfgdir / "c.yaml", "${SHOP_KEY:-ck_test}", "${ONEPRICE_TEST_UNSET_VAR}")
    [msg] = problems(cfgdir / "c.yaml")
    assert msg.startswith(f"{cfgdir / 'c.yaml'}:18: channels[0].credentials.consumer_key: ")
    assert "ONEPRICE_TEST_UNSET_VAR is not set" in msg


def test_secrets_are_masked_when_printed(cfgdir: Path) -> None:
    doc = masked(load_config(cfgdir / "c.yaml").settings)
    text = repr(doc)
    assert "cs_supersecret" not in text and "hunter2" not in text
    assert doc["alerts"]["routes"][0]["url"] == "mailto://***@127.0.0.1:8725?***"


# (what to break, replacement, expected "line: path: message" fragment)
YAML_BREAKS = [
    ("  currency: CNY\n", "  currency: XYZ\n", ":3: brand.currency: unknown currency 'XYZ'"),
    ("    percent: 5\n", "    percent: -5\n", ":10: policy.tolerance.percent: must not be negative"),
    ("    percent: 5\n", "    percent: five\n", ":10: policy.tolerance.percent: 'five' is not a number"),
    (
        "    kind: woocommerce\n",
        "    kind: woocommerce\n    colour: red\n",
        ":16: channels[0].colour: unknown key",
    ),
    (
        "    platforms: [tmall, jd]",
        "    platforms: [tmall, mars]",
        ":23: resellers[0].platforms[1]: unknown platform 'mars'",
    ),
    ("brand:\n", "brand:\n  name: x\n", ":3: brand.name: duplicate key (first on line 2)"),
    ("  - id: t1\n    url:", "  - url:", ":25: watch[0].id: required key is missing"),
    ("catalog:\n  file: catalog.csv\n", "", "catalog: required key is missing"),
    ("    url: http://127", "    url: [http://127", ": invalid YAML"),
]


@pytest.mark.parametrize(("old", "new", "expected"), YAML_BREAKS)
def test_yaml_problems_name_file_line_and_path(cfgdir: Path, old: str, new: str, expected: str) -> None:
    edit(cfgdir / "c.yaml", old, new)
    found = problems(cfgdir / "c.yaml")
    assert any(expected in p and p.startswith(str(cfgdir / "c.yaml")) for p in found), found


CSV_BREAKS = [
    (
        "1299.00,CNY,10",
        "-1299.00,CNY,10",
        "catalog.csv:2: products[JK-1-M].unified_price: must not be negative",
    ),
    ("1299.00,CNY,10", "12,99,CNY,10", "catalog.csv:2: more fields than columns (14; the header has 13)"),
    ("1299.00,CNY,10", "abc,CNY,10", "catalog.csv:2: products[JK-1-M].unified_price: 'abc' is not a number"),
    ("1299,CNY,5", "1299,QQQ,5", "catalog.csv:3: products[JK-1-L].currency: unknown currency 'QQQ'"),
    ("JK-1-L,JK-1", "JK-1-M,JK-1", "catalog.csv:3: products[JK-1-M].sku: duplicate SKU (first on line 2)"),
    (
        "active,shop\nBP",
        "active,nowhere\nBP",
        "catalog.csv:3: products[JK-1-L].channels: undefined channel 'nowhere'",
    ),
    ("6901234567892", "6901234567891", "catalog.csv:2: products[JK-1-M].gtin: GTIN '6901234567891'"),
    ("sku,parent_sku", "sku,parnt_sku", "catalog.csv:1: parnt_sku: unknown column"),
]


@pytest.mark.parametrize(("old", "new", "expected"), CSV_BREAKS)
def test_catalog_problems_name_file_line_and_path(cfgdir: Path, old: str, new: str, expected: str) -> None:
    edit(cfgdir / "catalog.csv", old, new)
    found = problems(cfgdir / "c.yaml")
    assert any(p.endswith(expected) or expected in p for p in found), found


def test_every_problem_is_reported_at_once(cfgdir: Path) -> None:
    edit(cfgdir / "c.yaml", "  currency: CNY\n", "  currency: XYZ\n")
    edit(cfgdir / "c.yaml", "    percent: 5\n", "    percent: -5\n")
    assert len(problems(cfgdir / "c.yaml")) == 2


def test_yaml_floats_never_become_float(cfgdir: Path) -> None:
    edit(cfgdir / "c.yaml", "{absolute: 20.50}", "{absolute: 0.1}")
    cfg = load_config(cfgdir / "c.yaml")
    assert cfg.settings.policy.tolerance_for("packs").absolute == Decimal("0.1")


def test_unknown_channel_kind_is_reported_with_validators(cfgdir: Path) -> None:
    with pytest.raises(ConfigError) as info:
        load_config(cfgdir / "c.yaml", channel_validators={"shopify": lambda ch: []})
    assert "channels[0].kind: unknown channel kind 'woocommerce'" in str(info.value)


def test_missing_file(tmp_path: Path) -> None:
    [msg] = problems(tmp_path / "nope.yaml")
    assert "nope.yaml: cannot read" in msg
