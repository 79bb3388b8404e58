"""Marketplace search result pages: `/shop/<platform>/search?q=...&page=N`, a few listings per page.

A listing is found when every word of the query is in its title (case and width folded). The
page shape follows Taobao's item list; `crawlers/discovery.py` reads it.
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
    """The offers of `platform` whose title holds every word of `query`, in seed order."""
    words = [_fold(w) for w in query.split() if w.strip()]
    found = []
    for o in offers:
        product = products.get(o.sku)
        title = _fold(o.title or (product.name if product else ""))
        if o.platform == platform and words and all(w in title for w in words):
            found.append(o)
    return found


def search_page(
    request: Request,
    offers: Sequence[Offer],
    products: Mapping[str, Product],
    render: Callable[[str, str, dict[str, str]], str],
    esc: Callable[[object], str],
) -> Response:
    """One result page; `render(platform, title, fields)` lays the search template out."""
    platform = request.params["platform"]
    query = (request.arg("q") or "").strip()[:100]
    try:
        page = min(max(int(request.arg("page") or "1"), 1), MAX_PAGE)
    except ValueError:
        page = 1
    found = results(offers, products, platform, query)
    shown = found[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    items = []
    for o in shown:
        product = products.get(o.sku)
        title = o.title or (product.name if product else o.sku)
        price = format_price(o.price, o.currency, "yuan") if o.price is not None else "暂无报价"
        items.append(
            f'      <div class="item J_MouserOnverReq" data-id="{esc(o.id)}">\n'
            f'        <div class="price g_price"><span>¥</span><strong>{esc(price.lstrip("¥"))}</strong></div>\n'
            f'        <div class="row title"><a class="J_ClickStat" href="{esc(o.path)}">{esc(title)}</a></div>\n'
            f'        <div class="shop"><a class="shopname"><span>{esc(o.seller)}</span></a></div>\n'
            "      </div>"
        )
    pager = ""
    if page * PAGE_SIZE < len(found):
        pager = f'<a class="next" href="?{esc(urlencode({"q": query, "page": page + 1}))}">下一页</a>'
    fields = {"query": esc(query), "total": str(len(found)), "items": "\n".join(items), "pager": pager}
    return Response.html(render(platform, f"{query} - 搜索", fields))
