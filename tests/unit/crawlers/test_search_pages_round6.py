"""Search pages of Coupang (the classic result list and its Next.js redraw) and Rakuten Ichiba, marketplaces
searched as `website`.

The saved pages in tests/fixtures/pages/search/ keep the structure of real pages (class names, the order of
the price parts, a sponsored result, a sold-out one, a block of related searches between or beside the
results), cut to a few results, with invented products, shops, prices and ids.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from saved_pages import result_row as _row
from saved_pages import search_page as _page

from crawlers import discovery
from crawlers.discovery import read_search_page, search_shapes


def _text(name: str) -> str:
    return _page(name).decode("utf-8")


def _swap(text: str, old: str, new: str) -> str:
    assert old in text
    return text.replace(old, new)


# -- Coupang -----------------------------------------------------------------------------------------------------

CP_URL = "https://www.coupang.com/np/search?q=%EC%82%B0%EC%9C%A0+%EB%93%B1%EC%82%B0%ED%99%94"
CP_CLASSIC = "coupang_search_classic.html"
CP_NEXT = "coupang_search_nextjs.html"
CP_ROWS = [
    # a sponsored result (광고 / AD) is a listing: its ad tracking (`sourceType`, `clickEventId`, …) dropped, the
    # item and the vendor's offer kept; the struck base price and the discount are no price
    (
        "https://www.coupang.com/vp/products/8123456701?itemId=22000000101&vendorItemId=90000000101",
        "산유 트레일 등산화 남녀공용 방수 GORE-TEX",
        None,
        Decimal("159900"),
    ),
    # the unit price after the price box ("(1켤레당 129,000원)") is no second price
    (
        "https://www.coupang.com/vp/products/8123456702?itemId=22000000202&vendorItemId=90000000202",
        "산유 릿지 미드 등산화 남성용 270mm",
        None,
        Decimal("129000"),
    ),
    # sold out (일시품절): the price it sold at is no price a buyer can pay
    (
        "https://www.coupang.com/vp/products/8123456703?itemId=22000000303&vendorItemId=90000000303",
        "산유 로우컷 경량 트레킹화",
        None,
        None,
    ),
    (
        "https://www.coupang.com/vp/products/8123456704?itemId=22000000404&vendorItemId=90000000404",
        "산유 쿨맥스 등산양말 3켤레",
        None,
        Decimal("18900"),
    ),
]
CP_NEXT_PAGE = "https://www.coupang.com/np/search?q=%EC%82%B0%EC%9C%A0+%EB%93%B1%EC%82%B0%ED%99%94&page=2"


@pytest.mark.parametrize("name", [CP_CLASSIC, CP_NEXT])
def test_coupang_results_give_item_pages_and_the_sale_price(name: str) -> None:
    """The related searches (연관검색어) and the widget of products seen with them (함께 본 상품), drawn with
    the same cards outside the result list, are no results."""
    found, nxt = read_search_page(_page(name), CP_URL, search_shapes("website"))
    assert [_row(r) for r in found] == CP_ROWS
    assert nxt == CP_NEXT_PAGE


def test_coupang_shapes_are_tried_on_website_searches() -> None:
    assert discovery.COUPANG_SEARCH in search_shapes("website")
    assert discovery.COUPANG_UNITS in search_shapes("coupang")
    assert read_search_page(_page(CP_CLASSIC), CP_URL, discovery.COUPANG_SEARCH)[0]
    assert read_search_page(_page(CP_NEXT), CP_URL, discovery.COUPANG_UNITS)[0]
    # each shape reads its own markup only
    assert read_search_page(_page(CP_CLASSIC), CP_URL, discovery.COUPANG_UNITS) == ([], None)
    assert read_search_page(_page(CP_NEXT), CP_URL, discovery.COUPANG_SEARCH) == ([], None)


def test_coupang_classic_last_page_has_no_next_link() -> None:
    page = _swap(
        _text(CP_CLASSIC),
        '<a class="btn-next" href="/np/search?q=%EC%82%B0%EC%9C%A0+%EB%93%B1%EC%82%B0%ED%99%94&amp;page=2"',
        '<a class="btn-next disabled" href="javascript:;"',
    )
    found, nxt = read_search_page(page, CP_URL + "&page=9", search_shapes("website"))
    assert len(found) == 4 and nxt is None


def test_coupang_next_last_page_has_no_next_link() -> None:
    page = _swap(
        _text(CP_NEXT),
        'class="Pagination_nextBtn__TUY5t"',
        'class="Pagination_nextBtn__TUY5t Pagination_disabled__Kc0uT"',
    )
    found, nxt = read_search_page(page, CP_URL + "&page=9", search_shapes("website"))
    assert len(found) == 4 and nxt is None


def test_coupang_an_ad_and_the_organic_result_of_one_item_are_one_listing() -> None:
    page = _swap(
        _text(CP_CLASSIC),
        "/vp/products/8123456702?itemId=22000000202&amp;vendorItemId=90000000202&amp;q=",
        "/vp/products/8123456701?itemId=22000000101&amp;vendorItemId=90000000101&amp;q=",
    )
    found, _ = read_search_page(page, CP_URL, search_shapes("website"))
    assert [r.url for r in found] == [CP_ROWS[0][0], CP_ROWS[2][0], CP_ROWS[3][0]]


def test_coupang_the_sold_out_price_is_read_once_the_item_is_back() -> None:
    page = _swap(_text(CP_NEXT), '<div class="OutOfStock_outOfStock__Yc1lO">일시품절</div>', "")
    page = _swap(page, "ProductUnit_productUnit__Qd6sv ProductUnit_soldOut__t3Y0W", "ProductUnit_productUnit__Qd6sv")
    found, _ = read_search_page(page, CP_URL, search_shapes("website"))
    assert found[2].price == Decimal("89100")


def test_coupang_a_link_to_no_item_page_is_no_listing() -> None:
    page = _swap(
        _text(CP_CLASSIC),
        'href="/vp/products/8123456704?itemId=22000000404&amp;vendorItemId=90000000404&amp;q=',
        'href="/np/campaigns/82?q=',
    )
    found, _ = read_search_page(page, CP_URL, discovery.COUPANG_SEARCH)
    assert [r.url for r in found] == [row[0] for row in CP_ROWS[:3]]


# -- Rakuten Ichiba ----------------------------------------------------------------------------------------------

RK_URL = "https://search.rakuten.co.jp/search/mall/%E5%B1%B1%E5%B6%BC+%E3%83%88%E3%83%AC%E3%83%83%E3%82%AD%E3%83%B3%E3%82%B0%E3%82%B7%E3%83%A5%E3%83%BC%E3%82%BA/"
RK_PAGE = "rakuten_ichiba_search.html"


def test_rakuten_results_give_item_pages_shops_and_the_price() -> None:
    found, nxt = read_search_page(_page(RK_PAGE), RK_URL, search_shapes("website"))
    assert [_row(r) for r in found] == [
        # a PR result is a listing: its ad tracking (`rafcid`, `s-id`, `iasid`, `ad_ids`) dropped; the current
        # markup's `span.price--…` with 円 in a span of its own; 送料無料 and the points are no price
        (
            "https://item.rakuten.co.jp/trailhouse-r/sy-trail-gtx/",
            "山嶼 トレイル GORE-TEX 防水 トレッキングシューズ メンズ レディース",
            "トレイルハウス楽天市場店",
            Decimal("17800"),
        ),
        # the older markup: `h2.title a`, `.content.price .important`
        (
            "https://item.rakuten.co.jp/yamanoie/10000123/",
            "【ポイント10倍】山嶼 リッジ ミッドカット 登山靴 26.5cm",
            "山の家 アウトドア",
            Decimal("23980"),
        ),
        # sold out (売り切れ): no price; the `variantId` names the variant and is kept
        (
            "https://item.rakuten.co.jp/outdoor-base/sy-low-01/?variantId=sy-low-01-bk-25",
            "山嶼 ローカット 軽量 トレッキングシューズ",
            "アウトドアベース",
            None,
        ),
        # "1,980円~": variants priced apart, a "from" price
        (
            "https://item.rakuten.co.jp/yamanoie/10000456/",
            "山嶼 クールマックス 登山ソックス 選べる3色 22-29cm",
            "山の家 アウトドア",
            None,
        ),
    ]
    # the related words (関連ワード) between the results link other searches: no results
    assert not any("search.rakuten.co.jp" in r.url for r in found)
    assert nxt == RK_URL + "?p=2"


def test_rakuten_last_page_has_no_next_link() -> None:
    text = _text(RK_PAGE)
    start = text.index('<a class="item -next nextPage"')
    page = text[:start] + text[text.index("</a>", start) + 4 :]
    found, nxt = read_search_page(page, RK_URL + "?p=3", search_shapes("website"))
    assert len(found) == 4 and nxt is None


@pytest.mark.parametrize(
    ("shown", "price"),
    [
        ('1,980<span class="price-unit--2G9qX">円</span>~', None),
        ('1,980<span class="price-unit--2G9qX">円</span>～', None),
        ('1,980<span class="price-unit--2G9qX">円</span>', Decimal("1980")),
    ],
)
def test_rakuten_a_wave_dash_after_the_yen_is_a_from_price(shown: str, price: Decimal | None) -> None:
    page = _swap(_text(RK_PAGE), '1,980<span class="price-unit--2G9qX">円</span>~', shown)
    found, _ = read_search_page(page, RK_URL, search_shapes("website"))
    assert found[3].price == price


def test_rakuten_a_hostile_shop_name_is_text_and_bounded() -> None:
    page = _swap(_text(RK_PAGE), ">アウトドアベース</a>", ">&lt;script&gt;x&lt;/script&gt;" + "店" * 5000 + "</a>")
    found, _ = read_search_page(page, RK_URL, search_shapes("website"))
    seller = found[2].seller_name
    assert seller is not None and seller.startswith("<script>x</script>") and len(seller) <= 200
