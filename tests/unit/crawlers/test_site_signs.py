"""A crawl reads a shared currency sign as the currency of the site's country (`site_currency_first`,
`crawlers.prices.reading_site`), whatever the brand's currency; each country's own sign is read on its pages, and
a sign that names another country's currency is never read so on a site known to price in its own."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest

from crawlers.extraction import extract
from crawlers.prices import site_currency

_HEAD = "<html><head><title>Tent</title></head><body><h1>Tent</h1>"


def _box(price: str) -> str:
    return f"{_HEAD}<div class='product-price'>{price}</div></body></html>"


def _text(price: str) -> str:
    return f"{_HEAD}<p>Now only {price} incl. tax</p></body></html>"


def _json_ld(offer: str, drawn: str) -> str:
    data = f'{{"@context": "https://schema.org", "@type": "Product", "name": "Tent", "offers": {offer}}}'
    return (
        f'<html><head><title>Tent</title><script type="application/ld+json">{data}</script></head>'
        f"<body><h1>Tent</h1><div class='product-price'>{drawn}</div></body></html>"
    )


# What a crawl passes: the brand's currency, the site's first (`WatchSpider.read_options`).
CRAWL = {"site_currency_first": True}
CRAWL_FOR_A_USD_BRAND = {"site_currency_first": True, "default_currency": "USD"}


def _read(html: str, url: str, **options: Any) -> tuple[str, str] | str | None:
    ex = extract(html, url, **options)
    return (str(ex.price.amount), ex.price.currency) if ex.price is not None else ex.reason


JAPANESE_SITES = [
    "https://shop.example.jp/items/1",
    "https://www.amazon.co.jp/dp/B0SYJK01RM",
    "https://item.rakuten.co.jp/outdoor-shop/tent-2p/",
    "https://store.shopping.yahoo.co.jp/outdoor-shop/tent-2p.html",
    "https://outdoor.thebase.in/items/1",
    "https://outdoor.shopselect.net/items/1",
    "https://jp.mercari.com/item/m12345678901",
]


@pytest.mark.parametrize("url", JAPANESE_SITES)
@pytest.mark.parametrize("price", ["¥12,800", "￥12,800", "￥１２，８００", "12,800円"])
@pytest.mark.parametrize("page", [_box, _text])
@pytest.mark.parametrize("options", [CRAWL, CRAWL_FOR_A_USD_BRAND])
def test_yen_signs_on_a_japanese_site_are_yen(
    url: str, price: str, page: Callable[[str], str], options: dict[str, Any]
) -> None:
    # whatever the brand's currency: yen have no decimals
    assert _read(page(price), url, **options) == ("12800", "JPY")


@pytest.mark.parametrize(
    ("url", "options", "currency"),
    [
        # a Chinese site's ¥ is yuan
        ("https://item.taobao.com/item.htm?id=1", {"default_currency": "JPY", "site_currency_first": True}, "CNY"),
        ("https://shop.example.cn/p/1", {"default_currency": "JPY", "site_currency_first": True}, "CNY"),
        ("https://shop.example.com/p/1", CRAWL, "CNY"),  # an unknown site: the first listed
        (
            "https://shop.example.com/p/1",
            {"default_currency": "JPY", "site_currency_first": True},
            "JPY",
        ),  # the brand's
        ("https://shop.example.jp/p/1", {"default_currency": "CNY"}, "CNY"),  # a caller naming its currency says it
    ],
)
def test_a_yen_sign_elsewhere_follows_the_site_then_the_brand(url: str, options: dict[str, Any], currency: str) -> None:
    found = _read(_box("￥12,800"), url, **options)
    assert isinstance(found, tuple) and found[1] == currency


DOLLAR_SITES = [
    ("https://tienda.example.com.ar/p/1", "ARS"),
    ("https://articulo.mercadolibre.com.ar/MLA-1456789012-_JM", "ARS"),
    ("https://tienda.example.com.mx/p/1", "MXN"),
    ("https://articulo.mercadolibre.com.mx/MLM-1456789012-_JM", "MXN"),
    ("https://tienda.example.com.co/p/1", "COP"),
    ("https://shopee.com.co/product/1/2", "COP"),
    ("https://tienda.example.cl/p/1", "CLP"),
    ("https://shop.example.com.au/p/1", "AUD"),
    ("https://shop.example.ca/p/1", "CAD"),
    ("https://shop.example.co.nz/p/1", "NZD"),
    ("https://shop.example.com.sg/p/1", "SGD"),
    ("https://shop.example.com.hk/p/1", "HKD"),
    ("https://shop.example.com.tw/p/1", "TWD"),
    ("https://shop.example.com.mo/p/1", "MOP"),
]


@pytest.mark.parametrize(("url", "currency"), DOLLAR_SITES)
@pytest.mark.parametrize("page", [_box, _text])
@pytest.mark.parametrize("options", [CRAWL, CRAWL_FOR_A_USD_BRAND])
def test_a_bare_dollar_is_the_currency_of_the_sites_country(
    url: str, currency: str, page: Callable[[str], str], options: dict[str, Any]
) -> None:
    found = _read(page("$ 12.990"), url, **options)
    assert isinstance(found, tuple) and found[1] == currency


@pytest.mark.parametrize(("url", "_currency"), DOLLAR_SITES)
@pytest.mark.parametrize("price", ["US$ 1.299", "USD 1.299"])
def test_a_dollar_that_names_the_us_stays_usd(url: str, _currency: str, price: str) -> None:
    assert _read(_box(price), url, site_currency_first=True) == ("1299.00", "USD")


@pytest.mark.parametrize(
    ("url", "currency"),
    [
        ("https://shop.example.com.br/p/1", "BRL"),
        ("https://loja.example.br/p/1", "BRL"),
        ("https://tienda.example.com.co/p/1", "COP"),
        ("https://shop.example.co/p/1", None),  # a vanity domain names no country
        ("https://shop.example.co.za/p/1", "ZAR"),
        ("https://shop.example.pl/p/1", "PLN"),
        ("https://shop.example.cz/p/1", "CZK"),
        ("https://shop.example.com.tr/p/1", "TRY"),
        ("https://shop.example.co.kr/p/1", "KRW"),
        ("https://shop.example.vn/p/1", "VND"),
        ("https://shop.example.com.my/p/1", "MYR"),
        ("https://shop.example.co.id/p/1", "IDR"),
        ("https://shop.example.ph/p/1", "PHP"),
        ("https://shop.example.co.th/p/1", "THB"),
        ("https://shop.example.com.mo/p/1", "MOP"),
        ("https://shop.example.de/p/1", None),  # a ".de" shop's "€" says all
        ("https://articulo.mercadolibre.com.ar/MLA-1", "ARS"),
        ("https://articulo.mercadolibre.com.mx/MLM-1", "MXN"),
        ("https://articulo.mercadolibre.cl/MLC-1", "CLP"),
        ("https://articulo.mercadolibre.com.co/MCO-1", "COP"),
        ("https://articulo.mercadolibre.com.uy/MLU-1", "UYU"),
        ("https://articulo.mercadolibre.com.pe/MPE-1", "PEN"),
        ("https://articulo.mercadolibre.com.ec/MEC-1", "USD"),  # Ecuador prices in US dollars
        ("https://produto.mercadolivre.com.br/MLB-1", "BRL"),
        ("https://www.amazon.com.mx/dp/1", "MXN"),
        ("https://www.amazon.com.br/dp/1", "BRL"),
        ("https://www.amazon.com.au/dp/1", "AUD"),
        ("https://www.amazon.sg/dp/1", "SGD"),
        ("https://www.amazon.ae/dp/1", "AED"),
        ("https://www.amazon.sa/dp/1", "SAR"),
        ("https://www.amazon.in/dp/1", "INR"),
        ("https://www.amazon.co.jp/dp/1", "JPY"),
        ("https://www.amazon.se/dp/1", "SEK"),
        ("https://www.amazon.pl/dp/1", "PLN"),
        ("https://www.amazon.nl/dp/1", "EUR"),
        ("https://www.amazon.com.tr/dp/1", "TRY"),
        ("https://www.amazon.com.be/dp/1", "EUR"),
        ("https://www.amazon.co.za/dp/1", "ZAR"),
        ("https://www.ebay.com.au/itm/1", "AUD"),
        ("https://www.ebay.ca/itm/1", "CAD"),
        ("https://www.ebay.co.uk/itm/1", "GBP"),
        ("https://www.ebay.de/itm/1", "EUR"),
        ("https://www.ebay.fr/itm/1", "EUR"),
        ("https://www.ebay.it/itm/1", "EUR"),
        ("https://www.ebay.es/itm/1", "EUR"),
        ("https://www.ebay.com.sg/itm/1", "SGD"),
        ("https://www.lazada.sg/products/x-i1.html", "SGD"),
        ("https://www.lazada.com.ph/products/x-i1.html", "PHP"),
        ("https://www.lazada.co.th/products/x-i1.html", "THB"),
        ("https://shopee.sg/product/1/2", "SGD"),
        ("https://shopee.tw/product/1/2", "TWD"),
        ("https://shopee.com.mx/product/1/2", "MXN"),
        ("https://shopee.cl/product/1/2", "CLP"),
        ("https://www.tokopedia.com/shop/tent", "IDR"),
        ("https://www.zalando.de/tent.html", "EUR"),
        ("https://www.zalando.co.uk/tent.html", "GBP"),
        ("https://www.zalando.pl/tent.html", "PLN"),
        ("https://www.zalando.se/tent.html", "SEK"),
        ("https://www.zalando.dk/tent.html", "DKK"),
        ("https://www.zalando.no/tent.html", "NOK"),
        ("https://www.zalando.ch/tent.html", "CHF"),
        ("https://www.zalando.cz/tent.html", "CZK"),
        ("https://www.takealot.com/tent/PLID1", "ZAR"),
        ("https://jp.mercari.com/item/m1", "JPY"),
        ("https://www.mercari.com/us/item/m1/", "USD"),
    ],
)
def test_site_currency_of_countries_and_marketplaces(url: str, currency: str | None) -> None:
    assert site_currency(url) == currency


@pytest.mark.parametrize(
    ("price", "url", "amount", "currency"),
    [
        ("1 299 kr", "https://shop.example.se/p/1", "1299.00", "SEK"),
        ("1 299 kr", "https://shop.example.no/p/1", "1299.00", "NOK"),
        ("1.299,00 kr.", "https://shop.example.dk/p/1", "1299.00", "DKK"),
        ("1 299 kr", "https://www.zalando.no/tent.html", "1299.00", "NOK"),
        ("1 299,00 zł", "https://sklep.example.pl/p/1", "1299.00", "PLN"),
        ("1 299 Kč", "https://obchod.example.cz/p/1", "1299.00", "CZK"),
        ("₺1.299,00", "https://magaza.example.com.tr/p/1", "1299.00", "TRY"),
        ("1.299.000₫", "https://shop.example.vn/p/1", "1299000", "VND"),
        ("RM1,299.00", "https://shop.example.com.my/p/1", "1299.00", "MYR"),
        ("Rp1.299.000", "https://toko.example.co.id/p/1", "1299000.00", "IDR"),
        ("₱1,299.00", "https://shop.example.ph/p/1", "1299.00", "PHP"),
        ("฿1,299", "https://shop.example.co.th/p/1", "1299.00", "THB"),
        ("S$1,299.00", "https://shop.example.com.sg/p/1", "1299.00", "SGD"),
        ("NT$1,299", "https://shop.example.com.tw/p/1", "1299.00", "TWD"),
        ("HK$1,299", "https://shop.example.com.hk/p/1", "1299.00", "HKD"),
        ("MOP$1,299", "https://shop.example.com.mo/p/1", "1299.00", "MOP"),
        ("MOP$1,299", "https://shop.example.com/p/1", "1299.00", "MOP"),  # not the US dollar of its "$"
        ("C$1,299.00", "https://shop.example.ca/p/1", "1299.00", "CAD"),
        ("A$1,299.00", "https://shop.example.com.au/p/1", "1299.00", "AUD"),
        ("NZ$1,299.00", "https://shop.example.co.nz/p/1", "1299.00", "NZD"),
    ],
)
@pytest.mark.parametrize("page", [_box, _text])
def test_each_countrys_sign_on_its_own_pages(
    price: str, url: str, amount: str, currency: str, page: Callable[[str], str]
) -> None:
    assert _read(page(price), url, **CRAWL) == (amount, currency)


def test_a_rand_sign_is_read_on_a_south_african_site_only() -> None:
    for url in ("https://shop.example.co.za/p/1", "https://www.takealot.com/tent/PLID1"):
        ex = extract(_box("R1 299,00"), url, **CRAWL_FOR_A_USD_BRAND)
        assert ex.price is not None and (ex.price.amount, ex.price.currency) == (Decimal("1299.00"), "ZAR")
        assert ex.candidates[0].raw == "R1 299,00" and ex.confidence == Decimal("0.60")  # named, not guessed
    # elsewhere an "R" is no sign ("R16" a wheel size): the amount is unmarked, in the brand's currency, guessed
    for url in ("https://shop.example.com/p/1", "https://shop.example.com.au/p/1"):
        ex = extract(_box("R1 299,00"), url, default_currency="EUR", site_currency_first=True)
        assert ex.price is not None and ex.price.currency in ("EUR", "AUD") and ex.confidence == Decimal("0.50")


@pytest.mark.parametrize(
    "url", ["https://shop.example.co.kr/p/1", "https://sklep.example.pl/p/1", "https://www.amazon.de/dp/1"]
)
@pytest.mark.parametrize("page", [_box, _text])
def test_kr_names_no_krona_on_a_site_known_to_price_in_another_currency(url: str, page: Callable[[str], str]) -> None:
    assert _read(page("1 299 kr"), url, **CRAWL) == "no_price_found"
    assert _read(page("1 299 kr"), url, default_currency="NOK", site_currency_first=True) == "no_price_found"


def test_kr_on_an_unknown_site_is_the_brands_krona_else_the_first_listed() -> None:
    assert _read(_box("1 299 kr"), "https://shop.example.com/p/1", **CRAWL) == ("1299.00", "SEK")
    assert _read(
        _box("1 299 kr"), "https://shop.example.com/p/1", default_currency="DKK", site_currency_first=True
    ) == (
        "1299.00",
        "DKK",
    )


@pytest.mark.parametrize(
    ("offer", "drawn", "url", "expected"),
    [
        # a theme left priceCurrency at its default: the page draws the site's own sign for the same amount
        (
            '{"@type": "Offer", "price": "12800", "priceCurrency": "CNY"}',
            "12,800円",
            "https://shop.example.jp/p/1",
            ("12800", "JPY"),
        ),
        (
            '{"@type": "Offer", "price": "1299.00", "priceCurrency": "USD"}',
            "1 299,00 zł",
            "https://sklep.example.pl/p/1",
            ("1299.00", "PLN"),
        ),
        (
            '{"@type": "Offer", "price": "1299", "priceCurrency": "EUR"}',
            "1 299 kr",
            "https://shop.example.se/p/1",
            ("1299.00", "SEK"),
        ),
        # no priceCurrency: the drawn sign names it
        ('{"@type": "Offer", "price": "12800"}', "12,800円", "https://shop.example.jp/p/1", ("12800", "JPY")),
        # a sign the stated currency writes too: as stated
        (
            '{"@type": "Offer", "price": "1299", "priceCurrency": "USD"}',
            "$1,299",
            "https://tienda.example.com.ar/p/1",
            ("1299.00", "USD"),
        ),
        (
            '{"@type": "Offer", "price": "12800", "priceCurrency": "CNY"}',
            "¥12,800",
            "https://shop.example.jp/p/1",
            ("12800.00", "CNY"),
        ),
        # another amount drawn (a converted display price): as stated
        (
            '{"@type": "Offer", "price": "300.00", "priceCurrency": "USD"}',
            "1 199,00 zł",
            "https://sklep.example.pl/p/1",
            ("300.00", "USD"),
        ),
        # a site of no known currency: as stated
        (
            '{"@type": "Offer", "price": "49.00", "priceCurrency": "USD"}',
            "49,00 €",
            "https://shop.example.de/p/1",
            ("49.00", "USD"),
        ),
    ],
)
def test_structured_currency_against_the_sign_the_page_draws(
    offer: str, drawn: str, url: str, expected: tuple[str, str]
) -> None:
    assert _read(_json_ld(offer, drawn), url, **CRAWL_FOR_A_USD_BRAND) == expected
    if expected[1] != "USD":  # a caller naming its currency names that of a price that names none, not this one
        assert _read(_json_ld(offer, drawn), url, default_currency="USD") == expected
