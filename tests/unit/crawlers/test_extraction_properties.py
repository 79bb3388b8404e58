"""Properties: extraction never raises on any page, and a blocked page never yields a price."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crawlers.extraction import ExtractionStatus, extract

URL = "https://item.taobao.com/item.htm?id=1"

FRAGMENTS = [
    "<html>", "<head>", "</head>", "<body>", "</body>", "<div class='price'>", "<span itemprop='price'>",
    "</span>", "</div>", "<del>", "</del>", "<script>", "</script>", "<script type='application/ld+json'>",
    '{"@type":"Product","offers":{"@type":"Offer","price":', '"1299.00"', "1e999999",
    '"priceCurrency":"CNY"}}', '{"@graph":[{"@id":"a","offers":{"@id":"a"}}]}', "[[[[[[[[",
    "<div itemscope itemtype='https://schema.org/Offer'>", "<meta property='product:price:amount' content='",
    "'>", "<div typeof='Product' vocab='https://schema.org/'>", "¥1,299.00 起", "1.299,00 €", "￥", "已售罄",
    "sold out", "<!--", "-->", "<title>", "</title>", "\x00", "<input type='password'>", "&#0;", "&amp;",
    "<![CDATA[", "<?xml version='1.0' encoding='gbk'?>",
]  # fmt: skip
MARKERS = ["验证码", "滑块", "安全验证", "访问受限", "captcha", "Robot Check", "unusual traffic", "nocaptcha"]

html_like = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=40)), max_size=40).map("".join)
# Text pages may hold lone surrogates (str from anywhere); byte pages are that text in some encoding.
page = st.one_of(
    st.binary(max_size=3000),
    st.text(max_size=3000),
    st.text(st.characters(min_codepoint=0xD700, max_codepoint=0xE000), max_size=50),  # lone surrogates
    html_like,
    html_like.map(lambda s: s.encode("utf-8", "surrogatepass")),
    html_like.map(lambda s: s.encode("gb18030", "replace")),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    body=page,
    status=st.sampled_from([200, 200, 200, 404, 500]),
    encoding=st.sampled_from([None, "gbk", "utf-8"]),
)
def test_extract_never_raises_and_prices_only_ok_pages(body: str | bytes, status: int, encoding: str | None) -> None:
    got = extract(body, URL, status=status, encoding=encoding)
    assert got.status in ExtractionStatus
    assert got.reason != "unreadable_page"  # the last-resort guard in extract() was not needed
    if got.price is not None:
        assert got.status is ExtractionStatus.OK and got.price.amount > 0
    if got.status is ExtractionStatus.OK:
        assert got.price is not None and got.method is not None


@settings(max_examples=150, deadline=None)
@given(body=page, status=st.sampled_from([403, 429, 503]))
def test_blocking_statuses_never_yield_a_price(body: str | bytes, status: int) -> None:
    got = extract(body, URL, status=status)
    assert got.status is ExtractionStatus.BLOCKED and got.price is None


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(marker=st.sampled_from(MARKERS), body=html_like)
def test_pages_with_anti_bot_markers_never_yield_a_price(marker: str, body: str) -> None:
    price = "<span class='price'>¥88.00</span>"
    html = f"<html><head><title>{marker}</title></head><body>{body}{price}</body></html>"
    got = extract(html, URL)
    assert got.status is ExtractionStatus.BLOCKED and got.price is None
