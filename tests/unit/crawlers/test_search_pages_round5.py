"""Search pages of Dangdang (当当) and Newegg, marketplaces searched as `website`.

The saved pages in tests/fixtures/pages/search/ keep the structure of real pages (class names, data
attributes, the order of the price parts), cut to a few results, with invented products, shops, prices
and ids.
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


# -- Dangdang ----------------------------------------------------------------------------------------------------

DD_URL = "https://search.dangdang.com/?key=%C9%BD%D3%EC&act=input"
DD_PAGE = "dangdang_bigimg_search.html"


def test_dangdang_items_give_item_pages_shops_and_the_current_price() -> None:
    found, nxt = read_search_page(_page(DD_PAGE), DD_URL, search_shapes("website"))
    assert [_row(r) for r in found] == [
        # sold by Dangdang itself: no shop named; the list price (定价) and the discount are no price;
        # the title is the link's whole title, not the text the keyword's <font> breaks up
        (
            "https://product.dangdang.com/29512345.html",
            "山屿 Ridge 冲锋衣 男款 三合一 防水透气",
            None,
            Decimal("599.00"),
        ),
        # a shop's item: the shop is the seller; the tracking `ref=` is dropped; thousands separated
        (
            "https://product.dangdang.com/11234567890.html",
            "山屿 Trail 登山鞋 防水 徒步鞋",
            "峰行户外专营店",
            Decimal("1099.00"),
        ),
        # an e-book: its price in `.ebook_buy`, the digits in an element of their own; linked with "http://",
        # kept in the https form its other links have
        ("https://product.dangdang.com/29876543.html", "山屿户外手册（电子书）", None, Decimal("9.90")),
        # a range of the item's choices ("¥1299.00-¥1599.00") is no one price
        (
            "https://product.dangdang.com/11234500001.html",
            "山屿 Summit 帐篷 双人 铝杆 多色可选",
            "山屿户外旗舰店",
            None,
        ),
    ]
    # the pager's relative link, on the host searched
    assert nxt == "https://search.dangdang.com/?key=%C9%BD%D3%EC&act=input&page_index=2"


def test_dangdang_is_read_whatever_the_platform_is_called() -> None:
    assert discovery.DANGDANG_SEARCH in search_shapes("dangdang")
    assert search_shapes("dangdang") == search_shapes("website")


def test_dangdang_page_as_served_in_gb2312() -> None:
    text = _swap(_text(DD_PAGE), "charset=utf-8", "charset=gb2312")
    body = text.encode("gb18030")
    found, _ = read_search_page(body, DD_URL, search_shapes("website"), content_type="text/html; charset=GB2312")
    assert [(r.title, r.seller_name) for r in found][:2] == [
        ("山屿 Ridge 冲锋衣 男款 三合一 防水透气", None),
        ("山屿 Trail 登山鞋 防水 徒步鞋", "峰行户外专营店"),
    ]


def test_dangdang_last_page_has_no_next_link() -> None:
    page = _swap(
        _text(DD_PAGE),
        '<li class="next"><a title="下一页" href="/?key=%C9%BD%D3%EC&amp;act=input&amp;page_index=2"',
        '<li class="next none"><a title="下一页" href="javascript:void(0);"',
    )
    found, nxt = read_search_page(page, DD_URL + "&page_index=3", search_shapes("website"))
    assert len(found) == 4 and nxt is None


def test_dangdang_price_with_the_yuan_sign_written_out() -> None:
    page = _swap(_text(DD_PAGE), "&yen;1,099.00", "¥ 1,099.00")
    found, _ = read_search_page(page, DD_URL, search_shapes("website"))
    assert found[1].price == Decimal("1099.00")


def test_dangdang_a_hostile_shop_name_is_text_and_bounded() -> None:
    page = _swap(_text(DD_PAGE), ">峰行户外专营店</a>", ">&lt;script&gt;x&lt;/script&gt;" + "店" * 5000 + "</a>")
    found, _ = read_search_page(page, DD_URL, search_shapes("website"))
    seller = found[1].seller_name
    assert seller is not None and seller.startswith("<script>x</script>") and len(seller) <= 200


# -- Newegg ------------------------------------------------------------------------------------------------------

NE_URL = "https://www.newegg.com/p/pl?d=shanyu"
NE_PAGE = "newegg_item_cells.html"


def test_newegg_cells_give_item_pages_and_the_current_price() -> None:
    found, nxt = read_search_page(_page(NE_PAGE), NE_URL, search_shapes("website"))
    assert [_row(r) for r in found] == [
        # dollars in <strong>, cents in <sup>; the struck "was" price and the saving are no price;
        # the item page without its `Item=` and the search's `cm_sp=` tracking
        (
            "https://www.newegg.com/shanyu-ridge-14-laptop/p/N82E16834100001",
            "Shanyu Ridge 14 Laptop, 16GB RAM, 1TB SSD",
            None,
            Decimal("1599.99"),
        ),
        # a marketplace item, linked relatively; out of stock still shows its price
        ("https://www.newegg.com/p/1FT-00AB-00012", "Shanyu Trail Backpack 30L, Waterproof", None, Decimal("89.95")),
        # "$39.99 – $59.99": choices priced apart, no one price
        ("https://www.newegg.com/p/1FT-00AB-00020", "Shanyu Camp Stove, 3 sizes", None, None),
    ]
    # "Page 1/4" beside script buttons: the next page is page=2
    assert nxt == "https://www.newegg.com/p/pl?d=shanyu&page=2"


@pytest.mark.parametrize(
    ("pages", "url", "nxt"),
    [
        ("2<!-- -->/<!-- -->4", NE_URL + "&page=2", NE_URL + "&page=3"),
        ("4<!-- -->/<!-- -->4", NE_URL + "&page=4", None),  # the last page
        ("1<!-- -->/<!-- -->1", NE_URL, None),  # one page of results
        ("99999<!-- -->/<!-- -->99999", NE_URL, None),  # no sane page number
        ("", NE_URL, None),  # no page count: no next page
        ("1 / " + "9" * 5000, NE_URL, None),  # a hostile count is bounded
    ],
)
def test_newegg_next_page_follows_the_page_count(pages: str, url: str, nxt: str | None) -> None:
    page = _text(NE_PAGE).replace("1<!-- -->/<!-- -->4", pages)
    found, got = read_search_page(page, url, search_shapes("website"))
    assert len(found) == 3 and got == nxt


def test_newegg_cell_without_a_price_has_none() -> None:
    page = _swap(
        _text(NE_PAGE),
        '<li class="price-current"><span class="price-current-label"></span>$<strong>89</strong><sup>.95</sup>',
        '<li class="price-current"><span class="price-current-label"></span>',
    )
    found, _ = read_search_page(page, NE_URL, search_shapes("website"))
    assert found[1].price is None


def test_newegg_cell_linking_no_item_is_no_listing() -> None:
    page = _text(NE_PAGE).replace(
        "/p/1FT-00AB-00012?Item=9SIAXYZ00012&amp;cm_sp=SearchSuccess-_-INFOCARD-_-shanyu-_-9SIAXYZ00012-_-2",
        "/p/pl?N=100007709&amp;cm_sp=promo",
    )
    found, _ = read_search_page(page, NE_URL, search_shapes("website"))
    assert [r.url for r in found] == [
        "https://www.newegg.com/shanyu-ridge-14-laptop/p/N82E16834100001",
        "https://www.newegg.com/p/1FT-00AB-00020",
    ]


def test_newegg_shape_is_tried_only_on_pages_with_its_cells() -> None:
    found, nxt = discovery.NEWEGG_SEARCH.read(discovery.Selector(text=_text(DD_PAGE)), DD_URL)
    assert found == [] and nxt is None


def test_new_marketplaces_come_before_the_stores() -> None:
    shapes = search_shapes("website")
    assert shapes.index(discovery.DANGDANG_SEARCH) < shapes.index(discovery.SHOPIFY_SEARCH)
    assert shapes.index(discovery.NEWEGG_SEARCH) < shapes.index(discovery.SHOPIFY_SEARCH)
