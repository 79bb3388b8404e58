"""Price text as Chinese and Western shops write it: a festival's date before the sign, full-width digits,
instalments and sales counts beside the price; the price a buyer pays is read, never one of those numbers."""

from __future__ import annotations

from decimal import Decimal

import pytest

from crawlers.extraction import extract
from crawlers.prices import parse_price_text
from oneprice.domain.money import Money

URL = "https://shop.example.com/item/1"


def _box(text: str) -> str:
    return f"<html><body><h1>Lamp</h1><div class='price'>{text}</div></body></html>"


@pytest.mark.parametrize(
    "box", ["618 ¥99", "6.18 ¥99", "11.11 ¥99", "1111 ¥99", "12.12 ¥99", "1212 ¥99", "618 99元", "618 ¥99 ¥129"]
)
def test_a_festivals_date_before_the_sign_is_no_price(box: str) -> None:
    """A bare "618" or "11.11" before the sign had been read as the price (¥618, ¥11.11)."""
    got = extract(_box(box), URL)
    assert got.price == Money.of("99", "CNY")
    assert parse_price_text(box)[0] == Decimal(99)


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        # a price written after its number, or before a sign drawn apart, is still the price
        ("99 元", "99"),
        ("99円", "99"),
        ("99,00 €", "99.00"),
        ("1 299,00 €", "1299.00"),
        ("99 ¥129", "99"),
        ("128.00-168.00 ¥268.00", "128.00"),
        ("618.00 ¥699", "618.00"),  # a price with its cents is no date
        ("¥618", "618"),
        ("618元", "618"),
        ("11.11 €", "11.11"),
    ],
)
def test_a_number_against_its_sign_or_before_a_sign_drawn_apart_stays_the_price(text: str, amount: str) -> None:
    assert parse_price_text(text)[0] == Decimal(amount)


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("￥１，２９９", "1299"),
        ("１，２９９円", "1299"),
        ("￥１２９９．００", "1299.00"),
        ("¥1,299.00", "1299.00"),
        ("¥99，2件起", "99"),  # a full-width comma after ASCII digits ends a sentence's clause
        ("¥99，满2件9折", "99"),
    ],
)
def test_full_width_digits_are_read_whole(text: str, amount: str) -> None:
    """ "￥１，２９９" had been ¥1: price-parser stopped at the full-width comma."""
    assert parse_price_text(text)[0] == Decimal(amount)


def test_a_full_width_price_in_a_box() -> None:
    assert extract(_box("￥１，２９９"), URL).price == Money.of("1299", "CNY")


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("12x de R$ 25,00", None),
        ("12x de R$ 25,00 sem juros", None),
        ("12 cuotas sin interés de $ 2.499", None),
        ("4 interest-free payments of $12.50", None),
        ("12x R$ 24,92 sem juros R$ 299,00", "299.00"),
        ("R$ 299,00 ou 12x de R$ 24,92", "299.00"),
        ("$ 29.990 12 cuotas de $ 2.499", "29990"),
        ("or 4 interest-free payments of $12.50 $49.99", "49.99"),
        ("3 Raten à 16,66 € 49,99 €", "49.99"),
        ("€49,99 oder 3 Raten à 16,66 €", "49.99"),
        # a count before the price is no instalment
        ("2件¥99", "99"),
        ("2x $5", "5"),
    ],
)
def test_an_instalments_amount_is_never_the_price(text: str, amount: str | None) -> None:
    """The amount of one payment of an instalment plan had been read as the price ("12x R$ 24,92 … R$ 299,00"
    as R$ 24.92, "3 Raten à 16,66 € 49,99 €" as €3)."""
    assert parse_price_text(text)[0] == (Decimal(amount) if amount else None)


@pytest.mark.parametrize(
    ("box", "price"),
    [
        ("12x R$ 24,92 sem juros R$ 299,00", Money.of("299.00", "BRL")),
        ("3 Raten à 16,66 € 49,99 €", Money.of("49.99", "EUR")),
    ],
)
def test_an_instalment_before_the_price_in_a_box(box: str, price: Money) -> None:
    assert extract(_box(box), URL).price == price


@pytest.mark.parametrize("box", ["1000+人付款 ¥99", "200人付款 ¥99", "1,200 sold $99", "35 reviews ¥99"])
def test_a_sales_or_review_count_before_the_price_is_no_price(box: str) -> None:
    """Taobao's "1000+人付款" before the price had been read as ¥1000."""
    assert parse_price_text(box)[0] == Decimal(99)
    got = extract(_box(box), URL)
    assert got.price is not None and got.price.amount == Decimal(99)
