"""Properties of the profile readers: any page fragments, any follow-up answer, never a crash or a wrong kind."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crawlers.candidates import choose_price
from crawlers.extraction import ExtractionStatus, extract
from crawlers.profiles.base import text_candidate

PAGES = Path(__file__).resolve().parents[2] / "fixtures" / "pages"
SHAPES = [
    "tmall/detail_coupon.html", "jd/item_price_api.html", "pinduoduo/goods_rawdata.html", "youzan/goods.html",
    "amazon/offer_listing.html", "ebay/item.html", "shopify/product.html", "woocommerce/product_sale.html",
]  # fmt: skip
NOISE = [
    "<span class='tm-price'>", "</span>", "<del>", "¥", "￥", "-", "起", "~", "免运费", "1e999", "NaN", "-1.00",
    "window.rawData = {", "}", ";", '"minGroupPrice":', '"skus":[{', "]", "<script>", "</script>", "\x00",
    "<div class='aod-offer'>", "</div>", "99999999999", "0.00", "券后",
]  # fmt: skip
noise = st.lists(st.one_of(st.sampled_from(NOISE), st.text(max_size=20)), max_size=30).map("".join)
answers = st.one_of(
    st.binary(max_size=500),
    st.recursive(
        st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=10), st.floats(allow_nan=False)),
        lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
        max_leaves=20,
    ).map(lambda v: __import__("json").dumps(v).encode()),
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(shape=st.sampled_from(SHAPES), junk=noise, where=st.integers(min_value=0, max_value=4000))
def test_a_platform_page_with_junk_spliced_in_never_raises(shape: str, junk: str, where: int) -> None:
    html = (PAGES / shape).read_text(encoding="utf-8")
    got = extract(html[:where] + junk + html[where:], "https://shop.example/products/x")
    assert got.reason != "unreadable_page"
    for offer in got.offers or (got,):
        if offer.price is not None:
            assert offer.status is ExtractionStatus.OK and offer.price.amount > 0
            assert offer.price_kind in ("sale", "list", "range")  # never shipping, never coupon by default


@settings(max_examples=200, deadline=None)
@given(answer=answers, shape=st.sampled_from(["jd/item_price_api.html", "shopify/product.html"]))
def test_any_follow_up_answer_never_raises(answer: bytes, shape: str) -> None:
    got = extract((PAGES / shape).read_bytes(), "https://shop.example/products/x", follow_up_body=answer)
    assert got.reason != "unreadable_page"
    assert got.price is None or got.price.amount > 0


@settings(max_examples=300, deadline=None)
@given(text=st.text(max_size=100), kind=st.sampled_from(["sale", "list", "coupon", "shipping"]))
def test_text_candidates_are_positive_decimals_or_nothing(text: str, kind: str) -> None:
    got = text_candidate(text, kind, "profile:x", "CNY")  # type: ignore[arg-type]
    if got is not None:
        assert isinstance(got.amount, Decimal) and got.amount > 0
        assert got.high is None or isinstance(got.high, Decimal)
        choice = choose_price([got])
        assert choice.price is None or choice.price.kind != "shipping"
