"""Shelf text read as a buyer reads it: stock sentences, multi-buys, unit prices, numbers that are no amount."""

from __future__ import annotations

from decimal import Decimal

import pytest

from crawlers.extraction import ExtractionStatus, extract
from crawlers.prices import parse_price_text
from oneprice.domain.money import Money

URL = "https://shop.example.com/item/1"


def _page(body: str) -> str:
    return f"<html><body><h1>Lamp</h1>{body}</body></html>"


def _box(text: str) -> str:
    return _page(f"<div class='price'>{text}</div>")


@pytest.mark.parametrize(
    "stock",
    [
        "Temporarily out of stock. Order now and we'll deliver when available.",
        "Temporarily out of stock. We are working hard to be back in stock. Place your order and we’ll email you"
        " when we have an estimated delivery date.",
        "Out of stock – available on backorder",
        "Items sold out online may be available in store",
        "Almost sold out",
        "Selling fast: nearly sold out!",
    ],
)
def test_a_back_order_or_a_notice_about_no_item_is_buyable(stock: str) -> None:
    """A back-order the shop still takes, a standing store notice and an urgency badge say the offer sells."""
    got = extract(_page(f"<p>$24.99</p><p>{stock}</p><button>Add to cart</button>"), URL)
    assert got.status is ExtractionStatus.OK and got.price == Money.of("24.99", "USD")


@pytest.mark.parametrize(
    "stock",
    [
        "Temporarily out of stock.",
        "Currently unavailable.",
        "Almost sold out <p>Sold out</p>",
        "Out of stock online. Available in store.",
    ],
)
def test_a_sold_out_sentence_still_makes_the_page_sold_out(stock: str) -> None:
    got = extract(_page(f"<p>$24.99</p><p>{stock}</p>"), URL)
    assert got.reason == "sold_out"


@pytest.mark.parametrize(
    ("box", "amount"),
    [
        ("iPhone 15 Pro 256GB ¥7999", "7999"),
        ("500ml ¥39", "39"),
        ("4.8分 ¥99", "99"),
        ("双11 ¥99", "99"),
        ("618大促 ¥99", "99"),
        ("11月11日 ¥99", "99"),
        ("Buy 2 get 1 free $9.99", "9.99"),
        ("2024-11-11 00:00 ¥99", "99"),
    ],
)
def test_a_number_that_names_a_size_a_model_or_a_date_is_no_price(box: str, amount: str) -> None:
    """A number before the currency sign with a unit, a model's word or a date against it is no amount."""
    got = extract(_box(box), URL)
    assert got.price is not None and got.price.amount == Decimal(amount)
    assert got.price_kind == "sale"


@pytest.mark.parametrize(
    ("text", "amount"),
    [("iPhone 15 Pro 256GB ¥7999", "7999"), ("1 kg = €5,98", "5.98"), ("Price per 100 ml: €1.99", "1.99")],
)
def test_parse_price_text_passes_over_sizes_before_the_sign(text: str, amount: str) -> None:
    assert parse_price_text(text)[0] == Decimal(amount)


@pytest.mark.parametrize("offer", ["2 for $5", "3 for $10", "2/$5", "Buy 2 for $5"])
def test_a_multi_buy_is_not_the_price_of_one(offer: str) -> None:
    """ "2 for $5" is the price of two: it had been read as $2.00 (the count) in a price box."""
    got = extract(_box(offer), URL)
    assert got.price is None
    got = extract(_page(f"<p>$2.99</p><div class='price'>{offer}</div>"), URL)
    assert got.price == Money.of("2.99", "USD")
    got = extract(_page(f"<p>{offer}</p><p>$2.99 each</p>"), URL)
    assert got.price == Money.of("2.99", "USD")


@pytest.mark.parametrize(
    ("body", "amount"),
    [
        ("<div class='price'>-¥50 ¥99</div>", "99"),
        ("<p>-¥50</p><p>¥99</p>", "99"),
        ("<div class='price'>You save: $20.00 (15%) $79.99</div>", "79.99"),
        ("<p>You Save: $20.00 (15%)</p><p>$79.99</p>", "79.99"),
    ],
)
def test_a_discount_amount_is_no_price(body: str, amount: str) -> None:
    got = extract(_page(body), URL)
    assert got.price is not None and got.price.amount == Decimal(amount)


