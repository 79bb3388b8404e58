"""Product pages of the store builders Chinese brands and their resellers use abroad.

Ueeshop (联雅, Guangzhou) prints its product detail page (`products/detail` of its default theme) as
schema.org microdata: a `Product` with `name` and `sku` as `<meta>` tags and one `Offer` holding
`<meta itemprop="price" content="<?=cart::iconv_price($CurPrice, 2);?>">`, `priceCurrency` (the visitor's
session currency) and `availability` (`InStock`/`OutOfStock`); the struck original price (`<del>`) and the
"You may also like" sidebar (`.price_data` spans with the shop-currency amount in their `data` attribute)
stay outside it. `cart::iconv_price($price, 2)` converts the amount into the session currency and, by
default, formats it as the shop shows that currency (`cart::currency_format`): USD "1,299.00", EUR
"1.299,00", JPY "12,990", and CLP, NOK, DKK and COP with no decimals and "." between thousands
(`number_format($price, 0, '', '.')`). So a Chilean store's microdata price of CLP 19990 is
`content="19.990"`, which was read literally as 19.99 (CLP 20). A price in a currency without a minor unit
(CLP, JPY, KRW ...) written as digits grouped by dots is now read as the whole amount ("1.249.990", not a
decimal number at all, was already read whole). The template and the `cart` class (`iconv_price`,
`currency_format`) are Ueeshop's own PHP, as public copies of the platform's code carry them (its theme's
`products/detail` include, "Powered by ueeshop.com"); the page here is trimmed from that template. The USD,
EUR and JPY formats, and the `OutOfStock` availability, were already read right: the tests marked "already
read" pin that.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from saved_pages import html, price_of, replaced

from crawlers.extraction import ExtractionStatus, extract

UEESHOP_PAGE = "ueeshop/detail_microdata_clp.html"
UEESHOP_URL = "https://www.voltaro.cl/products/power-bank-magnetico-10000mah-p0318.html"
TITLE = "Power Bank Magnético 10000mAh Carga Rápida 20W"


def test_ueeshop_clp_price_written_with_thousands_dots_is_the_whole_amount() -> None:
    got = extract(html(UEESHOP_PAGE), UEESHOP_URL)
    # not 19.99 (CLP 20): Ueeshop writes CLP 19990 as "19.990"; not the struck 24.990, not a sidebar product's
    assert price_of(got) == (Decimal("19990"), "CLP", "sale", None)
    assert (got.method, got.profile, got.title, got.sku, got.seller_name) == (
        "microdata",
        None,
        TITLE,
        "VT-PB10M-BK",
        None,
    )
    assert got.offer_key == "" and not got.offers
    assert [(c.amount, c.currency, c.kind) for c in got.candidates] == [(Decimal("19990"), "CLP", "sale")]


def test_ueeshop_clp_price_with_two_dot_groups_already_read() -> None:
    # "1.249.990" is no decimal number: price-parser already read it whole
    body = replaced(html(UEESHOP_PAGE), 'content="19.990"', 'content="1.249.990"')
    assert price_of(extract(body, UEESHOP_URL)) == (Decimal("1249990"), "CLP", "sale", None)


def test_a_dotted_amount_with_three_decimals_in_a_currency_with_cents_is_left_as_written() -> None:
    # only a currency without a minor unit makes "19.990" a grouped whole number (already read so)
    body = replaced(html(UEESHOP_PAGE), '<meta id="schemaorg_offer_currency" itemprop="priceCurrency" content="CLP">',
                    '<meta id="schemaorg_offer_currency" itemprop="priceCurrency" content="USD">')  # fmt: skip
    assert price_of(extract(body, UEESHOP_URL)) == (Decimal("19.99"), "USD", "sale", None)


@pytest.mark.parametrize(
    ("written", "currency", "expected"),
    [
        ("1,299.00", "USD", Decimal("1299.00")),
        ("1.299,00", "EUR", Decimal("1299.00")),
        ("12,990", "JPY", Decimal("12990")),
    ],
)
def test_ueeshop_price_in_other_display_formats_already_read(written: str, currency: str, expected: Decimal) -> None:
    body = replaced(html(UEESHOP_PAGE), 'content="19.990"', f'content="{written}"')
    body = replaced(body, 'itemprop="priceCurrency" content="CLP"', f'itemprop="priceCurrency" content="{currency}"')
    assert price_of(extract(body, UEESHOP_URL)) == (expected, currency, "sale", None)


def test_ueeshop_out_of_stock_offer_already_read_sold_out() -> None:
    body = replaced(html(UEESHOP_PAGE), 'itemprop="availability" content="InStock"',
                    'itemprop="availability" content="OutOfStock"')  # fmt: skip
    got = extract(body, UEESHOP_URL)
    assert (got.status, got.reason, got.price, got.profile) == (ExtractionStatus.NO_PRICE, "sold_out", None, None)
    assert (got.title, got.sku) == (TITLE, "VT-PB10M-BK")
