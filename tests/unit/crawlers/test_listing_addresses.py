"""One address per listing found by search: scheme-relative links resolved against the page, a marketplace's
http and https links of the same page folded to one, a store's scheme kept as linked."""

from __future__ import annotations

import pytest

from crawlers.discovery import DANGDANG_SEARCH, listing_address, read_search_page


def _dangdang(*links: str) -> str:
    items = "".join(
        f"<li><a class='pic' title='山屿 冲锋衣 {n}' href='{link}'></a>"
        f"<p class='price'><span class='search_now_price'>¥599.00</span></p></li>"
        for n, link in enumerate(links)
    )
    return f"<html><body><div id='search_nature_rg'><ul class='bigimg'>{items}</ul></div></body></html>"


@pytest.mark.parametrize(
    "page_url", ["http://search.dangdang.com/?key=x&act=input", "https://search.dangdang.com/?key=x&act=input"]
)
def test_a_dangdang_item_linked_with_http_https_and_no_scheme_is_one_result(page_url: str) -> None:
    """Dangdang links one item as "http://", "//" and "https://": they had been two or three watch targets."""
    html = _dangdang(
        "http://product.dangdang.com/123.html",
        "//product.dangdang.com/123.html",
        "https://product.dangdang.com/123.html?ref=search-1-x",
        "//product.dangdang.com/456.html",
    )
    found, _ = read_search_page(html, page_url, DANGDANG_SEARCH)
    assert [r.url for r in found] == [
        "https://product.dangdang.com/123.html",
        "https://product.dangdang.com/456.html",
    ]
    assert found[0].title == "山屿 冲锋衣 0"  # the first card's, as for any repeated listing


@pytest.mark.parametrize(
    ("link", "address"),
    [
        ("http://product.dangdang.com/123.html", "https://product.dangdang.com/123.html"),
        ("HTTP://Product.DangDang.com:80/123.html", "https://product.dangdang.com/123.html"),
        ("http://item.jd.com/100012345678.html", "https://item.jd.com/100012345678.html"),
        ("http://www.amazon.co.uk/dp/B0C1234567", "https://www.amazon.co.uk/dp/B0C1234567"),
        ("http://www.ebay.de/itm/123456789012", "https://www.ebay.de/itm/123456789012"),
        ("https://Shop.Example.com:443/p/lamp?variant=2", "https://shop.example.com/p/lamp?variant=2"),
        # a store may serve one scheme only, and a marketplace host on another port is another server
        ("http://shop.example.com/p/lamp", "http://shop.example.com/p/lamp"),
        ("http://notamazon.com/dp/1", "http://notamazon.com/dp/1"),
        ("http://product.dangdang.com:8080/1.html", "http://product.dangdang.com:8080/1.html"),
        ("http://127.0.0.1:8000/item/1", "http://127.0.0.1:8000/item/1"),
        ("http://[::1]:80/item/1", "http://[::1]/item/1"),
        # case in the path and the query is the site's: kept
        ("https://www.amazon.com/Lamp-X/dp/B0C1234567?th=1", "https://www.amazon.com/Lamp-X/dp/B0C1234567?th=1"),
    ],
)
def test_listing_address(link: str, address: str) -> None:
    assert listing_address(link) == address


def test_a_store_result_keeps_the_scheme_it_is_linked_with() -> None:
    html = _dangdang("http://shop.example.com/p/1", "https://shop.example.com/p/1")
    found, _ = read_search_page(html, "https://shop.example.com/search?q=x", DANGDANG_SEARCH)
    assert [r.url for r in found] == ["http://shop.example.com/p/1", "https://shop.example.com/p/1"]
