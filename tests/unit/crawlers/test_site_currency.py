"""The currency a marketplace site prices in, from a page's URL (the default of `oneprice extract`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from crawlers.extraction import extract
from crawlers.prices import site_currency


@pytest.mark.parametrize(
    ("url", "currency"),
    [
        ("https://www.amazon.com/dp/B0SYJK01RM", "USD"),
        ("https://www.amazon.co.uk/dp/B0SYJK01RM", "GBP"),
        ("https://www.amazon.com.au/dp/B0SYJK01RM", "AUD"),  # not amazon.com's USD
        ("https://www.amazon.co.jp/dp/B0SYJK01RM", "JPY"),
        ("https://www.amazon.com.br/dp/B0SYJK01RM", "BRL"),
        ("https://smile.amazon.de/dp/B0SYJK01RM", "EUR"),
        ("https://www.amazon.ae/dp/B0SYJK01RM", "AED"),
        ("https://www.amazon.com.tr/dp/B0SYJK01RM", "TRY"),  # not amazon.com's USD
        ("https://www.ebay.ch/itm/1", "CHF"),
        ("https://www.walmart.com/ip/Trail-Fleece/555123456", "USD"),
        ("https://www.lazada.com.my/products/air-fryer-i3456789012.html", "MYR"),
        ("https://www.lazada.co.id/products/x-i1.html", "IDR"),
        ("https://shopee.ph/product/1/2", "PHP"),
        ("https://produto.mercadolivre.com.br/MLB-1456789012-_JM", "BRL"),
        ("https://articulo.mercadolibre.com.co/MCO-1456789012-_JM", "COP"),
        ("https://aliexpress.ru/item/1005001.html", "RUB"),
        ("https://WWW.EBAY.CO.UK./itm/1", "GBP"),
        ("https://detail.tmall.com/item.htm?id=1", "CNY"),
        ("https://item.jd.com/1.html", "CNY"),
        ("https://mobile.yangkeduo.com/goods.html?goods_id=1", "CNY"),
        # Douyin's and Kuaishou's shops, 1688, Vipshop, Suning, Dangdang, Xiaohongshu, Weidian: ¥ is yuan there
        ("https://haohuo.jinritemai.com/views/product/item2?id=1", "CNY"),
        ("https://app.kwaixiaodian.com/page/kwaishop-buyer-goods-detail?id=1", "CNY"),
        ("https://detail.1688.com/offer/1.html", "CNY"),
        ("https://detail.vip.com/detail-1-2.html", "CNY"),
        ("https://product.suning.com/0000000000/1.html", "CNY"),
        ("https://product.dangdang.com/1.html", "CNY"),
        ("https://www.xiaohongshu.com/goods-detail/1", "CNY"),
        ("https://weidian.com/item.html?itemID=1", "CNY"),
        ("https://notamazon.com/dp/1", None),  # a host ending in the name is not the site
        ("https://amazon.com.evil.example/dp/1", None),
        ("https://shop.example/products/tee", None),
        ("file:///tmp/page.html", None),
        ("", None),
        (None, None),
    ],
)
def test_site_currency(url: str | None, currency: str | None) -> None:
    assert site_currency(url) == currency


def test_a_crawl_reads_a_marketplace_in_its_own_currency_whatever_the_brands() -> None:
    body = (Path(__file__).resolve().parents[2] / "fixtures/pages/pinduoduo/goods_rawdata.html").read_bytes()

    def currency(url: str, **options: bool) -> str | None:
        price = extract(body, url, default_currency="USD", **options).price
        return price.currency if price is not None else None

    pinduoduo, unknown = "https://mobile.yangkeduo.com/goods.html?goods_id=1", "https://shop.example/goods.html?id=1"
    # Pinduoduo's state holds prices in fen and names no currency: CNY, even for a brand working in USD,
    assert currency(pinduoduo, site_currency_first=True) == "CNY"
    # unless the caller names its own; a site not known keeps the default.
    assert currency(pinduoduo) == "USD"
    assert currency(unknown, site_currency_first=True) == "USD"


@pytest.mark.parametrize(
    ("text", "amount", "currency"),
    [
        ("C $25.00", "25.00", "CAD"),
        ("R$ 879,00", "879.00", "BRL"),  # eBay writes the dollar's country before the sign, with a space
        ("AU $39.95", "39.95", "AUD"),
        ("US $29.99", "29.99", "USD"),
        ("$29.99", "29.99", "USD"),
        ("Sale C $1,299.00", "1299.00", "USD"),  # only at the start: "Sale C" names no country
    ],
)
def test_a_dollar_with_its_country_in_front(text: str, amount: str, currency: str) -> None:
    from decimal import Decimal

    from crawlers.prices import currency_code, parse_price_text

    found, symbol = parse_price_text(text)
    assert (found, currency_code(symbol, "CNY")) == (Decimal(amount), currency)
