"""Reading marketplace search result pages: one `SearchResult` per listing, and the next page's URL.

Every platform has a list of search page shapes, tried in order on each page: the first shape that
finds listings is the page's shape, and gives its next page too. A shape is declarative where it
can be (`SearchSelectors`, CSS selectors as in page profiles) and a small class where the results
are in a script's state (`TaobaoStateSearch`). Real pages of one platform come in several
generations of markup; the list names them newest first, and the sandbox's shape (Taobao's
classic item list, which the sandbox serves on every platform) last.

The queries are the brand's keywords and, when asked, the name of every product family of the
catalog.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, ClassVar, Protocol
from urllib.parse import parse_qsl, quote, urlencode, urljoin, urlsplit, urlunsplit

from parsel import Selector

from crawlers.page import _decode, _Page, _parse_source, decode_page, dig
from crawlers.prices import RAW_PRICE_MAX, SELLER_MAX, TITLE_MAX, amount_of, clean_text, parse_price_text
from crawlers.profiles.base import Css, _first_found, _first_text, selector_for, source_lacks, state_json
from oneprice.domain.catalog import Catalog

MAX_RESULTS_PER_PAGE = 200
URL_MAX = 2048  # a longer link is no listing's address
_MAX_PAGE = 10_000  # a page number above this is a parsing accident
_NUMBER = re.compile(r"[0-9]{1,6}")


@dataclass(frozen=True)
class SearchResult:
    """One listing on a search page: where it is, what it is called, who sells it, the price shown.

    `price` is one point price; a range ("¥99-129", "$10.00 to $15.00") or a "from" price
    ("¥99起") is not one, and leaves it None (the listing's own page tells its price).
    """

    url: str
    title: str | None
    seller_name: str | None
    price: Decimal | None


class SearchShape(Protocol):
    """One shape of search result page: its listings and the absolute URL of its next page."""

    @property
    def name(self) -> str: ...

    def read(self, page: Selector, url: str) -> tuple[list[SearchResult], str | None]: ...


# -- reading a price, a link, a page number ----------------------------------------------------------

# A range between two amounts ("99-129", "$10.00 to $15.00", "12,99 bis 15,99") or a "from" price.
_RANGE = re.compile(r"\d\s*(?:-|~|～|–|—|至|\bto\b|\bbis\b|\bà\b)\s*\D{0,5}\d", re.IGNORECASE)
_FROM = re.compile(r"起|以上|\bfrom\b|\bab\b|à partir de|starting at", re.IGNORECASE)


def point_price(text: str | None) -> Decimal | None:
    """The one price a search result shows ("¥1,299.00", "US $29.99"); None for a range or a "from" price."""
    raw = clean_text(text, RAW_PRICE_MAX)
    if raw is None or _RANGE.search(raw) or _FROM.search(raw):
        return None
    amount, _ = parse_price_text(raw)
    return amount


def _web_link(base: str, href: str | None) -> str | None:
    """`href` made absolute against `base`; None unless it is an http(s) address of sane length."""
    if not href or len(href) > URL_MAX:
        return None
    link = urljoin(base, href.strip())
    parts = urlsplit(link)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None  # javascript: and data: links are not listings
    return link


def _keep_query(link: str, keep: tuple[str, ...]) -> str:
    """The link with only the `keep` query parameters (an item id) and no fragment: tracking
    parameters differ on every search, and the same listing must keep one address."""
    parts = urlsplit(link)
    params = parse_qsl(parts.query, keep_blank_values=True, encoding="latin-1")
    kept = [(k, v) for k, v in params if k in keep]
    return urlunsplit(parts._replace(query=urlencode(kept, encoding="latin-1"), fragment=""))


def _on_hosts(link: str, hosts: tuple[str, ...]) -> bool:
    host = (urlsplit(link).hostname or "").lower()
    return any(host == h or host.endswith("." + h) for h in hosts)


def _page_param(url: str, name: str) -> int | None:
    """The number the URL's query gives `name` (None when absent or not a sane page number)."""
    for key, value in parse_qsl(urlsplit(url).query, keep_blank_values=True):
        if key == name:
            return int(value) if _NUMBER.fullmatch(value) else None
    return None


def _with_param(url: str, name: str, value: int) -> str:
    """The URL with its query parameter `name` set to `value` (percent-escapes kept byte for byte)."""
    parts = urlsplit(url)
    params = parse_qsl(parts.query, keep_blank_values=True, encoding="latin-1")
    at = next((i for i, (k, _) in enumerate(params) if k == name), len(params))
    params = [*params[:at], (name, str(value)), *((k, v) for k, v in params[at:] if k != name)]
    return urlunsplit(parts._replace(query=urlencode(params, encoding="latin-1"), fragment=""))


def _as_int(value: object) -> int | None:
    """A count a script's state gives as a number or as text ("44"); None for anything else."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and _NUMBER.fullmatch(value.strip()):
        return int(value.strip())
    return None


# -- declarative shapes ------------------------------------------------------------------------------


@dataclass(frozen=True)
class SearchSelectors:
    """Where a search page puts each result and its fields (parsel CSS, `::attr()` allowed).

    Every field but `item` is read inside one result. A `Css` tuple lists alternatives, the
    first that finds something wins (see `crawlers.profiles.base.Css`). Optional refinements:

    - `price_fraction`: a price split in two elements (`<b>29</b><b>.90</b>`), read after `price`;
    - `item_id` / `item_id_pattern` / `item_url`: the result's id (`data-sku`, `data-asin`) and
      the listing URL built from it (`{id}`; relative to the page); it replaces the result's link
      when the link is missing or points elsewhere than `link_hosts` (an ad's click redirect;
      no `link_hosts`: the built URL always wins);
    - `keep_query`: the query parameters a result's link keeps (others are tracking);
    - `seller_cut`: a pattern where the seller's name ends ("name (1,234) 99.5%");
    - `skip_titles`: titles of placeholder results that are no listing;
    - `next_page_marker` / `next_page_param` / `next_page_step`: a pager without a link
      (JavaScript only): while the marker is on the page, the next page is the page's URL with
      `next_page_param` (1 when the URL has none) raised by `next_page_step`.
    """

    item: Css
    link: Css
    title: Css
    seller: Css | None
    price: Css | None
    next_page: Css | None
    name: str = "custom"
    price_fraction: Css | None = None
    item_id: Css | None = None
    item_id_pattern: str = r"([A-Za-z0-9_-]{1,64})"
    item_url: str | None = None
    link_hosts: tuple[str, ...] = ()
    keep_query: tuple[str, ...] | None = None
    seller_cut: str | None = None
    skip_titles: tuple[str, ...] = ()
    next_page_marker: Css | None = None
    next_page_param: str | None = None
    next_page_step: int = 1

    def read(self, page: Selector, url: str) -> tuple[list[SearchResult], str | None]:
        found = []
        skip = {t.casefold() for t in self.skip_titles}
        for item in _first_found(page, self.item)[:MAX_RESULTS_PER_PAGE]:
            link = self._link(item, url)
            if link is None:
                continue
            title = clean_text(_first_text(item, self.title), TITLE_MAX)
            if title is not None and title.casefold() in skip:
                continue
            found.append(SearchResult(url=link, title=title, seller_name=self._seller(item), price=self._price(item)))
        return found, self._next_page(page, url) if found else None

    def _link(self, item: Selector, base: str) -> str | None:
        link = _web_link(base, _first_text(item, self.link))
        if link is not None and self.keep_query is not None:
            link = _keep_query(link, self.keep_query)
        if self.item_url and (link is None or not self.link_hosts or not _on_hosts(link, self.link_hosts)):
            m = re.fullmatch(self.item_id_pattern, (_first_text(item, self.item_id) or "")[:128])
            built = _web_link(base, self.item_url.replace("{id}", m.group(1))) if m else None
            link = built or link
        return link

    def _seller(self, item: Selector) -> str | None:
        text = _first_text(item, self.seller) if self.seller else None
        if text and self.seller_cut:
            text = re.split(self.seller_cut, text[: SELLER_MAX * 4], maxsplit=1)[0]
        return clean_text(text, SELLER_MAX)

    def _price(self, item: Selector) -> Decimal | None:
        if not self.price:
            return None
        text = _first_text(item, self.price)
        if text and self.price_fraction:
            fraction = (_first_text(item, self.price_fraction) or "").strip()
            text += "." + fraction if fraction[:1].isdigit() else fraction
        return point_price(text)

    def _next_page(self, page: Selector, url: str) -> str | None:
        link = _web_link(url, _first_text(page, self.next_page)) if self.next_page else None
        if link is not None:
            return link
        if self.next_page_param and self.next_page_marker and _first_found(page, self.next_page_marker):
            current = _page_param(url, self.next_page_param) or 1
            if current + self.next_page_step <= _MAX_PAGE:
                return _with_param(url, self.next_page_param, current + self.next_page_step)
        return None


# Taobao's classic item list (the sandbox's search pages have this shape on every platform).
TAOBAO_SEARCH = SearchSelectors(
    name="taobao_itemlist",
    item=".m-itemlist .items .item",
    link=".row.title a::attr(href)",
    title=".row.title a",
    seller=".shop .shopname",
    price=".price strong",
    next_page=".pager a.next::attr(href)",
)

# Taobao's current result cards (s.taobao.com as a browser renders it): one link per card, CSS
# module class names with a hash suffix (`Card--doubleCardWrapper--L2XFE73`, later
# `doubleCardWrapperAdapt--…` with `id="item_id_<id>"`), the price split in
# `Price--priceInt--` and `Price--priceFloat--`, the shop in `ShopInfo--shopName--`. The pager
# is a script's buttons: the next page is `page=` plus one.
TAOBAO_CARDS = SearchSelectors(
    name="taobao_cards",
    item=('a[class*="doubleCardWrapper"]', 'div[class*="doubleCardWrapper"]'),
    link=('a[href*="item.htm"]::attr(href)', "::attr(href)"),  # the card itself is the link
    title=('[class*="Title--title"]', '[class*="title--"]'),
    seller=('[class*="ShopInfo--shopName"]', '[class*="shopNameText--"]', '[class*="shopName--"]'),
    price=('[class*="Price--priceInt"]', '[class*="priceInt--"]'),
    price_fraction=('[class*="Price--priceFloat"]', '[class*="priceFloat--"]'),
    item_id=("::attr(id)",),
    item_id_pattern=r"item_id_([0-9]{1,20})",
    item_url="https://item.taobao.com/item.htm?id={id}",
    link_hosts=("item.taobao.com", "detail.tmall.com", "detail.tmall.hk"),
    keep_query=("id",),
    next_page=None,
    next_page_marker=(
        'button[class*="next-next"]:not([disabled])',
        '[class*="pagination"] [class*="next-next"]:not([disabled])',
    ),
    next_page_param="page",
)

# Tmall's own search (list.tmall.com/search_product.htm): `#J_ItemList .product[data-id]`.
TMALL_SEARCH = SearchSelectors(
    name="tmall_list",
    item="#J_ItemList .product",
    link=(".productTitle a::attr(href)", ".productImg::attr(href)"),
    title=(".productTitle a", ".productTitle a::attr(title)"),
    seller=(".productShop .productShop-name", "a.productShop-name"),
    price=(".productPrice em::attr(title)", ".productPrice em"),
    item_id="::attr(data-id)",
    item_id_pattern=r"([0-9]{1,20})",
    item_url="https://detail.tmall.com/item.htm?id={id}",
    link_hosts=("detail.tmall.com", "detail.tmall.hk"),
    keep_query=("id",),
    next_page=".ui-page-next::attr(href)",
)

# JD search (search.jd.com/Search?keyword=…): `#J_goodsList li.gl-item[data-sku]`, the title in
# `.p-name a em` (keyword highlights inside), the price in `.p-price strong i`. The pager is
# script-only (`SEARCH.page(3)`): one page of results is two half pages, `page=1`, `page=3`, …
JD_SEARCH = SearchSelectors(
    name="jd",
    item="#J_goodsList li.gl-item",
    link=(".p-name a::attr(href)", ".p-img a::attr(href)"),
    title=(".p-name a em", ".p-name em", ".p-name a"),
    seller=(".p-shop .curr-shop", ".p-shop a", ".curr-shop"),
    price=(".p-price strong i", ".p-price i", ".p-price strong::attr(data-price)"),
    item_id="::attr(data-sku)",
    item_id_pattern=r"([0-9]{1,20})",
    item_url="https://item.jd.com/{id}.html",
    link_hosts=("item.jd.com", "item.m.jd.com", "item.jd.hk", "npcitem.jd.hk"),
    keep_query=(),
    next_page="#J_bottomPage .pn-next::attr(href)",
    next_page_marker=("#J_bottomPage .pn-next:not(.disabled)", "#J_topPage .fp-next:not(.disabled)"),
    next_page_param="page",
    next_page_step=2,
)

# Amazon search (/s?k=…): `div[data-component-type="s-search-result"][data-asin]`. Links carry
# the query and a per-search id (sponsored ones go through /sspa/click): the listing is /dp/<ASIN>
# on the same site. The current price is the `.a-offscreen` text of an `.a-price` that is not the
# struck list price (`.a-text-price`). Search results name no seller.
AMAZON_SEARCH = SearchSelectors(
    name="amazon",
    item='div[data-component-type="s-search-result"]',
    link=("h2 a::attr(href)", "a.a-link-normal.s-no-outline::attr(href)", "a.a-link-normal::attr(href)"),
    title=("h2 span", "h2"),
    seller=None,
    price="span.a-price:not(.a-text-price) span.a-offscreen",
    item_id="::attr(data-asin)",
    item_id_pattern=r"([A-Z0-9]{10})",
    item_url="/dp/{id}",
    keep_query=(),
    next_page="a.s-pagination-next::attr(href)",
)

# eBay's feedback after the seller's name: "name (12,345) 99.8%", "name 99.3% positive (154.8K)".
_EBAY_FEEDBACK = r"\s*\(\s*[\d.,]+\s*[KkMm]?\s*\)|\s+[\d.,]+\s*%"

# eBay search (/sch/i.html?_nkw=…), the `li.s-card` generation (late 2024 on): the listing id in
# `data-listingid`, the title in `.s-card__title .su-styled-text.primary` (a hidden "Opens in a new
# window or tab" span sits next to it), the seller in the first secondary attribute row.
EBAY_CARDS = SearchSelectors(
    name="ebay_cards",
    item="li.s-card",
    link=("a.s-card__link::attr(href)", "a.su-link::attr(href)", 'a[href*="/itm/"]::attr(href)'),
    title=(".s-card__title .su-styled-text.primary", ".s-card__title"),
    seller=(
        ".su-card-container__attributes__secondary .s-card__attribute-row .su-styled-text.primary",
        ".s-card__seller-info",
    ),
    seller_cut=_EBAY_FEEDBACK,
    price=".s-card__price",
    item_id="::attr(data-listingid)",
    item_id_pattern=r"([0-9]{6,20})",
    item_url="/itm/{id}",
    keep_query=(),
    skip_titles=("Shop on eBay",),
    next_page="a.pagination__next::attr(href)",
)

# eBay search, the `li.s-item` generation. The first item is a placeholder ("Shop on eBay").
EBAY_ITEMS = SearchSelectors(
    name="ebay_items",
    item="li.s-item",
    link="a.s-item__link::attr(href)",
    title=('.s-item__title span[role="heading"]', ".s-item__title"),
    seller=".s-item__seller-info-text",
    seller_cut=_EBAY_FEEDBACK,
    price=".s-item__price",
    keep_query=(),
    skip_titles=("Shop on eBay",),
    next_page="a.pagination__next::attr(href)",
)


# -- Taobao's script state ---------------------------------------------------------------------------


_TAGS = re.compile(r"<[^>]{0,200}>")


class TaobaoStateSearch:
    """Taobao's classic search page (s.taobao.com): the results are in the page's script state,

        g_page_config = {"pageName": "mainsrp", "mods": {"itemlist": {"data": {"auctions": [
            {"nid": "…", "raw_title": "…", "view_price": "52.90", "nick": "<shop>",
             "detail_url": "//detail.tmall.com/item.htm?id=…&abbucket=1"}, …]}},
          "pager": {"data": {"pageSize": 44, "totalPage": 100, "currentPage": 1}}}};

    read with the bounded JSON reader of page profiles (`state_json`). An ad's `detail_url` is a
    click redirect (click.simba.taobao.com): its listing is the item page of its `nid`. The next
    page is `s=` (the offset of its first result), as Taobao's own pager writes it.
    """

    name: ClassVar[str] = "taobao_state"
    assignment: ClassVar[re.Pattern[str]] = re.compile(r"\bg_page_config\s*=\s*")
    item_hosts: ClassVar[tuple[str, ...]] = ("item.taobao.com", "detail.tmall.com", "detail.tmall.hk")

    def read(self, page: Selector, url: str) -> tuple[list[SearchResult], str | None]:
        if source_lacks(page, "g_page_config"):
            return [], None
        state = state_json(page, self.assignment, wanted="mods")
        auctions = dig(state, "mods", "itemlist", "data", "auctions")
        if not isinstance(auctions, list):
            return [], None
        found = []
        for auction in auctions[:MAX_RESULTS_PER_PAGE]:
            if not isinstance(auction, dict):
                continue
            link = self._link(auction, url)
            if link is None:
                continue
            title = auction.get("raw_title")
            if not isinstance(title, str) or not title.strip():
                title = _TAGS.sub("", auction["title"]) if isinstance(auction.get("title"), str) else None
            price = auction.get("view_price")
            found.append(
                SearchResult(
                    url=link,
                    title=clean_text(title, TITLE_MAX),
                    seller_name=clean_text(auction.get("nick"), SELLER_MAX),
                    price=point_price(price) if isinstance(price, str) else amount_of(price),
                )
            )
        return found, self._next_page(state, url) if found else None

    def _link(self, auction: dict[str, Any], base: str) -> str | None:
        detail = auction.get("detail_url")
        link = _web_link(base, detail) if isinstance(detail, str) else None
        if link is not None and _on_hosts(link, self.item_hosts):
            return _keep_query(link, ("id",))
        nid = auction.get("nid")
        nid = str(nid) if isinstance(nid, int) and not isinstance(nid, bool) else nid
        if isinstance(nid, str) and re.fullmatch(r"[0-9]{1,20}", nid):
            return f"https://item.taobao.com/item.htm?id={nid}"
        return None

    def _next_page(self, state: Any, url: str) -> str | None:
        pager = dig(state, "mods", "pager", "data")
        if not isinstance(pager, dict):
            pager = dig(state, "mods", "sortbar", "data", "pager")
        if not isinstance(pager, dict):
            return None
        current, total, size = (_as_int(pager.get(k)) for k in ("currentPage", "totalPage", "pageSize"))
        if current is None or total is None or size is None or not 0 < size <= 200:
            return None
        if not 0 < current < min(total, _MAX_PAGE):
            return None
        return _with_param(url, "s", current * size)


TAOBAO_STATE = TaobaoStateSearch()

# The shapes tried on each platform's search pages, in order; the sandbox's shape is last.
SEARCH_SHAPES: dict[str, tuple[SearchShape, ...]] = {
    "taobao": (TAOBAO_CARDS, TAOBAO_STATE, TAOBAO_SEARCH),
    "tmall": (TMALL_SEARCH, TAOBAO_CARDS, TAOBAO_STATE, TAOBAO_SEARCH),
    "jd": (JD_SEARCH, TAOBAO_SEARCH),
    "amazon": (AMAZON_SEARCH, TAOBAO_SEARCH),
    "ebay": (EBAY_CARDS, EBAY_ITEMS, TAOBAO_SEARCH),
    "pinduoduo": (TAOBAO_SEARCH,),
    "youzan": (TAOBAO_SEARCH,),
    "douyin": (TAOBAO_SEARCH,),
}
# Any other platform (a brand's own site, a marketplace configured under another name): every shape.
ALL_SHAPES: tuple[SearchShape, ...] = (
    TAOBAO_CARDS,
    TAOBAO_STATE,
    TMALL_SEARCH,
    JD_SEARCH,
    AMAZON_SEARCH,
    EBAY_CARDS,
    EBAY_ITEMS,
    TAOBAO_SEARCH,
)


def search_shapes(platform: str) -> tuple[SearchShape, ...]:
    """The search page shapes tried on `platform`'s pages, in order."""
    return SEARCH_SHAPES.get(platform, ALL_SHAPES)


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


def read_search_page(
    body: str | bytes,
    url: str,
    shapes: SearchShape | Sequence[SearchShape] = ALL_SHAPES,
    *,
    content_type: str | None = None,
) -> tuple[list[SearchResult], str | None]:
    """The results on a search page and the absolute URL of the next page (None on the last).

    `shapes` are tried in order (one shape: only it); the first that finds results is the page's
    shape. `content_type` is the answer's Content-Type header, for its charset (GBK pages).
    A page no shape reads gives no results and no next page.
    """
    text = decode_page(body, content_type) if isinstance(body, bytes) else _decode(body, None)
    tree, source = _parse_source(text)
    if tree is None:
        return [], None
    page = selector_for(tree, source)
    for shape in shapes if isinstance(shapes, Sequence) else (shapes,):
        results, next_page = shape.read(page, url)
        if results:
            unique: dict[str, SearchResult] = {}
            for r in results:  # an ad and the same listing's own entry: one result
                unique.setdefault(r.url, r)
            return list(unique.values()), next_page
    return [], None


# Answers that say "not you, not now" rather than "no such page" (as the watch spider counts them).
BLOCKING_STATUSES = (403, 429, 503)


def search_page_blocked(
    body: str | bytes, url: str, status: int = 200, *, content_type: str | None = None
) -> str | None:
    """Why a search page that listed nothing is a block rather than an empty result, or None.

    A captcha, an anti-bot or login page (the checks listing pages get, `crawlers.page`), or a
    403/429/503 answer: discovery found nothing there because it was not shown the results.
    """
    if status in BLOCKING_STATUSES:
        return f"http_{status}"
    text = decode_page(body, content_type) if isinstance(body, bytes) else _decode(body, None)
    tree, source = _parse_source(text)
    if tree is None:
        return None
    return _Page(tree, url, source).blocked_reason()
