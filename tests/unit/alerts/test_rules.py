"""Rules, table-driven: (seller, platform, price) -> violation or none."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from alerts.engine import find_violations
from alerts.rules import CoverageGapRule, DriftRule, RuleContext, UnauthorizedSellerRule, UndercutRule
from oneprice.domain import (
    Money,
    Observation,
    ObservationStatus,
    Product,
    Reseller,
    Severity,
    TolerancePolicy,
)
from oneprice.domain.alert import PriceReading
from oneprice.settings.alerts import AlertSettings, CoverageSettings
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


def test_a_price_in_another_currency_judges_no_price_rule() -> None:
    # Not compared, so no sign of being in line either: an open undercut or drift episode stays as it is.
    for price in ("10", "1000", "5000"):
        reading = obs(price, currency="USD")
        assert UndercutRule().abstains(reading, JACKET, CTX) and DriftRule().abstains(reading, JACKET, CTX)
    violations, judged, _ = find_violations([obs("1000", currency="USD")], [UndercutRule(), DriftRule()], CTX)
    assert violations == [] and judged == set()
    # The seller is judged whatever the currency.
    _, judged, _ = find_violations([obs("1000", currency="USD")], [UnauthorizedSellerRule()], CTX)
    assert judged == {("unauthorized_seller", "JK", "star", "tmall")}


def ranged(low: str, high: str | None, **kw: Any) -> Observation:
    """A range reading ("¥800.00-900.00"), or a "from" price with no top ("¥800起", a current bid)."""
    return obs(low, **kw).model_copy(update={"price_kind": "range", "price_high": Decimal(high) if high else None})


RANGES = [
    # low, top, undercut severity (None: no alert), abstains (says nothing about an open episode)
    ("800", "900", Severity.WARNING, False),  # every price of the range is below the 950 floor
    ("800", "949.99", Severity.WARNING, False),
    ("800", "950", None, True),  # the top is at the floor: the cheap variant may be another product
    ("800", "1200", None, True),
    ("800", None, None, True),  # a "from" price: what it sells for is not known
    ("500", None, None, True),  # an auction's current bid, far below: still no price of the item
    ("950", "1200", None, False),  # the whole range at or above the floor: in line
    ("1000", None, None, False),  # from the unified price up: in line
]


@pytest.mark.parametrize(("low", "high", "expected", "abstains"), RANGES)
def test_undercut_judges_a_range_by_its_top(
    low: str, high: str | None, expected: Severity | None, abstains: bool
) -> None:
    reading = ranged(low, high)
    rule = UndercutRule()
    found = rule.check(reading, JACKET, CTX)
    assert (found.severity if found else None) == expected
    if found:
        # the alert states the top, the price every variant is below, and shows the whole range
        assert found.observed_price == Money.of(high or "0", "CNY")
        assert found.gap_percent == Money.of(high or "0", "CNY").gap_percent(JACKET.unified_price)
        assert f"{Money.of(low, 'CNY')} to {Money.of(high or '0', 'CNY')}" in found.message
    else:
        assert rule.abstains(reading, JACKET, CTX) is abstains


def test_an_open_episode_is_neither_raised_nor_ended_by_a_range_over_the_floor() -> None:
    rules = [UndercutRule(), DriftRule()]
    violations, judged, _ = find_violations([ranged("800", "1200", reseller="star")], rules, CTX)
    assert violations == []
    assert ("undercut", "JK", "star", "tmall") not in judged and ("drift", "JK", "star", "tmall") not in judged
    # a point price at the unified price ends it (after the episode's own resolve time)
    _, judged, _ = find_violations([obs("1000")], rules, CTX)
    assert ("undercut", "JK", "star", "tmall") in judged
    # a range wholly at or above the floor is in line too, for the undercut rule
    _, judged, _ = find_violations([ranged("960", "1200")], rules, CTX)
    assert ("undercut", "JK", "star", "tmall") in judged and ("drift", "JK", "star", "tmall") not in judged


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
    violations, judged, skipped = find_violations(observations, [UndercutRule(), UnauthorizedSellerRule()], CTX)
    assert sorted(v.rule for v in violations) == ["unauthorized_seller", "undercut"]
    assert {v.seller_key for v in violations} == {"name:路人甲"}
    assert ("undercut", "JK", "star", "tmall") in judged
    assert skipped == {"blocked": 1, "not_in_catalog": 1}


def test_same_seller_two_listings_keeps_worst() -> None:
    observations = [obs("900", oid=1), obs("800", oid=2)]
    violations, _, _ = find_violations(observations, [UndercutRule()], CTX)
    assert [v.observed_price for v in violations] == [Money.of("800", "CNY")]


PROMO = {
    "name": "618",
    "start": "2026-06-01T00:00:00+08:00",
    "end": "2026-06-19T00:00:00+08:00",
    "platforms": ["tmall"],
    "floor_percent": "20",
}
IN_618 = datetime(2026, 6, 18, 12, tzinfo=UTC)
AFTER_618 = datetime(2026, 6, 19, 12, tzinfo=UTC)

PROMOTIONS = [
    # price, platform, when, promotion settings, alert?
    ("850", "tmall", IN_618, PROMO, False),  # above the promotion floor (800)
    ("800", "tmall", IN_618, PROMO, False),  # at the floor
    ("799.99", "tmall", IN_618, PROMO, True),
    ("850", "jd", IN_618, PROMO, True),  # not a promotion platform
    ("850", "tmall", AFTER_618, PROMO, True),  # window over
    ("900", "tmall", IN_618, {**PROMO, "floor_percent": None, "floor_price": "950"}, True),
    ("960", "tmall", IN_618, {**PROMO, "floor_percent": None, "floor_price": "950"}, False),
    ("850", "tmall", IN_618, {**PROMO, "product_lines": ["gear"]}, True),  # other product line
]


@pytest.mark.parametrize(("price", "platform", "when", "promo", "alert"), PROMOTIONS)
def test_undercut_in_promotions(price: str, platform: str, when: datetime, promo: dict, alert: bool) -> None:
    ctx = dataclasses.replace(CTX, alerts=AlertSettings.model_validate({"promotions": [promo]}))
    o = obs(price, platform=platform).model_copy(update={"observed_at": when})
    found = UndercutRule().check(o, JACKET, ctx)
    assert (found is not None) == alert
    if found and price == "799.99":
        assert "618" in found.message


def history(*prices: str) -> dict[str, list[PriceReading]]:
    start = datetime(2026, 11, 1, tzinfo=UTC)
    return {
        "t9": [
            PriceReading(100 + i, start + timedelta(days=i), Decimal(p), "CNY", "star") for i, p in enumerate(prices)
        ]
    }


DRIFT = [
    # earlier readings, newest price, alert?
    (("1000", "990"), "980", True),  # three cuts in a row, still above the 950 floor
    (("990", "1000"), "980", False),  # not in a row, average 990 is 1% below
    (("960", "960"), "960", True),  # average 4% below (>= 3%)
    (("1000", "990"), "940", False),  # now an undercut: the undercut rule's business
    (("900", "900"), "1000", False),  # back at the unified price
    ((), "960", False),  # one reading says nothing about a trend
]


@pytest.mark.parametrize(("before", "price", "alert"), DRIFT)
def test_drift(before: tuple[str, ...], price: str, alert: bool) -> None:
    readings = history(*before, price)
    newest = readings["t9"][-1]
    o = obs(price, oid=newest.id).model_copy(update={"observed_at": newest.observed_at, "target_id": "t9"})
    found = DriftRule().check(o, JACKET, dataclasses.replace(CTX, history=readings))
    assert (found is not None) == alert
    if found:
        assert found.severity is Severity.INFO


def test_drift_does_not_judge_a_range() -> None:
    readings = history("1000", "990", "980")
    newest = readings["t9"][-1]
    o = ranged("980", "1100", oid=newest.id).model_copy(update={"observed_at": newest.observed_at, "target_id": "t9"})
    assert DriftRule().check(o, JACKET, dataclasses.replace(CTX, history=readings)) is None


COVERAGE = [
    # status, hours dark, alert?
    (ObservationStatus.BLOCKED, 23, False),
    (ObservationStatus.BLOCKED, 24, True),
    (ObservationStatus.HTTP_ERROR, 48, True),
    (ObservationStatus.NO_PRICE, 48, False),  # sold out is not a coverage problem
    (ObservationStatus.OK, 48, False),
]


@pytest.mark.parametrize(("status", "hours", "alert"), COVERAGE)
def test_coverage_gap(status: ObservationStatus, hours: int, alert: bool) -> None:
    now = datetime(2026, 11, 11, tzinfo=UTC)
    latest = obs(None if status is not ObservationStatus.OK else "1000", status=status)
    rule = CoverageGapRule(CoverageSettings(after_minutes=1440), "CNY")
    found = rule.check(latest, now - timedelta(hours=hours), now)
    assert (found is not None) == alert


@pytest.mark.parametrize(
    ("policy", "unified", "currency"),
    [
        (TolerancePolicy(percent=Decimal("5")), "1999", "CNY"),
        (TolerancePolicy(percent=Decimal("7.5")), "1333.33", "CNY"),
        (TolerancePolicy(percent=Decimal("3")), "1999", "JPY"),
        (TolerancePolicy(absolute=Decimal("20.5")), "10", "CNY"),
        (TolerancePolicy(absolute=Decimal("0.004")), "12.345", "KWD"),
    ],
)
def test_cached_floor_equals_the_policy_floor(policy: TolerancePolicy, unified: str, currency: str) -> None:
    product = Product(sku="X", name="x", unified_price=Money.of(unified, currency))
    ctx = dataclasses.replace(CTX, policy=PolicySettings(tolerance=policy))
    assert ctx.floor(product) == policy.floor(product.unified_price)
