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
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any, ClassVar, Protocol
from urllib.parse import parse_qsl, quote, unquote_plus, urlencode, urljoin, urlsplit, urlunsplit

from parsel import Selector

from crawlers.page import _decode, _Page, _parse_source, decode_page, dig
from crawlers.prices import (
    RAW_PRICE_MAX,
    SELLER_MAX,
    TITLE_MAX,
    amount_of,
    clean_text,
    parse_price_text,
    without_sales_counts,
)
from crawlers.profiles.base import (
    Css,
    _first_found,
    _first_text,
    alternatives,
    may_match,
    selector_for,
    source_lacks,
    state_json,
)
from crawlers.text_prices import _FROM_PRICE, _PLUS_FROM
from oneprice.domain.catalog import Catalog

MAX_RESULTS_PER_PAGE = 200
_ITEM_TEXT_MAX = 4000  # characters of a result's text looked at for its price line and auction words
_ITEM_TEXT_NODES = 400
_PAGER_LINKS_MAX = 500
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

# A range between two amounts ("99-129", "$10.00 to $15.00", "12,99 bis 15,99"); a "from" price ("From
# £59.00", Magento's "As low as £59.00", Etsy's "$45.00+", Rakuten's "1,980円~") is what listing pages take
# for one (`_FROM_PRICE`, `_PLUS_FROM`). A discount after a price ("$129.99 -20%") is no range.
_RANGE = re.compile(r"\d\s*(?:-|~|～|–|—|至|\bto\b|\bbis\b|\bà\b)\s*\D{0,5}\d(?![\d.,]*\s*%)", re.IGNORECASE)
# A minus sign on the amount, at the end of what comes before its first digit: on the number ("-3",
# "¥-3.00", "US $-29.99") or on its currency sign ("-¥3.00"), never a dash with a space after it
# (a dash between a label and the price: "Sale - $29.99"). ASCII, minus sign, fullwidth and en dash.
_MINUS = re.compile(r"[-\u2212\uff0d\u2013](?:[^\s\d]{1,4}\s?)?$")
_DIGIT = re.compile(r"[0-9]")


def point_price(text: str | None) -> Decimal | None:
    """The one price a search result shows ("¥1,299.00", "US $29.99"); None for a range, a "from" price
    or a negative amount ("¥-3.00" is no price; `parse_price_text` alone reads the 3 and drops the sign)."""
    raw = clean_text(text, RAW_PRICE_MAX)
    if raw is None or _not_one_price(raw) or _negative(raw):
        return None
    amount, _ = parse_price_text(raw)
    return amount


def _negative(text: str) -> bool:
    """Whether a price's text writes its amount with a minus sign."""
    digit = _DIGIT.search(text)
    return digit is not None and _MINUS.search(text, 0, digit.start()) is not None


def _not_one_price(text: str) -> bool:
    """Whether a price's text shows a range or a "from" price rather than one price; a sales or review
    count beside the price ("¥99 月销1000+", "评价 5000+") is neither."""
    text = without_sales_counts(text)
    return bool(_RANGE.search(text) or _FROM_PRICE.search(text) or _PLUS_FROM.search(text))


def _text(scope: Selector, limit: int) -> str:
    """The text of an element (its value, for an attribute), whitespace collapsed, at most `limit` characters."""
    if isinstance(scope.root, str):
        return " ".join(scope.root[:limit].split())
    return (scope.xpath("normalize-space(string())").get() or "")[:limit]


def _words(scope: Selector) -> str:
    """The texts of an element, a space between those of its elements ("$45.00 3 bids"), bounded."""
    if isinstance(scope.root, str):
        return " ".join(scope.root[:_ITEM_TEXT_MAX].split())
    out: list[str] = []
    size = 0
    for text in scope.xpath(".//text()")[:_ITEM_TEXT_NODES].getall():
        out.append(text)
        size += len(text)
        if size >= _ITEM_TEXT_MAX:
            break
    return " ".join(" ".join(out)[:_ITEM_TEXT_MAX].split())


def _web_link(base: str, href: str | None) -> str | None:
    """`href` made absolute against `base`; None unless it is an http(s) address of sane length."""
    if not href or len(href) > URL_MAX:
        return None
    try:
        link = urljoin(base, href.strip())
        parts = urlsplit(link)
    except ValueError:  # "http://[x/": an address no browser would open either
        return None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None  # javascript: and data: links are not listings
    return link


# Marketplaces that serve every listing page over both http and https (http answers with a redirect): a
# result linked with "http://" on one card and "//" or "https://" on another is one listing, kept in its
# https form. Other sites keep the scheme their link gives: a store may serve only one of them.
_HTTPS_SITES = re.compile(
    r"(?:^|\.)(?:dangdang\.com|jd\.com|jd\.hk|taobao\.com|tmall\.com|tmall\.hk|yangkeduo\.com|1688\.com"
    r"|vip\.com|youzan\.com|walmart\.com|newegg\.com"
    r"|(?:amazon|ebay|aliexpress|mercadolibre|mercadolivre)\.(?:com|co|com?\.[a-z]{2}|[a-z]{2}))$"
)
_DEFAULT_PORTS = {"http": 80, "https": 443}


def listing_address(link: str) -> str:
    """One address per listing: the host in lower case without its scheme's default port, and a
    marketplace's http link in its https form (`_HTTPS_SITES`): "http://Product.DangDang.com:80/1.html"
    and "//product.dangdang.com/1.html" on an https page are both "https://product.dangdang.com/1.html".
    Path, query and fragment stay as written (tracking parameters go with `keep_query`)."""
    parts = urlsplit(link)
    try:
        port = parts.port
    except ValueError:
        return link
    host = parts.hostname
    if host is None or "@" in parts.netloc:
        return link
    scheme = parts.scheme.lower()
    if scheme == "http" and port in (None, _DEFAULT_PORTS["http"]) and _HTTPS_SITES.search(host):
        scheme, port = "https", None
    shown = f"[{host}]" if ":" in host else host
    netloc = shown if port is None or port == _DEFAULT_PORTS.get(scheme) else f"{shown}:{port}"
    return urlunsplit(parts._replace(scheme=scheme, netloc=netloc))


def _keep_query(link: str, keep: tuple[str, ...]) -> str:
    """The link with only the `keep` query parameters (an item id) and no fragment: tracking
    parameters differ on every search, and the same listing must keep one address."""
    parts = urlsplit(link)
    # the kept parameters as the page wrote them ("route=product/product" stays so, not "product%2Fproduct")
    kept = [p for p in parts.query.split("&") if p and unquote_plus(p.split("=", 1)[0], "latin-1") in keep]
    return urlunsplit(parts._replace(query="&".join(kept), fragment=""))


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


def _numbered_next(page: Selector, url: str, links: Css, param: str) -> str | None:
    """The first of the pager's `links` on the page's own path whose `param` is the page's plus one."""
    wanted = (_page_param(url, param) or 1) + 1
    if wanted > _MAX_PAGE:
        return None
    here = urlsplit(url)
    for one in alternatives(links):
        for href in (page.css(one).getall() if may_match(page, one) else [])[:_PAGER_LINKS_MAX]:
            link = _web_link(url, href)
            if link is None:
                continue
            there = urlsplit(link)
            if (there.hostname, there.path) == (here.hostname, here.path) and _page_param(link, param) == wanted:
                return urlunsplit(there._replace(fragment=""))
    return None


_SITE_NAME: Css = ('meta[property="og:site_name"]::attr(content)', 'meta[name="application-name"]::attr(content)')


