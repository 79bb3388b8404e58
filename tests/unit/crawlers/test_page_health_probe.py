"""Page health as sites serve it with status 200: block and challenge pages, login walls, "page not found" pages,
delisted and sold-out offers in many languages, and two price boxes that contradict each other."""

from __future__ import annotations

import pytest

from crawlers.extraction import REASON_NOT_FOUND, REASON_SOLD_OUT, ExtractionStatus, extract
from crawlers.page_signals import REASON_ANTI_BOT, REASON_CAPTCHA, REASON_LOGIN_WALL
from oneprice.domain.money import Money
from oneprice.settings.crawl import MatchingSettings

URL = "https://shop.example.com/p/123"
PRICE = "<div class='price'>¥199.00</div>"  # a template's price box, still filled on a block page


def _page(body: str, title: str = "Widget") -> str:
    return f"<html><head><title>{title}</title></head><body>{body}</body></html>"


BLOCK_PAGES = {
    "jd risk page": (_page("<div>京东验证</div><div id='JDJRV-wrap'></div>" + PRICE, "京东验证"), URL),
    "jd risk address": (_page(PRICE), "https://cfe.m.jd.com/privatedomain/risk_handler/03101900/?returnurl=x"),
    "jd risk script": (
        _page(
            "<script>location.href='https://cfe.m.jd.com/privatedomain/risk_handler/03101900/?evtype=2'</script>"
            + PRICE
        ),
        URL,
    ),
    "pinduoduo check": (_page("<div>请完成验证后继续访问</div>" + PRICE, "拼多多"), URL),
    "crowded": (_page("<div>当前访问人数过多，请稍后再试</div>" + PRICE, "拼多多"), URL),
    "cloudflare turnstile interstitial": (
        _page("<div id='cf-chl-widget-x'>Verifying you are human. This may take a few seconds.</div>" + PRICE, "Shop"),
        URL,
    ),
    "cloudflare challenge script": (
        _page(
            "<script>window._cf_chl_opt={cvId:'3'}</script><noscript>Enable JavaScript and cookies to continue"
            "</noscript>" + PRICE,
            "shop.example.com",
        ),
        URL,
    ),
    "cloudflare block": (
        _page("<h1>Sorry, you have been blocked</h1><p>Cloudflare Ray ID: 7a1</p>" + PRICE, "shop.example.com"),
        URL,
    ),
    "akamai": (
        _page(
            '<h1>Access Denied</h1>You don\'t have permission to access "http://www.x.com/p" on this server.'
            "<p>Reference #18.2f</p>" + PRICE,
            "",
        ),
        URL,
    ),
    "datadome": (
        _page(
            "<script>var dd={'rt':'c','cid':'x','host':'geo.captcha-delivery.com'}</script>"
            "<script src='https://ct.captcha-delivery.com/c.js'></script>" + PRICE,
            "shop.example.com",
        ),
        URL,
    ),
    "amazon robot check": (_page(PRICE), "https://www.amazon.com/errors/validateCaptcha?amzn=x"),
    "shopify": (
        _page("<h1>Your connection needs to be verified</h1><p>Please confirm that you are human</p>" + PRICE, "Shop"),
        URL,
    ),
    "aws waf": (
        _page(
            "<div id='challenge-container'></div><script>window.awsWafCookieDomainList = [];"
            "window.gokuProps = {'key': 'x'}</script>" + PRICE,
            "",
        ),
        URL,
    ),
    "perimeterx": (_page("<p>Press &amp; Hold to confirm you are a human (and not a bot).</p>" + PRICE, "x"), URL),
    "incapsula": (_page("<p>Request unsuccessful. Incapsula incident ID: 1234-5678</p>" + PRICE), URL),
    "sucuri": (
        _page("<h1>Access Denied - Sucuri Website Firewall</h1>" + PRICE, "Sucuri WebSite Firewall - Access Denied"),
        URL,
    ),
    "rate limit": (_page("<h1>Too many requests</h1><p>Please try again later.</p>" + PRICE, "Too Many Requests"), URL),
    "rate limit in text": (_page("<h1>429 Too Many Requests</h1>" + PRICE, "Shop"), URL),
}


@pytest.mark.parametrize(("html", "url"), BLOCK_PAGES.values(), ids=BLOCK_PAGES.keys())
def test_a_block_page_served_with_status_200_is_blocked_whatever_price_its_template_shows(html: str, url: str) -> None:
    got = extract(html, url)
    assert got.status is ExtractionStatus.BLOCKED and got.price is None
    assert got.reason in (REASON_CAPTCHA, REASON_ANTI_BOT)


