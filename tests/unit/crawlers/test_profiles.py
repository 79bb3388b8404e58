"""Saved platform pages -> what their page profile reads: offers, chosen price and kind, shipping, seller."""

from __future__ import annotations

from decimal import Decimal

import pytest
from lxml import html as lxml_html
from parsel import Selector
from saved_pages import page

from crawlers.extraction import ExtractionStatus, extract
from crawlers.profiles import PROFILES, find_profile, selector_for


def selector_for_page(name: str) -> Selector:
    return selector_for(lxml_html.document_fromstring(page(name)))


# (saved page, url, follow-up answer, profile, price, kind, shipping, seller, sku, gtin, offers)
PAGES = [
    ("tmall/detail_coupon.html", "https://detail.tmall.com/item.htm?id=1", None, "tmall",
     "1299.00", "sale", "0.00", "山屿户外官方旗舰店", "SY-JK01-RED-M", None, 1),  # 免运费
    ("tmall/detail_gbk.html", "https://detail.tmall.com/item.htm?id=1", None, "tmall",
     "1299.00", "sale", "0.00", "山屿户外官方旗舰店", "SY-JK01-RED-M", None, 1),  # 免运费
    ("jd/item_price_api.html", "https://item.jd.com/555610491.html", "jd/prices_mgets.json", "jd",
     "529.00", "sale", "6.00", "北极星运动旗舰店", None, None, 1),
    ("pinduoduo/goods_rawdata.html", "https://mobile.yangkeduo.com/goods.html?goods_id=1", None, "pinduoduo",
     "389.00", "sale", None, "云端登山用品", "SY-FL03-GRY-M", "6973128600077", 1),
    ("youzan/goods.html", "https://shop1.youzan.com/wscgoods/detail/1", None, "youzan",
     "139.00", "sale", "10.00", "绿野户外生活馆", "SY-TM35", None, 1),
    ("amazon/offer_listing.html", "https://www.amazon.cn/gp/offer-listing/B0", None, "amazon-offers",
     "149.00", "sale", "8.00", "高原行者户外", None, None, 2),
    ("amazon/product_detail.html", "https://www.amazon.cn/dp/B0SYJK01RM", None, "amazon-product",
     "1199.00", "sale", "8.00", "高原行者户外", "B0SYJK01RM", None, 1),
    ("ebay/item.html", "https://www.ebay.com/itm/2850123456", None, "ebay",
     "749.00", "sale", "25.00", "trailgear-eu", "2850123456", None, 1),
    ("shopify/product.html", "https://summit.example/products/summit-bottle", "shopify/product.js", "shopify",
     "119.00", "sale", None, "Summit Gear Outlet", "SY-TM35", "6973128600268", 1),
    ("woocommerce/product_sale.html", "https://trailhead.example/product/tee", None, "woocommerce",
     "169.00", "sale", None, "Trailhead Supply", "SY-TS05", None, 1),
]  # fmt: skip


@pytest.mark.parametrize(
    ("name", "url", "answer", "profile", "price", "kind", "shipping", "seller", "sku", "gtin", "offers"),
    PAGES,
    ids=[p[0] for p in PAGES],
)
def test_saved_platform_page(
    name: str,
    url: str,
    answer: str | None,
    profile: str,
    price: str,
    kind: str,
    shipping: str | None,
    seller: str,
    sku: str | None,
    gtin: str | None,
    offers: int,
) -> None:
    body = page(name)
    got = extract(body, url)
    if answer is not None:
        assert got.status is ExtractionStatus.NO_PRICE and got.reason == "price_endpoint"
        assert got.follow_up and got.price is None
        got = extract(body, url, follow_up_body=page(answer))
    assert got.status is ExtractionStatus.OK, got.reason
    assert (got.profile, got.method) == (profile, "profile")
    assert got.price is not None and got.price.amount == Decimal(price) and got.price.currency == "CNY"
    assert got.price_kind == kind
    assert (got.shipping.amount if got.shipping else None) == (Decimal(shipping) if shipping else None)
    assert got.seller_name == seller
    assert (got.sku, got.gtin) == (sku, gtin)
    assert len(got.offers or (got,)) == offers
    assert got.raw_price and got.candidates and Decimal(0) < got.confidence <= 1


