"""The seller, title and identifiers a generic page states, read as a brand manager needs them: the shop's exact
name for this offer (never a label, a rating, a badge or another offer's shop), the product's heading, a GTIN
only when it is one."""

from __future__ import annotations

import json

import pytest

from crawlers.extraction import ExtractionStatus, extract
from oneprice.domain.money import Money

URL = "https://shop.example.com/item/1"


def _page(body: str, head: str = "") -> str:
    return f"<html><head>{head}</head><body><h1>Lamp</h1><div class='price'>$24.99</div>{body}</body></html>"


def _seller(body: str) -> str | None:
    got = extract(_page(body), URL)
    assert got.status is ExtractionStatus.OK and got.price == Money.of("24.99", "USD")
    return got.seller_name


@pytest.mark.parametrize(
    ("block", "name"),
    [
        ("<div class='seller'>Ships from and sold by Acme Store</div>", "Acme Store"),
        ("<div class='seller'>Sold and shipped by Acme Store</div>", "Acme Store"),
        ("<div class='shopName'>商家名称：ABC专营店</div>", "ABC专营店"),
        ("<div class='shop-name'>店铺名称：ABC旗舰店</div>", "ABC旗舰店"),
        ("<div class='seller'>Vendedor: Loja ABC</div>", "Loja ABC"),
    ],
)
def test_a_longer_seller_label_is_no_part_of_the_name(block: str, name: str) -> None:
    """Amazon's "Ships from and sold by", Walmart's "Sold and shipped by", JD's 商家名称, Mercado Livre's Vendedor."""
    assert _seller(block) == name


@pytest.mark.parametrize(
    ("block", "name"),
    [
        ("<div class='seller'><a href='/store/1'>Acme Store 98.5% positive</a></div>", "Acme Store"),
        ("<div class='seller'><a href='/store/1'>Acme Store (1,234)</a></div>", "Acme Store"),
        ("<div class='seller'>Acme Store · 98% positive</div>", "Acme Store"),
        ("<div class='seller-info'><span>Sold by</span> <a href='/s/1'>Acme Store</a>"
         " <span>98% positive feedback</span></div>", "Acme Store"),
        ("<div class='shop-name'>ABC旗舰店 粉丝 12万</div>", "ABC旗舰店"),
        ("<div class='shop-name'>ABC旗舰店 已售 3.2万</div>", "ABC旗舰店"),
        ("<div class='seller'>Acme Store 5 yrs</div>", "Acme Store"),
        ("<div class='seller'>Sold by Acme Store and Fulfilled by Amazon.</div>", "Acme Store"),
        ("<div class='shop-name'>ABC 官方旗舰店 <span class='badge'>Official</span></div>", "ABC 官方旗舰店"),
        ("<div class='seller'>Acme <span class='seller-rating'>4.8</span></div>", "Acme"),
    ],
)  # fmt: skip
def test_a_rating_count_or_badge_after_the_seller_is_no_part_of_the_name(block: str, name: str) -> None:
    """What a seller block shows after the name (its score, ratings, followers, sales, years, a badge) is about
    the seller: "Acme Store 98.5% positive" would be an unknown seller, and a new one each time the score moves."""
    assert _seller(block) == name


@pytest.mark.parametrize(
    "block",
    [
        "<div class='recommended'><h2>More items</h2><div class='seller'>Other Shop</div><span class='price'>$5</span>"
        "</div>",
        "<div class='other-sellers'><div class='seller'>Other Shop</div><span>$19.99</span></div>",
        "<section><h3>Other sellers on Shop</h3><div class='seller'>Other Shop</div><span>$19.99</span></section>",
    ],
)
def test_the_shop_of_a_recommended_product_or_another_offer_is_not_this_offers(block: str) -> None:
    """A block of other products or of other sellers' offers comes before the offer's own seller: its shop is
    not the seller of this page, which is the one named after it."""
    assert _seller(block + "<div class='seller'>Acme</div>") == "Acme"
    assert _seller(block) is None


