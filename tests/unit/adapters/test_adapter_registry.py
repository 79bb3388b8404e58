"""The adapter registry: kinds, building from settings, and channel validators for load_config."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import requests

from adapters import ADAPTERS, Change, adapter_class, channel_validators, create_adapter
from adapters.woocommerce import WooCommerceAdapter
from oneprice.domain.listing import ListingState
from oneprice.domain.money import Money
from oneprice.errors import ConfigError, UserError
from oneprice.settings import ChannelSettings, load_config

REPO = Path(__file__).resolve().parents[3]


def channel(**kw: Any) -> ChannelSettings:
    fields: dict[str, Any] = {
        "name": "official",
        "kind": "woocommerce",
        "base_url": "https://shop.example/",
        "currency": "CNY",
        "credentials": {"consumer_key": "ck_abc", "consumer_secret": "cs_def"},
        "options": {"batch_size": 20, "timeout": "12.5"},
    }
    fields.update(kw)
    return ChannelSettings.model_validate(fields)


def test_registry_knows_woocommerce() -> None:
    assert ADAPTERS["woocommerce"] is WooCommerceAdapter
    assert adapter_class("woocommerce").kind == "woocommerce"
    with pytest.raises(UserError, match=r"unknown channel kind 'shopee'.*woocommerce"):
        adapter_class("shopee")


def test_create_adapter_from_settings() -> None:
    session = requests.Session()
    adapter = create_adapter(channel(), session)
    assert isinstance(adapter, WooCommerceAdapter)
    assert adapter.api_url == "https://shop.example/wp-json/wc/v3/"
    assert adapter.options.timeout == 12.5
    assert adapter.capabilities.batch_limit == 20
    assert adapter.session is session
    assert adapter.channel == "official" and adapter.currency == "CNY"


def test_create_adapter_with_bad_credentials_is_a_user_error() -> None:
    with pytest.raises(UserError) as info:
        create_adapter(channel(credentials={"consumer_key": "ck_secret_value"}))
    message = str(info.value)
    assert "credentials.consumer_secret: required key is missing" in message
    assert "ck_secret_value" not in message


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ({"credentials": {"consumer_key": "ck", "consumer_secret": "cs"}}, []),
        (
            {"credentials": {"consumer_key": "ck"}},
            [(("credentials", "consumer_secret"), "required key is missing")],
        ),
        (
            {},
            [
                (("credentials", "consumer_key"), "required key is missing"),
                (("credentials", "consumer_secret"), "required key is missing"),
            ],
        ),
        (
            {"credentials": {"consumer_key": "ck", "consumer_secret": "cs", "token": "x"}},
            [(("credentials", "token"), "unknown key")],
        ),
        (
            {"credentials": {"consumer_key": "ck", "consumer_secret": "cs"}, "options": {"batch_size": 101}},
            [(("options", "batch_size"), "Input should be less than or equal to 100")],
        ),
        (
            {"credentials": {"consumer_key": "ck", "consumer_secret": "cs"}, "options": {"retries": 3}},
            [(("options", "retries"), "unknown key")],
        ),
        ({"credentials": "not a mapping"}, []),  # left to the main schema
    ],
)
def test_channel_validator(raw: dict[str, Any], expected: list[Any]) -> None:
    check = channel_validators()["woocommerce"]
    assert check({"name": "x", "kind": "woocommerce", **raw}) == expected


def test_validators_plug_into_load_config(tmp_path: Path) -> None:
    (tmp_path / "catalog.csv").write_text("sku,name,unified_price\nA-1,Jacket,10\n", encoding="utf-8")
    (tmp_path / "c.yaml").write_text(
        "brand: {name: B}\ncatalog: {file: catalog.csv}\nchannels:\n"
        "  - name: shop\n    kind: woocommerce\n    base_url: https://s.example\n"
        "    credentials:\n      consumer_key: ck\n    options:\n      batch_size: 500\n",
        encoding="utf-8",
    )
    with pytest.raises(ConfigError) as info:
        load_config(tmp_path / "c.yaml", channel_validators())
    text = str(info.value)
    assert "channels[0].credentials.consumer_secret: required key is missing" in text
    assert "channels[0].options.batch_size" in text


def test_demo_config_is_valid_for_the_adapters() -> None:
    config = load_config(REPO / "config" / "demo.yaml", channel_validators())
    for ch in config.settings.channels:
        assert create_adapter(ch).channel == ch.name


def test_change_requires_an_id_for_updates() -> None:
    s = ListingState(sku="A", name="A", price=Money.of("1", "CNY"), stock=0)
    assert Change.create(s).kind == "create"
    assert Change.update("9", s).remote_id == "9"
    with pytest.raises(ValueError):
        Change(kind="update", state=s)
    with pytest.raises(ValueError):
        Change(kind="create", state=s, remote_id="9")