def test_a_captcha_titled_page_is_a_captcha_not_only_anti_bot() -> None:
    got = extract(_page("<div>请输入验证码</div>" + PRICE, "验证码"), URL)
    assert (got.status, got.reason) == (ExtractionStatus.BLOCKED, REASON_CAPTCHA)


PRODUCT_PAGES = {
    "turnstile on a review form": "<form class='review'><div class='cf-turnstile' data-sitekey='x'></div></form>"
    "<script src='https://challenges.cloudflare.com/turnstile/v0/api.js'></script>",
    "recaptcha on a review form": "<form class='review'><div class='g-recaptcha'></div></form>"
    "<script src='https://www.google.com/recaptcha/api.js'></script>",
    "captcha in a script name": "<script src='/js/captcha-loader.min.js'></script>",
    "aws waf sdk": "<script src='https://abc.token.awswaf.com/abc/challenge.js'></script>",
    "a robot in the product's name": "<p>Robot vacuum cleaner - not a robot toy</p>",
    "a manual's press and hold": "<p>Press and hold the button for 3 seconds to reset.</p>",
}


@pytest.mark.parametrize("extra", PRODUCT_PAGES.values(), ids=PRODUCT_PAGES.keys())
def test_a_product_page_that_only_loads_a_check_for_a_form_or_names_a_robot_is_read(extra: str) -> None:
    got = extract(_page(f"<h1>Widget</h1>{PRICE}{extra}"), URL)
    assert got.status is ExtractionStatus.OK and got.price == Money.of("199.00", "CNY")


def test_a_login_page_served_at_the_items_address_is_a_login_wall() -> None:
    """Taobao's login page answered for the item's address: no login word in its title, no form around the fields."""
    html = _page(
        "<div class='login-box'><div>密码登录</div><div>扫码登录</div><input type='text' name='fm-login-id'>"
        "<input type='password' name='fm-login-password'><button>登录</button></div>"
        "<div class='recommend'><span class='price'>¥99</span></div>",
        "淘宝网 - 淘！我喜欢",
    )
    got = extract(html, URL)
    assert (got.status, got.reason, got.price) == (ExtractionStatus.BLOCKED, REASON_LOGIN_WALL, None)


def test_a_login_link_or_dropdown_in_a_product_pages_header_is_no_login_wall() -> None:
    header = (
        "<header><a href='/login'>登录</a><form action='/login'><input type='password'><button>登录</button></form>"
    )
    got = extract(_page(f"{header}</header><h1>Widget</h1>{PRICE}"), URL)
    assert got.status is ExtractionStatus.OK and got.price == Money.of("199.00", "CNY")


GRID = (
    "<div class='grid'><div class='card'><span class='price'>$24.00</span></div><span class='price'>$35.00</span></div>"
)
NOT_FOUND_PAGES = {
    "404 title": _page("<h1>404 Not Found</h1><div class='product'><span class='price'>¥99</span></div>", "404"),
    "chinese title": _page(
        "<div>抱歉，您访问的页面不存在</div><div class='rec'><span class='price'>¥88</span></div>", "页面不存在"
    ),
    "shopify title": _page(f"<h1>Page not found</h1>{GRID}", "Page not found – My Store"),
    "shopify heading": _page(f"<h1>404 Page Not Found</h1><p>Continue shopping</p>{GRID}", "My Store"),
    "woocommerce": _page(f"<h2>Oops! That page can’t be found.</h2>{GRID}", "My Store"),
    "amazon": _page(
        "<div>Looking for something? We're sorry. The Web address you entered is not a functioning page on our site."
        "</div><span class='a-price'>$19.99</span>",
        "Amazon.com",
    ),
    "chinese text": _page("<div>404 您访问的页面找不到了</div><span class='price'>¥88</span>", "Shop"),
}


@pytest.mark.parametrize("html", NOT_FOUND_PAGES.values(), ids=NOT_FOUND_PAGES.keys())
def test_a_page_not_found_served_with_status_200_gives_no_other_products_price(html: str) -> None:
    got = extract(html, URL)
    assert (got.status, got.reason, got.price) == (ExtractionStatus.NO_PRICE, REASON_NOT_FOUND, None)


def test_404_in_a_products_name_is_no_page_not_found() -> None:
    got = extract(_page("<h1>Error 404 Tee - funny shirt</h1><span class='price'>$24.00</span>", "Error 404 Tee"), URL)
    assert got.status is ExtractionStatus.OK and got.price == Money.of("24.00", "USD")


