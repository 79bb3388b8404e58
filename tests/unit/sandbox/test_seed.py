"""The sandbox seed file: validation, and the demo offers' expected alerts against the demo config."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from oneprice.domain import Money, Reseller
from oneprice.errors import ConfigError
from oneprice.settings import LoadedConfig
from sandbox import Offer, load_offers
from sandbox.seed import parse_offers

OFFERS = load_offers().offers


def reseller_for(config: LoadedConfig, seller: str) -> Reseller | None:
    for r in config.settings.resellers:
        if seller.casefold() in {n.casefold() for n in r.names()}:
            return r
    return None


def rules_for(config: LoadedConfig, offer: Offer) -> list[str]:
    """The alert rules as the brief states them, computed independently of the seed's `expect`."""
    if not offer.shows_price:
        return []
    assert offer.price is not None
    product = config.catalog.by_sku()[offer.sku]
    rules = []
    floor = config.settings.policy.tolerance_for(product.product_line).floor(product.unified_price)
    # A "from" price ("¥299.00 起") is no price anyone is known to pay: never an undercut.
    if Money.of(offer.price, offer.currency) < floor and offer.price_format != "yuan_from":
        rules.append("undercut")
    reseller = reseller_for(config, offer.seller)
    if reseller is None or not (reseller.own_store or reseller.authorized_on(offer.platform)):
        rules.append("unauthorized_seller")
    return rules


@pytest.mark.parametrize("offer", OFFERS, ids=lambda o: o.id)
def test_expectations_follow_the_rules(demo_config: LoadedConfig, offer: Offer) -> None:
    assert sorted(offer.expect) == sorted(rules_for(demo_config, offer))


VARIANTS = [(o, v) for o in OFFERS for v in o.variants]


@pytest.mark.parametrize(("offer", "variant"), VARIANTS, ids=lambda x: getattr(x, "id", None) or x.sku)
def test_variant_expectations_follow_the_rules(demo_config: LoadedConfig, offer: Offer, variant: Any) -> None:
    as_offer = offer.model_copy(update={"sku": variant.sku, "price": variant.price, "variants": ()})
    assert sorted(variant.expect) == sorted(rules_for(demo_config, as_offer))


def test_a_removed_listing_expects_no_alert_and_shows_no_price() -> None:
    base = {"id": "m", "platform": "taobao", "seller": "S", "sku": "A", "price": "1.00", "shape": "microdata"}
    moved = Offer.model_validate({**base, "moved_to": "/shop/taobao/search?q=x"})
    assert not moved.shows_price and Offer.model_validate(base).shows_price
    with pytest.raises(ValueError, match="a moved listing shows no page of its own"):
        Offer.model_validate({**base, "moved_to": "/shop/taobao/search?q=x", "expect": ["undercut"]})


def test_only_a_jsonld_or_woocommerce_page_lists_variants_each_once() -> None:
    base = {"id": "v", "platform": "tmall", "seller": "S", "sku": "A", "price": "1.00"}
    with pytest.raises(ValueError, match="only a jsonld or woocommerce page lists variants"):
        Offer.model_validate({**base, "shape": "microdata", "variants": [{"sku": "B", "price": "2.00"}]})
    with pytest.raises(ValueError, match="a woocommerce page is a variable product"):
        Offer.model_validate({**base, "shape": "woocommerce"})
    with pytest.raises(ValueError, match="a variant is listed twice"):
        Offer.model_validate({**base, "shape": "jsonld", "variants": [{"sku": "A", "price": "2.00"}]})


def test_demo_offers_cover_every_case(demo_config: LoadedConfig) -> None:
    assert VARIANTS, "one demo page lists variants"
    assert len(OFFERS) >= 13
    sellers = {o.id: reseller_for(demo_config, o.seller) for o in OFFERS}
    undercut_by_authorized = [
        o for o in OFFERS if "undercut" in o.expect and "unauthorized_seller" not in o.expect and sellers[o.id]
    ]
    assert len(undercut_by_authorized) >= 3
    assert any(sellers[o.id] is None and o.expect == ("undercut", "unauthorized_seller") for o in OFFERS)
    assert any((r := sellers[o.id]) and not r.authorized and o.expect == ("unauthorized_seller",) for o in OFFERS)
    assert any(
        (r := sellers[o.id]) and r.authorized and not r.authorized_on(o.platform) and "unauthorized_seller" in o.expect
        for o in OFFERS
    )
    assert any((r := sellers[o.id]) and r.own_store and o.expect == () for o in OFFERS)
    assert any(o.shape == "text_price" and o.price_format == "yuan_from" and str(o.price) == "1299.00" for o in OFFERS)
    assert any(o.listing_sku and o.shape == "jsonld" for o in OFFERS)
    assert any(o.title and "<script>" in o.title for o in OFFERS)
    assert {"captcha", "sold_out"} <= {o.shape for o in OFFERS}


