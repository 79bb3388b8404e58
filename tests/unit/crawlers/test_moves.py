"""A redirect that keeps the watched listing, and one that leads elsewhere (crawlers/moves.py)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from scrapy.http import HtmlResponse

from crawlers.moves import item_tokens, moved_elsewhere
from crawlers.spiders.watch import REASON_MOVED, WatchSpider
from oneprice.domain.observation import ObservationStatus
from oneprice.settings.loader import LoadedConfig


@pytest.mark.parametrize(
    ("original", "final"),
    [
        ("http://item.jd.com/100012043978.html", "https://item.jd.com/100012043978.html"),
        ("https://item.taobao.com/item.htm?id=681234567890", "https://detail.tmall.com/item.htm?id=681234567890"),
        (
            "https://item.taobao.com/item.htm?id=681234567890&pid=mm_26632258_3504122_32538762&spm=a21bo.1",
            "https://item.taobao.com/item.htm?id=681234567890",  # tracking and affiliate ids dropped
        ),
        ("https://www.amazon.com/dp/B0C1234567", "https://www.amazon.com/Trail-Fleece-Jacket/dp/B0C1234567"),
        ("https://www.amazon.com/gp/product/B0C1234567", "https://www.amazon.com/dp/B0C1234567?th=1"),
        ("https://www.ebay.com/itm/123456789012", "https://www.ebay.com/itm/Trail-Fleece-Jacket/123456789012"),
        (
            "https://mobile.yangkeduo.com/goods.html?goods_id=3456789012",
            "https://mobile.pinduoduo.com/goods.html?goods_id=3456789012",
        ),
        ("https://harbour.example/products/summit-fleece", "https://www.harbour.example/en-gb/products/summit-fleece/"),
        ("https://shop.example.co.uk/product/fleece/", "https://www.shop.example.co.uk/product/fleece"),
        ("https://h5.youzan.com/v2/goods/2fwq7n1e3krjw", "https://shop123.youzan.com/wscgoods/detail/2fwq7n1e3krjw"),
    ],
)
def test_a_redirect_that_keeps_the_listing(original: str, final: str) -> None:
    assert not moved_elsewhere(original, final)


@pytest.mark.parametrize(
    ("original", "final"),
    [
        ("https://item.jd.com/100012043978.html", "https://www.jd.com/?d"),  # removed: JD's home page
        ("https://item.jd.com/100012043978.html", "https://item.jd.com/100099887766.html"),  # another item
        ("https://detail.tmall.com/item.htm?id=681234567890", "https://shanyu.tmall.com/shop/view_shop.htm"),
        ("https://www.amazon.com/dp/B0C1234567", "https://www.amazon.com/dp/B0D7654321"),
        ("https://harbour.example/products/summit-fleece", "https://harbour.example/collections/all"),
        ("https://harbour.example/products/summit-fleece", "https://harbour.example/"),
        ("https://harbour.example/products/summit-fleece", "https://other-store.example/products/summit-fleece"),
        (
            "https://harbour.example/products/summit-fleece?variant=42000000000213",
            "https://harbour.example/products/summit-fleece",
        ),
        ("https://harbour.example/products/summit-fleece", "http://[x/products/summit-fleece"),
    ],
)
def test_a_redirect_that_leads_elsewhere(original: str, final: str) -> None:
    assert moved_elsewhere(original, final)


def test_item_numbers_of_an_address() -> None:
    assert item_tokens("https://www.lazada.com.my/products/air-fryer-i3456789012-s17654321098.html") == {
        "3456789012",
        "17654321098",
    }
    assert item_tokens("https://weidian.com/item.html?itemID=4567890123&wfr=c") == {"4567890123"}
    assert item_tokens("https://harbour.example/products/summit-fleece?utm_id=1234567") == frozenset()


def _redirected(request_url: str, final: str, body: bytes, spider: WatchSpider) -> HtmlResponse:
    request = next(r for r in spider.start_requests() if r.url == request_url)
    moved = request.replace(url=final, meta={**request.meta, "redirect_urls": [request_url]})
    return HtmlResponse(final, body=body, headers={"Content-Type": "text/html"}, request=moved)


def test_a_listing_that_now_leads_to_another_page_gives_no_price(
    config: LoadedConfig, read_page: Callable[[str], bytes]
) -> None:
    """The page found there is read (a priced product page here) but none of its prices is the listing's."""
    spider = WatchSpider(config=config)
    url = next(r.url for r in spider.start_requests() if r.meta["oneprice_target"] == "shop-op12")
    final = "https://other-store.example/products/op12"
    (item,) = list(spider.parse(_redirected(url, final, read_page("shop/jsonld_product.html"), spider)))
    assert (item.status, item.reason, item.price, item.product_sku) == (
        ObservationStatus.NO_PRICE,
        REASON_MOVED,
        None,
        None,
    )
    assert item.url == final  # the observation records where the address leads now


def test_a_redirect_that_keeps_the_listing_is_read_as_before(
    config: LoadedConfig, read_page: Callable[[str], bytes]
) -> None:
    spider = WatchSpider(config=config)
    url = next(r.url for r in spider.start_requests() if r.meta["oneprice_target"] == "shop-op12")
    final = url.replace("http://", "https://") + ("" if url.endswith("/") else "/")
    (item,) = list(spider.parse(_redirected(url, final, read_page("shop/jsonld_product.html"), spider)))
    assert (item.status, item.product_sku) == (ObservationStatus.OK, "OP12-128-SLV")
