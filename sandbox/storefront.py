"""Public storefront pages: reseller offers in each page shape, and the brand's own store listings.

Every piece of seller or product text is HTML-escaped (it is data); JSON-LD is
escaped for a <script> block, so `</script>` in a title cannot close it.

Listing pages carry an `ETag` (a hash of the body) and a `Last-Modified` (when that body was
first served) and answer `304 Not Modified` to a matching `If-None-Match` or, without one,
`If-Modified-Since` (RFC 9110, 13.1), like the marketplaces' CDNs.
"""

from __future__ import annotations

import hashlib
import json
import threading
import zlib
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from email.utils import format_datetime, parsedate_to_datetime
from functools import cache
from html import escape
from importlib import resources
from string import Template
from typing import Any

from oneprice.domain.catalog import Catalog, Product
from sandbox import search, shapes
from sandbox.seed import PROFILE_SHAPES, Offer, format_price
from sandbox.server import Request, Response, Router
from sandbox.woocommerce import WooStore

PLATFORM_NAMES = {
    "tmall": ("天猫 Tmall", "#ff0036"),
    "taobao": ("淘宝网 Taobao", "#ff5000"),
    "jd": ("京东 JD", "#e1251b"),
    "pinduoduo": ("拼多多 Pinduoduo", "#e02e24"),
    "douyin": ("抖音商城 Douyin", "#161823"),
    "youzan": ("有赞 Youzan", "#155bd4"),
    "1688": ("阿里巴巴 1688", "#ff6a00"),
    "vipshop": ("唯品会 Vipshop", "#f10180"),
    "weidian": ("微店 Weidian", "#e23a3a"),
}
SCHEMA = "https://schema.org/"


@cache
def template(name: str) -> Template:
    """A page template from `sandbox/templates/` (string.Template, `$name` placeholders)."""
    return Template((resources.files("sandbox") / "templates" / name).read_text(encoding="utf-8"))


def h(value: object) -> str:
    """HTML-escape text and attribute values (quotes included)."""
    return escape(str(value), quote=True)


def json_for_script(data: Any) -> str:
    """JSON safe to embed in <script type="application/ld+json">: no raw <, > or &."""
    text = json.dumps(data, ensure_ascii=False, indent=2)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _json_amount(amount: Decimal) -> int | str:
    """An amount as WooCommerce's variation data writes it: a JSON number when whole (1099), else text."""
    return int(amount) if amount == amount.to_integral_value() else str(amount)


def _layout(platform: str, page_title: str, body: str, head: str = "") -> str:
    site, accent = PLATFORM_NAMES.get(platform, (platform, "#3a7d44"))
    return template("layout.html").substitute(
        page_title=h(page_title), head=head, body=body, platform=h(platform), site_name=h(site), accent=accent
    )


class PageVersions:
    """When each page's current body was first served: its Last-Modified, strictly increasing per page."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._seen: dict[str, tuple[str, datetime]] = {}

    def last_modified(self, key: str, etag: str, now: datetime | None = None) -> datetime:
        now = (now or datetime.now(UTC)).replace(microsecond=0)
        with self._lock:
            seen = self._seen.get(key)
            if seen is not None and seen[0] == etag:
                return seen[1]
            # A page that changes within a second still gets a later date than its last version.
            when = max(now, seen[1] + timedelta(seconds=1)) if seen is not None else now
            self._seen[key] = (etag, when)
            return when


def etag_for(body: bytes) -> str:
    """A strong entity tag: a hash of the body."""
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def not_modified(request: Request, etag: str, last_modified: datetime) -> bool:
    """Whether the request's preconditions say the client already has this version of the page."""
    if request.method not in ("GET", "HEAD"):
        return False
    none_match = request.header("If-None-Match")
    if none_match is not None:
        # Weak comparison: W/ prefixes do not count; "*" matches any current page.
        tags = {t.strip().removeprefix("W/") for t in none_match.split(",")}
        return "*" in tags or etag.removeprefix("W/") in tags
    since = request.header("If-Modified-Since")
    if since is None:
        return False
    try:
        when = parsedate_to_datetime(since)
    except (TypeError, ValueError, IndexError):
        return False  # an invalid date is ignored
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return last_modified <= when


