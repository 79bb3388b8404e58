"""Read one listing page: is it blocked, which price does it show, who sells it, which product it is.

Pure: a page (bytes or text) in, an `Extraction` out; nothing a page contains makes `extract` raise.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from crawlers.candidates import CouponPolicy, OfferRead, PriceCandidate, choose_price
from crawlers.page import (
    _ANTI_BOT,
    _BLOCKED_TITLE,
    _CAPTCHA,
    REASON_ANTI_BOT,
    REASON_CAPTCHA,
    _decode,
    _Page,
    _parse_source,
    has_marker,
)
from crawlers.prices import RAW_PRICE_MAX, clean_text, site_currency
from crawlers.profiles import PageProfile, find_profile, selector_for
from crawlers.structured import ProductFound, read_products
from oneprice.domain.money import Money, check_currency

log = logging.getLogger(__name__)

Method = Literal["json-ld", "microdata", "rdfa", "opengraph", "profile", "text"]


class ExtractionStatus(StrEnum):
    OK = "ok"
    BLOCKED = "blocked"  # HTTP 403/429/503, captcha, anti-bot or login page: never a price
    NO_PRICE = "no_price"  # read, but no price on it (`reason` says why)


# HTTP answers that mean "you may not see this page now", whatever the body says.
BLOCKED_STATUSES = frozenset({403, 429, 503})

REASON_SOLD_OUT = "sold_out"
REASON_NO_PRICE = "no_price_found"
REASON_EMPTY = "empty_page"
REASON_UNREADABLE = "unreadable_page"
REASON_FOLLOW_UP = "price_endpoint"  # the price is behind `follow_up`; fetch it and extract again
REASON_COUPON_ONLY = "coupon_price_only"

# How much a price read by each method can be trusted; structured data states its price on purpose.
CONFIDENCE: dict[str, Decimal] = {
    "json-ld": Decimal("0.95"),
    "microdata": Decimal("0.90"),
    "rdfa": Decimal("0.90"),
    "opengraph": Decimal("0.80"),
    "text:itemprop": Decimal("0.70"),
    "text:price-element": Decimal("0.60"),
    "text:currency": Decimal("0.40"),
}
RANGE_PENALTY = Decimal("0.15")  # a "from" price or the low end of a range
GUESSED_CURRENCY_PENALTY = Decimal("0.10")


class Extraction(BaseModel):
    """What one page showed. `price` is set only when status is OK.

    >>> extract("<span class='price'>¥1,299.00 起</span>", "https://shop.example/p/1").price
    Money(amount=Decimal('1299.00'), currency='CNY')
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    status: ExtractionStatus
    reason: str | None = None
    price: Money | None = None
    raw_price: str | None = None  # the price as the page wrote it (keeps "起" / ranges)
    method: Method | None = None
    confidence: Decimal = Field(default=Decimal(0), ge=0, le=1)
    title: str | None = None
    seller_name: str | None = None
    sku: str | None = None
    gtin: str | None = None
    model: str | None = None
    profile: str | None = None  # the page profile that read the page, if one did
    price_kind: str | None = None  # sale, list, range, coupon (see crawlers.candidates)
    price_high: Decimal | None = None  # top of a range
    shipping: Money | None = None  # kept apart, never added to the price
    offer_key: str = ""  # tells several offers of one page apart (seller or variant)
    candidates: tuple[PriceCandidate, ...] = ()
    why: str | None = None  # why this price was chosen among the candidates
    follow_up: str | None = None  # URL to fetch for the price (JD price service, Shopify .js)
    offers: tuple[Extraction, ...] = ()  # every offer when the page has several (this one first)

    @model_validator(mode="after")
    def _price_only_when_ok(self) -> Extraction:
        if self.status is not ExtractionStatus.OK and self.price is not None:
            raise ValueError(f"a {self.status} extraction cannot carry a price")
        return self


def extract(
    html: str | bytes,
    url: str,
    *,
    status: int = 200,
    encoding: str | None = None,
    default_currency: str = "CNY",
    platform: str | None = None,
    coupon_policy: CouponPolicy = "shelf",
    follow_up_body: bytes | None = None,
    site_currency_first: bool = False,
) -> Extraction:
    """Read a listing page. Blocked detection runs first; structured data is preferred to text.

    `encoding` is the charset from the HTTP header when `html` is bytes (the page's own
    declaration is used otherwise); `default_currency` is assumed when a price names none, or with
    `site_currency_first` the currency of the marketplace site `url` is on, when it is a known one
    (a Pinduoduo price in fen is CNY whatever the brand's currency).
    `platform` narrows the page profiles tried; `follow_up_body` is the answer to a previous
    extraction's `follow_up` URL (the page is read again and the two are combined).
    """
    default_currency = check_currency((site_currency_first and site_currency(url)) or default_currency)
    if status in BLOCKED_STATUSES:
        return Extraction(status=ExtractionStatus.BLOCKED, reason=f"http_{status}")
    try:
        options = _Options(platform, coupon_policy, follow_up_body)
        return _extract(html, url, status, encoding, default_currency, options)
    except Exception:  # a page must never stop the crawl; the traceback goes to the log
        log.exception("%s: page could not be read", url)
        return Extraction(status=ExtractionStatus.NO_PRICE, reason=REASON_UNREADABLE)


