"""Reading marketplace search result pages: one `SearchResult` per listing, and the next page's URL.

Search profiles are declarative (CSS selectors), like page profiles. The queries are the brand's
keywords and, when asked, the name of every product family of the catalog.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import quote, urljoin, urlsplit

from parsel import Selector

from crawlers.page import _decode, _parse  # the same decoding as listing pages (GBK too)
from crawlers.prices import SELLER_MAX, TITLE_MAX, clean_text, parse_price_text
from crawlers.profiles.base import _first_text
from oneprice.domain.catalog import Catalog

MAX_RESULTS_PER_PAGE = 200


@dataclass(frozen=True)
class SearchSelectors:
    """Where a search page puts each result and its fields (parsel CSS, `::attr()` allowed)."""

    item: str
    link: str
    title: str
    seller: str
    price: str
    next_page: str


@dataclass(frozen=True)
class SearchResult:
    """One listing on a search page: where it is, what it is called, who sells it, the price shown."""

    url: str
    title: str | None
    seller_name: str | None
    price: Decimal | None


# Taobao/Tmall-like item lists (the sandbox's search pages have this shape on every platform).
TAOBAO_SEARCH = SearchSelectors(
    item=".m-itemlist .items .item",
    link=".row.title a::attr(href)",
    title=".row.title a",
    seller=".shop .shopname",
    price=".price strong",
    next_page=".pager a.next::attr(href)",
)
SEARCH_PROFILES: dict[str, SearchSelectors] = {
    "taobao": TAOBAO_SEARCH,
    "tmall": TAOBAO_SEARCH,
    "jd": TAOBAO_SEARCH,
    "pinduoduo": TAOBAO_SEARCH,
    "youzan": TAOBAO_SEARCH,
    "douyin": TAOBAO_SEARCH,
}


def search_url(template: str, query: str, page: int = 1) -> str:
    """A search URL from a config template with `{query}` (URL-quoted) and optional `{page}`."""
    return template.replace("{query}", quote(query)).replace("{page}", str(page))


def queries(keywords: Sequence[str], catalog: Catalog, product_names: bool) -> list[str]:
    """The keywords, then one name per product family (variants share their parent's name)."""
    out = [k.strip() for k in keywords if k.strip()]
    if product_names:
        seen: set[str] = set()
        for p in catalog.products:
            family = p.parent_sku or p.sku
            if family in seen or p.status != "active":
                continue
            seen.add(family)
            name = p.name
            for variant_word in (p.color, p.size):
                if variant_word and p.parent_sku:
                    name = name.replace(variant_word, "")
            out.append(" ".join(name.split()))
    return list(dict.fromkeys(out))


def read_search_page(body: str | bytes, url: str, selectors: SearchSelectors) -> tuple[list[SearchResult], str | None]:
    """The results on a search page and the absolute URL of the next page (None on the last)."""
    tree = _parse(_decode(body, None))
    if tree is None:
        return [], None
    page = Selector(root=tree, type="html")
    found = []
    for item in page.css(selectors.item)[:MAX_RESULTS_PER_PAGE]:
        href = _first_text(item, selectors.link)
        if not href:
            continue
        link = urljoin(url, href.strip())
        if urlsplit(link).scheme not in ("http", "https"):
            continue  # javascript: and data: links are not listings
        amount, _ = parse_price_text(_first_text(item, selectors.price) or "")
        found.append(
            SearchResult(
                url=link,
                title=clean_text(_first_text(item, selectors.title), TITLE_MAX),
                seller_name=clean_text(_first_text(item, selectors.seller), SELLER_MAX),
                price=amount,
            )
        )
    nxt = _first_text(page, selectors.next_page)
    return found, urljoin(url, nxt.strip()) if nxt else None
