"""Profiles whose price is not in the page itself but in a JSON endpoint the page's scripts call.

JD-like pages load the price from a price service by item id; Shopify stores publish every
product as `/products/<handle>.js`. The spider fetches `follow_up(...)` and calls `read_follow_up`.
"""

from __future__ import annotations

import json
import re
from dataclasses import replace
from decimal import Decimal
from typing import Any, ClassVar
from urllib.parse import urlencode, urljoin, urlsplit, urlunsplit

from parsel import Selector

from crawlers.candidates import OfferRead, PriceCandidate, PriceKind
from crawlers.prices import IDENTIFIER_MAX, SELLER_MAX, TITLE_MAX, amount_of, clean_text
from crawlers.profiles.base import PROFILE_CONFIDENCE, PageProfile, _first_text, text_candidate

_JD_SKU = re.compile(r"^\d{1,20}$")
_MAX_JSON = 5_000_000
_JD_PRICES: tuple[tuple[str, PriceKind], ...] = (("p", "sale"), ("op", "list"))
_SHOPIFY_PRICES: tuple[tuple[str, PriceKind], ...] = (("price", "sale"), ("compare_at_price", "list"))


def _json(body: bytes) -> Any:
    if len(body) > _MAX_JSON:
        return None
    try:
        return json.loads(body.decode("utf-8", "replace"), parse_float=Decimal)
    except (ValueError, RecursionError):
        return None


class JdProfile(PageProfile):
    """JD-like item page: the price box is empty in the HTML and filled from `prices/mgets`.

    The service answers `[{"id": "J_<sku>", "p": "799.00", "op": "899.00"}]`: `p` is the price
    today, `op` the list price; `-1.00` means the item is not on sale.
    """

    name = "jd"
    platforms = frozenset({"jd"})
    marker = ".product-intro .p-price"
    price_api: ClassVar[str] = "https://p.3.cn/prices/mgets"

    def read(self, page: Selector, url: str, currency: str) -> list[OfferRead]:
        shown = text_candidate(_first_text(page, ".p-price .price"), "sale", self.method, currency)
        freight = text_candidate(_first_text(page, ".summary-freight .freight"), "shipping", self.method, currency)
        return [
            OfferRead(
                candidates=(shown,) if shown is not None else (),
                title=clean_text(_first_text(page, ".sku-name"), TITLE_MAX),
                seller=clean_text(_first_text(page, ".J-hove-wrap .name a"), SELLER_MAX),
                model=clean_text(_first_text(page, ".parameter2 li[data-model]::attr(data-model)"), 64),
                shipping=freight.amount if freight is not None else None,
                extra={"jd_sku": _first_text(page, ".product-intro::attr(data-sku)") or ""},
            )
        ]

    def follow_up(self, page: Selector, url: str) -> str | None:
        sku = (_first_text(page, ".product-intro::attr(data-sku)") or "").strip()
        if not _JD_SKU.match(sku) or page.css(".p-price .price::text").get():
            return None  # no item id, or the price is already on the page
        api = urljoin(url, _first_text(page, ".product-intro::attr(data-price-api)") or self.price_api)
        return f"{api}?{urlencode({'skuIds': f'J_{sku}'})}"

    def read_follow_up(self, body: bytes, url: str, offers: list[OfferRead], currency: str) -> list[OfferRead]:
        data = _json(body)
        base = offers[0] if offers else OfferRead()
        wanted = f"J_{base.extra.get('jd_sku', '')}"
        rows = [r for r in data if isinstance(r, dict)] if isinstance(data, list) else []
        row = next((r for r in rows if r.get("id") == wanted), rows[0] if len(rows) == 1 else None)
        if row is None:
            return offers
        candidates = []
        for key, kind in _JD_PRICES:
            amount = amount_of(row.get(key))
            if amount is not None:
                raw = f"{key}={row.get(key)}"
                candidate = PriceCandidate(amount, currency, kind, self.method, raw, PROFILE_CONFIDENCE)
                candidates.append(candidate)
        available = amount_of(row.get("p")) is not None  # "-1.00": not on sale
        return [replace(base, candidates=tuple(candidates), available=available)]


class ShopifyProfile(PageProfile):
    """A Shopify store's product page; prices come from `/products/<handle>.js` (cents per variant)."""

    name = "shopify"
    platforms = frozenset({"shopify", "website"})
    marker = "script#shopify-features"
    _PRODUCT_PATH = re.compile(r"^(?P<base>.*/products/[^/?#.]+)(?:\.js|\.json)?/?$")

    def read(self, page: Selector, url: str, currency: str) -> list[OfferRead]:
        return [
            OfferRead(
                title=clean_text(_first_text(page, "meta[property='og:title']::attr(content)"), TITLE_MAX),
                seller=clean_text(_first_text(page, "meta[property='og:site_name']::attr(content)"), SELLER_MAX),
            )
        ]

    def follow_up(self, page: Selector, url: str) -> str | None:
        parts = urlsplit(url)
        m = self._PRODUCT_PATH.match(parts.path)
        if m is None:
            return None
        return urlunsplit((parts.scheme, parts.netloc, m.group("base") + ".js", "", ""))

    def read_follow_up(self, body: bytes, url: str, offers: list[OfferRead], currency: str) -> list[OfferRead]:
        data = _json(body)
        if not isinstance(data, dict):
            return offers
        base = offers[0] if offers else OfferRead()
        title = clean_text(data.get("title"), TITLE_MAX) or base.title
        variants = [v for v in data.get("variants") or [] if isinstance(v, dict)][:200]
        out: list[OfferRead] = []
        for v in variants:
            candidates = []
            for key, kind in _SHOPIFY_PRICES:
                cents = amount_of(v.get(key))
                if cents is not None:
                    amount = (cents / 100).quantize(Decimal("0.01"))
                    raw = f"{key}={v.get(key)} (cents)"
                    candidate = PriceCandidate(amount, currency, kind, self.method, raw, PROFILE_CONFIDENCE)
                    candidates.append(candidate)
            sku = clean_text(v.get("sku"), IDENTIFIER_MAX)
            variant_title = clean_text(v.get("title"), 80)
            out.append(
                OfferRead(
                    candidates=tuple(candidates),
                    key=sku or str(v.get("id") or len(out)),
                    title=f"{title} {variant_title}" if title and variant_title else title,
                    seller=base.seller or clean_text(data.get("vendor"), SELLER_MAX),
                    sku=sku,
                    gtin=clean_text(v.get("barcode"), IDENTIFIER_MAX),
                    available=v.get("available") is not False,
                )
            )
        return out or offers
