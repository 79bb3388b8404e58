"""Choosing the price a buyer pays among a page's candidates: sale vs list, coupon policy, range, shipping."""

from __future__ import annotations

from decimal import Decimal

import pytest

from crawlers.candidates import PriceCandidate, PriceKind, choose_price
from crawlers.profiles.base import text_candidate


def c(amount: str, kind: PriceKind, confidence: str = "0.85", method: str = "profile:x") -> PriceCandidate:
    return PriceCandidate(Decimal(amount), "CNY", kind, method, amount, Decimal(confidence))


# (candidates, policy, chosen amount or None, chosen kind, why contains)
CASES = [
    ([c("1599", "list"), c("1299", "sale")], "shelf", "1299", "sale", "sale price"),
    ([c("1299", "sale"), c("1199", "coupon")], "shelf", "1299", "sale", "sale price"),
    ([c("1299", "sale"), c("1199", "coupon")], "after_coupon", "1199", "coupon", "coupon"),
    ([c("1199", "coupon")], "shelf", None, None, "only a coupon"),
    ([c("10", "shipping"), c("99", "sale")], "shelf", "99", "sale", "the only price"),
    ([c("10", "shipping")], "shelf", None, None, "no price"),
    ([c("1599", "list")], "shelf", "1599", "list", "list price"),
    ([c("899", "range"), c("1599", "list")], "shelf", "899", "range", "from"),
    ([c("1299", "sale", "0.6", "text"), c("1288", "sale", "0.95", "json-ld")], "shelf", "1288", "sale", ""),
    ([c("1299", "sale"), c("1199", "sale")], "shelf", "1199", "sale", ""),
    ([], "shelf", None, None, "no price"),
]


@pytest.mark.parametrize(("candidates", "policy", "amount", "kind", "why"), CASES)
def test_choose_price(
    candidates: list[PriceCandidate], policy: str, amount: str | None, kind: str | None, why: str
) -> None:
    got = choose_price(candidates, policy)  # type: ignore[arg-type]
    if amount is None:
        assert got.price is None and got.confidence == 0
    else:
        assert got.price is not None and got.price.amount == Decimal(amount) and got.price.kind == kind
        assert 0 < got.confidence <= 1
    assert why in got.why


def test_a_range_or_list_only_price_is_trusted_less_than_a_sale_price() -> None:
    sale = choose_price([c("899", "sale")]).confidence
    assert choose_price([c("899", "range")]).confidence < sale
    assert choose_price([c("899", "list")]).confidence < sale


# (text, kind asked, amount, kind read, high, currency)
TEXTS = [
    ("¥1,299.00", "sale", "1299.00", "sale", None, "CNY"),
    ("¥99.00 起", "sale", "99.00", "range", None, "CNY"),
    ("¥99.00-¥129.00", "sale", "99.00", "range", "129.00", "CNY"),
    ("99.00 ~ 129.00", "sale", "99.00", "range", "129.00", "CNY"),
    ("价格 ¥159.00", "list", "159.00", "list", None, "CNY"),
    ("1.299,00 €", "sale", "1299.00", "sale", None, "EUR"),
    ("US $749.00", "sale", "749.00", "sale", None, "USD"),
    # Swiss thousands apostrophe, typeset (’ or ʼ) as often as typed; "Fr." and ".–" as Swiss shops write them
    ("CHF 1’299.50", "sale", "1299.50", "sale", None, "CHF"),
    ("1ʼ299.50 CHF", "sale", "1299.50", "sale", None, "CHF"),
    ("CHF 1'299.50", "sale", "1299.50", "sale", None, "CHF"),
    ("Fr. 1’299.–", "sale", "1299", "sale", None, "CHF"),
    ("CHF 1’299.– – 1’499.–", "sale", "1299", "range", "1499", "CHF"),
    ("CHF 1’234’567.00", "sale", "1234567.00", "sale", None, "CHF"),
    # Signs price-parser reads but no currency was known for: no price was read at all
    ("1,299,000원", "sale", "1299000", "sale", None, "KRW"),
    ("1 299 руб.", "sale", "1299", "sale", None, "RUB"),
    ("1 299 грн", "sale", "1299", "sale", None, "UAH"),
    ("12 990 Ft", "sale", "12990", "sale", None, "HUF"),
    ("1.299,00 TL", "sale", "1299.00", "sale", None, "TRY"),
    ("1.299.000đ", "sale", "1299000", "sale", None, "VND"),
    ("Rp1.299.000", "sale", "1299000", "sale", None, "IDR"),
    ("NZ$ 49.95", "sale", "49.95", "sale", None, "NZD"),
    ("MX$ 1,299.00", "sale", "1299.00", "sale", None, "MXN"),
    ("1 299 lei", "sale", "1299", "sale", None, "RON"),
    ("1 299 лв.", "sale", "1299", "sale", None, "BGN"),
    # Arabic signs price-parser reads as no currency: they were taken for the default currency (CNY)
    ("1,299 ر.س", "sale", "1299", "sale", None, "SAR"),
    ("د.إ 1,299.00", "sale", "1299.00", "sale", None, "AED"),
    ("1,299 ج.م", "sale", "1299", "sale", None, "EGP"),
    # 万 is ten thousand: read as 12.90 or 1.29 these were undercuts of any product
    ("¥12.9万", "sale", "129000", "sale", None, "CNY"),
    ("1.29万元", "sale", "12900", "sale", None, "CNY"),
    ("12.9万起", "sale", "129000", "range", None, "CNY"),
    # a count or a discount's terms before the price: price-parser took the first number
    ("2件¥99", "sale", "99", "sale", None, "CNY"),
    ("满299减50 ¥349", "sale", "349", "sale", None, "CNY"),
    ("月销1万+ ¥99", "sale", "99", "sale", None, "CNY"),
    ("已售 1306 ¥99.00", "sale", "99.00", "sale", None, "CNY"),
    ("8折 ¥239", "sale", "239", "sale", None, "CNY"),
    ("2 pcs $19.99", "sale", "19.99", "sale", None, "USD"),
    # ... but a first price whose sign was drawn apart stays the price, and so do a price's cents after €
    ("128.00-168.00 ¥268.00", "sale", "128.00", "range", "168.00", "CNY"),
    ("Was $129.99 Now $99.99", "list", "129.99", "list", None, "USD"),
    ("35€99", "sale", "35.99", "sale", None, "EUR"),
    ("免运费", "shipping", None, None, None, None),
    ("", "sale", None, None, None, None),
    ("¥" + "9" * 20, "sale", None, None, None, None),
]


@pytest.mark.parametrize(("text", "kind", "amount", "read", "high", "currency"), TEXTS)
def test_text_candidate(
    text: str, kind: PriceKind, amount: str | None, read: str | None, high: str | None, currency: str | None
) -> None:
    got = text_candidate(text, kind, "profile:x", "CNY")
    if amount is None:
        assert got is None
        return
    assert got is not None
    assert (got.amount, got.kind, got.currency) == (Decimal(amount), read, currency)
    assert got.high == (Decimal(high) if high else None)


@pytest.mark.parametrize(
    ("value", "amount"),
    [("1’299.50", "1299.50"), ("1ʼ299.50", "1299.50"), ("1'299.50", "1299.50"), ("1299.50", "1299.50")],
)
def test_a_structured_amount_with_a_swiss_thousands_apostrophe(value: str, amount: str) -> None:
    from crawlers.prices import amount_of

    assert amount_of(value) == Decimal(amount)