def _store_name(page: Selector, url: str) -> str | None:
    """The name a web store gives itself (`og:site_name`, `application-name`), else its host name."""
    name = clean_text(_first_text(page, _SITE_NAME), SELLER_MAX)
    if name:
        return name
    host = (urlsplit(url).hostname or "").lower()
    return clean_text(host.removeprefix("www."), SELLER_MAX)


def _as_int(value: object) -> int | None:
    """A count a script's state gives as a number or as text ("44"); None for anything else."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and _NUMBER.fullmatch(value.strip()):
        return int(value.strip())
    return None


def _state_price(value: object) -> Decimal | None:
    """A price a script's state writes in the currency's unit, as text ("268.00") or as a number;
    None for a range or a "from" price, a negative amount, or anything else."""
    if isinstance(value, str) and _not_one_price(value[:RAW_PRICE_MAX]):
        return None
    return amount_of(value)


# -- declarative shapes ------------------------------------------------------------------------------


@dataclass(frozen=True)
class SearchSelectors:
    """Where a search page puts each result and its fields (parsel CSS, `::attr()` allowed).

    Every field but `item` is read inside one result. A `Css` tuple lists alternatives, the
    first that finds something wins (see `crawlers.profiles.base.Css`). Optional refinements:

    - `price_fraction`: a price split in two elements (`<b>29</b><b>.90</b>`), read after `price`;
    - `price_line`: the element showing the result's whole price, where `price` is read (the result
      when it has none): a range or "from" price in its text, or two different amounts `price`
      finds there ("$79.99 - $119.99" drawn as two prices), leave the price empty;
    - `price_line_skip`: elements inside the price line that price something else, left out of its
      text (Shopware's "Variants from €59.95*" beside the price of the variant the card links);
    - `no_price_text`: a pattern whose presence in the result's text means its price is no shelf
      price (an auction's bids: the current bid is only a "from" price);
    - `no_price_marker`: an element whose presence in the result means the same (Vipshop's notice
      of a sale still to come);
    - `item_id` / `item_id_pattern` / `item_url`: the result's id (`data-sku`, `data-asin`) and
      the listing URL built from it (`{id}`; relative to the page); it replaces the result's link
      when the link is missing or points elsewhere than `link_hosts` (an ad's click redirect;
      no `link_hosts`: the built URL always wins);
    - `keep_query`: the query parameters a result's link keeps (others are tracking);
    - `seller_cut`: a pattern where the seller's name ends ("name (1,234) 99.5%");
    - `seller_prefix`: a pattern for the words before the seller's name ("Por Loja", "Vendido por Loja");
    - `link_pattern`: a pattern the path of a listing's link matches; a result linking elsewhere (an
      ad's click redirect with no listing id to build the address from) is no listing;
    - `seller_is_store`: a web store's own search: the seller of every result is the store, named
      by the page (`og:site_name`, `application-name`), else by its host name;
    - `skip_titles`: titles of placeholder results that are no listing;
    - `next_page_marker` / `next_page_param` / `next_page_step`: a pager without a link
      (JavaScript only): while the marker is on the page, the next page is the page's URL with
      `next_page_param` (1 when the URL has none) raised by `next_page_step`;
    - `next_page_links` / `next_page_param`: a numbered pager whose links say nothing reliable
      about which is "next" (themes swap their arrow classes): the next page is the first of
      those links, on the page's own path, whose `next_page_param` is the page's plus one.
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
    price_line: Css | None = None
    no_price_text: str | None = None
    seller_is_store: bool = False
    next_page_links: Css | None = None
    no_price_marker: Css | None = None
    price_line_skip: Css | None = None
    seller_prefix: str | None = None
    link_pattern: str | None = None

    def read(self, page: Selector, url: str) -> tuple[list[SearchResult], str | None]:
        found = []
        skip = {t.casefold() for t in self.skip_titles}
        store = _store_name(page, url) if self.seller_is_store else None
        for item in _first_found(page, self.item)[:MAX_RESULTS_PER_PAGE]:
            link = self._link(item, url)
            if link is None:
                continue
            title = clean_text(_first_text(item, self.title), TITLE_MAX)
            if title is not None and title.casefold() in skip:
                continue
            seller = self._seller(item) or store
            found.append(SearchResult(url=link, title=title, seller_name=seller, price=self._price(item)))
        return found, self._next_page(page, url) if found else None

    def _link(self, item: Selector, base: str) -> str | None:
        link = _web_link(base, _first_text(item, self.link))
        if link is not None and self.keep_query is not None:
            link = _keep_query(link, self.keep_query)
        if self.item_url and (link is None or not self.link_hosts or not _on_hosts(link, self.link_hosts)):
            m = re.fullmatch(self.item_id_pattern, (_first_text(item, self.item_id) or "")[:128])
            built = _web_link(base, self.item_url.replace("{id}", m.group(1))) if m else None
            link = built or link
        if link is not None and self.link_pattern and not re.search(self.link_pattern, urlsplit(link).path[:URL_MAX]):
            return None  # a click redirect or any page that is no listing
        return link

    def _seller(self, item: Selector) -> str | None:
        text = _first_text(item, self.seller) if self.seller else None
        if text and self.seller_cut:
            text = re.split(self.seller_cut, text[: SELLER_MAX * 4], maxsplit=1)[0]
        if text and self.seller_prefix:
            text = re.sub(self.seller_prefix, "", text[: SELLER_MAX * 4], count=1)
        return clean_text(text, SELLER_MAX)

    def _price(self, item: Selector) -> Decimal | None:
        if not self.price:
            return None
        if self.no_price_text and re.search(self.no_price_text, _words(item)):
            return None
        if self.no_price_marker and _first_found(item, self.no_price_marker):
            return None
        scope = item
        if self.price_line:
            line = _first_found(item, self.price_line)
            if line:
                scope = line[0]
                if _not_one_price(self._line_words(scope)):
                    return None  # the line shows a range or a "from" price
                shown = {point_price(_text(s, RAW_PRICE_MAX)) for s in _first_found(scope, self.price)[:8]}
                if len(shown - {None}) > 1:
                    return None  # two prices side by side: a range
        text = _first_text(scope, self.price)
        if text and self.price_fraction:
            fraction = (_first_text(scope, self.price_fraction) or "").strip()
            text += "." + fraction if fraction[:1].isdigit() else fraction
        return point_price(text)

    def _line_words(self, line: Selector) -> str:
        """The words of the price line, less those of the elements in it that price something else."""
        words = _words(line)
        for other in _first_found(line, self.price_line_skip)[:8] if self.price_line_skip else ():
            skipped = _words(other)
            if skipped:
                words = words.replace(skipped, " ", 1)
        return words

    def _next_page(self, page: Selector, url: str) -> str | None:
        link = _web_link(url, _first_text(page, self.next_page)) if self.next_page else None
        if link is not None:
            return link
        if self.next_page_links and self.next_page_param:
            return _numbered_next(page, url, self.next_page_links, self.next_page_param)
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

# JD search as redrawn in 2024-2025 (a React page, drawn in the browser): one
# `div.plugin_goodsCardWrapper[data-sku]` per result, CSS-module classes with a hash suffix matched
# by prefix (`_goods_title_container_…` with the whole title in `[title]`, `_price_…` beside a
# label such as "起", `_shopFloor_…` / `_name_…` for the shop). A card seldom links its item page
# (a script opens it): the listing is the item page of its sku. The pager is script buttons
# (`_pagination_next_…`): the next page is `page=` plus one.
JD_CARDS = SearchSelectors(
    name="jd_cards",
    item=("div.plugin_goodsCardWrapper[data-sku]", '[class*="plugin_goodsCardWrapper"][data-sku]'),
    link=('a[href*="item.jd.com/"]::attr(href)', 'a[href*="item.m.jd.com/"]::attr(href)'),
    title=(
        '[class*="_goods_title_container_"] [title]::attr(title)',
        '[class*="_goods_title_container_"]',
        '[class*="_text_"][title]::attr(title)',
    ),
    seller=('[class*="_shopFloor_"] [class*="_name_"]', '[class*="_shopFloor_"] a'),
    price='[class*="_price_"]',
    price_line='[class*="_container_"]:has(> [class*="_price_"])',
    item_id="::attr(data-sku)",
    item_id_pattern=r"([0-9]{1,20})",
    item_url="https://item.jd.com/{id}.html",
    link_hosts=("item.jd.com", "item.m.jd.com", "item.jd.hk", "npcitem.jd.hk"),
    keep_query=(),
    next_page=None,
    next_page_marker='[class*="_pagination_next_"]:not([class*="disabled"])',
    next_page_param="page",
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
# on the same site. The title is the `h2` in (or around) the result's link: results of some
# categories show the brand in an `h2` of its own above it. The current price is the `.a-offscreen`
# text of an `.a-price` that is not the struck list price (`.a-text-price`), read in the price
# line (`data-cy="price-recipe"`): the lowest of other sellers' offers ("More Buying Choices",
# "No featured offers available") is no price of the listing, and two prices there are a range.
# Search results name no seller.
AMAZON_SEARCH = SearchSelectors(
    name="amazon",
    item='div[data-component-type="s-search-result"]',
    link=("h2 a::attr(href)", "a.a-link-normal.s-no-outline::attr(href)", "a.a-link-normal::attr(href)"),
    title=("a h2 span", "h2 a span", "h2[aria-label] span", "h2 span", "h2"),
    seller=None,
    price="span.a-price:not(.a-text-price) span.a-offscreen",
    price_line='[data-cy="price-recipe"]',
    item_id="::attr(data-asin)",
    item_id_pattern=r"([A-Z0-9]{10})",
    item_url="/dp/{id}",
    keep_query=(),
    next_page="a.s-pagination-next::attr(href)",
)

# eBay's feedback after the seller's name: "name (12,345) 99.8%", "name 99.3% positive (154.8K)".
_EBAY_FEEDBACK = r"\s*\(\s*[\d.,]+\s*[KkMm]?\s*\)|\s+[\d.,]+\s*%"
# An auction's bid count ("5 bids", "0 Gebote"): its price is the current bid, only a "from" price.
_EBAY_BIDS = r"(?i)\b\d[\d,.]*\s*(?:bids?|gebote?|enchères?|offerte|pujas?)\b"

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
    price_line=".s-card__attribute-row:has(.s-card__price)",
    no_price_text=_EBAY_BIDS,
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
    no_price_text=_EBAY_BIDS,
    keep_query=(),
    skip_titles=("Shop on eBay",),
    next_page="a.pagination__next::attr(href)",
)


# Vipshop (唯品会) search (category.vip.com/suggest.php?keyword=…), as a browser draws it (the page's
# script fills it from an API): `#J_searchCatList .c-goods-item[data-product-id]`, the link to
# detail.vip.com/detail-<brand>-<product>.html, `.c-goods-item__name`, the special price (特卖价)
# `.c-goods-item__sale-price` beside the struck `.c-goods-item__market-price` and the discount. A
# card announcing a sale still to come (预热, `.c-goods-item__price-tips--preheat`) shows the price it
# will sell at, not one to buy at today. The cards name no seller. The pager's `#J_nextPage_link`
# is a script link, there while a next page is: the next page is `page=` plus one. The
# recommendations below the results (猜你喜欢) are outside the list.
VIPSHOP_CARDS = SearchSelectors(
    name="vipshop_cards",
    item=("#J_searchCatList .c-goods-item", '[class*="c-goods-list"] .c-goods-item'),
    link=('a[href*="detail.vip.com/"]::attr(href)', "a.c-goods-item__link::attr(href)"),
    title=(".c-goods-item__name", ".c-goods-item__img img::attr(alt)"),
    seller=None,
    price=".c-goods-item__sale-price",
    no_price_marker='[class*="c-goods-item__price-tips--preheat"]',
    keep_query=(),
    next_page="#J_nextPage_link::attr(href)",
    next_page_marker="#J_nextPage_link",
    next_page_param="page",
)

# Mercado Libre / Mercado Livre search (lista.mercadolivre.com.br/<words>, listado.mercadolibre.com.ar/…),
# the "poly" cards of 2024 on: `li.ui-search-layout__item` holding a `div.poly-card`, the title link
# `a.poly-component__title`, the seller (an official store, some others) in `.poly-component__seller`
# as "Por <name>", the current price `.poly-price__current .andes-money-amount` (the struck
# `s.andes-money-amount--previous` and the instalment `.poly-price__installments` beside it are no
# price; the cents sit in their own element after a hidden comma). A listing is an item page
# (produto.mercadolivre.com.br/MLB-<id>-…-_JM) or a catalogue page that `pdp_filters` narrows to one
# seller's item; the position and tracking ride in the fragment. A sponsored card links a click
# redirect (click1.…/mclics/clicks/…) that names no item: no listing address, passed over. The older
# `ui-search-result` cards are read by the same shape. The pager's next button is
# `li.andes-pagination__button--next a` (`_Desde_<offset>` in the path), disabled on the last page.
MERCADOLIBRE_SEARCH = SearchSelectors(
    name="mercadolibre",
    item=("li.ui-search-layout__item", ".ui-search-results .poly-card", ".ui-search-results .ui-search-result"),
    link=("a.poly-component__title::attr(href)", "a.ui-search-link::attr(href)"),
    title=("a.poly-component__title", ".poly-component__title", ".ui-search-item__title"),
    seller=(".poly-component__seller", ".ui-search-official-store-label"),
    seller_prefix=r"(?i)^\s*(?:vendido\s+)?por\s+",
    price=(".poly-price__current .andes-money-amount", ".ui-search-price__second-line .andes-money-amount"),
    price_line=(".poly-component__price", ".ui-search-price"),
    keep_query=("pdp_filters",),
    link_pattern=r"/(?:p/)?M[A-Z]{2}-?[0-9]{4,14}(?=[-/_]|$)",
    next_page="li.andes-pagination__button--next:not(.andes-pagination__button--disabled) a::attr(href)",
)


# Dangdang (当当) search (search.dangdang.com/?key=…&act=input, a GB2312 page): `#search_nature_rg
# ul.bigimg > li`, the item page (//product.dangdang.com/<id>.html, protocol-relative, a tracking
# `ref=` on some) in `a.pic` with the whole title in its `title` (the visible `p.name a` breaks the
# keyword out in a `<font>`). The price is `span.search_now_price` ("¥599.00"; an e-book's sits in
# `.ebook_buy`, its digits in a `<span>` of their own); the list price (定价, `.search_pre_price`)
# and the discount (折) beside it are no price. A shop's item names the shop in `p.search_shangjia
# a[name="itemlist-shop-name"]`; an item Dangdang sells itself (当当自营) names none. The pager's
# `li.next a` is a plain link (`page_index=`).
DANGDANG_SEARCH = SearchSelectors(
    name="dangdang",
    item=("#search_nature_rg ul.bigimg > li", "#search_nature_rg > ul > li", "ul.bigimg > li:has(.search_now_price)"),
    link=("a.pic::attr(href)", "p.name a::attr(href)"),
    title=("a.pic::attr(title)", "p.name a::attr(title)", "p.name a"),
    seller=('p.search_shangjia a[name="itemlist-shop-name"]', "p.search_shangjia a"),
    price="span.search_now_price",
    keep_query=(),
    next_page=(".paging li.next a::attr(href)", "li.next a::attr(href)"),
)

# Newegg search (www.newegg.com/p/pl?d=…): `div.item-cell` holding a `div.item-container`, the title
# link `a.item-title` to /<slug>/p/<item> (its `Item=` repeats the item and `cm_sp=` tracks the search).
# The current price `li.price-current` draws the dollars in `<strong>` and the cents in `<sup>`
# ("$<strong>1,599</strong><sup>.99</sup>"), followed by `span.price-current-range` ("–", empty past
# it unless the item's choices are priced apart: then a second strong and sup, a range); the struck
# `li.price-was`, the saving `li.price-save` and the shipping `li.price-ship` are no price. Cards name
# no seller. Read by `NeweggSearch`, which adds the next page.
NEWEGG_CELLS = SearchSelectors(
    name="newegg_cells",
    item=(".item-cells-wrap .item-cell", "div.item-cell:has(.item-container)"),
    link=("a.item-title::attr(href)", "a.item-img::attr(href)"),
    title=("a.item-title", "a.item-img img::attr(title)"),
    seller=None,
    price="strong",
    price_fraction="sup",
    price_line="li.price-current",
    keep_query=(),
    link_pattern=r"/p/[A-Za-z0-9-]{4,40}/?$",
    next_page=None,
)

_NEWEGG_PAGES = re.compile(r"(?<![0-9])([0-9]{1,5})\s{0,8}/\s{0,8}([0-9]{1,5})(?![0-9])")


class NeweggSearch:
    """Newegg's result cells (`NEWEGG_CELLS`) and its pager: script buttons beside the text
    "Page 1/4" (`span.list-tool-pagination-text`); the next page is `page=` plus one while the
    text's page is short of its last."""

    name: ClassVar[str] = "newegg"

    def read(self, page: Selector, url: str) -> tuple[list[SearchResult], str | None]:
        if source_lacks(page, "item-cell"):
            return [], None
        found, _ = NEWEGG_CELLS.read(page, url)
        if not found:
            return [], None
        text = _first_text(page, ".list-tool-pagination-text strong") or ""
        m = _NEWEGG_PAGES.search(text[:64])
        if m is None:
            return found, None
        current, last = int(m.group(1)), int(m.group(2))
        if not 0 < current < min(last, _MAX_PAGE):
            return found, None
        return found, _with_param(url, "page", current + 1)


NEWEGG_SEARCH = NeweggSearch()

# Coupang search (www.coupang.com/np/search?q=…), the classic result list: `ul#productList li.search-product`,
# the link `a.search-product-link` to /vp/products/<id>?itemId=…&vendorItemId=… (the item and the vendor's
# offer of it; `sourceType`, `q`, `rank`, `searchId` and an ad's `clickEventId` are tracking), the name
# `div.name`, the price `strong.price-value` in the sale box ("159,900원"); the struck `del.base-price`, the
# discount beside it and the unit price after the box ("(1켤레당 6,300원)") are no price. A sponsored result
# (광고, `search-product__ad-badge`) is a listing like any other. A sold-out result (일시품절, `.out-of-stock`)
# still shows the price it sold at, which no buyer can pay: no price. Cards name no seller. A widget below the
# list (함께 본 상품) draws the same cards outside `#productList`: no results. The pager's `a.btn-next` is a link.
COUPANG_SEARCH = SearchSelectors(
    name="coupang",
    item="ul#productList > li.search-product",
    link=("a.search-product-link::attr(href)", 'a[href*="/vp/products/"]::attr(href)'),
    title=(".name", "img.search-product-wrap-img::attr(alt)"),
    seller=None,
    price=("em.sale strong.price-value", "strong.price-value"),
    price_line="div.price",
    no_price_marker=(".out-of-stock", ".sold-out"),
    keep_query=("itemId", "vendorItemId"),
    link_pattern=r"^/vp/products/[0-9]{1,20}/?$",
    next_page="a.btn-next:not(.disabled)::attr(href)",
)

# Coupang's search as redrawn with Next.js (2025): `ul#product-list li.ProductUnit_productUnit__<hash>`, CSS
# module classes matched by their prefix: the link to /vp/products/<id> as above, `ProductUnit_productName__…`,
# the price `Price_priceValue__…` ("159,900원") in `PriceArea_priceArea__…`, beside the struck
# `PriceInfo_basePrice__…` and the unit price. An ad (`AdMark_adMark__…`) is a listing; a sold-out result
# (`OutOfStock_outOfStock__…`, `ProductUnit_soldOut__…`) has no price. The pager's `Pagination_nextBtn__…`
# is a link.
COUPANG_UNITS = SearchSelectors(
    name="coupang_units",
    item=('ul#product-list > li[class*="ProductUnit_productUnit"]',),
    link=('a[href*="/vp/products/"]::attr(href)',),
    title=('[class*="ProductUnit_productName"]', "figure img::attr(alt)"),
    seller=None,
    price=('[class^="Price_priceValue"]', '[class*=" Price_priceValue"]'),
    price_line=('[class*="PriceArea_priceArea"]',),
    no_price_marker=('[class*="OutOfStock_"]', '[class*="ProductUnit_soldOut"]'),
    keep_query=("itemId", "vendorItemId"),
    link_pattern=r"^/vp/products/[0-9]{1,20}/?$",
    next_page='a[class*="Pagination_nextBtn"]:not([class*="disabled"])::attr(href)',
)

# Rakuten Ichiba search (search.rakuten.co.jp/search/mall/<words>/): `div.searchresultitem`, the title link to
# the item page item.rakuten.co.jp/<shop>/<item>/ (`s-id`, `l2-id`, an ad's `rafcid` and `ad_ids` are
# tracking; a `variantId` names the variant and is kept) in `h2.title a` or, in the current markup,
# `div.content.title a`; the price `div.content.price .important` ("23,980円"), now `span.price--<hash>`
# with its 円 in a span of its own; the points (ポイント) and 送料無料 beside it are no price, and "1,980円~"
# (variants priced apart) is a "from" price. The shop is `div.content.merchant a`. A PR result is a listing;
# a sold-out one (売り切れ, `.content.soldout`) has no price. The related words (関連ワード) between the
# results link to other searches: no results. The pager's `a.nextPage` is a link (`p=`).
RAKUTEN_SEARCH = SearchSelectors(
    name="rakuten",
    item="div.searchresultitem",
    link=("div.content.title a::attr(href)", "h2.title a::attr(href)", ".title a::attr(href)"),
    title=("div.content.title a", "h2.title a", ".title a::attr(title)"),
    seller=("div.content.merchant a", ".merchant a"),
    price=(".content.price .important", '.content.price [class^="price--"]', '.content.price [class*=" price--"]'),
    price_line=(".content.price",),
    no_price_marker=(".content.soldout", '[class^="soldout"]'),
    keep_query=("variantId",),
    link_pattern=r"^/[A-Za-z0-9_.-]{1,64}/[A-Za-z0-9_.-]{1,128}/?$",
    next_page=("a.nextPage::attr(href)", ".dui-pagination a.-next::attr(href)"),
)

# -- web stores' own search ---------------------------------------------------------------------------
#
# A reseller's own store: the seller of every result is the store (`seller_is_store`), and a
# reseller whose `sites` name the store's host is recognised by it (`crawlers.sellers`).

# Shopify (/search?q=…&type=product), Dawn and the themes built on it: `.card-wrapper` per result,
# the link `/products/<handle>` with search tracking (`_pos`, `_sid`, `_ss`) dropped and a variant
# kept; `price-item--sale` (or `price-item--regular` in `.price__regular`) is the price, the struck
# `s.price-item--regular` the compare-at price; "From £59.00" is a "from" price. Results that are
# no product (blog articles, pages) have no `/products/` link and are passed over. Dawn's next-page
# arrow carries the class `pagination__item--prev` (and its previous-page arrow `--next`): the next
# page is the pager link whose `page=` is this page's plus one.
SHOPIFY_SEARCH = SearchSelectors(
    name="shopify",
    item=("#product-grid .grid__item", ".card-wrapper.product-card-wrapper", ".card-wrapper"),
    link=(".card__heading a[href*='/products/']::attr(href)", "a[href*='/products/']::attr(href)"),
    title=(".card__content .card__heading a", ".card__heading", ".card__information a"),
    seller=None,
    seller_is_store=True,
    price=(".price-item--sale", ".price__regular .price-item--regular", ".price-item--regular"),
    price_line=(".price__sale", ".price__regular", ".price"),
    keep_query=("variant",),
    next_page='link[rel="next"]::attr(href)',
    next_page_links=(".pagination a::attr(href)", 'a[href*="page="]::attr(href)'),
    next_page_param="page",
)

# Shopify's Horizon themes (2025): `<product-card>` per result, the link `a.product-card__link`
# with the title in its hidden label, `<product-price>` with `.price` and `.compare-at-price`.
SHOPIFY_CARDS = SearchSelectors(
    name="shopify_cards",
    item=("product-card", ".product-card"),
    link=("a.product-card__link::attr(href)", "a[href*='/products/']::attr(href)"),
    title=("a.product-card__link .visually-hidden", ".product-card__title", "a.product-card__link"),
    seller=None,
    seller_is_store=True,
    price=("product-price .price", ".price:not(.compare-at-price)"),
    price_line=("product-price", ".price"),
    keep_query=("variant",),
    next_page='link[rel="next"]::attr(href)',
    next_page_links=(".pagination a::attr(href)", 'a[href*="page="]::attr(href)'),
    next_page_param="page",
)

# WooCommerce (/?s=…&post_type=product): the classic loop (`ul.products li.product`, the link
# `a.woocommerce-LoopProduct-link`) and the block themes' product collection (`li.wc-block-product`,
# `.wp-block-post-title a`). On sale, the price is in `ins` and the struck one in `del`; a variable
# product shows "£59.00 – £79.00", a range. WordPress's pager has `a.next.page-numbers`, the
# blocks' `a.wp-block-query-pagination-next`. Plain permalinks (`?product=<slug>`, `?p=<id>`) keep
# the parameter that names the product.
WOOCOMMERCE_SEARCH = SearchSelectors(
    name="woocommerce",
    item=("ul.products li.product", "li.wc-block-product", ".wc-block-grid__product"),
    link=(
        "a.woocommerce-LoopProduct-link::attr(href)",
        ".wp-block-post-title a::attr(href)",
        "a.wc-block-grid__product-link::attr(href)",
    ),
    title=(".woocommerce-loop-product__title", ".wp-block-post-title", ".wc-block-grid__product-title"),
    seller=None,
    seller_is_store=True,
    price=("ins .amount", ".amount"),
    price_line=(".price", ".wc-block-components-product-price", ".wc-block-grid__product-price"),
    keep_query=("product", "p", "post_type"),
    next_page=("a.next.page-numbers::attr(href)", "a.wp-block-query-pagination-next::attr(href)"),
)

# Magento 2 (catalogsearch/result/?q=…), Luma and the themes after it: `.product-item` in a grid or
# a list, `a.product-item-link`. The price is the `data-price-amount` of the final price; its price
# container labels a configurable product's lowest price "As low as" (a "from" price), while a tier
# price's "As low as" sits beside it; a bundle shows "From … To …". The pager: `.pages a.next`.
MAGENTO_SEARCH = SearchSelectors(
    name="magento",
    item=(".products-grid .product-item", ".products-list .product-item", "ol.product-items > li.product-item"),
    link=("a.product-item-link::attr(href)", "a.product-item-photo::attr(href)"),
    title=("a.product-item-link", ".product-item-name"),
    seller=None,
    seller_is_store=True,
    price=('[data-price-type="finalPrice"]::attr(data-price-amount)', ".price-box .price"),
    price_line=('.price-container:has([data-price-type="finalPrice"])', ".price-box"),
    keep_query=(),
    next_page=(".pages a.action.next::attr(href)", ".pages-item-next a::attr(href)"),
)

# PrestaShop 1.7-9 (/search?controller=search&s=…, /recherche?…), the classic theme and most built on
# it: `article.product-miniature.js-product-miniature[data-id-product]` inside `#js-product-list`
# (modules' blocks such as "Popular products" reuse the miniature outside it and are no results). The
# title is the name cut to 30 characters ("Veste imperméable Shanyu..."), as the page shows it; the
# price `.product-price-and-shipping .price` beside the struck `.regular-price` and the discount; no
# price block in catalogue mode or for a product whose price is hidden. Links carry the combination in
# the fragment (`#/2-taille-m/11-couleur-noir`: the path already names it as `<id>-<attribute>-`). The
# pager's `a.next` (class `disabled` on the last page).
PRESTASHOP_SEARCH = SearchSelectors(
    name="prestashop",
    item=(
        "#js-product-list .js-product-miniature",
        "#products .product-miniature",
        "#js-product-list .product-miniature",
    ),
    link=(".product-title a::attr(href)", "a.product-thumbnail::attr(href)"),
    title=(".product-title a", ".product-title"),
    seller=None,
    seller_is_store=True,
    price=(".product-price-and-shipping .price", ".price"),
    price_line=".product-price-and-shipping",
    keep_query=("id_product", "id_product_attribute", "controller"),
    next_page=(
        ".pagination a.next:not(.disabled)::attr(href)",
        'a.js-search-link[rel="next"]:not(.disabled)::attr(href)',
    ),
)

# Shopware 6 (/search?search=…), the default Storefront: `.product-box` cards in `.cms-listing-row`,
# the link and title `a.product-name`. The price is the first text of `span.product-price`: inside it
# the list price (`.list-price-price`, "(18.76% saved)"); after it the lowest price of the last 30 days
# ("Previously €139.95*", `.product-price.with-regulation-price`); a "From" before it when the
# product has graduated prices or shows its cheapest variant (a "from" price); "Variants from €59.95*"
# (`.product-cheapest-price`) prices another variant than the one the card links. The price per
# reference unit ("(€17.67* / 1 Kilogram)") sits outside the price. The pager is a form of radio
# buttons (`input[name=p]`): the next page is `p=` plus one while `.page-next` is not disabled.
SHOPWARE_SEARCH = SearchSelectors(
    name="shopware",
    item=(".cms-listing-row .product-box", ".js-listing-wrapper .product-box"),
    link=("a.product-name::attr(href)", "a.product-image-link::attr(href)"),
    title=("a.product-name::attr(title)", "a.product-name"),
    seller=None,
    seller_is_store=True,
    price=(".product-price:not(.with-regulation-price)::text", ".product-price:not(.with-regulation-price)"),
    price_line=".product-price-wrapper",
    price_line_skip=".product-cheapest-price",
    keep_query=(),
    next_page=None,
    next_page_marker=(".pagination-nav .page-next:not(.disabled)", ".pagination .page-next:not(.disabled)"),
    next_page_param="p",
)

# OpenCart 3-4 (index.php?route=product/search&search=…): `.product-thumb` in the result list
# (`.product-layout.product-list`, 4.x `#product-list`; the featured and bestseller modules draw the same
# thumbs elsewhere), the title `h4 a`, the price `.price-new` on special (`.price-old` struck) or the
# text of `.price` itself, then "Ex Tax: $100.00" (`.price-tax`, the price before tax). The link keeps
# `route` and `product_id` (the search words ride along as `search=`). The pager's links carry only
# icons: the next page is the pager link whose `page=` is this page's plus one.
OPENCART_SEARCH = SearchSelectors(
    name="opencart",
    item=(
        "#product-list .product-thumb",
        ".product-layout.product-list .product-thumb",
        ".product-layout.product-grid .product-thumb",
    ),
    link=("h4 a::attr(href)", ".image a::attr(href)"),
    title=("h4 a", "h4"),
    seller=None,
    seller_is_store=True,
    price=(".price .price-new", ".price::text"),
    price_line=".price",
    keep_query=("route", "product_id", "language"),
    next_page=None,
    next_page_links=("ul.pagination a.page-link::attr(href)", "ul.pagination a::attr(href)"),
    next_page_param="page",
)

# BigCommerce's Cornerstone theme and those built on it (/search.php?search_query=…): `article.card` in
# `ul.productGrid` (`.productList .listItem` in list view), the title `.card-title a`. The price block
# (`[data-test-info-type="price"]`) holds hidden or shown sections for the MSRP (`.price--rrp`), the
# price before sale ("Was:", `.price--non-sale`) and the price (`.price--withTax` /
# `.price--withoutTax`, the one with tax first when the store shows both); a product whose variants
# differ shows "$89.99 - $109.99" there. The pager: `.pagination-item--next a`.
BIGCOMMERCE_SEARCH = SearchSelectors(
    name="bigcommerce",
    item=(".productGrid .product article.card", ".productGrid article.card", ".productList .listItem"),
    link=(".card-title a::attr(href)", "a.card-figure__link::attr(href)", ".listItem-title a::attr(href)"),
    title=(".card-title a", ".card-title", ".listItem-title"),
    seller=None,
    seller_is_store=True,
    price=(
        "[data-product-price-with-tax]",
        "[data-product-price-without-tax]",
        ".price--withTax",
        ".price--withoutTax",
    ),
    price_line=('[data-test-info-type="price"]', ".price-section:has(.price--withoutTax)"),
    keep_query=(),
    next_page=(".pagination-item--next a::attr(href)", ".pagination-item--next .pagination-link::attr(href)"),
)


# A Youzan (有赞) shop's classic goods list, as its search (h5.youzan.com/v2/search?q=…&kdt_id=…),
# its goods groups and its "all goods" page draw it: `ul.sc-goods-list li.js-goods-card`, the link
# `a.js-goods` to /v2/goods/<alias> (on h5.youzan.com or the shop's own shop<kdt_id>.youzan.com), the
# title `.goods-title`, the price `.goods-price em` (`.goods-price-taobao` beside it is the struck
# price), and a buy button `.js-goods-buy` carrying `data-alias` and `data-price` (yuan). The shop's
# own picture ads above the list link goods too, and are no results. Read by `YouzanShopSearch`,
# which names the shop as the seller.
YOUZAN_CARDS = SearchSelectors(
    name="youzan_goods_list",
    item=(".sc-goods-list .js-goods-card", ".js-goods-list li.goods-card"),
    link=("a.js-goods::attr(href)", "a[href*='/v2/goods/']::attr(href)"),
    title=(".goods-title", "a.js-goods::attr(title)", ".js-goods-buy::attr(data-title)"),
    seller=None,
    price=(".goods-price em", ".js-goods-buy::attr(data-price)"),
    item_id=".js-goods-buy::attr(data-alias)",
    item_id_pattern=r"([A-Za-z0-9]{4,32})",
    item_url="/v2/goods/{id}",
    link_hosts=("youzan.com",),
    keep_query=(),
    next_page=None,
)


class YouzanShopSearch:
    """A Youzan shop's goods list (`YOUZAN_CARDS`) sold by the shop: its name is the page's script
    state, `var _global = {"kdt_id": …, "mp_data": {"team_name": "<shop>", …}, …}` (`shop_name`
    where `team_name` is missing); a page without it names no seller. More goods come from an API as
    the page scrolls: there is no next page.
    """

    name: ClassVar[str] = "youzan_cards"
    assignment: ClassVar[re.Pattern[str]] = re.compile(r"(?:\bvar\s+|\bwindow\.)_global\s*=\s*(?=\{)")

    def read(self, page: Selector, url: str) -> tuple[list[SearchResult], str | None]:
        found, _ = YOUZAN_CARDS.read(page, url)
        if not found:
            return [], None
        shop = self._shop(page)
        return [replace(r, seller_name=shop) for r in found], None

    def _shop(self, page: Selector) -> str | None:
        if source_lacks(page, "mp_data"):
            return None
        mp_data = dig(state_json(page, self.assignment, wanted="mp_data"), "mp_data")
        name = dig(mp_data, "team_name")
        if not isinstance(name, str) or not name.strip():
            name = dig(mp_data, "shop_name")
        return clean_text(name, SELLER_MAX) if isinstance(name, str) else None


YOUZAN_SEARCH = YouzanShopSearch()


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


class PinduoduoStateSearch:
    """Pinduoduo's mobile search (mobile.yangkeduo.com/search_result.html?search_key=…): the first
    results are in the page's script state,

        window.rawData = {"stores": {"store": {"data": {"ssrListData": {"list": [
            {"goodsID": "…", "goodsName": "…", "linkURL": "goods.html?goods_id=…&_oak_rcto=…",
             "priceInfo": "459.9", "price": 45990, …}, …], "flip": "…"}}}}};

    (older pages: `store.data.ssrListData`, or `props.pageProps.data.ssrListData` in `__NEXT_DATA__`).
    A result is the goods page of its `goodsID` on the host searched; its price is the shown
    `priceInfo` (yuan; "89起" is a "from" price), the shop `mallName` when the state has one. Later
    results come from an API as the page scrolls: there is no next page.
    """

    name: ClassVar[str] = "pinduoduo_state"
    assignment: ClassVar[re.Pattern[str]] = re.compile(r"window\.rawData\s*=\s*(?=\{)|\A\s*(?=\{\s*\"props\")")

    def read(self, page: Selector, url: str) -> tuple[list[SearchResult], str | None]:
        if source_lacks(page, "ssrListData"):
            return [], None
        state = state_json(page, self.assignment)
        goods = next(
            (
                g
                for g in (
                    dig(state, "stores", "store", "data", "ssrListData", "list"),
                    dig(state, "store", "data", "ssrListData", "list"),
                    dig(state, "props", "pageProps", "data", "ssrListData", "list"),
                    dig(state, "props", "pageProps", "data", "ssrResult", "ssrListData", "list"),
                )
                if isinstance(g, list)
            ),
            [],
        )
        found = []
        for g in goods[:MAX_RESULTS_PER_PAGE]:
            if not isinstance(g, dict):
                continue
            link = self._link(g, url)
            if link is None:
                continue
            price = g.get("priceInfo")
            found.append(
                SearchResult(
                    url=link,
                    title=clean_text(g.get("goodsName"), TITLE_MAX),
                    seller_name=clean_text(g.get("mallName"), SELLER_MAX),
                    price=point_price(price) if isinstance(price, str) else None,
                )
            )
        return found, None

    @staticmethod
    def _link(goods: dict[str, Any], base: str) -> str | None:
        gid = goods.get("goodsID", goods.get("goods_id"))
        gid = str(gid) if isinstance(gid, int) and not isinstance(gid, bool) else gid
        if not (isinstance(gid, str) and re.fullmatch(r"[0-9]{1,20}", gid)):
            linked = goods.get("linkURL")
            link = _web_link(base, linked) if isinstance(linked, str) else None
            gid = _page_param(link, "goods_id") if link else None
            if gid is None:
                return None
        return _web_link(base, f"/goods.html?goods_id={gid}")


PINDUODUO_STATE = PinduoduoStateSearch()


class Alibaba1688StateSearch:
    """1688's offer search (s.1688.com/selloffer/offer_search.htm?keywords=…, a GBK page): the first
    offers are in the page's script state,

        window.data.offerresultData = successDataCheck({"code": 200, "data": {"offerList": [
            {"id": 712345678901, "information": {"subject": "…", "detailUrl": "…"},
             "company": {"name": "<company>"}, "tradePrice": {"offerPrice": {
               "priceInfo": {"price": "268.00"}, "valueString": "268",
               "quantityPrices": [{"quantity": "≥2件", "valueString": "268.00"}, …]}}}, …],
          "pageCount": 50, "totalCount": 2000}, "msg": "ok"});

    A result is the offer page of its `id` (detail.1688.com/offer/<id>.html): an ad's `detailUrl` is
    a click redirect (dj.1688.com). The seller is the company, as the offer page names it. The price
    is the shown `priceInfo.price` (else `offerPrice.valueString`), in yuan whether written as text or
    as a number; quantity tiers at different prices (wholesale by quantity) are a range, no one price
    (the offer page reads the smallest quantity's). The rest of a page's offers come from an API as
    it scrolls; the next page is `beginPage=` plus one, up to `pageCount`.
    """

    name: ClassVar[str] = "1688_state"
    assignment: ClassVar[re.Pattern[str]] = re.compile(
        r"\bwindow\.data\.offerresultData\s*=\s*(?:successDataCheck\s*\(\s*)?(?=\{)"
    )
    _offer_path: ClassVar[re.Pattern[str]] = re.compile(r"/offer/([0-9]{1,20})\.html")

    def read(self, page: Selector, url: str) -> tuple[list[SearchResult], str | None]:
        if source_lacks(page, "offerresultData"):
            return [], None
        data = dig(state_json(page, self.assignment), "data")
        offers = dig(data, "offerList")
        if not isinstance(offers, list):
            return [], None
        found = []
        for offer in offers[:MAX_RESULTS_PER_PAGE]:
            if not isinstance(offer, dict):
                continue
            link = self._link(offer, url)
            if link is None:
                continue
            info = offer.get("information")
            title = dig(info, "subject")
            if not isinstance(title, str) or not title.strip():
                title = dig(info, "simpleSubject")
            found.append(
                SearchResult(
                    url=link,
                    title=clean_text(
                        _TAGS.sub("", title[:_ITEM_TEXT_MAX]) if isinstance(title, str) else None, TITLE_MAX
                    ),
                    seller_name=clean_text(dig(offer, "company", "name"), SELLER_MAX),
                    price=self._price(dig(offer, "tradePrice", "offerPrice")),
                )
            )
        return found, self._next_page(data, url) if found else None

    def _link(self, offer: dict[str, Any], base: str) -> str | None:
        oid = offer.get("id")
        oid = str(oid) if isinstance(oid, int) and not isinstance(oid, bool) else oid
        if not (isinstance(oid, str) and re.fullmatch(r"[0-9]{1,20}", oid)):
            detail = dig(offer, "information", "detailUrl")
            link = _web_link(base, detail) if isinstance(detail, str) else None
            m = (
                self._offer_path.fullmatch(urlsplit(link).path)
                if link and _on_hosts(link, ("detail.1688.com",))
                else None
            )
            if m is None:
                return None
            oid = m.group(1)
        return f"https://detail.1688.com/offer/{oid}.html"

    @staticmethod
    def _price(offer_price: Any) -> Decimal | None:
        tiers = dig(offer_price, "quantityPrices")
        rows = [t for t in tiers[:50] if isinstance(t, dict)] if isinstance(tiers, list) else []
        tier_prices = {_state_price(t.get("valueString")) for t in rows} - {None}
        if len(tier_prices) > 1:
            return None  # wholesale tiers at different prices: a range
        shown = dig(offer_price, "priceInfo", "price")
        if shown is None:
            shown = dig(offer_price, "valueString")
        return _state_price(shown)

    @staticmethod
    def _next_page(data: Any, url: str) -> str | None:
        total = _as_int(dig(data, "pageCount"))
        current = _page_param(url, "beginPage") or 1
        if total is None or not 0 < current < min(total, _MAX_PAGE):
            return None
        return _with_param(url, "beginPage", current + 1)


ALIBABA_1688_STATE = Alibaba1688StateSearch()


class WalmartNextDataSearch:
    """Walmart's search (www.walmart.com/search?q=…): the results are in the page's Next.js state,

        <script id="__NEXT_DATA__" type="application/json">{"props": {"pageProps": {"initialData": {
          "searchResult": {"itemStacks": [{"meta": {"stackType": "DEFAULT", …}, "items": [
            {"__typename": "Product", "usItemId": "…", "name": "…", "canonicalUrl": "/ip/<slug>/<id>?classType=…",
             "sellerName": "Walmart.com", "isSponsoredFlag": false, "price": 14,
             "priceInfo": {"linePrice": "$14.88", "linePriceDisplay": "$14.88", "wasPrice": "",
                           "unitPrice": "12.4 ¢/oz", "priceRangeString": ""}}, …]}],
          "paginationV2": {"maxPage": 25, …}}}}}}</script>

    A result is an item of `__typename` "Product" (the stacks hold placeholders of other types); its
    listing is the item page `/ip/<slug>/<usItemId>` on the host searched (the query says how it was
    found), its seller `sellerName` (a marketplace seller, or "Walmart.com"). A sponsored item
    (`isSponsoredFlag`) links the same item page as its own entry, and is one result with it. The
    price is the shown `linePriceDisplay` (else `linePrice`): `price` is a number cut to whole units
    on some pages ("price": 14 for $14.88); a `priceRangeString` ("$89.99 - $109.99", variants priced
    apart) is no one price; `wasPrice` and `unitPrice` are no price. The next page is `page=` plus one,
    up to `paginationV2.maxPage`.
    """

    name: ClassVar[str] = "walmart_next_data"
    assignment: ClassVar[re.Pattern[str]] = re.compile(r"\A\s*(?=\{\s*\"props\")")
    _stacks_max: ClassVar[int] = 20

    def read(self, page: Selector, url: str) -> tuple[list[SearchResult], str | None]:
        if source_lacks(page, "itemStacks"):
            return [], None
        search = dig(state_json(page, self.assignment), "props", "pageProps", "initialData", "searchResult")
        stacks = dig(search, "itemStacks")
        if not isinstance(stacks, list):
            return [], None
        found: list[SearchResult] = []
        for stack in stacks[: self._stacks_max]:
            items = dig(stack, "items")
            for item in items[:MAX_RESULTS_PER_PAGE] if isinstance(items, list) else ():
                if len(found) >= MAX_RESULTS_PER_PAGE:
                    break
                if not isinstance(item, dict) or item.get("__typename") != "Product":
                    continue  # a placeholder for an ad or a banner
                link = self._link(item, url)
                if link is None:
                    continue
                found.append(
                    SearchResult(
                        url=link,
                        title=clean_text(item.get("name"), TITLE_MAX),
                        seller_name=clean_text(item.get("sellerName"), SELLER_MAX),
                        price=self._price(item.get("priceInfo")),
                    )
                )
        return found, self._next_page(search, url) if found else None

    @staticmethod
    def _link(item: dict[str, Any], base: str) -> str | None:
        canonical = item.get("canonicalUrl")
        link = _web_link(base, canonical) if isinstance(canonical, str) else None
        if link is not None and urlsplit(link).path.startswith("/ip/") and _on_hosts(link, ("walmart.com",)):
            return _keep_query(link, ())
        iid = item.get("usItemId")
        if isinstance(iid, str) and re.fullmatch(r"[0-9]{1,20}", iid):
            return _web_link(base, f"/ip/{iid}")
        return None

    @staticmethod
    def _price(info: Any) -> Decimal | None:
        if not isinstance(info, dict):
            return None
        spread = info.get("priceRangeString")
        if isinstance(spread, str) and spread.strip():
            return None  # variants priced apart
        for key in ("linePriceDisplay", "linePrice"):
            shown = info.get(key)
            if isinstance(shown, str) and shown.strip():
                return point_price(shown)
            if shown is not None and not isinstance(shown, str):
                return _state_price(shown)
        return None

    @staticmethod
    def _next_page(search: Any, url: str) -> str | None:
        last = _as_int(dig(search, "paginationV2", "maxPage"))
        current = _page_param(url, "page") or 1
        if last is None or not 0 < current < min(last, _MAX_PAGE):
            return None
        return _with_param(url, "page", current + 1)


WALMART_NEXT_DATA = WalmartNextDataSearch()


class AliExpressInitDataSearch:
    """AliExpress's search (www.aliexpress.com/w/wholesale-<words>.html, the country sites alike): the
    results are in the page's script state, an object whose one key is not quoted,

        window._dida_config_._init_data_ = { data: {"data": {"root": {"fields": {
          "mods": {"itemList": {"content": [
            {"productId": "1005001234567890", "title": {"displayTitle": "…", "seoTitle": "…"},
             "prices": {"salePrice": {"currencyCode": "USD", "minPrice": 12.34, "formattedPrice": "US $12.34"},
                        "originalPrice": {"minPrice": 20.5, "formattedPrice": "US $20.50"}},
             "trade": {"tradeDesc": "1,000+ sold"}, …}, …]}},
          "pageInfo": {"totalResults": 2400, …}}}}} };

    read from the inner object. A result is the item page `/item/<productId>.html` on the host searched;
    its title `displayTitle`; its price the shown `salePrice.formattedPrice` (else `minPrice`, in the
    currency of `currencyCode`); `originalPrice` is the struck one. The cards name no store. The next
    page is `page=` plus one while the results up to this page (the page size, `pageSize` where the
    state gives one, else the results shown, times the page number) are short of `totalResults`.
    """

    name: ClassVar[str] = "aliexpress_init_data"
    assignment: ClassVar[re.Pattern[str]] = re.compile(
        r"\bwindow\._dida_config_\._init_data_\s*=\s*\{\s*data\s*:\s*(?=\{)"
    )

    def read(self, page: Selector, url: str) -> tuple[list[SearchResult], str | None]:
        if source_lacks(page, "_init_data_"):
            return [], None
        fields = dig(state_json(page, self.assignment), "data", "root", "fields")
        items = dig(fields, "mods", "itemList", "content")
        if not isinstance(items, list):
            return [], None
        found = []
        for item in items[:MAX_RESULTS_PER_PAGE]:
            if not isinstance(item, dict):
                continue
            pid = item.get("productId")
            pid = str(pid) if isinstance(pid, int) and not isinstance(pid, bool) else pid
            if not (isinstance(pid, str) and re.fullmatch(r"[0-9]{1,20}", pid)):
                continue
            link = _web_link(url, f"/item/{pid}.html")
            if link is None:
                continue
            title = dig(item, "title", "displayTitle")
            if not isinstance(title, str) or not title.strip():
                title = dig(item, "title", "seoTitle")
            found.append(
                SearchResult(
                    url=link,
                    title=clean_text(title if isinstance(title, str) else None, TITLE_MAX),
                    seller_name=None,
                    price=self._price(dig(item, "prices", "salePrice")),
                )
            )
        return found, self._next_page(dig(fields, "pageInfo"), len(found), url) if found else None

    @staticmethod
    def _price(sale: Any) -> Decimal | None:
        shown = dig(sale, "formattedPrice")
        if isinstance(shown, str) and shown.strip():
            return point_price(shown)
        return _state_price(dig(sale, "minPrice"))

    @staticmethod
    def _next_page(info: Any, shown: int, url: str) -> str | None:
        total = _as_int(dig(info, "totalResults"))
        size = _as_int(dig(info, "pageSize")) or shown
        current = _page_param(url, "page") or 1
        if total is None or not 0 < size <= MAX_RESULTS_PER_PAGE or current >= _MAX_PAGE:
            return None
        return _with_param(url, "page", current + 1) if current * size < total else None


ALIEXPRESS_INIT_DATA = AliExpressInitDataSearch()

# The shapes tried on each platform's search pages, in order; the sandbox's shape is last.
STORE_SHAPES: tuple[SearchShape, ...] = (
    SHOPIFY_SEARCH,
    SHOPIFY_CARDS,
    WOOCOMMERCE_SEARCH,
    MAGENTO_SEARCH,
    PRESTASHOP_SEARCH,
    SHOPWARE_SEARCH,
    OPENCART_SEARCH,
    BIGCOMMERCE_SEARCH,
)
_OTHER_STORES = (MAGENTO_SEARCH, PRESTASHOP_SEARCH, SHOPWARE_SEARCH, OPENCART_SEARCH, BIGCOMMERCE_SEARCH)
SEARCH_SHAPES: dict[str, tuple[SearchShape, ...]] = {
    "taobao": (TAOBAO_CARDS, TAOBAO_STATE, TAOBAO_SEARCH),
    "tmall": (TMALL_SEARCH, TAOBAO_CARDS, TAOBAO_STATE, TAOBAO_SEARCH),
    "jd": (JD_CARDS, JD_SEARCH, TAOBAO_SEARCH),
    "amazon": (AMAZON_SEARCH, TAOBAO_SEARCH),
    "ebay": (EBAY_CARDS, EBAY_ITEMS, TAOBAO_SEARCH),
    "pinduoduo": (PINDUODUO_STATE, TAOBAO_SEARCH),
    "youzan": (YOUZAN_SEARCH, TAOBAO_SEARCH),
    "douyin": (TAOBAO_SEARCH,),
    "1688": (ALIBABA_1688_STATE, TAOBAO_SEARCH),
    "vipshop": (VIPSHOP_CARDS, TAOBAO_SEARCH),
    "weidian": (TAOBAO_SEARCH,),
    # A store's own search: its platform's shapes first, then the other stores' (a theme borrows
    # another platform's markup less often than a store is configured under the wrong name).
    "shopify": (SHOPIFY_SEARCH, SHOPIFY_CARDS, WOOCOMMERCE_SEARCH, *_OTHER_STORES, TAOBAO_SEARCH),
    "woocommerce": (WOOCOMMERCE_SEARCH, SHOPIFY_SEARCH, SHOPIFY_CARDS, *_OTHER_STORES, TAOBAO_SEARCH),
}
# Any other platform (`website`: a store on Magento or any other software, a marketplace configured
# under another name, as 1688 and Vipshop were before they had names): every shape, the marketplaces'
# before the stores'.
ALL_SHAPES: tuple[SearchShape, ...] = (
    TAOBAO_CARDS,
    TAOBAO_STATE,
    TMALL_SEARCH,
    JD_CARDS,
    JD_SEARCH,
    AMAZON_SEARCH,
    EBAY_CARDS,
    EBAY_ITEMS,
    PINDUODUO_STATE,
    ALIBABA_1688_STATE,
    VIPSHOP_CARDS,
    YOUZAN_SEARCH,
    MERCADOLIBRE_SEARCH,
    WALMART_NEXT_DATA,
    ALIEXPRESS_INIT_DATA,
    DANGDANG_SEARCH,
    NEWEGG_SEARCH,
    COUPANG_UNITS,
    COUPANG_SEARCH,
    RAKUTEN_SEARCH,
    *STORE_SHAPES,
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
            for r in results:  # an ad and the same listing's own entry, or its http and https links: one result
                address = listing_address(r.url)
                unique.setdefault(address, replace(r, url=address))
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
