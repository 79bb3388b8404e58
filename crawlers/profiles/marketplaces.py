"""Page profiles of the stores and marketplaces abroad: Shopify, WooCommerce, Amazon and eBay.

Each class is one page shape; the sandbox serves the same shapes (`sandbox/templates/shape_*`)
and tests/fixtures/pages/<platform>/ keeps saved copies with their parse tests. Shopify stores
publish every product as `/products/<handle>.js`: the spider fetches `follow_up(...)` and calls
`read_follow_up` with the answer.
"""

from __future__ import annotations

import re
from decimal import Decimal
from urllib.parse import urlsplit, urlunsplit

from parsel import Selector

from crawlers.candidates import OfferRead, PriceCandidate, PriceKind
from crawlers.prices import IDENTIFIER_MAX, SELLER_MAX, TITLE_MAX, amount_of, clean_text
from crawlers.profiles.base import (
    PROFILE_CONFIDENCE,
    PageProfile,
    SelectorProfile,
    Selectors,
    _first_text,
    json_body,
)

_SHOPIFY_PRICES: tuple[tuple[str, PriceKind], ...] = (("price", "sale"), ("compare_at_price", "list"))


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
        data = json_body(body)
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


class WooCommerceProfile(SelectorProfile):
    """A WooCommerce store's single product page (`<ins>` sale price, `<del>` regular price)."""

    name = "woocommerce"
    platforms = frozenset({"woocommerce", "website"})
    marker = "body.woocommerce div.product p.price"
    selectors = Selectors(
        title="h1.product_title",
        seller=".product_meta .vendor",
        sku=".product_meta .sku",
        prices={
            "sale": "p.price ins .woocommerce-Price-amount",
            "list": "p.price del .woocommerce-Price-amount",
        },
        sold_out="p.stock.out-of-stock",
        # No sale running: the one amount in p.price is the price.
        fallback_sale="p.price .woocommerce-Price-amount",
    )


class AmazonOffersProfile(SelectorProfile):
    """Amazon-like "all offers" listing: one block per seller, each with price and shipping."""

    name = "amazon-offers"
    platforms = frozenset({"amazon"})
    marker = "#aod-offer-list"
    selectors = Selectors(
        title="#aod-asin-title-text",
        offer="#aod-offer-list .aod-offer",
        seller=".aod-offer-soldBy a",
        sku="::attr(data-asin)",
        prices={"sale": ".a-price .a-offscreen", "list": ".a-text-price .a-offscreen"},
        shipping=".aod-delivery-fee",
    )


class AmazonProductProfile(SelectorProfile):
    """Amazon-like product detail page: the buy box's price to pay, the struck reference price,
    the buy box's seller and delivery fee. Prices of other products on the page (carousels) are
    outside `priceToPay`/`basisPrice` and never read."""

    name = "amazon-product"
    platforms = frozenset({"amazon"})
    marker = "#productTitle"
    selectors = Selectors(
        title="#productTitle",
        seller="#sellerProfileTriggerId",
        sku="#ASIN::attr(value)",
        prices={"sale": ".priceToPay .a-offscreen", "list": ".basisPrice .a-offscreen"},
        shipping="#mir-layout-DELIVERY_BLOCK [data-csa-c-delivery-price]::attr(data-csa-c-delivery-price)",
        sold_out="#outOfStock",
    )


class EbayItemProfile(SelectorProfile):
    """eBay-like item page: primary price, "was" price, seller card, shipping line."""

    name = "ebay"
    platforms = frozenset({"ebay"})
    marker = ".x-price-primary"
    selectors = Selectors(
        title="h1.x-item-title__mainTitle",
        seller=".x-sellercard-atf__info__about-seller a span",
        sku=".ux-layout-section__textual-display--itemId span.ux-textspans--BOLD",
        prices={
            "sale": ".x-price-primary span.ux-textspans",
            "list": ".x-additional-info__textual-display s",
        },
        shipping=".ux-labels-values--shipping .ux-textspans--BOLD",
    )


WESTERN_PROFILES: tuple[PageProfile, ...] = (
    ShopifyProfile(),
    WooCommerceProfile(),
    AmazonOffersProfile(),
    AmazonProductProfile(),
    EbayItemProfile(),
)