@pytest.mark.parametrize(
    "body",
    [
        "<div class='price'>Reg. $29.99 $19.99</div>",
        "<p>Reg. $29.99</p><p>$19.99</p>",
        "<div class='price'>Typical price: $29.99 $19.99</div>",
        "<div class='price'><span class='strikeout'>$29.99</span> $19.99</div>",
        "<div class='price'><span class='striked'>$29.99</span> $19.99</div>",
        "<div><span class='oldprice'>$29.99</span> $19.99</div>",
        "<div><span class='prev-price'>$29.99</span> $19.99</div>",
        "<div><span class='previous-price'>$29.99</span> $19.99</div>",
    ],
)
def test_a_regular_or_struck_price_by_its_label_or_class_gives_way(body: str) -> None:
    got = extract(_page(body), URL)
    assert got.price == Money.of("19.99", "USD")


def test_an_indian_mrp_gives_way_to_the_price() -> None:
    got = extract(_page("<div class='price'><span class='mrp'>₹1,999</span> ₹999</div>"), URL)
    assert got.price == Money.of("999", "INR")


@pytest.mark.parametrize(
    "body",
    [
        "<div class='price'>Grundpreis: 11,98 €/l €5,99</div>",
        "<div class='price'>1 kg = €11,98 €5,99</div>",
        "<div class='price'>Price per 100 ml: €1.99 €5.99</div>",
        "<p>Grundpreis: 11,98 €/l</p><p>5,99 €</p>",
        "<p>(€11,98 / kg)</p><p>€5,99</p>",
        "<p>1 kg = 11,98 €</p><p>5,99 €</p>",
    ],
)
def test_a_price_per_unit_of_measure_gives_way_to_the_items_price(body: str) -> None:
    """Germany's Grundpreis (the price per kg or litre) beside the price: it had been read as the price."""
    got = extract(_page(body), URL)
    assert got.price == Money.of("5.99", "EUR")


@pytest.mark.parametrize(
    ("body", "amount"),
    [("<p>$4.99/lb</p>", "4.99"), ("<div class='price'>$4.99/lb</div>", "4.99"), ("<p>¥12.8/500g</p>", "12.8")],
)
def test_a_price_per_unit_alone_is_still_read(body: str, amount: str) -> None:
    """A weighed product shows only its price per pound: it stays the price."""
    got = extract(_page(body), URL)
    assert got.price is not None and got.price.amount == Decimal(amount)


@pytest.mark.parametrize(
    ("body", "low", "high", "currency"),
    [
        ("<p>¥99 - ¥199</p>", "99", "199", "CNY"),
        ("<p>$19.99 – $29.99</p>", "19.99", "29.99", "USD"),
        ("<p>$19.99 to $29.99</p>", "19.99", "29.99", "USD"),
        ("<p>19,99 € - 29,99 €</p>", "19.99", "29.99", "EUR"),
        ("<div class='price'>$19.99 to $29.99</div>", "19.99", "29.99", "USD"),
        ("<div class='price'>€19,99 bis €29,99</div>", "19.99", "29.99", "EUR"),
        ("<div class='price'>19,99 € - 29,99 €</div>", "19.99", "29.99", "EUR"),
    ],
)
def test_a_range_is_read_as_a_range(body: str, low: str, high: str, currency: str) -> None:
    got = extract(_page(body), URL)
    assert got.price == Money.of(low, currency)
    assert got.price_kind == "range" and got.price_high == Decimal(high)


@pytest.mark.parametrize(
    "body",
    [
        "<p>From $19.99</p>",
        "<p>Starting at $19.99</p>",
        "<div class='price'>desde $19.99</div>",
        "<div class='price'>A partir de $19.99</div>",
        "<div class='price'>Vanaf $19.99</div>",
        "<div class='price'>$19.99～</div>",
        "<p>$19.99~</p>",
    ],
)
def test_a_from_price_is_read_as_a_range(body: str) -> None:
    got = extract(_page(body), URL)
    assert got.price == Money.of("19.99", "USD") and got.price_kind == "range"


def test_a_discount_after_a_price_is_no_range() -> None:
    got = extract(_page("<p>$129.99 -20%</p>"), URL)
    assert got.price == Money.of("129.99", "USD") and got.price_kind == "sale"