@pytest.mark.parametrize(
    "said",
    [
        "此商品已失效",
        "This listing was ended by the seller because there was an error in the listing.",
        "Bidding has ended on this item.",
    ],
)
def test_a_delisted_or_ended_listing_is_sold_out(said: str) -> None:
    got = extract(_page(f"<h1>Widget</h1><div>{said}</div><span class='price'>US $45.00</span>"), URL)
    assert (got.status, got.reason, got.price) == (ExtractionStatus.NO_PRICE, REASON_SOLD_OUT, None)


@pytest.mark.parametrize(
    "stock",
    ["Non disponibile", "Prodotto non disponibile", "niet leverbaar", "Niet op voorraad", "Niedostępny",
     "Produkt chwilowo niedostępny", "Wyprzedany", "Brak w magazynie", "Produto indisponível", "Sem estoque",
     "Sin existencias", "No disponible", "Nicht vorrätig", "Indisponible", "Tükendi", "Stokta yok", "Нет в наличии",
     "Stok habis", "Hết hàng", "สินค้าหมด", "已售完", "补货中", "暂无库存", "在庫なし", "販売終了",
     "Non disponibile in magazzino"],
)  # fmt: skip
def test_sold_out_in_more_languages(stock: str) -> None:
    got = extract(_page(f"<h1>Widget</h1>{PRICE}<div class='stock'>{stock}</div>"), URL)
    assert (got.status, got.reason, got.price) == (ExtractionStatus.NO_PRICE, REASON_SOLD_OUT, None)


@pytest.mark.parametrize(
    "said",
    [
        "<p>Envío no disponible en Canarias</p>",
        "<p>Spedizione non disponibile per le isole</p>",
        "<p>Livraison indisponible</p>",
        "<div class='review'>It was out of stock for weeks, glad I got one!</div>",
        "<div class='comments'>上周还无货，今天终于买到了</div>",
        "<p>It was sold out last week</p>",
        "<div class='filters'><label>Hide sold out items</label></div>",
        "<p>Sold out items are hidden</p>",
        "<button>到货通知</button>",
    ],
)
def test_a_service_a_review_a_filter_or_a_past_state_does_not_make_the_page_sold_out(said: str) -> None:
    got = extract(_page(f"<h1>Widget</h1>{PRICE}<button>Add to cart</button>{said}"), URL)
    assert got.status is ExtractionStatus.OK and got.price == Money.of("199.00", "CNY")


def test_two_like_price_boxes_with_different_amounts_are_a_guess_no_alert_stands_on() -> None:
    got = extract(_page("<h1>Widget</h1><div class='price'>¥99</div><div class='price'>¥199</div>"), URL)
    assert got.price == Money.of("99", "CNY")
    assert got.confidence < MatchingSettings().min_price_confidence
    assert {c.amount for c in got.candidates} == {99, 199}


def test_like_price_boxes_repeating_one_amount_or_a_struck_price_beside_are_no_guess() -> None:
    same = extract(_page("<h1>Widget</h1><div class='price'>¥99</div><div class='price'>¥99</div>"), URL)
    struck = extract(_page("<h1>Widget</h1><div class='price'>¥99</div><del class='price'>¥199</del>"), URL)
    for got in (same, struck):
        assert got.price == Money.of("99", "CNY") and got.confidence >= MatchingSettings().min_price_confidence


@pytest.mark.parametrize("badge", ["Casi agotado", "Quase esgotado", "Bijna uitverkocht", "Sắp hết hàng"])
def test_an_urgency_badge_in_another_language_is_buyable(badge: str) -> None:
    got = extract(_page(f"<h1>Widget</h1>{PRICE}<span class='badge'>{badge}</span>"), URL)
    assert got.status is ExtractionStatus.OK and got.price == Money.of("199.00", "CNY")


@pytest.mark.parametrize(
    "wrapper",
    [
        "<div class='template-product has-reviews'>{}</div>",
        "<div id='MainContent' class='product-with-reviews'>{}</div>",
        "<div class='page-wrapper filters-sidebar'>{}</div>",
    ],
)
def test_a_wrapper_of_the_product_named_for_reviews_or_filters_still_says_sold_out(wrapper: str) -> None:
    got = extract(_page(wrapper.format(f"<h1>Widget</h1>{PRICE}<p>Sold out</p>")), URL)
    assert (got.status, got.reason) == (ExtractionStatus.NO_PRICE, REASON_SOLD_OUT)
