"""The shortcuts that spare whole-page searches give the answers of the searches themselves.

Random pages are built from a small set of tags, ids, classes and attribute names (in mixed case,
some written with character references), so the names the selectors look for are often present,
often absent and sometimes hidden behind a reference.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from parsel import Selector

from crawlers.page import PageSource, _is_price_element, _Page, _parse_source
from crawlers.page_signals import _ANTI_BOT, _CAPTCHA, _SOLD_OUT, _SOLD_OUT_LOWER, has_marker
from crawlers.profiles import PROFILES, find_profile, selector_for
from crawlers.profiles.base import _first_text, may_match, select
from crawlers.structured import read_products

URL = "https://shop.example/item/1"
NAMES = ["price", "Price", "PRICE", "sale-price", "J_Price", "old-price", "J_DetailMeta", "goods-header", "seller",
         "goods-price", "current-price", "tm-price", "J_PromoPrice", "x-price-primary", "seller", "shop-name",
         "p&#114;ice", "J&#95;DetailMeta", "J&lowbar;PromoPrice", "goods&#x2d;price", "pr\u0130ce"]  # fmt: skip
TAGS = ["div", "span", "p", "del", "s", "h1", "ul", "li", "script", "style", "noscript", "template", "title", "b"]
ATTRIBUTES = ["class", "id", "itemprop", "ItemProp", "itemscope", "ITEMSCOPE", "typeof", "data-sku", "type"]
TEXTS = ["¥1,299.00", "售罄", "Sold Out", "ſold out", "out of stock", "价格 99元", "no longer available", "Épuisé",
         "验证码", "robot check", "password", "&#21806;罄", "  ", "", "店铺：蓝海", "€ 12,50", "\u0130",
         'window.rawData = {"goods": {"goodsName": "x", "minGroupPrice": 990}};',
         'var _DATA_Detail = {"item": {"title": "x"}, "mock": {"price": {"price": {"priceText": "9.90"}}}};',
         'window._global = {"goodsData": {"goods": {"title": "x"}}};', "window.raw&#68;ata = {}",
         'ShopifyAnalytics.meta = {}; var meta = {"product": {"variants": [{"price": 990}]}};']  # fmt: skip
SELECTORS = ["#J_DetailMeta", ".goods-header .goods-price", "#J_PromoPrice .tm-price", ".x-price-primary",
             "span.price", "[itemprop]", "li[data-sku]::attr(data-sku)", ".goods-price:not(.old-price)",
             "div#J_DetailMeta span", ".shop-name::text", "*", "p, .price", "script#J_DetailMeta",
             "#J_DetailMeta::attr(data-sku)", "#J_PromoPrice .tm-price::text", ".goods-header ::text",
             "div.goods-header span", "#J_DetailMeta ::attr(id)", "#J_PromoPrice > span", ".price::text",
             "#seller li:first-child", "span.goods-price.current-price b", '[class*="price"]',
             '[class*="Price"] span', '[id^="J_"]::attr(id)', '[itemprop="price"]', '[class~="tm-price"]',
             '[data-sku$="Meta"]', '[class*="goods-price"] [class*="current"]']  # fmt: skip


@st.composite
def element(draw: st.DrawFn, depth: int = 0) -> str:
    tag = draw(st.sampled_from(TAGS))
    attributes = "".join(
        f' {name}="{draw(st.sampled_from(NAMES))}"'
        if name == "id"
        else f' {name}="{draw(st.sampled_from(NAMES))} {draw(st.sampled_from(NAMES))}"'
        if name == "class"
        else f' {name}="{draw(st.sampled_from([*NAMES, "password", "PassWord", "pass&#119;ord"]))}"'
        for name in draw(st.lists(st.sampled_from(ATTRIBUTES), max_size=3, unique=True))
    )
    inner = draw(st.sampled_from(TEXTS))
    if depth < 3:
        inner += "".join(draw(st.lists(element(depth + 1), max_size=3)))
    tail = draw(st.sampled_from(TEXTS))
    return f"<{tag}{attributes}>{inner}</{tag}>{tail}"


pages = st.builds(
    lambda title, body: f"<html><head><title>{title}</title></head><body>{body}</body></html>",
    st.sampled_from(TEXTS),
    st.lists(element(), max_size=6).map("".join),
)
SLOW = settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def parsed(html: str) -> tuple[object, PageSource]:
    tree, source = _parse_source(html)
    assert tree is not None
    return tree, source


@SLOW
@given(html=pages, order=st.permutations(SELECTORS))
def test_selectors_read_through_the_shortcuts_find_what_parsel_finds(html: str, order: list[str]) -> None:
    tree, source = parsed(html)
    page = selector_for(tree, source)  # type: ignore[arg-type]  # one page: its anchors are shared
    plain = Selector(root=tree, type="html")
    for css in order:
        if not may_match(page, css):
            assert plain.css(css).getall() == []
        assert select(page, css).getall() == plain.css(css).getall()
        assert _first_text(page, css) == _first_text(plain, css)


@SLOW
@given(html=pages)
def test_profiles_and_products_are_found_alike_with_the_source(html: str) -> None:
    tree, source = parsed(html)
    with_source, without = selector_for(tree, source), selector_for(tree)  # type: ignore[arg-type]
    assert find_profile(with_source) is find_profile(without)
    for profile in PROFILES:
        assert profile.applies(with_source, None) == profile.applies(without, None)
    assert read_products(tree, URL, "CNY", source) == read_products(tree, URL, "CNY")  # type: ignore[arg-type]


@SLOW
@given(html=pages)
def test_page_signals_are_read_alike_with_the_source(html: str) -> None:
    tree, source = parsed(html)
    fast, slow = _Page(tree, URL, source), _Page(tree, URL)
    assert fast.blocked_reason() == slow.blocked_reason()
    assert fast.text_price("CNY") == slow.text_price("CNY")
    everything = [el for el in slow.body.iter() if _is_price_element(el)]
    assert fast._price_elements() == everything
    assert fast.sold_out == slow.sold_out


@settings(max_examples=300, deadline=None)
@given(text=st.lists(st.sampled_from([*TEXTS, "K", "ı", "SOLD", " ", "OUT", "Nicht mehr verfügbar"])).map("".join))
def test_lowered_patterns_answer_as_the_case_blind_ones(text: str) -> None:
    assert _SOLD_OUT.pattern.lower() == _SOLD_OUT_LOWER.pattern
    page = _Page(parsed(f"<p>{text}</p>")[0], URL)
    assert page.sold_out == bool(_SOLD_OUT.search(page.visible_text))
    expected = bool(_CAPTCHA.search(text) or _ANTI_BOT.search(text))
    assert has_marker(text) == has_marker(text, text.lower()) == expected


def test_a_reference_can_hide_a_name_so_the_source_does_not_rule_it_out() -> None:
    tree, source = parsed('<div id="J&#95;DetailMeta"><span class="tm-price">¥1</span></div>')
    assert source.references and source.may_have_value("J_DetailMeta")
    assert may_match(selector_for(tree, source), "#J_DetailMeta")  # type: ignore[arg-type]
    tree, source = parsed('<div id="J-DetailMeta" ItemScope><span class="tm-price">¥1</span></div>')
    assert not source.may_have_value("J_DetailMeta") and source.may_have_attribute("itemscope")
    assert not may_match(selector_for(tree, source), "#J_DetailMeta .tm-price")  # type: ignore[arg-type]