@pytest.mark.parametrize(
    ("text", "amount", "currency"),
    [
        ("3,980円（税込）", "3980", "JPY"),
        ("12,900원", "12900", "KRW"),
        ("₹1,29,999", "129999", "INR"),
        ("Rs. 1,299", "1299", "INR"),
        ("19.99 USD", "19.99", "USD"),
        ("R$ 19,90", "19.90", "BRL"),
        ("HK$199", "199", "HKD"),
        ("1 299,00 €", "1299.00", "EUR"),
        ("CHF 1'299.–", "1299", "CHF"),
    ],
)
def test_a_price_in_the_pages_text_with_a_sign_of_its_country(text: str, amount: str, currency: str) -> None:
    """Without a price-named element, these had no price (or a wrong one: "R$" as US dollars, "1 299,00 €" as 299)."""
    got = extract(_page(f"<p>{text}</p>"), URL)
    assert got.price == Money.of(amount, currency)


@pytest.mark.parametrize(
    ("body", "amount", "currency"),
    [
        ("<p><span>¥</span><span>99</span><span>.00</span></p>", "99.00", "CNY"),
        ("<p><span>$</span> <span>49</span><span>.99</span></p>", "49.99", "USD"),
        ("<p>$149<sup>99</sup></p>", "149.99", "USD"),
        ("<p><span>19</span>,<span>99</span> <span>€</span></p>", "19.99", "EUR"),
        ("<p><span>99</span><span>元</span></p>", "99", "CNY"),
        ("<p><b>¥99</b><i>2件起购</i></p>", "99", "CNY"),
    ],
)
def test_an_amount_drawn_over_several_elements_is_one_amount(body: str, amount: str, currency: str) -> None:
    """A sign, digits and cents each in a span of their own, outside any price-named element."""
    got = extract(_page(body), URL)
    assert got.price == Money.of(amount, currency)


@pytest.mark.parametrize(
    ("body", "amount", "currency"),
    [
        ("<div class='price'>£16.66 ex. VAT £19.99 inc. VAT</div>", "19.99", "GBP"),
        ("<p>£16.66 ex VAT</p><p>£19.99 inc VAT</p>", "19.99", "GBP"),
        ("<div class='price'>16,80 € netto 19,99 € brutto</div>", "19.99", "EUR"),
        ("<p>16,80 € zzgl. MwSt.</p><p>19,99 € inkl. MwSt.</p>", "19.99", "EUR"),
        ("<p>3,618円（税込3,980円）</p>", "3980", "JPY"),
        ("<div class='price'>3,618円（税込3,980円）</div>", "3980", "JPY"),
        ("<p>3,980円（税込）</p>", "3980", "JPY"),
        ("<p>£16.66 ex VAT</p>", "16.66", "GBP"),
    ],
)
def test_a_price_before_tax_gives_way_to_the_price_a_consumer_pays(body: str, amount: str, currency: str) -> None:
    """A B2B shop or a Japanese one shows the price before tax first: it had been read as the price."""
    got = extract(_page(body), URL)
    assert got.price == Money.of(amount, currency)


@pytest.mark.parametrize("body", ["<p>定金¥100 尾款¥899</p>", "<div class='price'>定金 ¥100 尾款 ¥899</div>"])
def test_a_presales_deposit_and_balance_are_no_price(body: str) -> None:
    """The balance due after a deposit had been read as the price (¥899 of a ¥999 presale)."""
    got = extract(_page(body), URL)
    assert got.price is None


@pytest.mark.parametrize(
    ("body", "amount", "currency"),
    [
        ("<p>Only $24.99, 3 colours</p>", "24.99", "USD"),
        ("<div class='price'>$24.99, 3 colours</div>", "24.99", "USD"),
        ("<div class='price'>€19,99, 2 Farben</div>", "19.99", "EUR"),
        ("<p>1 for $19.99, 2 for $35</p>", "19.99", "USD"),
    ],
)
def test_a_comma_and_a_space_end_an_amount(body: str, amount: str, currency: str) -> None:
    """ "$24.99, 3 colours" had been read as $2,499.30."""
    got = extract(_page(body), URL)
    assert got.price == Money.of(amount, currency)


def test_a_coupon_label_over_a_countdown_still_labels_the_amount() -> None:
    """Markup indented between the label, its countdown and the amount had pushed the label out of reach."""
    body = (
        "<div><span>券后价</span>\n          <span>距结束 02:13:45</span>\n          <span>¥699</span></div>"
        "\n          <p>¥799</p>"
    )
    got = extract(_page(body), URL)
    assert got.price == Money.of("799", "CNY")