def _gtin_meta(product: Product) -> str:
    return f'  <meta itemprop="gtin13" content="{h(product.gtin)}">\n' if product.gtin else ""


class Storefront:
    """Renders reseller offers and the brand's own store listings as HTML pages."""

    def __init__(self, brand: str, catalog: Catalog, offers: Sequence[Offer], stores: Mapping[str, WooStore]) -> None:
        self.brand = brand
        self.products = catalog.by_sku()
        self.offers = {(o.platform, o.id): o for o in offers}
        self.stores = stores
        # Bytes of review text appended to every offer page (0 = none): real listing pages weigh
        # about 100 KB, most of it reviews, recommendations and scripts (bench/crawl.py uses it).
        self.filler = 0
        # ETag / Last-Modified on listing pages, and 304 to a matching conditional request.
        self.validators = True
        self.versions = PageVersions()
        self.not_modified_count = 0  # 304 answers given (tests read it)
        self._count_lock = threading.Lock()

    # -- routes ------------------------------------------------------------------

    def install(self, router: Router) -> None:
        """Routes beyond the item pages: JD's price service and Shopify product pages and `.js`."""
        router.add(("GET", "HEAD"), r"/shop/jd/prices/mgets", self.jd_prices)
        router.add(("GET", "HEAD"), r"/shop/(?P<platform>[a-z0-9_-]+)/search", self.search_page)
        router.add(
            ("GET", "HEAD"),
            r"/shop/(?P<platform>[a-z0-9_-]+)/products/(?P<offer_id>[^/.]+)(?P<js>\.js)?",
            self.shopify_page,
        )

    def search_page(self, request: Request) -> Response:
        return search.search_page(request, list(self.offers.values()), self.products, _layout, h)

    def jd_prices(self, request: Request) -> Response:
        return shapes.jd_prices(self.offers.values(), request)

    def shopify_page(self, request: Request) -> Response:
        offer = self.offers.get((request.params["platform"], request.params["offer_id"]))
        if offer is None or offer.shape != "shopify":
            return self.not_found(request)
        if request.params.get("js"):
            product = self.products[offer.sku]
            return shapes.shopify_product_js(offer, product, offer.title or product.name)
        return self.listing_page(request, self.render_offer(offer))

    def item_page(self, request: Request) -> Response:
        offer = self.offers.get((request.params["platform"], request.params["offer_id"]))
        if offer is None:
            return self.not_found(request)
        if offer.moved_to is not None:
            return Response(301, b"", "text/html; charset=utf-8", {"Location": offer.moved_to})
        page = self.render_offer(offer)
        if self.filler:
            page = page.replace("</main>", _reviews(offer.id, self.filler) + "</main>", 1)
        return self.listing_page(request, page)

    def store_product_page(self, request: Request) -> Response:
        store = self.stores.get(request.params["store"])
        listing = store.by_sku(request.params["sku"]) if store else None
        if store is None or listing is None or listing["status"] != "publish":
            return self.not_found(request)
        return self.listing_page(request, self.render_store_product(store, listing))

    def listing_page(self, request: Request, page: str) -> Response:
        """A listing page with its validators, or 304 Not Modified when the client has this version."""
        response = Response.html(page)
        if not self.validators:
            return response
        etag = etag_for(response.body)
        when = self.versions.last_modified(request.path, etag)
        response.headers.update({"ETag": etag, "Last-Modified": format_datetime(when, usegmt=True)})
        if not_modified(request, etag, when):
            with self._count_lock:
                self.not_modified_count += 1
            return Response(304, b"", response.content_type, response.headers)
        return response

    def index_page(self, request: Request) -> Response:
        return Response.html(self.render_index())

    def not_found(self, request: Request) -> Response:
        body = f"<h1>404</h1><p>页面不存在：{h(request.path)}</p>"
        return Response.html(_layout("", "页面不存在", body), 404)

    # -- rendering ---------------------------------------------------------------

    def render_offer(self, offer: Offer) -> str:
        """The full HTML page of one offer, in the offer's shape."""
        product = self.products.get(offer.sku)
        if product is None:
            raise KeyError(f"offer {offer.id!r} names SKU {offer.sku!r}, which is not in the catalog")
        title = offer.title or product.name
        if offer.shape == "captcha":
            return _layout(offer.platform, "验证码拦截", template("captcha.html").substitute())
        if offer.shape == "woocommerce":
            return self._render_variable_product(offer, product, title)
        if offer.shape in PROFILE_SHAPES:
            fields = shapes.shape_fields(offer, product, title, h, json_for_script)
            body = template(f"shape_{offer.shape}.html").substitute(fields)
            head = shapes.shopify_head(offer, title, h) if offer.shape == "shopify" else ""
            return _layout(offer.platform, f"{title} - {offer.seller}", body, head)
        fields = {
            "title": h(title),
            "seller": h(offer.seller),
            "brand": h(self.brand),
            "listing_sku": h(offer.listing_sku or product.sku),
            "gtin_meta": _gtin_meta(product),
            "currency": h(offer.currency),
            "price": h(offer.price if offer.price is not None else ""),
            "price_text": h(format_price(offer.price, offer.currency, offer.price_format))
            if offer.price is not None
            else "",
        }
        head = ""
        if offer.shape == "jsonld":
            head = self._jsonld_script(offer, product, title)
        body = template(f"offer_{offer.shape}.html" if offer.shape != "sold_out" else "sold_out.html").substitute(
            fields
        )
        return _layout(offer.platform, f"{title} - {offer.seller}", body, head)

    def _jsonld_script(self, offer: Offer, product: Product, title: str) -> str:
        assert offer.price is not None
        doc = self._jsonld_product(offer, product, title, offer.price)
        if offer.variants:
            # A ProductGroup listing every variant, as Shopify's and Google's variant markup does.
            listed = [doc]
            for variant in offer.variants:
                other = self.products.get(variant.sku)
                if other is None:
                    raise KeyError(f"offer {offer.id!r} lists variant {variant.sku!r}, which is not in the catalog")
                listed.append(self._jsonld_product(offer, other, other.name, variant.price))
            for node in listed:
                del node["@context"], node["brand"]
            doc = {
                "@context": "https://schema.org",
                "@type": "ProductGroup",
                "name": title,
                "productGroupID": product.parent_sku or product.sku,
                "brand": {"@type": "Brand", "name": self.brand},
                "hasVariant": listed,
            }
        return f'<script type="application/ld+json">\n{json_for_script(doc)}\n</script>\n'

    def _render_variable_product(self, offer: Offer, product: Product, title: str) -> str:
        """A WooCommerce variable product: "¥1,099.00 – ¥1,299.00" in the price box, the same range as
        a JSON-LD AggregateOffer, and each variation's SKU, size and price in the add-to-cart form."""
        assert offer.price is not None
        listed = [(product, offer.price)]
        for variant in offer.variants:
            other = self.products.get(variant.sku)
            if other is None:
                raise KeyError(f"offer {offer.id!r} lists variant {variant.sku!r}, which is not in the catalog")
            listed.append((other, variant.price))
        low, high = min(p for _, p in listed), max(p for _, p in listed)
        variations = [
            {
                "attributes": {"attribute_pa_size": p.size or p.sku},
                "display_price": _json_amount(price),
                "display_regular_price": _json_amount(price),
                "is_in_stock": True,
                "is_purchasable": True,
                "sku": p.sku,
                "variation_id": 5000 + i,
            }
            for i, (p, price) in enumerate(listed)
        ]
        options = "".join(f'<option value="{h(p.size or p.sku)}">{h(p.size or p.sku)}</option>' for p, _ in listed)
        amount = '<span class="woocommerce-Price-amount amount"><bdi>{}</bdi></span>'
        box = " – ".join(amount.format(h(format_price(a, offer.currency, "yuan"))) for a in (low, high))
        parent = product.parent_sku or product.sku
        doc = {
            "@context": "https://schema.org",
            "@type": "Product",
            "name": title,
            "sku": parent,
            "brand": {"@type": "Brand", "name": self.brand},
            "offers": [
                {
                    "@type": "AggregateOffer",
                    "lowPrice": str(low),
                    "highPrice": str(high),
                    "offerCount": len(listed),
                    "priceCurrency": offer.currency,
                    "availability": SCHEMA + "InStock",
                    "seller": {"@type": "Organization", "name": offer.seller},
                }
            ],
        }
        body = template("shape_woocommerce.html").substitute(
            product_id=h(zlib.crc32(offer.id.encode()) % 100_000),
            title=h(title),
            box=box,
            variations=h(json.dumps(variations, ensure_ascii=False)),
            options=options,
            parent_sku=h(parent),
            seller=h(offer.seller),
        )
        head = f'<script type="application/ld+json">\n{json_for_script(doc)}\n</script>\n'
        return _layout(offer.platform, f"{title} - {offer.seller}", body, head)

    def _jsonld_product(self, offer: Offer, product: Product, title: str, price: Decimal) -> dict[str, Any]:
        doc: dict[str, Any] = {
            "@context": "https://schema.org",
            "@type": "Product",
            "name": title,
            "sku": offer.listing_sku if offer.listing_sku and product.sku == offer.sku else product.sku,
            "brand": {"@type": "Brand", "name": self.brand},
            "offers": {
                "@type": "Offer",
                "price": str(price),
                "priceCurrency": offer.currency,
                "availability": SCHEMA + "InStock",
                "seller": {"@type": "Organization", "name": offer.seller},
            },
        }
        if product.gtin:
            doc["gtin13"] = product.gtin
        if product.model:
            doc["model"] = product.model
        return doc

    def render_store_product(self, store: WooStore, listing: Mapping[str, Any]) -> str:
        """A product page of the brand's own store, with schema.org JSON-LD."""
        product = self.products.get(listing["sku"])
        in_stock = listing["stock_status"] != "outofstock"
        price = listing["price"]
        offer: dict[str, Any] = {
            "@type": "Offer",
            "priceCurrency": store.currency,
            "availability": SCHEMA + ("InStock" if in_stock else "OutOfStock"),
            "seller": {"@type": "Organization", "name": self.brand},
        }
        if price:
            offer["price"] = price
        doc: dict[str, Any] = {
            "@context": "https://schema.org",
            "@type": "Product",
            "name": listing["name"],
            "sku": listing["sku"],
            "brand": {"@type": "Brand", "name": self.brand},
            "offers": offer,
        }
        if product is not None and product.gtin:
            doc["gtin13"] = product.gtin
        body = template("store_product.html").substitute(
            product_id=h(listing["id"]),
            title=h(listing["name"]),
            price_text=h(format_price(Decimal(price), store.currency, "yuan")) if price else "暂无报价",
            stock_status=h(listing["stock_status"]),
            stock_text="有货" if in_stock else "缺货",
            sku=h(listing["sku"]),
            seller=h(self.brand),
        )
        head = f'<script type="application/ld+json">\n{json_for_script(doc)}\n</script>\n'
        return _layout("website", f"{listing['name']} - {self.brand}", body, head)

    def render_index(self) -> str:
        offer_rows = "\n".join(
            f'<tr><td><a href="{h(o.path)}">{h(o.id)}</a></td><td>{h(o.platform)}</td><td>{h(o.seller)}</td>'
            f"<td>{h(o.sku)}</td><td>{h(o.shape)}</td><td>{h(', '.join(o.expect) or '-')}</td></tr>"
            for o in self.offers.values()
        )
        store_rows = "\n".join(
            f"<tr><td>{h(name)}</td><td><code>/woo/{h(name)}/wp-json/wc/v3/</code></td>"
            f"<td>{len(store.products)}</td></tr>"
            for name, store in self.stores.items()
        )
        body = template("index.html").substitute(brand=h(self.brand), offer_rows=offer_rows, store_rows=store_rows)
        return _layout("", "oneprice sandbox", body)


_REVIEW = (
    '<li class="review"><span class="user">{n}***客</span><p>穿了{n}次，面料舒服，做工不错，尺码标准，'
    '物流很快，包装完好。颜色和图片一致，性价比高，推荐购买。</p><span class="date">2026-0{m}-1{m}</span></li>\n'
)


def _reviews(seed: str, size: int) -> str:
    """About `size` bytes of buyer reviews (no prices in them), different for every page."""
    parts = ['<section class="reviews"><h2>累计评价</h2><ul>\n']
    n, total = sum(map(ord, seed)), 0
    while total < size:
        piece = _REVIEW.format(n=n % 997, m=n % 9 + 1)
        parts.append(piece)
        total += len(piece.encode("utf-8"))
        n += 7
    parts.append("</ul></section>\n")
    return "".join(parts)