def test_demo_seed_matches_the_demo_config(demo_config: LoadedConfig) -> None:
    seed = load_offers()
    assert seed.check_against(demo_config.catalog, {"official", "outlet"}, "seed") == []
    assert set(seed.stores) == {"official", "outlet"}


@pytest.mark.parametrize(
    ("data", "path", "fragment"),
    [
        (
            {"offers": [{"id": "a", "platform": "taobao", "seller": "s", "sku": "X", "shape": "jsonld"}]},
            "offers[0]",
            "needs a price",
        ),
        (
            {
                "offers": [
                    {
                        "id": "a",
                        "platform": "taobao",
                        "seller": "s",
                        "sku": "X",
                        "price": 12.5,
                        "shape": "microdata",
                    }
                ]
            },
            "offers[0].price",
            "float",
        ),
        (
            {
                "offers": [
                    {
                        "id": "a",
                        "platform": "taobao",
                        "seller": "s",
                        "sku": "X",
                        "shape": "captcha",
                        "expect": ["undercut"],
                    }
                ]
            },
            "offers[0]",
            "cannot expect alerts",
        ),
        (
            {
                "offers": [
                    {
                        "id": "a",
                        "platform": "mars",
                        "seller": "s",
                        "sku": "X",
                        "price": "1",
                        "shape": "jsonld",
                    }
                ]
            },
            "offers[0].platform",
            "unknown platform",
        ),
        (
            {
                "offers": [
                    {
                        "id": "A b",
                        "platform": "jd",
                        "seller": "s",
                        "sku": "X",
                        "price": "1",
                        "shape": "jsonld",
                    }
                ]
            },
            "offers[0].id",
            "pattern",
        ),
        (
            {"offers": [{"id": "a", "platform": "jd", "seller": "s", "sku": "X", "price": "1", "shape": "pdf"}]},
            "offers[0].shape",
            "jsonld",
        ),
        (
            {
                "offers": [
                    {
                        "id": "a",
                        "platform": "jd",
                        "seller": "s",
                        "sku": "X",
                        "price": "1",
                        "shape": "jsonld",
                        "expect": ["cheap"],
                    }
                ]
            },
            "offers[0].expect[0]",
            "undercut",
        ),
        ({"offers": [], "colour": "red"}, "colour", "unknown key"),
        (
            {"stores": {"official": [{"sku": "X", "regular_price": "-3"}]}},
            "stores.official[0].regular_price",
            "negative",
        ),
    ],
)
def test_bad_seed_files_name_the_field(data: dict[str, Any], path: str, fragment: str) -> None:
    with pytest.raises(ConfigError) as err:
        parse_offers(data, "offers.yaml")
    assert any(p.path == path and fragment in p.message for p in err.value.problems), err.value.problems


def test_duplicate_offer_ids_are_refused() -> None:
    offer = {"id": "a", "platform": "jd", "seller": "s", "sku": "X", "price": "1", "shape": "jsonld"}
    with pytest.raises(ConfigError, match="duplicate offer id 'a'"):
        parse_offers({"offers": [offer, offer]})


def test_check_against_names_unknown_skus_and_stores(demo_config: LoadedConfig) -> None:
    seed = parse_offers(
        {
            "offers": [{"id": "a", "platform": "jd", "seller": "s", "sku": "NOPE", "price": "1", "shape": "jsonld"}],
            "stores": {"elsewhere": [{"sku": "GONE", "regular_price": "1.00"}]},
        }
    )
    problems = {p.path: p.message for p in seed.check_against(demo_config.catalog, {"official"}, "f.yaml")}
    assert set(problems) == {"offers[0].sku", "stores.elsewhere", "stores.elsewhere[0].sku"}
    assert "known: official" in problems["stores.elsewhere"]


def test_unreadable_files(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read"):
        load_offers(tmp_path / "missing.yaml")
    bad = tmp_path / "bad.yaml"
    bad.write_text("offers: [\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="invalid YAML"):
        load_offers(bad)
    empty = tmp_path / "empty.yaml"
    empty.write_text("", encoding="utf-8")
    assert load_offers(empty).offers == ()
