"""Marketplace search result pages: `/shop/<platform>/search?q=...&page=N`, a few listings per page.

A listing is found when every word of the query is in its title (case and width folded). JD's
pages have JD's goods list (`#J_goodsList li.gl-item`) and its script-only pager, whose page
numbers count half pages (1, 3, 5, …); every other platform's follow Taobao's classic item list.
`crawlers/discovery.py` reads both.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Mapping, Sequence
from urllib.parse import urlencode

from oneprice.domain.catalog import Product
from sandbox.seed import Offer, format_price
from sandbox.server import Request, Response

PAGE_SIZE = 4
MAX_PAGE = 50


def _fold(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).casefold().split())


def results(offers: Sequence[Offer], products: Mapping[str, Product], platform: str, query: str) -> list[Offer]:
    """The offers of `platform` whose title holds every word of `query`, in seed order (a removed
    listing, `moved_to`, is found no more)."""
    words = [_fold(w) for w in query.split() if w.strip()]
    found = []
    for o in offers:
        product = products.get(o.sku)
        title = _fold(o.title or (product.name if product else ""))
        if o.platform == platform and o.moved_to is None and words and all(w in title for w in words):
            found.append(o)
    return found


def search_page(
    request: Request,
    offers: Sequence[Offer],
    products: Mapping[str, Product],
    layout: Callable[[str, str, str], str],
    esc: Callable[[object], str],
) -> Response:
    """One result page; `layout(platform, title, body)` puts the platform's frame around it."""
    platform = request.params["platform"]
    query = (request.arg("q") or "").strip()[:100]
    try:
        page = min(max(int(request.arg("page") or "1"), 1), MAX_PAGE)
    except ValueError:
        page = 1
    jd = platform == "jd"
    if jd:  # JD serves a result page as two halves: page=1, 3, 5, ... are the pages 1, 2, 3, ...
        page = (page + 1) // 2
    found = results(offers, products, platform, query)
    shown = found[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    more = page * PAGE_SIZE < len(found)
    if jd:
        body = _jd_page(shown, products, query, len(found), more, esc)
    else:
        body = _item_list_page(shown, products, query, len(found), page, more, esc)
    return Response.html(layout(platform, f"{query} - 搜索", body))


def _title(o: Offer, products: Mapping[str, Product]) -> str:
    product = products.get(o.sku)
    return o.title or (product.name if product else o.sku)


def _item_list_page(
    shown: Sequence[Offer],
    products: Mapping[str, Product],
    query: str,
    total: int,
    page: int,
    more: bool,
    esc: Callable[[object], str],
) -> str:
    """Taobao's classic item list, with a pager link."""
    items = []
    for o in shown:
        price = format_price(o.price, o.currency, "yuan") if o.price is not None else "暂无报价"
        items.append(
            f'      <div class="item J_MouserOnverReq" data-id="{esc(o.id)}">\n'
            f'        <div class="price g_price"><span>¥</span><strong>{esc(price.lstrip("¥"))}</strong></div>\n'
            f'        <div class="row title"><a class="J_ClickStat" href="{esc(o.path)}">{esc(_title(o, products))}</a>'
            "</div>\n"
            f'        <div class="shop"><a class="shopname"><span>{esc(o.seller)}</span></a></div>\n'
            "      </div>"
        )
    pager = f'<a class="next" href="?{esc(urlencode({"q": query, "page": page + 1}))}">下一页</a>' if more else ""
    return (
        f'<div class="m-search"><form class="search-form" action=""><input name="q" value="{esc(query)}"></form>\n'
        f'  <div class="m-itemlist" data-total="{total}">\n    <div class="items">\n'
        + "\n".join(items)
        + f'\n    </div>\n  </div>\n  <div class="pager">{pager}</div>\n</div>'
    )


def _jd_page(
    shown: Sequence[Offer],
    products: Mapping[str, Product],
    query: str,
    total: int,
    more: bool,
    esc: Callable[[object], str],
) -> str:
    """JD's goods list. The pager is a script's: no address, a `disabled` next button on the last page.

    Items carry no `data-sku`: it would make the reader build an item.jd.com address, and the
    sandbox's listings live on the sandbox.
    """
    items = []
    for o in shown:
        price = f"{o.price:.2f}" if o.price is not None else "暂无报价"
        title = esc(_title(o, products))
        seller = esc(o.seller)
        items.append(
            '      <li class="gl-item"><div class="gl-i-wrap">\n'
            f'        <div class="p-price"><strong><em>￥</em><i>{esc(price)}</i></strong></div>\n'
            f'        <div class="p-name p-name-type-2"><a target="_blank" title="{title}" href="{esc(o.path)}">'
            f"<em>{title}</em></a></div>\n"
            f'        <div class="p-shop"><span class="J_im_icon"><a class="curr-shop hd-shopname" title="{seller}">'
            f"{seller}</a></span></div>\n"
            "      </div></li>"
        )
    state = "" if more else " disabled"
    return (
        f'<div id="J_searchWrap"><input id="key" value="{esc(query)}">\n'
        f'  <div id="J_goodsList" class="goods-list-v2" data-total="{total}"><ul class="gl-warp clearfix">\n'
        + "\n".join(items)
        + "\n  </ul></div>\n"
        f'  <div id="J_bottomPage"><span class="p-num"><a class="pn-next{state}" href="javascript:;"'
        ' onclick="SEARCH.page_next()">下一页</a></span></div>\n</div>'
    )
