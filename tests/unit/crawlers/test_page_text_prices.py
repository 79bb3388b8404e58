"""Prices the page's text readers read (`crawlers.page`, `crawlers.text_prices`): a "from" price written with a
wave dash after the sign, an instalment's amount, and amounts written as Swiss, German, Russian and Japanese shops
write them. Each is read from a price box or from the page's text, as the page shows it."""

from __future__ import annotations

from decimal import Decimal

import pytest

from crawlers.discovery import point_price
from crawlers.extraction import extract
from oneprice.domain.money import Money


def _box(text: str) -> str:
    return f"<html><body><h1>Lamp</h1><div class='price'>{text}</div></body></html>"


def _text(*paragraphs: str) -> str:
    return "<html><body><h1>Lamp</h1>" + "".join(f"<p>{p}</p>" for p in paragraphs) + "</body></html>"


@pytest.mark.parametrize(
    ("box", "url", "price"),
    [
        ("1,980円~", "https://shop.example.jp/item/1", Money.of("1980", "JPY")),
        ("1,980円～", "https://shop.example.jp/item/1", Money.of("1980", "JPY")),
        ("99元~", "https://shop.example.cn/item/1", Money.of("99", "CNY")),
        ("99元 ~", "https://shop.example.cn/item/1", Money.of("99", "CNY")),
        ("99元起", "https://shop.example.cn/item/1", Money.of("99", "CNY")),
        ("¥99~", "https://shop.example.cn/item/1", Money.of("99", "CNY")),
    ],
)
def test_a_wave_dash_after_the_sign_makes_a_from_price_in_a_price_box(box: str, url: str, price: Money) -> None:
    """ "1,980円~" and "99元~" had been one price (sale, 0.60): the wave dash says "from", as "¥99~" does."""
    got = extract(_box(box), url)
    assert (got.price, got.price_kind) == (price, "range")


def test_a_price_with_its_sign_after_it_and_no_wave_dash_stays_one_price() -> None:
    got = extract(_box("1,980円"), "https://shop.example.jp/item/1")
    assert (got.price, got.price_kind) == (Money.of("1980", "JPY"), "sale")


def test_search_results_read_a_wave_dash_after_the_sign_as_before() -> None:
    assert point_price("1,980円~") is None
    assert point_price("1,980円") == Decimal(1980)


@pytest.mark.parametrize(
    "paragraphs",
    [
        ("12x de R$ 25,00",),
        ("ou 12x de R$ 25,00 sem juros",),
        ("12x R$ 25,00",),
        ("12 parcelas de R$ 25,00",),
        ("4 interest-free payments of $12.50",),
    ],
)
def test_an_instalments_amount_alone_in_the_text_is_no_price(paragraphs: tuple[str, ...]) -> None:
    """ "12x de R$ 25,00" had been read as the price, R$25, from the page's text."""
    got = extract(_text(*paragraphs), "https://loja.example.com.br/p/1")
    assert got.price is None


@pytest.mark.parametrize(
    ("paragraphs", "url", "price"),
    [
        (("3 Raten à 16,66 €", "49,99 €"), "https://shop.example.de/p/1", Money.of("49.99", "EUR")),
        (("3 Raten à 16,66 € 49,99 €",), "https://shop.example.de/p/1", Money.of("49.99", "EUR")),
        (("49,99 € 3 Raten à 16,66 €",), "https://shop.example.de/p/1", Money.of("49.99", "EUR")),
        (("12x de R$ 25,00", "R$ 300,00 à vista"), "https://loja.example.com.br/p/1", Money.of("300.00", "BRL")),
        (("R$ 300 12x de R$ 25,00",), "https://loja.example.com.br/p/1", Money.of("300", "BRL")),
        (("4 payments of $12.50", "$49.99"), "https://shop.example.com/p/1", Money.of("49.99", "USD")),
    ],
)
def test_the_price_beside_an_instalment_is_read_not_the_instalment(
    paragraphs: tuple[str, ...], url: str, price: Money
) -> None:
    """ "3 Raten à 16,66 € 49,99 €" had given €16.66."""
    assert extract(_text(*paragraphs), url).price == price


