"""Search pages as the marketplaces and web stores serve them in 2024-2026.

JD's React result cards, Pinduoduo's mobile search state, Amazon's brand lines, price ranges and
"More Buying Choices", eBay's auction and range cards, and a reseller's own store search on
Shopify (Dawn, Horizon), WooCommerce (classic loop, block themes) and Magento 2. The saved pages in
tests/fixtures/pages/search/ keep the structure of real pages, cut to a few results, with invented
products, shops, prices and ids.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest
from pydantic import ValidationError
from saved_pages import result_row as _row
from saved_pages import search_page as _page
from scrapy.http import HtmlResponse, Request

from crawlers import discovery
from crawlers.discovery import SEARCH_SHAPES, point_price, read_search_page, search_shapes
from crawlers.spiders.discover import DiscoveredItem, DiscoverSpider
from oneprice.domain.catalog import Reseller
from oneprice.settings.crawl import DiscoverySettings
from oneprice.settings.loader import load_config

ROOT = Path(__file__).resolve().parents[3]


# -- JD's result cards (2024-2025) ---------------------------------------------------------------------

JD_URL = "https://search.jd.com/Search?keyword=%E5%B1%B1%E5%B1%BF&enc=utf-8"


def test_jd_cards_give_item_pages_of_their_sku_titles_shops_and_one_prices() -> None:
    found, nxt = read_search_page(_page("jd_cards_2025.html"), JD_URL, search_shapes("jd"))
    assert [_row(r) for r in found] == [
        (
            "https://item.jd.com/100012345678.html",  # the link's tracking parameters dropped
            "山屿 岚峰 GORE-TEX 冲锋衣 男款 防风防水",
            "山屿户外京东自营旗舰店",
            Decimal("1299.00"),
        ),
        # no link on the card (a script opens it): the item page of its sku; the title attribute
        # is the whole title, the script text beside it stays out
        ("https://item.jd.com/100023456789.html", "山屿 踏云 中帮防水徒步鞋", "云杉运动专营店", Decimal("899")),
        # "¥259.00 起" is a "from" price
        ("https://item.jd.com/100034567890.html", "山屿 抓绒外套 多色可选", "清仓小铺", None),
    ]
    assert nxt == JD_URL + "&page=2"
    _, third = read_search_page(_page("jd_cards_2025.html"), nxt, search_shapes("jd"))
    assert third == JD_URL + "&page=3"


def test_jd_cards_last_page_has_no_next_page() -> None:
    last = _page("jd_cards_2025.html").replace(
        b'class="_pagination_next_1jczn_8"', b'class="_pagination_next_1jczn_8 _disabled_1jczn_20"'
    )
    found, nxt = read_search_page(last, JD_URL, search_shapes("jd"))
    assert len(found) == 3 and nxt is None


# -- Pinduoduo's mobile search ------------------------------------------------------------------------------

PDD_URL = "https://mobile.yangkeduo.com/search_result.html?search_key=%E5%B1%B1%E5%B1%BF"


def test_pinduoduo_mobile_search_reads_the_state_list_as_goods_pages() -> None:
    found, nxt = read_search_page(_page("pinduoduo_mobile_search.html"), PDD_URL, search_shapes("pinduoduo"))
    assert [_row(r) for r in found] == [
        (
            "https://mobile.yangkeduo.com/goods.html?goods_id=412345678901",
            "山屿 岚峰 冲锋衣 男款 防风防水",
            "山屿户外专营店",
            Decimal("1099"),  # the shown priceInfo in yuan, not the price in fen
        ),
        # markup in a name is inert text
        (
            "https://mobile.yangkeduo.com/goods.html?goods_id=412345678902",
            "山屿 踏云 徒步鞋 <img src=x onerror=alert(1)>",
            None,
            Decimal("459.9"),
        ),
        ("https://mobile.yangkeduo.com/goods.html?goods_id=412345678903", "山屿 抓绒外套", None, None),  # 89起
    ]
    assert nxt is None  # later results come from an API as the page scrolls


@pytest.mark.parametrize(
    "state",
    [
        'window.rawData={"stores":{"store":{"data":{"ssrListData":{"list":"none"}}}}};',
        'window.rawData={"stores":{"store":{"data":{"ssrListData":{"list":[1,null,{"goodsID":true}]}}}}};',
        'window.rawData={"stores":{"store":{"data":{"ssrListData":{"list":[{"goodsID":"1"',  # cut off
        'window.rawData={"ssrListData":' + "[" * 5000 + "]" * 5000 + "};",
    ],
)
def test_broken_pinduoduo_state_gives_no_results(state: str) -> None:
    page = f"<html><head><script>{state}</script></head><body></body></html>"
    assert read_search_page(page, PDD_URL, search_shapes("pinduoduo")) == ([], None)


def test_pinduoduo_state_of_next_data_pages_and_links_without_an_id() -> None:
    page = (
        '<html><body><script id="__NEXT_DATA__" type="application/json">{"props":{"pageProps":{"data":'
        '{"ssrListData":{"list":[{"goodsName":"山屿 冲锋衣","linkURL":"goods.html?goods_id=42&refer=x",'
        '"priceInfo":"99.9"}]}}}}}</script></body></html>'
    )
    found, _ = read_search_page(page, PDD_URL, search_shapes("pinduoduo"))
    assert [_row(r) for r in found] == [
        ("https://mobile.yangkeduo.com/goods.html?goods_id=42", "山屿 冲锋衣", None, Decimal("99.9"))
    ]


# -- Amazon (2025) -------------------------------------------------------------------------------------------


def test_amazon_2025_titles_skip_the_brand_line_and_prices_are_the_listings_own() -> None:
    url = "https://www.amazon.com/s?k=shanyu+jacket"
    found, nxt = read_search_page(_page("amazon_2025.html"), url, search_shapes("amazon"))
    assert [_row(r) for r in found] == [
        # sponsored, a brand line above the title, a struck list price beside the price
        (
            "https://www.amazon.com/dp/B0SHANYU11",
            "Men's Ridge Waterproof Rain Jacket Lightweight Hooded Shell",
            None,
            Decimal("129.99"),
        ),
        # "$79.99 - $119.99" drawn as two prices: a range
        ("https://www.amazon.com/dp/B0SHANYU12", "Shanyu Trail Waterproof Hiking Boots for Men", None, None),
        # a "Typical" struck price only, other sellers' offers below it
        ("https://www.amazon.com/dp/B0SHANYU13", "Shanyu Polar Fleece Jacket", None, None),
        # its own price, and "More Buying Choices" from other sellers below it
        ("https://www.amazon.com/dp/B0SHANYU14", "Shanyu Daypack 24L", None, Decimal("49.95")),
        # no price of its own: "More Buying Choices $33.00" is other sellers' lowest offer
        ("https://www.amazon.com/dp/B0SHANYU15", "Shanyu Trekking Poles (Pair)", None, None),
    ]
    assert nxt == "https://www.amazon.com/s?k=shanyu+jacket&page=2&xpid=Ab3x&qid=1735000000&ref=sr_pg_1"


def test_amazon_discount_beside_a_price_is_no_range() -> None:
    page = _page("amazon_2025.html").replace(
        b'<span class="a-offscreen">$49.95</span><span aria-hidden="true">$49.95</span></span></a>',
        b'<span class="a-offscreen">$49.95</span><span aria-hidden="true">$49.95</span></span></a>'
        b'<span class="a-size-base a-color-price"> -20%</span>',
    )
    found, _ = read_search_page(page, "https://www.amazon.com/s?k=x", search_shapes("amazon"))
    assert found[3].price == Decimal("49.95")


# -- eBay's cards (2025) ---------------------------------------------------------------------------------------


def test_ebay_2025_cards_auctions_best_offers_ranges_and_struck_prices() -> None:
    url = "https://www.ebay.com/sch/i.html?_nkw=shanyu+jacket"
    found, nxt = read_search_page(_page("ebay_cards_2025.html"), url, search_shapes("ebay"))
    assert [_row(r) for r in found] == [
        # an auction: its price is the current bid, only a "from" price
        (
            "https://www.ebay.com/itm/336600000011",
            "Shanyu Ridge Waterproof Jacket Mens Large Blue",
            "ridgeline-deals",
            None,
        ),
        # "or Best Offer": the asking price is the price
        (
            "https://www.ebay.com/itm/336600000012",
            "Shanyu Trail Hiking Boots Size 10 New in Box",
            "trailhead_outlet",
            Decimal("119.00"),
        ),
        # "$10.00 to $15.00" drawn as two prices: a range
        (
            "https://www.ebay.com/itm/336600000013",
            "Shanyu Fleece Jacket - Choose Size & Colour",
            "pinecrest_gear",
            None,
        ),
        # a struck "was" price beside the price
        ("https://www.ebay.com/itm/336600000014", "Shanyu Daypack 24L Grey", "summit.gear.outlet", Decimal("39.99")),
    ]
    assert nxt == "https://www.ebay.com/sch/i.html?_nkw=shanyu+jacket&_pgn=2"


def test_ebay_item_generation_auction_has_no_price() -> None:
    page = """<ul><li class="s-item"><a class="s-item__link" href="https://www.ebay.co.uk/itm/335500000009?hash=x"><div
      class="s-item__title"><span role="heading">Shanyu Jacket</span></div></a><span
      class="s-item__price">£45.00</span><span class="s-item__bids s-item__bidCount">3 bids</span><span
      class="s-item__seller-info-text">seller_a (12) 100%</span></li></ul>"""
    found, _ = read_search_page(page, "https://www.ebay.co.uk/sch/i.html?_nkw=x", search_shapes("ebay"))
    assert [_row(r) for r in found] == [("https://www.ebay.co.uk/itm/335500000009", "Shanyu Jacket", "seller_a", None)]


# -- a reseller's own store: Shopify -------------------------------------------------------------------------

DAWN_URL = "https://summit-gear.example/search?q=shanyu&type=product"


def test_shopify_dawn_results_are_product_pages_sold_by_the_store() -> None:
    found, nxt = read_search_page(_page("shopify_dawn.html"), DAWN_URL, search_shapes("shopify"))
    assert [_row(r) for r in found] == [
        # search tracking (_pos, _sid, _ss) dropped; the sale price, not the struck compare-at price
        (
            "https://summit-gear.example/products/shanyu-ridge-waterproof-jacket",
            "Shanyu Ridge Waterproof Jacket",
            "Summit Gear",
            Decimal("129.99"),
        ),
        # a variant's link keeps its variant; "From £59.00 GBP" is a "from" price; the title is text
        (
            "https://summit-gear.example/products/shanyu-polar-fleece?variant=45012345678902",
            "Shanyu Polar Fleece <b>Jacket</b>",
            "Summit Gear",
            None,
        ),
        # sold out: the price shown is still its price (the watch spider reads availability)
        (
            "https://summit-gear.example/products/shanyu-trail-boots",
            "Shanyu Trail Boots",
            "Summit Gear",
            Decimal("119.00"),
        ),
        # the blog article among the results is no listing
    ]
    assert nxt == "https://summit-gear.example/search?page=2&q=shanyu&type=product"


def test_shopify_dawn_pager_goes_forward_whatever_its_arrow_classes_say() -> None:
    # Dawn's previous-page arrow has the class pagination__item--next, its next-page arrow --prev
    second = _page("shopify_dawn.html").replace(
        b'<li><span class="pagination__item pagination__item--current light" aria-current="page"'
        b' aria-label="Page 1">1</span></li>',
        b'<li><a href="/search?page=1&amp;q=shanyu&amp;type=product" class="pagination__item pagination__item--next'
        b' pagination__item-arrow link motion-reduce" aria-label="Previous page"></a></li>'
        b'<li><a href="/search?page=1&amp;q=shanyu&amp;type=product" class="pagination__item link">1</a></li>',
    )
    second = second.replace(b'aria-label="Page 2">2</a>', b'aria-current="page">2</a>')
    arrow = b'\n            class="pagination__item pagination__item--prev'
    second = second.replace(
        b'<a href="/search?page=2&amp;q=shanyu&amp;type=product"' + arrow,
        b'<a href="/search?page=3&amp;q=shanyu&amp;type=product"' + arrow,
    )
    assert second.count(b"page=3") == 2
    url = "https://summit-gear.example/search?page=2&q=shanyu&type=product"
    _, nxt = read_search_page(second, url, search_shapes("shopify"))
    assert nxt == "https://summit-gear.example/search?page=3&q=shanyu&type=product"
    # the last page links back only
    third = second.replace(b"page=3", b"page=2")
    url = "https://summit-gear.example/search?page=3&q=shanyu&type=product"
    assert read_search_page(third, url, search_shapes("shopify"))[1] is None  # links back only


def test_shopify_dawn_last_page_and_links_elsewhere_give_no_next_page() -> None:
    page = _page("shopify_dawn.html").replace(b"/search?page=2", b"/collections/all?page=2")
    assert read_search_page(page, DAWN_URL, search_shapes("shopify"))[1] is None


def test_shopify_horizon_product_cards() -> None:
    url = "https://pinecrest.example/search?q=shanyu&type=product"
    found, nxt = read_search_page(_page("shopify_horizon.html"), url, search_shapes("shopify"))
    assert [_row(r) for r in found] == [
        (
            "https://pinecrest.example/products/shanyu-ridge-waterproof-jacket",
            "Shanyu Ridge Waterproof Jacket",
            "Pinecrest Outfitters",
            Decimal("129.99"),
        ),
        ("https://pinecrest.example/products/shanyu-polar-fleece", "Shanyu Polar Fleece", "Pinecrest Outfitters", None),
    ]
    assert nxt == "https://pinecrest.example/search?q=shanyu&type=product&page=2"


# -- WooCommerce ----------------------------------------------------------------------------------------------


def test_woocommerce_classic_loop_sale_and_range_prices() -> None:
    url = "https://ridgeline-outdoor.example/?s=shanyu&post_type=product"
    found, nxt = read_search_page(_page("woocommerce_classic.html"), url, search_shapes("woocommerce"))
    assert [_row(r) for r in found] == [
        # on sale: the price in <ins>, not the struck one in <del>; tracking parameters dropped
        (
            "https://ridgeline-outdoor.example/product/shanyu-ridge-waterproof-jacket/",
            "Shanyu Ridge Waterproof Jacket",
            "Ridgeline Outdoor",
            Decimal("129.99"),
        ),
        # a variable product's "£59.00 – £79.00"
        (
            "https://ridgeline-outdoor.example/product/shanyu-polar-fleece/",
            "Shanyu Polar Fleece",
            "Ridgeline Outdoor",
            None,
        ),
        (
            "https://ridgeline-outdoor.example/product/shanyu-trail-boots/",
            "Shanyu Trail Boots",
            "Ridgeline Outdoor",
            Decimal("1119.00"),
        ),
    ]
    assert nxt == "https://ridgeline-outdoor.example/page/2/?s=shanyu&post_type=product"


def test_woocommerce_block_theme_product_collection() -> None:
    url = "https://cedartrail.example/?s=shanyu&post_type=product"
    found, nxt = read_search_page(_page("woocommerce_blocks.html"), url, search_shapes("woocommerce"))
    assert [_row(r) for r in found] == [
        (
            "https://cedartrail.example/product/shanyu-ridge-waterproof-jacket/",
            "Shanyu Ridge Waterproof Jacket",
            "Cedar Trail Supply",  # the store's application-name
            Decimal("129.99"),
        ),
        ("https://cedartrail.example/product/shanyu-polar-fleece/", "Shanyu Polar Fleece", "Cedar Trail Supply", None),
    ]
    assert nxt == "https://cedartrail.example/page/2/?s=shanyu&post_type=product"


def test_woocommerce_plain_permalinks_keep_the_product_parameter() -> None:
    page = _page("woocommerce_classic.html").replace(
        b"https://ridgeline-outdoor.example/product/shanyu-trail-boots/",
        b"https://ridgeline-outdoor.example/?product=shanyu-trail-boots&amp;utm_campaign=x",
    )
    found, _ = read_search_page(page, "https://ridgeline-outdoor.example/?s=x", search_shapes("woocommerce"))
    assert found[2].url == "https://ridgeline-outdoor.example/?product=shanyu-trail-boots"


# -- Magento 2 --------------------------------------------------------------------------------------------------


def test_magento_results_on_a_website_platform() -> None:
    url = "https://www.highpass-sports.example/catalogsearch/result/?q=shanyu"
    found, nxt = read_search_page(_page("magento_luma.html"), url, search_shapes("website"))
    assert [_row(r) for r in found] == [
        # the special price, not the old price; no site name on the page: the store's host
        (
            "https://www.highpass-sports.example/shanyu-ridge-waterproof-jacket.html",
            "Shanyu Ridge Waterproof Jacket",
            "highpass-sports.example",
            Decimal("129.99"),
        ),
        # a configurable product's "As low as": a "from" price; tracking and store parameters dropped
        (
            "https://www.highpass-sports.example/shanyu-polar-fleece.html",
            "Shanyu Polar Fleece",
            "highpass-sports.example",
            None,
        ),
        # a tier price's "As low as" beside the price leaves the price
        (
            "https://www.highpass-sports.example/shanyu-trail-boots.html",
            "Shanyu Trail Boots",
            "highpass-sports.example",
            Decimal("1119"),
        ),
        # a bundle's "From … To …"
        (
            "https://www.highpass-sports.example/shanyu-camp-kit.html",
            "Shanyu Camp Kit",
            "highpass-sports.example",
            None,
        ),
    ]
    assert nxt == "https://www.highpass-sports.example/catalogsearch/result/index/?p=2&q=shanyu"


# -- platforms, names, hostile pages ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "url"),
    [
        ("shopify_dawn.html", DAWN_URL),
        ("shopify_horizon.html", "https://pinecrest.example/search?q=x"),
        ("woocommerce_classic.html", "https://ridgeline-outdoor.example/?s=x"),
        ("woocommerce_blocks.html", "https://cedartrail.example/?s=x"),
        ("magento_luma.html", "https://www.highpass-sports.example/catalogsearch/result/?q=x"),
    ],
)
def test_every_store_page_is_read_as_shopify_woocommerce_or_website(name: str, url: str) -> None:
    website = read_search_page(_page(name), url, search_shapes("website"))
    assert website[0] and website[1]
    for platform in ("shopify", "woocommerce"):
        assert read_search_page(_page(name), url, search_shapes(platform)) == website


@pytest.mark.parametrize(
    ("name", "url", "platform"),
    [
        ("jd_cards_2025.html", JD_URL, "jd"),
        ("pinduoduo_mobile_search.html", PDD_URL, "pinduoduo"),
        ("amazon_2025.html", "https://www.amazon.com/s?k=x", "amazon"),
        ("ebay_cards_2025.html", "https://www.ebay.com/sch/i.html?_nkw=x", "ebay"),
    ],
)
def test_a_marketplace_page_reads_the_same_under_website(name: str, url: str, platform: str) -> None:
    assert read_search_page(_page(name), url, search_shapes("website")) == read_search_page(
        _page(name), url, search_shapes(platform)
    )


def test_store_shapes_come_after_the_marketplaces_and_before_the_sandbox_shape() -> None:
    names = [s.name for s in search_shapes("website")]
    assert names[-1] == "taobao_itemlist"
    assert names.index("magento") > names.index("ebay_items") and names.index("shopify") > names.index("jd_cards")
    assert [s.name for s in SEARCH_SHAPES["jd"]][:2] == ["jd_cards", "jd"]
    assert SEARCH_SHAPES["shopify"][0] is discovery.SHOPIFY_SEARCH
    assert SEARCH_SHAPES["woocommerce"][0] is discovery.WOOCOMMERCE_SEARCH


def test_a_hostile_store_page_is_bounded() -> None:
    cards = "".join(
        f'<div class="card-wrapper"><h3 class="card__heading"><a href="/products/p{i}?_pos={i}">P{i}</a></h3>'
        f'<span class="price-item price-item--regular">£{i}.00</span></div>'
        for i in range(1000)
    )
    pager = "".join(f'<a href="/search?page={i}&amp;q=x">{i}</a>' for i in range(5000, 0, -1))
    page = f'<html><body><ul id="product-grid">{cards}</ul><nav class="pagination">{pager}</nav></body></html>'
    found, nxt = read_search_page(page, "https://shop.example/search?q=x", search_shapes("shopify"))
    assert len(found) == discovery.MAX_RESULTS_PER_PAGE
    assert nxt is None  # page 2's link is beyond the first links looked at
    assert found[0].seller_name == "shop.example"


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("$129.99 -20%", Decimal("129.99")),
        ("As low as £59.00", None),
        ("From £59.00 GBP", None),
        ("£59.00 – £79.00", None),
        ("$10.00 to $15.00", None),
        ("¥99-129", None),
    ],
)
def test_point_prices_of_store_and_marketplace_texts(text: str, amount: Decimal | None) -> None:
    assert point_price(text) == amount


def test_a_discovery_platform_must_be_one_oneprice_knows() -> None:
    # every listing found becomes a watch target of the platform: an unknown name would be a
    # target no crawl could load
    with pytest.raises(ValidationError, match="unknown platform 'magento'"):
        DiscoverySettings(search={"magento": "https://shop.example/catalogsearch/result/?q={query}"})
    assert DiscoverySettings(search={"website": "https://shop.example/catalogsearch/result/?q={query}"}).search


# -- the spider: a store's results are the reseller's whose sites name the store ----------------------------------


def test_discover_spider_gives_a_store_search_its_reseller_by_site() -> None:
    config = load_config(ROOT / "config" / "demo.yaml")
    summit = Reseller(id="summit-gear", name="Summit Gear Outdoors", sites=("summit-gear.example",))
    settings = config.settings.model_copy(update={"resellers": (*config.settings.resellers, summit)})
    spider = DiscoverSpider(config=replace(config, settings=settings))
    spider.settings_ = spider.settings_.model_copy(
        update={"search": {"shopify": "https://summit-gear.example/search?q={query}&type=product"}, "max_pages": 2}
    )
    start = next(iter(spider.start_requests()))
    response = HtmlResponse(start.url, body=_page("shopify_dawn.html"), request=start)
    out = list(spider.parse(response))
    items = [o for o in out if isinstance(o, DiscoveredItem)]
    # the page names the store "Summit Gear", no reseller's name: the store's host says whose it is
    assert {(i.platform, i.seller_name, i.reseller_id) for i in items} == {("shopify", "Summit Gear", "summit-gear")}
    assert items[0].url == "https://summit-gear.example/products/shanyu-ridge-waterproof-jacket"
    [follow] = [o for o in out if isinstance(o, Request)]
    assert follow.url == "https://summit-gear.example/search?page=2&q=shanyu&type=product"