@dataclass(frozen=True)
class _Options:
    platform: str | None
    coupon_policy: CouponPolicy
    follow_up_body: bytes | None


def _extract(
    html: str | bytes, url: str, status: int, encoding: str | None, currency: str, options: _Options
) -> Extraction:
    text = _decode(html, encoding)
    tree, source = _parse_source(text)
    if tree is None:
        head = text[:200_000]
        for pattern, reason in ((_CAPTCHA, REASON_CAPTCHA), (_ANTI_BOT, REASON_ANTI_BOT)):
            if pattern.search(head):
                return Extraction(status=ExtractionStatus.BLOCKED, reason=reason)
        return Extraction(status=ExtractionStatus.NO_PRICE, reason=f"http_{status}" if status >= 400 else REASON_EMPTY)
    page = _Page(tree, url, source)
    # The per-element scan below is the costliest step on a big page; a page whose source names no
    # captcha or anti-bot marker (and hides none behind character references) cannot match it.
    markers = "&#" in text or has_marker(text, source.lowered if source.text is text else None)
    blocked = page.blocked_reason(markers)
    if blocked in (REASON_CAPTCHA, REASON_ANTI_BOT) and not _BLOCKED_TITLE.search(page.title or ""):
        # Live product pages carry a hidden login dialog or slider (`nc_wrapper`, `captcha-box`): a
        # marker named only by such elements, on a page that a profile or structured data knows as a
        # product page, does not make it a block page. Words a buyer would read still do.
        if not page.marked_in_text() and _is_product_page(page, currency, options):
            blocked = page.blocked_reason(markers=False)
    if blocked:
        return Extraction(status=ExtractionStatus.BLOCKED, reason=blocked, title=page.title)
    if status >= 400:
        return Extraction(status=ExtractionStatus.NO_PRICE, reason=f"http_{status}", title=page.title)

    products = read_products(tree, url, currency, source)
    priced = next((p for p in products if p.best_offer() is not None), None)
    described = priced or (products[0] if len(products) == 1 else None)
    og = next((p for p in products if p.method == "opengraph"), None)
    fields: dict[str, Any] = {
        "title": (described and described.name) or (og and og.name) or page.h1 or page.title,
        # The page-wide seller scan walks every element; it runs only when nothing better names one.
        "seller_name": (described and described.seller) or None,
        "sku": described.sku if described else None,
        "gtin": described.gtin if described else None,
        "model": described.model if described else None,
    }
    if priced is not None:
        fields["seller_name"] = fields["seller_name"] or page.seller
        return _structured_result(priced, fields)
    profiled = _profile_result(page, url, currency, options, fields)
    if profiled is not None:
        return profiled
    fields["seller_name"] = fields["seller_name"] or page.seller
    if any(p.sold_out for p in products) or page.sold_out:
        return Extraction(status=ExtractionStatus.NO_PRICE, reason=REASON_SOLD_OUT, **fields)
    found = page.text_price(currency)
    if found is None:
        return Extraction(status=ExtractionStatus.NO_PRICE, reason=REASON_NO_PRICE, **fields)
    confidence = CONFIDENCE[found.kind]
    if found.ranged:
        confidence -= RANGE_PENALTY
    if found.currency_guessed:
        confidence -= GUESSED_CURRENCY_PENALTY
    candidate = PriceCandidate(
        found.amount,
        found.currency,
        "range" if found.ranged else "sale",
        found.kind,
        clean_text(found.raw, RAW_PRICE_MAX) or str(found.amount),
        max(confidence, Decimal("0.05")),
    )
    return Extraction(
        status=ExtractionStatus.OK,
        price=Money.of(found.amount, found.currency),
        raw_price=candidate.raw,
        method="text",
        confidence=candidate.confidence,
        price_kind=candidate.kind,
        candidates=(candidate,),
        why=f"text price ({found.kind})",
        **fields,
    )


