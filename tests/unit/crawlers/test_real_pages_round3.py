"""Shapes seen on real store pages, third round: the page's own price among the other numbers it shows.

Pages without structured data are read from their text: the price a consumer pays for one item, not
the net price beside the gross one, the price per kg, an instalment, a related product's price or a
shop's best seller shown above the item. Each saved page is trimmed from a real page of its shape,
with invented shop and brand names.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from saved_pages import page, price_of

from crawlers.extraction import ExtractionStatus, extract


@pytest.mark.parametrize(
    ("name", "url", "expected"),
    [
        # "1.091,60 € zzgl. MwSt." comes first, the gross price a consumer pays second.
        (
            "shop/net_price_first.html",
            "https://buero-technik-schulz-de.invalid/drucker/laserdrucker-lx900",
            (Decimal("1299.00"), "EUR", "sale", None),
        ),
        # "£1,082.50 Ex VAT" before "£1,299.00 Inc VAT", on a trade counter's page.
        (
            "shop/ex_vat_price_first.html",
            "https://fixit-trade-co.uk.invalid/p/cordless-combi-drill-18v-2x5ah/74821",
            (Decimal("1299.00"), "GBP", "sale", None),
        ),
        # "€12.50/kg" in `price-per-unit` above the pack's price.
        (
            "shop/unit_price_first.html",
            "https://greengrocer-online-ie.invalid/product/irish-cheddar-500g",
            (Decimal("6.25"), "EUR", "sale", None),
        ),
        # The only price is `price price--regular` (a theme's name for "not on sale"); an instalment
        # widget sits above it and related products' prices below it.
        (
            "shop/instalment_and_regular_price.html",
            "https://brightside-audio-com.invalid/products/bookshelf-speaker-pair",
            (Decimal("40.00"), "USD", "sale", None),
        ),
        # "From" is a label of its own beside the amount's element: a from price, not a point.
        (
            "shop/from_label_price.html",
            "https://altitude-computers-com.invalid/laptops/aero-14",
            (Decimal("1299"), "USD", "range", None),
        ),
        # "$20.00 - $35.00" until a size is chosen: the top of the range is kept.
        (
            "shop/text_price_range.html",
            "https://ridgeline.invalid/products/trail-sock",
            (Decimal("20.00"), "USD", "range", Decimal("35.00")),
        ),
        (
            "marketplace/text_range_yuan.html",
            "https://weidian.com/item.html?itemID=7711223344",
            (Decimal("128.00"), "CNY", "range", Decimal("168.00")),
        ),
        # The shop's best sellers (links to other items, `hot-price`) come before the item's price box.
        (
            "marketplace/shop_block_before_price.html",
            "https://product.suning.com/0070067890/12399887766.html",
            (Decimal("2999.00"), "CNY", "sale", None),
        ),
    ],
)
def test_the_text_price_is_the_one_a_consumer_pays_for_this_item(
    name: str, url: str, expected: tuple[Decimal, str, str | None, Decimal | None]
) -> None:
    got = extract(page(name), url)
    assert price_of(got) == expected
    assert got.method == "text"


def test_one_size_sold_out_and_a_discount_badge_beside_the_price_are_not_the_page_sold_out_or_its_price() -> None:
    # "L 已抢光" on one size is not the page sold out; "3.5折" beside "699" is a badge, not digits. The page
    # is Vipshop's, read by its profile since it has one (before, by the text reader: the same price).
    got = extract(page("marketplace/size_sold_out_discount_badge.html"),
                  "https://detail.vip.com/detail-1710613857-6919159356746165185.html")  # fmt: skip
    assert price_of(got) == (Decimal("699"), "CNY", "sale", None)
    assert (got.method, got.profile, got.seller_name) == ("profile", "vipshop", "蓝屿官方旗舰店")


def test_a_price_box_a_script_fills_later_gives_no_price_not_a_promotion_or_another_item() -> None:
    # The item's own price box is empty until the price service answers; the page shows the shop's best
    # sellers with their prices and a promotion line "至高补贴500元". Neither is this item's price: the
    # `suning` profile asks the price service (test_real_pages_cn_round10.py).
    got = extract(page("marketplace/price_drawn_later.html"), "https://product.suning.com/0070067890/12399887766.html")
    assert (got.status, got.reason, got.price, got.profile) == (
        ExtractionStatus.NO_PRICE,
        "price_endpoint",
        None,
        "suning",
    )
    assert got.seller_name == "云锦电器官方旗舰店"


def test_an_offer_without_stated_availability_is_sold_out_when_the_page_says_so() -> None:
    # Magento writes a microdata offer with a price and no availability, and "Out of stock" beside it;
    # the related products below are in stock.
    got = extract(page("shop/microdata_out_of_stock_text.html"), "https://harbourgardens-co.uk.invalid/bench.html")
    assert (got.status, got.reason, got.price) == (ExtractionStatus.NO_PRICE, "sold_out", None)
    assert got.method == "microdata"
    assert "page's text" in (got.why or "")


def test_structured_data_saying_sold_out_is_not_overruled_by_the_opengraph_price() -> None:
    # JSON-LD: OutOfStock; `og:price:amount` and the store's script state still show 189,00.
    got = extract(page("shopify/product_sold_out_og_price.html"), "https://nordic-lamps-eu.invalid/products/opal")
    assert (got.status, got.reason, got.price) == (ExtractionStatus.NO_PRICE, "sold_out", None)
    assert got.title == "Opal Pendant Lamp"


def test_a_sold_out_badge_of_a_related_product_or_a_size_leaves_the_item_on_sale() -> None:
    html = """<html><body><h1>Trail Sock</h1><div class="product-price"><span class="price">$24.00</span></div>
      <ul class="sizes"><li class="size-option">S</li><li class="size-option">M - Sold out</li></ul>
      <select name="size"><option>L (out of stock)</option></select>
      <section class="related-products"><div class="tile">Gaiter <span class="badge">Sold out</span></div></section>
      </body></html>"""
    got = extract(html, "https://ridgeline.invalid/products/trail-sock")
    assert price_of(got) == (Decimal("24.00"), "USD", "sale", None)
    alone = html.replace('<ul class="sizes">', '<p class="stock">Sold out</p><ul class="sizes">')
    assert extract(alone, "https://ridgeline.invalid/products/trail-sock").reason == "sold_out"


def test_a_net_price_alone_is_still_read() -> None:
    # A shop showing only its net price: the secondary price is read when there is no other.
    html = '<h1>Drucker</h1><div class="price-net"><span class="price-net__value">1.091,60 €</span> zzgl. MwSt.</div>'
    got = extract(html, "https://buero-technik-schulz-de.invalid/drucker")
    assert price_of(got) == (Decimal("1091.60"), "EUR", "sale", None)


def test_the_header_free_shipping_threshold_is_not_a_price() -> None:
    html = """<html><body><header><div class="topbar">Free shipping over $50</div></header>
      <h1>Trail Sock</h1><p>Our warmest sock.</p><footer>Orders over $75 ship free</footer></body></html>"""
    got = extract(html, "https://ridgeline.invalid/products/trail-sock")
    assert (got.status, got.reason) == (ExtractionStatus.NO_PRICE, "no_price_found")
    shown = html.replace("<p>Our warmest sock.</p>", "<p>Now only $19.00 while stocks last.</p>")
    assert price_of(extract(shown, "https://ridgeline.invalid/products/trail-sock"))[:2] == (Decimal("19.00"), "USD")


@pytest.mark.parametrize(
    ("name", "url", "reason"),
    [
        # JD's risk page: a jigsaw slider ("向右滑动完成拼图", `JDJRV-*`), served at the item's address.
        ("jd/risk_slider.html", "https://item.jd.com/100031406046.html", "captcha"),
        # Taobao's login page served at the item's address: title "淘宝网 - 淘！我喜欢", a password form.
        ("taobao/login_page_at_item_url.html", "https://item.taobao.com/item.htm?id=590011223344", "login_wall"),
    ],
)
def test_pages_served_instead_of_the_item_say_why(name: str, url: str, reason: str) -> None:
    got = extract(page(name), url)
    assert (got.status, got.reason, got.price) == (ExtractionStatus.BLOCKED, reason, None)


def test_a_login_form_in_the_header_of_a_priced_page_is_not_a_wall() -> None:
    html = """<html><body><header><form action="/account/login" class="login"><input name="user">
      <input type="password" name="pw"><button>Log in</button></form></header>
      <h1>Trail Sock</h1><div class="price">$24.00</div></body></html>"""
    got = extract(html, "https://ridgeline.invalid/products/trail-sock")
    assert price_of(got) == (Decimal("24.00"), "USD", "sale", None)
    unpriced = html.replace('<div class="price">$24.00</div>', "<p>Members only.</p>")
    assert extract(unpriced, "https://ridgeline.invalid/products/trail-sock").reason == "login_wall"


def test_a_taobao_detail_page_with_one_security_price_box_is_read_by_its_profile() -> None:
    # The 2024 PC detail page: "￥" and "159" in `SecurityPrice--securityPrice--`, the shop in
    # `ShopHeaderNew--shopName--`, "快递: 免运费" in `Delivery--freight--`, shop picks (49.9, 29.9) below.
    got = extract(page("taobao/detail_security_price.html"), "https://item.taobao.com/item.htm?id=760112233445")
    assert price_of(got) == (Decimal("159"), "CNY", "sale", None)
    assert (got.profile, got.method, got.seller_name) == ("taobao-detail", "profile", "青禾农场直营店")
    assert got.shipping is not None and got.shipping.amount == Decimal("0.00")
    assert {c.amount for c in got.candidates} == {Decimal("159")}


@pytest.mark.parametrize(
    "words",
    ["Rupture de stock", "Nicht auf Lager", "Sin stock", "Esaurito", "Uitverkocht", "在庫切れ", "売り切れ", "품절"],
)
def test_sold_out_is_read_in_the_store_s_language(words: str) -> None:
    html = f"""<html><body><h1>Lampe Opale</h1><div class="product-price"><span class="price">189,00 €</span></div>
      <div id="product-availability">{words}</div></body></html>"""
    got = extract(html, "https://nordic-lamps-eu.invalid/p/opal")
    assert (got.status, got.reason) == (ExtractionStatus.NO_PRICE, "sold_out")
    assert extract(html.replace(words, "En stock"), "https://nordic-lamps-eu.invalid/p/opal").price is not None


# -- marketplaces and stores abroad ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "url", "expected"),
    [
        # Amazon.ca's older price block: "CDN$ 39.99" (price-parser alone sees Namibia's "N$" in it).
        (
            "amazon/detail_cdn_dollar_priceblock.html",
            "https://www.amazon.ca/dp/B07CALEG01",
            (Decimal("39.99"), "CAD", "sale", None),
        ),
        # eBay multi-variation listings before a variation is chosen: a range written in words.
        (
            "ebay/item_variation_range_to.html",
            "https://www.ebay.com/itm/256600011122",
            (Decimal("10.99"), "USD", "range", Decimal("15.99")),
        ),
        (
            "ebay/item_de_variation_range_bis.html",
            "https://www.ebay.de/itm/166600077788",
            (Decimal("12.99"), "EUR", "range", Decimal("19.99")),
        ),
        # "RM89.00" and "₱1,299.00" beside the seller's delivery block (`module_seller_delivery`).
        (
            "marketplace/pdp_ringgit_seller_blocks.html",
            "https://www.lazada.com.my/products/air-fryer-i3456789012-s17654321098.html",
            (Decimal("89.00"), "MYR", "sale", None),
        ),
        (
            "marketplace/pdp_peso.html",
            "https://www.lazada.com.ph/products/air-fryer-i3456789012-s17654321098.html",
            (Decimal("1299.00"), "PHP", "sale", None),
        ),
        # "$ 24.999" on a .com.ar store is Argentine pesos.
        (
            "marketplace/vendido_por_pesos.html",
            "https://articulo.mercadolibre.com.ar/MLA-1456789012-pava-electrica-acero-_JM",
            (Decimal("24999"), "ARS", "sale", None),
        ),
        # A buy box named `listing-page-cart` whose price element is named for nothing: the currency text.
        (
            "shop/buy_box_cart_region.html",
            "https://www.etsy.com/uk/listing/1122334455/linen-table-runner",
            (Decimal("19.20"), "GBP", "sale", None),
        ),
        # "Was $39.99 Now $24.88" in one price box, the words in screen-reader text.
        (
            "shop/was_now_one_box.html",
            "https://www.walmart.com/ip/Homestead-10-Piece-Nonstick-Cookware-Set/555123456",
            (Decimal("24.88"), "USD", "sale", None),
        ),
    ],
)
def test_prices_abroad_are_read_in_their_currency_and_shape(
    name: str, url: str, expected: tuple[Decimal, str, str | None, Decimal | None]
) -> None:
    # As a crawl reads them: the site's own currency first (`site_currency_first`, as the watch spider asks).
    assert price_of(extract(page(name), url, site_currency_first=True)) == expected


@pytest.mark.parametrize(
    ("name", "url", "seller"),
    [
        (
            "marketplace/pdp_ringgit_seller_blocks.html",
            "https://www.lazada.com.my/products/air-fryer-i3456789012-s17654321098.html",
            "KitchenPro Official Store",
        ),
        (
            "marketplace/vendido_por_pesos.html",
            "https://articulo.mercadolibre.com.ar/MLA-1456789012-pava-electrica-acero-_JM",
            "HOGARPLUS",
        ),
    ],
)
def test_the_seller_is_the_name_not_its_delivery_block_or_label(name: str, url: str, seller: str) -> None:
    assert extract(page(name), url).seller_name == seller


def test_an_ebay_listing_out_of_stock_gives_no_price() -> None:
    got = extract(page("ebay/item_out_of_stock.html"), "https://www.ebay.com/itm/276600055566")
    assert (got.status, got.reason, got.profile) == (ExtractionStatus.NO_PRICE, "sold_out", "ebay")


def test_ebay_free_postage_is_a_fee_of_nothing() -> None:
    got = extract(page("ebay/item_uk_free_postage.html"), "https://www.ebay.co.uk/itm/395500033344")
    assert price_of(got) == (Decimal("24.99"), "GBP", "sale", None)
    assert got.shipping is not None and (got.shipping.amount, got.shipping.currency) == (Decimal("0.00"), "GBP")