def test_tmall_list_and_coupon_prices_are_kept_as_candidates_and_the_policy_decides() -> None:
    body = page("tmall/detail_coupon.html")
    shelf = extract(body, "https://detail.tmall.com/item.htm")
    kinds = {c.kind: c.amount for c in shelf.candidates}
    assert kinds == {"list": Decimal("1599.00"), "sale": Decimal("1299.00"), "coupon": Decimal("1199.00")}
    coupon = extract(body, "https://detail.tmall.com/item.htm", coupon_policy="after_coupon")
    assert coupon.price is not None and coupon.price.amount == Decimal("1199.00")
    assert coupon.price_kind == "coupon"


def test_offer_listing_gives_one_offer_per_seller_with_shipping_apart() -> None:
    got = extract(page("amazon/offer_listing.html"), "https://www.amazon.cn/gp/offer-listing/B0")
    sellers = [(o.seller_name, o.price.amount if o.price else None, o.offer_key) for o in got.offers]
    assert sellers == [
        ("高原行者户外", Decimal("149.00"), "高原行者户外"),
        ("山屿官方旗舰店", Decimal("169.00"), "山屿官方旗舰店"),
    ]
    assert got.offers[0].shipping is not None and got.offers[1].shipping is None


def test_jd_price_service_saying_not_on_sale_is_sold_out() -> None:
    body = page("jd/item_price_api.html")
    answer = b'[{"id": "J_555610491", "p": "-1.00", "op": "599.00"}]'
    got = extract(body, "https://item.jd.com/555610491.html", follow_up_body=answer)
    assert got.status is ExtractionStatus.NO_PRICE and got.reason == "sold_out" and got.price is None


@pytest.mark.parametrize("answer", [b"", b"not json", b"{}", b"[1, 2]", b'[{"id": "J_1", "p": "abc"}]'])
def test_a_broken_price_service_answer_is_no_price(answer: bytes) -> None:
    got = extract(page("jd/item_price_api.html"), "https://item.jd.com/1.html", follow_up_body=answer)
    # Never the ¥6.00 shipping fee that is the only amount left on the page.
    assert got.status is ExtractionStatus.NO_PRICE and got.price is None and got.profile == "jd"


def test_pinduoduo_prices_in_fen_become_yuan_exactly() -> None:
    got = extract(page("pinduoduo/goods_rawdata.html"), "https://mobile.yangkeduo.com/goods.html")
    amounts = sorted(c.amount for c in got.candidates)
    assert amounts == [Decimal("389.00"), Decimal("459.00")]
    assert all(isinstance(a, Decimal) for a in amounts)


def test_structured_data_wins_over_a_profile() -> None:
    html = page("tmall/detail_coupon.html").replace(
        b"</head>",
        b'<script type="application/ld+json">{"@type": "Product", "name": "x", "offers": '
        b'{"@type": "Offer", "price": "1288.00", "priceCurrency": "CNY"}}</script></head>',
    )
    got = extract(html, "https://detail.tmall.com/item.htm")
    assert got.method == "json-ld" and got.price is not None and got.price.amount == Decimal("1288.00")


def test_platform_narrows_the_profiles_tried() -> None:
    sel = selector_for_page("tmall/detail_coupon.html")
    assert find_profile(sel, "tmall") is not None
    assert find_profile(sel, "jd") is None
    assert {p.name for p in PROFILES} >= {"tmall", "jd", "pinduoduo", "youzan", "shopify", "woocommerce"}


def test_amazon_product_page_reads_only_the_buy_box() -> None:
    """Carousel prices of other products (¥899, ¥49) are never candidates; a page without a buy box
    price (currently unavailable) has no price rather than a carousel's."""
    body = page("amazon/product_detail.html")
    got = extract(body, "https://www.amazon.cn/dp/B0SYJK01RM")
    assert sorted(c.amount for c in got.candidates) == [Decimal("1199.00"), Decimal("1299.00")]
    start, end = body.index(b'<div id="apex_desktop"'), body.index(b'<div id="couponBadgeRegularVpc"')
    unavailable = body[:start] + '<div id="outOfStock"><span>目前无货</span></div>'.encode() + body[end:]
    gone = extract(unavailable, "https://www.amazon.cn/dp/B0SYJK01RM")
    assert gone.status is ExtractionStatus.NO_PRICE and gone.price is None
    assert (gone.profile, gone.reason) == ("amazon-product", "sold_out")