def _structured_result(product: ProductFound, fields: dict[str, Any]) -> Extraction:
    offer = product.best_offer()
    assert offer is not None
    confidence = CONFIDENCE[product.method]
    if offer.aggregate:
        confidence -= RANGE_PENALTY
    if offer.currency_guessed:
        confidence -= GUESSED_CURRENCY_PENALTY
    candidates = tuple(
        PriceCandidate(
            o.amount,
            o.currency,
            "range" if o.aggregate else "sale",
            product.method,
            clean_text(o.raw, RAW_PRICE_MAX) or str(o.amount),
            CONFIDENCE[product.method],
        )
        for o in product.offers
        if o.available
    )
    return Extraction(
        status=ExtractionStatus.OK,
        price=Money.of(offer.amount, offer.currency),
        raw_price=clean_text(offer.raw, RAW_PRICE_MAX),
        method=product.method,
        confidence=confidence,
        price_kind="range" if offer.aggregate else "sale",
        shipping=Money.of(offer.shipping, offer.currency) if offer.shipping is not None else None,
        candidates=candidates,
        why="lowest available structured offer",
        **fields,
    )


def _is_product_page(page: _Page, currency: str, options: _Options) -> bool:
    """Whether the page has a product page's shape: a profile's marker, or a priced structured product."""
    if find_profile(selector_for(page.tree, page.source), options.platform) is not None:
        return True
    return any(p.best_offer() is not None for p in read_products(page.tree, page.url, currency, page.source))


def _profile_result(
    page: _Page, url: str, currency: str, options: _Options, fields: dict[str, Any]
) -> Extraction | None:
    """The page read by its platform profile, or None when no profile knows this page shape.

    `fields["seller_name"]` is None when structured data named no seller: `page.seller` is then
    read for the offers whose profile found none.
    """
    lazy = _LazySeller(fields, page)
    sel = selector_for(page.tree, page.source)
    profile = find_profile(sel, options.platform)
    if profile is None:
        return None
    offers = profile.read(sel, url, currency)
    if options.follow_up_body is not None:
        offers = profile.read_follow_up(options.follow_up_body, url, offers, currency)
    elif (follow := profile.follow_up(sel, url)) is not None:
        return Extraction(
            status=ExtractionStatus.NO_PRICE, reason=REASON_FOLLOW_UP, profile=profile.name, follow_up=follow,
            **_offer_fields(offers[0] if offers else OfferRead(), lazy),
        )  # fmt: skip
    if not any(o.candidates for o in offers) and not any(not o.available for o in offers):
        # The profile knows this page shape and found no price on it. Reading the page as free
        # text would pick up whatever amount is left (a shipping fee, a "was" price): no price.
        first = _offer_fields(offers[0] if offers else OfferRead(), lazy)
        return Extraction(status=ExtractionStatus.NO_PRICE, reason=REASON_NO_PRICE, profile=profile.name, **first)
    results = [_offer_result(profile, o, currency, options.coupon_policy, lazy) for o in offers]
    priced = [r for r in results if r.price is not None]
    main = (priced or results)[0]
    return main.model_copy(update={"offers": tuple(priced)}) if len(priced) > 1 else main


class _LazySeller(dict[str, Any]):
    """Page fields whose `seller_name`, when None, is looked up on the page only if asked for."""

    def __init__(self, fields: dict[str, Any], page: _Page) -> None:
        super().__init__(fields)
        self.page = page

    def seller(self) -> str | None:
        return self["seller_name"] or self.page.seller


def _offer_fields(offer: OfferRead, fields: _LazySeller) -> dict[str, Any]:
    return {
        "title": offer.title or fields["title"],
        "seller_name": offer.seller or fields.seller(),
        "sku": offer.sku or fields["sku"],
        "gtin": offer.gtin or fields["gtin"],
        "model": offer.model or fields["model"],
        "offer_key": offer.key,
    }


def _offer_result(
    profile: PageProfile, offer: OfferRead, currency: str, policy: CouponPolicy, fields: _LazySeller
) -> Extraction:
    common = _offer_fields(offer, fields)
    shipping = Money.of(offer.shipping, currency) if offer.shipping is not None else None
    if not offer.available:
        return Extraction(
            status=ExtractionStatus.NO_PRICE, reason=REASON_SOLD_OUT, profile=profile.name,
            candidates=offer.candidates, **common,
        )  # fmt: skip
    choice = choose_price(offer.candidates, policy)
    if choice.price is None:
        reason = REASON_COUPON_ONLY if choice.why == "only a coupon price" else REASON_NO_PRICE
        return Extraction(
            status=ExtractionStatus.NO_PRICE, reason=reason, profile=profile.name,
            candidates=offer.candidates, why=choice.why, **common,
        )  # fmt: skip
    c = choice.price
    return Extraction(
        status=ExtractionStatus.OK,
        price=Money.of(c.amount, c.currency),
        raw_price=clean_text(c.raw, RAW_PRICE_MAX),
        method="profile",
        confidence=choice.confidence,
        profile=profile.name,
        price_kind=c.kind,
        price_high=c.high,
        shipping=shipping,
        candidates=offer.candidates,
        why=choice.why,
        **common,
    )
