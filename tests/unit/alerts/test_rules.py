"""Rules, table-driven: (seller, platform, price) -> violation or none."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from alerts.engine import find_violations
from alerts.rules import RuleContext, UnauthorizedSellerRule, UndercutRule
from oneprice.domain import (
    Money,
    Observation,
    ObservationStatus,
    Product,
    Reseller,
    Severity,
    TolerancePolicy,
)
from oneprice.settings.models import PolicySettings

JACKET = Product(sku="JK", name="Jacket", unified_price=Money.of("1000", "CNY"), product_line="apparel")
PACK = Product(sku="BP", name="Pack", unified_price=Money.of("500", "CNY"), product_line="packs")
CTX = RuleContext(
    products={"JK": JACKET, "BP": PACK},
    resellers={
        r.id: r
        for r in (
            Reseller(id="star", name="星光", platforms=("tmall", "jd")),
            Reseller(id="grey", name="灰市", authorized=False),
            Reseller(id="flagship", name="旗舰店", own_store=True, platforms=("tmall",)),
            Reseller(id="anywhere", name="Anywhere"),
        )
    },
    policy=PolicySettings(
        tolerance=TolerancePolicy(percent=Decimal(5)),
        product_lines={"packs": TolerancePolicy(absolute=Decimal(20))},
    ),
    critical_gap_percent=Decimal(15),
)


def obs(
    price: str | None,
    *,
    sku: str = "JK",
    reseller: str | None = "star",
    platform: str = "tmall",
    seller: str | None = "x",
    currency: str = "CNY",
    status: ObservationStatus = ObservationStatus.OK,
    oid: int = 1,
) -> Observation:
    return Observation(
        id=oid,
        target_id=f"t{oid}",
        url="http://127.0.0.1/item",
        platform=platform,
        observed_at=datetime(2026, 11, 11, tzinfo=UTC),
        status=status,
        price=Money.of(price, currency) if price else None,
        seller_name=seller,
        reseller_id=reseller,
        product_sku=sku,
    )


UNDERCUT = [
    # price, product, expected (None = no alert, else severity)
    ("1000", "JK", None),
    ("950.00", "JK", None),  # exactly at the 5% floor
    ("949.99", "JK", Severity.WARNING),
    ("850.10", "JK", Severity.WARNING),  # 14.99% below
    ("850", "JK", Severity.CRITICAL),  # 15% below
    ("480", "BP", None),  # packs: absolute 20 tolerance, floor 480
    ("479.99", "BP", Severity.WARNING),
    ("1200", "JK", None),  # above is not this rule's business
]


@pytest.mark.parametrize(("price", "sku", "expected"), UNDERCUT)
def test_undercut(price: str, sku: str, expected: Severity | None) -> None:
    product = CTX.products[sku]
    found = UndercutRule().check(obs(price, sku=sku), product, CTX)
    assert (found.severity if found else None) == expected
    if found:
        assert found.gap_percent == Money.of(price, "CNY").gap_percent(product.unified_price)
        assert found.observed_price == Money.of(price, "CNY")


def test_undercut_skips_other_currencies() -> None:
    assert UndercutRule().check(obs("10", currency="USD"), JACKET, CTX) is None


UNAUTHORIZED = [
    # reseller id, seller name, platform, alert?
    ("star", "星光", "tmall", False),
    ("star", "星光", "pinduoduo", True),  # authorized, but not on this platform
    ("grey", "灰市", "tmall", True),  # known, not authorized
    (None, "路人甲小店", "tmall", True),  # not in the list
    ("flagship", "旗舰店", "jd", False),  # the brand's own store
    ("anywhere", "Anywhere", "ebay", False),  # no platform list: everywhere
    (None, None, "tmall", False),  # no seller on the page: not judged
]


@pytest.mark.parametrize(("reseller", "seller", "platform", "alert"), UNAUTHORIZED)
def test_unauthorized_seller(reseller: str | None, seller: str | None, platform: str, alert: bool) -> None:
    found = UnauthorizedSellerRule().check(
        obs("1000", reseller=reseller, seller=seller, platform=platform), JACKET, CTX
    )
    assert (found is not None) == alert


def test_find_violations_judges_only_ok_matched_observations() -> None:
    observations = [
        obs("800", reseller=None, seller="路人甲", oid=1),  # undercut + unauthorized
        obs(None, status=ObservationStatus.BLOCKED, oid=2),
        obs("800", sku="NOPE", oid=3),
        obs("1000", oid=4),  # in line: its keys count as judged
    ]
    violations, judged, skipped = find_violations(
        observations, [UndercutRule(), UnauthorizedSellerRule()], CTX
    )
    assert sorted(v.rule for v in violations) == ["unauthorized_seller", "undercut"]
    assert {v.seller_key for v in violations} == {"name:路人甲"}
    assert ("undercut", "JK", "star", "tmall") in judged
    assert skipped == {"blocked": 1, "not_in_catalog": 1}


def test_same_seller_two_listings_keeps_worst() -> None:
    observations = [obs("900", oid=1), obs("800", oid=2)]
    violations, _, _ = find_violations(observations, [UndercutRule()], CTX)
    assert [v.observed_price for v in violations] == [Money.of("800", "CNY")]