@pytest.mark.parametrize(
    "block",
    [
        "<span class='best-seller'>Best Seller</span>",
        "<span class='top-seller badge'>#1 Top Seller</span>",
        "<nav><a class='seller-center' href='/seller'>Seller Center</a></nav>",
        "<header><a class='seller' href='/sell'>Sell on Shop</a></header>",
        "<footer><div class='seller'>Become a Seller</div></footer>",
    ],
)
def test_a_best_seller_badge_or_a_site_link_for_sellers_is_no_seller(block: str) -> None:
    """A badge that ranks the product and the marketplace's own links for sellers name nobody who sells it."""
    assert _seller(block) is None
    assert _seller(block + "<div class='seller-name'>Acme</div>") == "Acme"


def test_hostile_seller_text_stays_text() -> None:
    """Escaped markup is kept as the text it is (shown escaped), control characters are dropped, and a block
    too long to be a name is none."""
    assert _seller("<div class='seller'>&lt;script&gt;alert(1)&lt;/script&gt;</div>") == "<script>alert(1)</script>"
    assert _seller("<div class='seller'>Acme\x07 Store</div>") == "Acme Store"
    assert _seller("<div class='seller'>" + "A" * 500 + "</div>") is None


@pytest.mark.parametrize(
    "before",
    [
        "<div class='modal' style='display:none'><h1>Sign in</h1></div>",
        "<dialog><h1>Join our newsletter</h1></dialog>",
        "<div hidden><h1>Your cart</h1></div>",
        "<h1> </h1>",
    ],
)
def test_the_title_is_the_first_heading_shown_not_a_closed_dialogs(before: str) -> None:
    """A main heading in a closed dialog (sign-in, newsletter, cart drawer) or an empty one is not the product's."""
    html = f"<html><head><title>Desk Lamp | Acme</title></head><body>{before}<h1>Desk Lamp</h1>"
    got = extract(html + "<div class='price'>$24.99</div></body></html>", URL)
    assert got.title == "Desk Lamp"


def test_a_page_whose_only_heading_is_in_a_closed_dialog_is_titled_by_its_title() -> None:
    html = "<html><head><title>Desk Lamp | Acme</title></head><body><dialog><h1>Sign in</h1></dialog>"
    got = extract(html + "<div class='price'>$24.99</div></body></html>", URL)
    assert got.title == "Desk Lamp | Acme"


def _jsonld(product: dict[str, object]) -> str:
    data = {"@context": "https://schema.org", "@type": "Product", "name": "Lamp", **product}
    return f"<html><head><script type='application/ld+json'>{json.dumps(data)}</script></head><body></body></html>"


OFFER = {"@type": "Offer", "price": "9.99", "priceCurrency": "USD"}


@pytest.mark.parametrize(
    ("key", "value"), [("gtin13", "6901234567891"), ("gtin", "12345678"), ("ean", "4006381333932")]
)
def test_a_stated_gtin_with_a_wrong_check_digit_is_no_gtin(key: str, value: str) -> None:
    """Shops fill `gtin13` with their own item numbers too; a wrong check digit is no GTIN, as for `productID`."""
    got = extract(_jsonld({key: value, "offers": OFFER}), URL)
    assert got.price == Money.of("9.99", "USD") and got.gtin is None


def test_a_stated_gtin_with_a_right_check_digit_is_kept() -> None:
    assert extract(_jsonld({"gtin13": "6901234567892", "offers": OFFER}), URL).gtin == "6901234567892"
    assert extract(_jsonld({"gtin13": "4006381333931", "offers": OFFER}), URL).gtin == "4006381333931"


def test_an_escaped_name_in_json_ld_is_read_as_the_buyer_reads_it() -> None:
    """WordPress stores titles escaped and texturized and WooCommerce writes them so into JSON-LD: the product is
    "Lamp & Shade – Blue", sold by "Smith & Sons", not "Lamp &amp; Shade &#8211; Blue"."""
    offer = {**OFFER, "seller": {"@type": "Organization", "name": "Smith &amp; Sons"}}
    got = extract(_jsonld({"name": "Lamp &amp; Shade &#8211; Blue", "offers": offer}), URL)
    assert (got.title, got.seller_name) == ("Lamp & Shade – Blue", "Smith & Sons")
    # markup written as escaped text stays text
    got = extract(_jsonld({"name": "&lt;script&gt;x&lt;/script&gt; Lamp", "offers": OFFER}), URL)
    assert got.title == "<script>x</script> Lamp"