@pytest.mark.parametrize("name", ["Lupe 10x", "Zoom 3x"])
def test_a_count_with_a_bare_x_ends_a_name_before_any_sign_but_r(name: str) -> None:
    """ "12x R$ 25,00" is an instalment; "Lupe 10x" over "€29,99" is a product's name and its price."""
    html = f"<html><body><h1>{name}</h1><p>€29,99</p></body></html>"
    assert extract(html, "https://shop.example.de/p/1").price == Money.of("29.99", "EUR")


def test_the_amount_after_a_sign_does_not_run_into_an_instalments_count() -> None:
    """ "R$ 300 12x de R$ 25,00" had been read as "R$ 300 12"."""
    got = extract(_text("R$ 300 12x de R$ 25,00"), "https://loja.example.com.br/p/1")
    assert got.raw_price == "R$ 300"


def test_cuotas_before_the_price_are_no_price() -> None:
    got = extract(_text("12 cuotas sin interés de $ 2.499", "$ 29.999"), "https://tienda.example.com.ar/p/1")
    assert got.price is not None and got.price.amount == Decimal(29999)


@pytest.mark.parametrize(
    ("box", "url", "price"),
    [
        ("12x de R$ 25,00 R$ 300,00", "https://loja.example.com.br/p/1", Money.of("300.00", "BRL")),
        ("4 payments of $12.50 $49.99", "https://shop.example.com/p/1", Money.of("49.99", "USD")),
    ],
)
def test_a_price_box_that_shows_an_instalment_before_the_price_is_read(box: str, url: str, price: Money) -> None:
    """The instalment is cut out before the box's first amount is judged: "4 payments of $12.50 $49.99" had left
    the box unread (its first amount was the instalment's) and the price came from the page's text (0.40)."""
    got = extract(_box(box), url)
    assert (got.price, got.confidence, got.method) == (price, Decimal("0.60"), "text")


@pytest.mark.parametrize(
    ("paragraph", "url", "price"),
    [
        ("Fr. 49.–", "https://shop.example.ch/p/1", Money.of("49", "CHF")),
        ("Fr. 49.-", "https://shop.example.ch/p/1", Money.of("49", "CHF")),
        ("Fr. 1'299.–", "https://shop.example.ch/p/1", Money.of("1299", "CHF")),
        ("Fr. 49.90", "https://shop.example.ch/p/1", Money.of("49.90", "CHF")),
        ("CHF 49.–", "https://shop.example.ch/p/1", Money.of("49", "CHF")),
        ("49,- €", "https://shop.example.de/p/1", Money.of("49", "EUR")),
        ("49,– €", "https://shop.example.de/p/1", Money.of("49", "EUR")),
        ("1 299 ₽", "https://shop.example.ru/p/1", Money.of("1299", "RUB")),
        ("1299 ₽", "https://shop.example.ru/p/1", Money.of("1299", "RUB")),
        ("１，２９９円", "https://shop.example.jp/p/1", Money.of("1299", "JPY")),
        ("￥１，２９９", "https://shop.example.cn/p/1", Money.of("1299", "CNY")),
        ("１２９９．００円", "https://shop.example.jp/p/1", Money.of("1299", "JPY")),
    ],
)
def test_amounts_written_as_local_shops_write_them_are_read_from_the_text(
    paragraph: str, url: str, price: Money
) -> None:
    """ "Fr. 49.–", "49,- €" and "1 299 ₽" had given no price; "１，２９９円" had given ¥299, "￥１，２９９" ¥1."""
    assert extract(_text(paragraph), url).price == price


@pytest.mark.parametrize("said", ["Lieferung bis Fr. 13.12.", "Lieferung Fr. 13.12. bis Mo. 16.12."])
def test_a_weekdays_abbreviation_before_a_date_is_no_swiss_price(said: str) -> None:
    """ "Fr." is also Friday in German: "Fr. 13.12." is a date, never CHF 13.12."""
    got = extract(_text(said, "49,99 €"), "https://shop.example.de/p/1")
    assert got.price == Money.of("49.99", "EUR")


def test_a_full_width_comma_against_ascii_digits_stays_a_sentence() -> None:
    """ "¥99，2件起" is ¥99 and a minimum of two pieces, not ¥992."""
    assert extract(_text("¥99，2件起"), "https://shop.example.cn/p/1").price == Money.of("99", "CNY")
