"""Search pages of the platforms found on Chinese resellers' trail: 1688 (wholesale offers), a Youzan shop's
own goods list, and Vipshop.

The saved pages in tests/fixtures/pages/search/ keep the structure of real pages (script state keys,
class names), cut to a few results, with invented products, companies, shops, prices and ids.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from saved_pages import result_row as _row
from saved_pages import search_page as _page

from crawlers.discovery import read_search_page, search_shapes

# -- 1688 (s.1688.com/selloffer/offer_search.htm) -------------------------------------------------------

ALI_URL = "https://s.1688.com/selloffer/offer_search.htm?keywords=%C9%BD%D3%EC&n=y"


def test_1688_offer_search_state_gives_offer_pages_companies_and_one_prices() -> None:
    found, nxt = read_search_page(
        _page("alibaba1688_offer_search.html"), ALI_URL, search_shapes("website"), content_type="text/html"
    )
    assert [_row(r) for r in found] == [
        # the offer page of its id, the search's tracking parameters dropped; the seller is the company
        (
            "https://detail.1688.com/offer/712345678901.html",
            "山屿 岚峰 冲锋衣 男款 防风防水",
            "泉州云杉户外用品有限公司",
            Decimal("268.00"),
        ),
        # an ad: its detailUrl is a click redirect, its listing the offer page of its id; markup in
        # the subject is dropped; two quantity tiers at two prices are a range, no one price
        ("https://detail.1688.com/offer/712345678902.html", "山屿 踏云 徒步鞋 新款", "晋江市踏云鞋业商行", None),
        # no priceInfo: the offer price's valueString (yuan)
        ("https://detail.1688.com/offer/712345678903.html", "山屿 抓绒外套", "石狮市清仓服饰", Decimal("59.5")),
        # the entry with no offer id and a script link is no listing
    ]
    assert nxt == ALI_URL + "&beginPage=2"
    _, third = read_search_page(_page("alibaba1688_offer_search.html"), nxt, search_shapes("website"))
    assert third == ALI_URL + "&beginPage=3"


def test_1688_last_page_has_no_next_page() -> None:
    last = ALI_URL + "&beginPage=8"
    found, nxt = read_search_page(_page("alibaba1688_offer_search.html"), last, search_shapes("website"))
    assert len(found) == 3 and nxt is None


@pytest.mark.parametrize(
    ("offer", "price"),
    [
        # a price the state writes as a number is in yuan, like the text
        ('{"id":1,"tradePrice":{"offerPrice":{"priceInfo":{"price":12.5}}}}', Decimal("12.5")),
        # tiers at one price: that price
        (
            '{"id":1,"tradePrice":{"offerPrice":{"priceInfo":{"price":"12.50"},'
            '"quantityPrices":[{"valueString":"12.50"},{"valueString":"12.5"}]}}}',
            Decimal("12.50"),
        ),
        ('{"id":1,"tradePrice":{"offerPrice":{"priceInfo":{"price":"12.50-15.00"}}}}', None),
        ('{"id":1,"tradePrice":{"offerPrice":{"priceInfo":{"price":true}}}}', None),
        ('{"id":1,"tradePrice":{"offerPrice":{"priceInfo":{"price":"-3"}}}}', None),
        ('{"id":1,"tradePrice":"12.50"}', None),
    ],
)
def test_1688_prices_of_the_state(offer: str, price: Decimal | None) -> None:
    page = (
        "<html><body><script>window.data.offerresultData = successDataCheck("
        f'{{"code":200,"data":{{"offerList":[{offer}]}}}});</script></body></html>'
    )
    [found], nxt = read_search_page(page, ALI_URL, search_shapes("website"))
    assert found.url == "https://detail.1688.com/offer/1.html" and found.price == price
    assert nxt is None  # no pageCount: no next page


@pytest.mark.parametrize(
    "state",
    [
        'window.data.offerresultData = successDataCheck({"code":200,"data":{"offerList":"none"}});',
        'window.data.offerresultData = successDataCheck({"code":200,"data":{"offerList":[{"id":true},'
        '{"id":1.5},{"id":"1/../2"},{"information":{"detailUrl":"https://evil.example/offer/1.html"}}]}});',
        'window.data.offerresultData = successDataCheck({"code":200,"data":{"offerList":[{"id":1',  # cut off
        "window.data.offerresultData = successDataCheck(" + "[" * 5000 + "]" * 5000 + ");",
        'window.data.offerresultData = successDataCheck({"code":200,"data":{"offerList":[{"id":' + "9" * 40 + "}]}});",
    ],
)
def test_broken_1688_state_gives_no_results(state: str) -> None:
    page = f"<html><head><script>{state}</script></head><body></body></html>"
    assert read_search_page(page, ALI_URL, search_shapes("website")) == ([], None)


def test_1688_offer_without_an_id_keeps_a_detail_link_and_strange_page_counts_stop() -> None:
    page = (
        '<html><body><script>window.data.offerresultData = successDataCheck({"code":200,"data":{"offerList":['
        '{"information":{"subject":"山屿","detailUrl":"//detail.1688.com/offer/42.html?spm=x#top"}}],'
        '"pageCount":"many"}});</script></body></html>'
    )
    found, nxt = read_search_page(page, ALI_URL, search_shapes("website"))
    assert [_row(r) for r in found] == [("https://detail.1688.com/offer/42.html", "山屿", None, None)]
    assert nxt is None


# -- Youzan: a shop's own goods list (h5.youzan.com/v2/search?q=…&kdt_id=…) ----------------------------

YOUZAN_URL = "https://h5.youzan.com/v2/search?q=%E5%B1%B1%E5%B1%BF&kdt_id=41234567"


def test_youzan_shop_search_gives_goods_pages_sold_by_the_shop() -> None:
    found, nxt = read_search_page(_page("youzan_showcase_search.html"), YOUZAN_URL, search_shapes("youzan"))
    shop = "云杉户外生活馆"  # the shop's name in the page's _global.mp_data
    assert [_row(r) for r in found] == [
        # tracking parameters dropped; the price, not the struck one beside it
        ("https://h5.youzan.com/v2/goods/2fxk9a0m3b1c", "山屿 岚峰 冲锋衣 男款", shop, Decimal("1099.00")),
        # a card whose link is a script: the goods page of its alias; the price its buy button carries
        ("https://h5.youzan.com/v2/goods/3nq8w7e6r5t4", "山屿 踏云 徒步鞋", shop, Decimal("459.90")),
        # on the shop's own domain; a script in the title is text
        (
            "https://shop41234567.youzan.com/v2/goods/1ab2c3d4e5f6",
            "山屿 抓绒外套<script>alert(1)</script>",
            shop,
            Decimal("89.00"),
        ),
        # a card linking off Youzan: the goods page of its alias on the host searched
        ("https://h5.youzan.com/v2/goods/4kk5ll6mm7nn", "山屿 登山杖", shop, Decimal("159.00")),
        # the picture ad above the list (a goods link of its own) is no result
    ]
    assert nxt is None  # more goods come from an API as the page scrolls


def test_youzan_page_without_its_shop_state_names_no_seller() -> None:
    page = _page("youzan_showcase_search.html").replace(b"var _global", b"var _other")
    found, _ = read_search_page(page, YOUZAN_URL, search_shapes("youzan"))
    assert len(found) == 4 and {r.seller_name for r in found} == {None}


@pytest.mark.parametrize(
    ("mp_data", "seller"),
    [
        ('{"team_name": "<b>小店</b>\\u0007"}', "<b>小店</b>"),
        ('{"shop_name": "云杉小店"}', "云杉小店"),
        ('{"team_name": 42}', None),
        ('"none"', None),
    ],
)
def test_youzan_shop_name_is_text(mp_data: str, seller: str | None) -> None:
    page = _page("youzan_showcase_search.html").replace(
        b'"mp_data": {', b'"mp_data": ' + mp_data.encode() + b', "was": {'
    )
    found, _ = read_search_page(page, YOUZAN_URL, search_shapes("youzan"))
    assert found[0].seller_name == seller


def test_youzan_page_reads_the_same_under_website() -> None:
    page = _page("youzan_showcase_search.html")
    assert read_search_page(page, YOUZAN_URL, search_shapes("website")) == read_search_page(
        page, YOUZAN_URL, search_shapes("youzan")
    )


# -- Vipshop (category.vip.com/suggest.php?keyword=…), as a browser draws it ----------------------------

VIP_URL = "https://category.vip.com/suggest.php?keyword=%E5%B1%B1%E5%B1%BF"


def test_vipshop_search_cards_give_detail_pages_and_special_prices() -> None:
    found, nxt = read_search_page(_page("vipshop_suggest_rendered.html"), VIP_URL, search_shapes("website"))
    assert [_row(r) for r in found] == [
        # the special price (特卖价), not the struck market price beside it; tracking dropped; the
        # cards name no seller
        (
            "https://detail.vip.com/detail-1711234-6920123456789012345.html",
            "山屿 岚峰 冲锋衣 男款 防风防水",
            None,
            Decimal("599"),
        ),
        # a coming sale (预热): its price is not one to buy at today
        ("https://detail.vip.com/detail-1711234-6920123456789012346.html", "山屿 踏云 中帮防水徒步鞋", None, None),
        (
            "https://detail.vip.com/detail-1719999-6920123456789012347.html",
            "山屿 抓绒外套<img src=x onerror=alert(1)>",
            None,
            Decimal("89.9"),
        ),
        # the recommendations below the results (猜你喜欢) are not read
    ]
    # the pager's next link is a script: the next page is page= plus one
    assert nxt == VIP_URL + "&page=2"
    _, third = read_search_page(_page("vipshop_suggest_rendered.html"), nxt, search_shapes("website"))
    assert third == VIP_URL + "&page=3"


def test_vipshop_next_page_link_and_last_page() -> None:
    linked = _page("vipshop_suggest_rendered.html").replace(
        b'id="J_nextPage_link" class="cat-paging-next" href="javascript:;"',
        b'id="J_nextPage_link" class="cat-paging-next" href="/suggest.php?keyword=%E5%B1%B1%E5%B1%BF&amp;page=2"',
    )
    assert read_search_page(linked, VIP_URL, search_shapes("website"))[1] == VIP_URL + "&page=2"
    last = _page("vipshop_suggest_rendered.html").replace(b'<a id="J_nextPage_link"', b'<a id="J_prevPage_link"')
    found, nxt = read_search_page(last, VIP_URL, search_shapes("website"))
    assert len(found) == 3 and nxt is None