@pytest.mark.parametrize(
    ("block", "name"),
    [
        ("<p>Sold by <a href='/s/1'>Acme Store</a></p>", "Acme Store"),
        ("<p><span>Sold by:</span> <a href='/s/1'>Acme Store</a></p>", "Acme Store"),
        ("<p>Seller: <a href='/s/1'>Acme</a> (99% positive)</p>", "Acme"),
        ("<li>店铺：<a href='//shop1.example.com'>ABC旗舰店</a></li>", "ABC旗舰店"),
        ("<div class='sold-by'>Sold by <a href='/s'>Acme</a></div>", "Acme"),
        ("<div class='wcfmmp_sold_by_container'><div class='wcfmmp_sold_by_wrapper'>"
         "<span class='wcfmmp_sold_by_label'>Store</span>"
         "<a class='wcfm_dashboard_item_title' href='/store/acme'>Acme Store</a></div></div>", "Acme Store"),
    ],
)  # fmt: skip
def test_a_seller_link_after_a_bare_label_names_the_seller(block: str, name: str) -> None:
    """No class names the block, or only a "sold by" one (WCFM's `wcfmmp_sold_by_container`): the link that a
    seller label introduces is the shop's."""
    assert _seller(block) == name


@pytest.mark.parametrize(
    "block", ["<p>Sold by weight <a href='/x'>see guide</a></p>", "<p>Seller <a href='/login'>Login</a></p>"]
)
def test_a_link_after_words_that_only_start_like_a_seller_label_is_no_seller(block: str) -> None:
    assert _seller(block) is None


def test_an_aggregate_offer_over_sellers_offers_gives_each_sellers_offer_not_the_summary() -> None:
    """A price comparison or marketplace page writes an AggregateOffer over its sellers' offers: the product's sku
    on the summary does not make it one more offer; each seller's price is an observation, the summary none."""
    offers = {
        "@type": "AggregateOffer", "lowPrice": "8.99", "highPrice": "9.99", "offerCount": 2, "priceCurrency": "USD",
        "offers": [
            {**OFFER, "price": "9.99", "seller": {"@type": "Organization", "name": "A"}},
            {**OFFER, "price": "8.99", "seller": {"@type": "Organization", "name": "B"}},
        ],
    }  # fmt: skip
    got = extract(_jsonld({"sku": "L1", "offers": offers}), URL)
    assert (got.price, got.price_kind, got.seller_name) == (Money.of("8.99", "USD"), "sale", "B")
    assert [(o.seller_name, o.price) for o in got.offers] == [
        ("B", Money.of("8.99", "USD")),
        ("A", Money.of("9.99", "USD")),
    ]


@pytest.mark.parametrize("condition", ["https://schema.org/UsedCondition", "RefurbishedCondition", "DamagedCondition"])
def test_a_second_hand_offer_beside_the_new_one_is_not_the_products_price(condition: str) -> None:
    """Best Buy's open-box offers and a marketplace's used offers sit beside the new item's in the same Product:
    the new item's price is the shelf price, however much lower the used one is."""
    offers = [
        {**OFFER, "price": "9.99", "itemCondition": "https://schema.org/NewCondition"},
        {**OFFER, "price": "5.99", "itemCondition": condition},
    ]
    got = extract(_jsonld({"sku": "L1", "offers": offers}), URL)
    assert got.price == Money.of("9.99", "USD")
    assert {c.amount for c in got.candidates} == {Money.of("9.99", "USD").amount}


def test_a_listing_of_a_used_item_is_read_at_its_price() -> None:
    offers = {**OFFER, "price": "5.99", "itemCondition": "https://schema.org/UsedCondition"}
    assert extract(_jsonld({"offers": offers}), URL).price == Money.of("5.99", "USD")
