"""Read one listing page: is it blocked, which price does it show, who sells it, which product it is.

Pure: a page (bytes or text) in, an `Extraction` out; nothing a page contains makes `extract` raise.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from decimal import Decimal
from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from crawlers.candidates import CouponPolicy, OfferRead, PriceCandidate, choose_price, for_variant, variants_within
from crawlers.page import _decode, _Page, _parse_source, _TextPrice
from crawlers.page_signals import (
    _ANTI_BOT,
    _BLOCKED_TITLE,
    _CAPTCHA,
    REASON_ANTI_BOT,
    REASON_CAPTCHA,
    REASON_LOGIN_WALL,
    has_marker,
)
from crawlers.prices import (
    IDENTIFIER_MAX,
    RAW_PRICE_MAX,
    clean_text,
    may_mean,
    parse_price_text,
    reading_site,
    site_currency,
)
from crawlers.profiles import PROFILES, PageProfile, find_profile, selector_for
from crawlers.profiles.base import alternatives, may_match, select
from crawlers.site_names import without_site_name
from crawlers.structured import OfferFound, ProductFound, read_products
from oneprice.domain.money import Money, check_currency, quantize

log = logging.getLogger(__name__)

Method = Literal["json-ld", "microdata", "rdfa", "opengraph", "profile", "text"]


class ExtractionStatus(StrEnum):
    OK = "ok"
    BLOCKED = "blocked"  # HTTP 403/429/503, captcha, anti-bot or login page: never a price
    NO_PRICE = "no_price"  # read, but no price on it (`reason` says why)


# HTTP answers that mean "you may not see this page now", whatever the body says.
BLOCKED_STATUSES = frozenset({403, 429, 503})

REASON_SOLD_OUT = "sold_out"
REASON_NOT_FOUND = "not_found"  # a "page not found" or delisted page served for the item's address
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
# At most this confident is a text price that a like price box contradicts with another amount (two unmarked
# `.price` boxes, ¥99 and ¥199): below the crawler's `min_price_confidence`, so no alert stands on the guess.
AMBIGUOUS_CONFIDENCE = Decimal("0.20")
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
    shipping: Money | None = None  # kept apart, never added to the price; always in the price's currency
    offer_key: str = ""  # tells several offers of one page apart (seller or variant)
    candidates: tuple[PriceCandidate, ...] = ()
    why: str | None = None  # why this price was chosen among the candidates
    follow_up: str | None = None  # URL to fetch for the price (JD price service, Shopify .js)
    offers: tuple[Extraction, ...] = ()  # every offer when the page has several (this one first)
    # Fields the page profile (`profile`) filled in beside the price structured data read (`method`).
    profile_fields: tuple[str, ...] = ()

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
    (a Pinduoduo price in fen is CNY whatever the brand's currency); a sign several currencies write is
    then the site's currency when it writes that sign, whatever the default (`crawlers.prices.reading_site`).
    `platform` narrows the page profiles tried; `follow_up_body` is the answer to a previous
    extraction's `follow_up` URL (the page is read again and the two are combined).
    """
    site = site_currency(url) if site_currency_first else None
    default_currency = check_currency(site or default_currency)
    with reading_site(site):
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
    return _with_stated_identifiers(_read_listing(page, url, currency, options), page)


def _read_listing(page: _Page, url: str, currency: str, options: _Options) -> Extraction:
    """A page that is no block page, read by structured data, its profile, else as text."""
    products = read_products(page.tree, url, currency, page.source)
    priced = next((p for p in products if p.best_offer() is not None), None)
    described = priced or (products[0] if len(products) == 1 else None)
    og = next((p for p in products if p.method == "opengraph"), None)
    fields: dict[str, Any] = {
        "title": _named(described, page) or _named(og, page) or page.h1 or page.item_title,
        # The page-wide seller scan walks every element; it runs only when nothing better names one.
        "seller_name": (described and described.seller) or None,
        "sku": described.sku if described else None,
        "gtin": described.gtin if described else None,
        "model": described.model if described else None,
    }
    if priced is None and page.not_found:
        # A "page not found" page served with status 200 (a shop's soft 404): the prices on it are other
        # products' (its "you may also like" grid), never this address's.
        return Extraction(status=ExtractionStatus.NO_PRICE, reason=REASON_NOT_FOUND, title=page.title)
    stated_sold_out = next((p for p in products if p.sold_out and p.method != "opengraph"), None)
    if stated_sold_out and (priced is None or priced.method == "opengraph"):
        # JSON-LD, microdata or RDFa says the offer is sold out: OpenGraph's price tag (and a page
        # profile's script state) still shows its price, which nobody can buy today. The product that
        # says so names it, also beside the price tag's product.
        for name in ("sku", "gtin", "model"):
            fields[name] = fields[name] or getattr(stated_sold_out, name)
        fields["seller_name"] = fields["seller_name"] or stated_sold_out.seller or page.seller
        return Extraction(status=ExtractionStatus.NO_PRICE, reason=REASON_SOLD_OUT, **fields)
    if priced is not None:
        priced = _as_drawn(priced, page, site_currency(url), currency)
        return _structured_results(priced, fields, page, currency, options)
    profiled = _profile_result(page, url, currency, options, fields)
    if profiled is not None:
        return profiled
    fields["seller_name"] = fields["seller_name"] or page.seller
    if gone := page.unavailable:
        reason = REASON_NOT_FOUND if gone == "gone" else REASON_SOLD_OUT
        return Extraction(status=ExtractionStatus.NO_PRICE, reason=reason, **fields)
    found = page.text_price(currency)
    if found is None:
        if page.has_login_form() or page.asks_login_in_text():
            # A login page served at the item's address (the store asks the visitor to log in first).
            return Extraction(status=ExtractionStatus.BLOCKED, reason=REASON_LOGIN_WALL, title=page.title)
        return Extraction(status=ExtractionStatus.NO_PRICE, reason=REASON_NO_PRICE, **fields)
    confidence = CONFIDENCE[found.kind]
    if found.ranged:
        confidence -= RANGE_PENALTY
    if found.currency_guessed:
        confidence -= GUESSED_CURRENCY_PENALTY
    if found.rival is not None:
        confidence = min(confidence, AMBIGUOUS_CONFIDENCE)
    candidate = PriceCandidate(
        found.amount,
        found.currency,
        "coupon" if found.coupon else "range" if found.ranged else "sale",
        found.kind,
        clean_text(found.raw, RAW_PRICE_MAX) or str(found.amount),
        max(confidence, Decimal("0.05")),
        high=found.high if found.ranged else None,
    )
    if found.coupon and options.coupon_policy != "after_coupon":
        # A price labelled for some buyers only (券后, 会员价) and no other: no shelf price to report.
        return Extraction(
            status=ExtractionStatus.NO_PRICE, reason=REASON_COUPON_ONLY, candidates=(candidate,),
            why="only a coupon price", **fields,
        )  # fmt: skip
    return Extraction(
        status=ExtractionStatus.OK,
        price=Money.of(found.amount, found.currency),
        raw_price=candidate.raw,
        method="text",
        confidence=candidate.confidence,
        price_kind=candidate.kind,
        price_high=_top(candidate.high, found.currency),
        candidates=(candidate, *_rival_candidate(found, candidate)),
        why=f"text price ({found.kind})" + (f"; a like box shows {found.rival}" if found.rival is not None else ""),
        **fields,
    )


def _as_drawn(product: ProductFound, page: _Page, site: str | None, currency: str) -> ProductFound:
    """The product with its offers in the site's currency where structured data states another (or names none)
    for the very amount the page draws with a sign that only the site's currency writes: a theme left at its
    default ("CNY" beside "12,800円" on a .jp shop, "USD" beside "1 299,00 zł" on a .pl one). A sign the stated
    currency writes too ("$" beside "USD" on a .com.ar shop) leaves it as stated. The drawn price is read only
    when the stated currency is not the site's."""
    offer = product.best_offer()
    if site is None or offer is None or offer.currency == site:
        return product
    drawn = page.text_price(currency)
    if drawn is None or drawn.currency_guessed or drawn.currency != site or drawn.amount != offer.amount:
        return product
    symbol = parse_price_text(drawn.raw)[1]
    if symbol is None or may_mean(symbol, offer.currency):
        return product
    offers = tuple(
        replace(o, currency=site, currency_guessed=False, raw=drawn.raw if o.amount == drawn.amount else o.raw)
        if o.currency == offer.currency
        else o
        for o in product.offers
    )
    return replace(product, offers=offers)


def _named(product: ProductFound | None, page: _Page) -> str | None:
    """A structured product's name; OpenGraph's `og:title` without the site's name a theme or plugin writes into
    it ("Trail Runner 3 - Ridgeline Outdoor", as Yoast SEO does)."""
    if product is None or not product.name:
        return None
    return without_site_name(product.name, page.site_keys) if product.method == "opengraph" else product.name


# Results whose page says nothing of a listing's product: its text names no codes of it either.
_NO_LISTING_REASONS = frozenset({REASON_NOT_FOUND, REASON_EMPTY, REASON_UNREADABLE})


def _with_stated_identifiers(result: Extraction, page: _Page) -> Extraction:
    """The page's one offer with the SKU, GTIN and model its text states (`_Page.stated_identifiers`: a spec
    table's 货号, "EAN: 4006381333931", Amazon's "Item model number") where structured data and the profile
    gave none. A page of several offers (variants, sellers) or an offer of one variant keeps what it read: the
    page's codes may be another variant's. A code already read for another field is not given again."""
    if (
        result.status is ExtractionStatus.BLOCKED
        or result.reason in _NO_LISTING_REASONS
        or (result.reason or "").startswith("http_")
        or result.offers
        or result.offer_key
        or (result.sku and result.gtin and result.model)
    ):
        return result
    stated = page.stated_identifiers
    update: dict[str, str] = {}
    taken = {v.casefold() for v in (result.sku, result.model) if v}
    for name in ("gtin", "sku", "model"):
        value = getattr(stated, name)
        if value is not None and getattr(result, name) is None and value.casefold() not in taken:
            update[name] = value
            taken.add(value.casefold())
    if not update:
        return result
    said = f"{', '.join(update)} from the page's text"
    return result.model_copy(update={**update, "why": f"{result.why}; {said}" if result.why else said})


def _rival_candidate(found: _TextPrice, chosen: PriceCandidate) -> tuple[PriceCandidate, ...]:
    """The other amount a like price box shows, as a candidate beside the one read."""
    if found.rival is None:
        return ()
    return (replace(chosen, amount=found.rival, raw=str(found.rival), high=None),)


def _structured_results(
    product: ProductFound, fields: dict[str, Any], page: _Page, currency: str, options: _Options
) -> Extraction:
    """The structured offers of the priced product: one, or one per variant or seller its offers tell apart.

    A page listing its variants (offers with their own sku, `hasVariant`) or several sellers' offers
    gives one result per variant or seller, the lowest first, each with its own sku, GTIN and seller, so
    that each is matched to its own catalog product: a 256 GB variant is never judged by the price of
    the 128 GB one. The product's model code names the group, not a variant, and is left to one offer.
    """
    offers = product.offer_groups()
    reading = _ProfileReading(page, currency, options)
    if len(offers) == 1 and (listed := _variants_behind_range(product, offers[0], fields, page, reading, options)):
        return listed
    if (
        len(offers) == 1
        and product.method == "opengraph"
        and (listed := _variants_behind_price_tag(offers[0], fields, page, reading, options))
    ):
        return listed
    if len(offers) == 1:
        # The chosen offer's own sku and GTIN (a variant's) before the product's (a group's).
        chosen = {**fields, "sku": offers[0].sku or fields["sku"], "gtin": offers[0].gtin or fields["gtin"]}
        # The page's text saying sold out is the reason given, before a profile's reading of the same line.
        by_text = not offers[0].availability_stated and page.sold_out
        result = _enriched(_structured_result(product, offers[0], chosen), offers[0], reading, currency, by_text)
        if result.price is not None and by_text:
            # Structured data states no availability; the page's text about this offer says it is sold
            # out (Magento's "Out of stock" beside a microdata offer with a price and nothing more).
            why = "sold out by the page's text (structured data states no availability)"
            known = {k: getattr(result, k) for k in ("title", "seller_name", "sku", "gtin", "model")}
            return Extraction(
                status=ExtractionStatus.NO_PRICE, reason=REASON_SOLD_OUT, method=result.method,
                candidates=result.candidates, why=why, profile=result.profile, profile_fields=result.profile_fields,
                **known,
            )  # fmt: skip
        if result.seller_name is None:
            result = result.model_copy(update={"seller_name": page.seller})
        return result
    sellers_named = any(o.seller for o in offers)
    results = []
    for offer in offers:
        key = " / ".join(p for p in (offer.seller, offer.sku or offer.gtin) if p)
        own = {
            "title": offer.name or fields["title"],
            "seller_name": offer.seller if sellers_named else fields["seller_name"] or page.seller,
            "sku": offer.sku,
            "gtin": offer.gtin,
            "model": None,
            "offer_key": clean_text(key, IDENTIFIER_MAX) or "",
        }
        results.append(_enriched(_structured_result(product, offer, own), offer, reading, currency))
    return _with_offers(results)


def _variants_behind_range(
    product: ProductFound,
    offer: OfferFound,
    fields: dict[str, Any],
    page: _Page,
    reading: _ProfileReading,
    options: _Options,
) -> Extraction | None:
    """The variants (or sellers) the page's profile lists behind a structured range that names none.

    A variable product's structured data often states only "45.00 to 65.00" (WooCommerce's
    `AggregateOffer`), while the page lists each variant's price and SKU for its add-to-cart form.
    When the profile's offers fall within the range and its cheapest is the range's low end
    (`variants_within`), each becomes an offer of its own, matched to its own product; a range
    judged as its low end would compare the cheap size with the dear size's unified price.

    A grouped product's structured data states one price, the lowest of the products it groups
    (WooCommerce's, even when that product is out of stock); its products are read the same way.
    """
    if offer.sku not in (None, product.sku) or offer.gtin not in (None, product.gtin):
        return None  # an offer naming a variant of its own is that variant's
    found = reading.get() if offer.ranged or page.may_be_grouped else None
    if found is None:
        return None
    profile, read = found
    if not (variants_within(read, offer.amount, offer.high, offer.currency) if offer.ranged else _grouped(read, offer)):
        return None
    span = f"{offer.amount}" + (f"-{offer.high}" if offer.high is not None else "+")
    note = f"within the structured range {span}" if offer.ranged else f"one of a group, lowest {offer.amount}"
    return _listed(profile, read, offer.currency, options, fields, page, note)


def _listed(
    profile: PageProfile,
    offers: list[OfferRead],
    currency: str,
    options: _Options,
    fields: dict[str, Any],
    page: _Page,
    note: str,
) -> Extraction:
    """The profile's offers behind a structured summary, each a result of its own, `note` saying why."""
    # the product's sku, GTIN and model name the group, not a variant
    lazy = _LazySeller({**fields, "sku": None, "gtin": None, "model": None}, page)
    results = []
    for o in offers:
        result = _offer_result(profile, o, currency, options.coupon_policy, lazy)
        results.append(result.model_copy(update={"why": f"{result.why}; {note}"}))
    return _with_offers(results)


def _variants_behind_price_tag(
    offer: OfferFound, fields: dict[str, Any], page: _Page, reading: _ProfileReading, options: _Options
) -> Extraction | None:
    """The variants the page's profile reads behind an OpenGraph price tag that states the cheapest one.

    A platform whose price tag is its cheapest variant's (`PageProfile.price_tag_is_lowest`: Shopify's
    `og:price:amount`) states that price on every variant's page, so beside variants priced apart the tag
    is a "from" price. The profile's variants are the offers when they tell the same story as the tag
    (`variants_within`: the cheapest at the tag's amount), or, at an address that selects one variant
    (`OfferRead.selected`), when that variant costs more than the tag. Otherwise the tag stands.
    """
    if offer.ranged:
        return None
    found = reading.get()
    if found is None or not found[0].price_tag_is_lowest:
        return None
    profile, read = found
    on_sale = [o for o in read if o.available]
    if len(on_sale) == 1 and on_sale[0].selected:
        price = choose_price(on_sale[0].candidates, options.coupon_policy).price
        if price is None or price.currency != offer.currency or price.amount <= offer.amount:
            return None
    elif not variants_within(on_sale, offer.amount, None, offer.currency):
        return None
    note = f"the price tag's {offer.amount} is the cheapest variant's"
    return _listed(profile, on_sale, offer.currency, options, fields, page, note)


def _grouped(read: list[OfferRead], offer: OfferFound) -> bool:
    """Whether `read` are the products of a grouped page whose structured data states the lowest of
    their prices (in stock or not) as one price."""
    if not read or not all(o.grouped for o in read):
        return False
    prices = [p for o in read if (p := choose_price(o.candidates).price) is not None]
    if not prices or any(p.currency != offer.currency for p in prices):
        return False
    return min(p.amount for p in prices) == offer.amount


def _with_offers(results: list[Extraction]) -> Extraction:
    """The first priced result carrying every priced one as its `offers`, when there are several."""
    priced = [r for r in results if r.price is not None]
    main = (priced or results)[0]
    return main.model_copy(update={"offers": tuple(priced)}) if len(priced) > 1 else main


def _structured_result(product: ProductFound, offer: OfferFound, fields: dict[str, Any]) -> Extraction:
    """The result of one structured offer: the candidates are the product's offers of the same variant and seller."""
    confidence = CONFIDENCE[product.method]
    if offer.ranged:
        confidence -= RANGE_PENALTY
    if offer.currency_guessed:
        confidence -= GUESSED_CURRENCY_PENALTY
    alone = fields.get("offer_key") is None
    candidates = tuple(
        PriceCandidate(
            o.amount,
            o.currency,
            "range" if o.ranged else "sale",
            product.method,
            clean_text(o.raw, RAW_PRICE_MAX) or str(o.amount),
            CONFIDENCE[product.method],
            high=o.high if o.ranged else None,
        )
        for o in product.offers
        if o.available and (alone or o.identity == offer.identity)
    )
    why = "lowest available structured offer" + ("" if alone else f" of {fields['offer_key'] or 'the rest'}")
    return Extraction(
        status=ExtractionStatus.OK,
        price=Money.of(offer.amount, offer.currency),
        raw_price=clean_text(offer.raw, RAW_PRICE_MAX),
        method=product.method,
        confidence=confidence,
        price_kind="range" if offer.ranged else "sale",
        price_high=_top(offer.high, offer.currency) if offer.ranged else None,
        shipping=_shipping(offer.shipping, offer.shipping_currency or offer.currency, offer.currency),
        candidates=candidates,
        why=why,
        **fields,
    )


def _top(high: Decimal | None, currency: str) -> Decimal | None:
    """A range's top written like its price: "399" of "¥299.00-399" as 399.00."""
    return quantize(high, currency) if high is not None else None


def _shipping(amount: Decimal | None, fee_currency: str, price_currency: str) -> Money | None:
    """An offer's delivery fee as it is reported: only in the currency of the offer's price.

    An observation keeps the fee as an amount in the price's currency (`Observation.shipping`), so a
    fee in another currency (a euro listing's "US $20.99" fee on ebay.com) is left out here, never
    relabelled or converted.
    """
    if amount is None or fee_currency != price_currency:
        return None
    return Money.of(amount, fee_currency)


# -- structured data enriched by the page's profile ------------------------------------------------

# Words a page shape hides before its title, which structured data reads as part of the name: eBay's
# item pages before 2019 start the microdata `name` heading with a hidden "Details about  ".
_HIDDEN_TITLE_PREFIX: dict[str, re.Pattern[str]] = {
    "ebay": re.compile(r"^(?:details about|details zu|détails sur|dettagli su)\s+(?=\S)", re.IGNORECASE),
}
_ANY_HIDDEN_PREFIX = re.compile("|".join(f"(?:{p.pattern})" for p in _HIDDEN_TITLE_PREFIX.values()), re.IGNORECASE)

# What a profile's offer may give to the offer structured data chose, when structured data left it empty.
_PROFILE_READS: dict[str, Callable[[OfferRead], Any]] = {
    "seller_name": lambda o: o.seller,
    "sku": lambda o: o.sku,  # the item number or ASIN on marketplaces
    "gtin": lambda o: o.gtin,
    "model": lambda o: o.model,
}


class _ProfileReading:
    """The page profile's reading of a page with structured data, made once and only when asked for."""

    def __init__(self, page: _Page, currency: str, options: _Options) -> None:
        self.page, self.currency, self.options = page, currency, options
        self._read: tuple[PageProfile, list[OfferRead]] | None = None
        self._done = False

    def profile_marked(self) -> bool:
        """Whether the page has an element where a profile's page says its listing can no longer be bought,
        or that its price is only a "from" price (an auction's current bid)."""
        sel = selector_for(self.page.tree, self.page.source)
        return any(
            may_match(sel, css) and bool(select(sel, css))
            for p in PROFILES
            if p.serves(self.options.platform)
            for css in (*alternatives(p.withdrawn_marker), *alternatives(p.from_price_marker))
        )

    def get(self) -> tuple[PageProfile, list[OfferRead]] | None:
        if not self._done:
            self._done = True
            sel = selector_for(self.page.tree, self.page.source)
            try:
                profile = find_profile(sel, self.options.platform)
                if profile is not None:
                    self._read = profile, profile.read(sel, self.page.url, self.currency)
            except Exception:  # structured data's reading stands whatever the profile makes of the page
                log.exception("%s: profile could not enrich the structured offer", self.page.url)
        return self._read


def _enriched(
    result: Extraction, offer: OfferFound, reading: _ProfileReading, currency: str, sold_out_by_text: bool = False
) -> Extraction:
    """The offer structured data chose, with the fields it left empty filled from the page profile's reading.

    Structured data is read first and keeps its price, method and confidence; many pages state only a
    price there (`og:price:amount`), while the platform's profile knows the seller, the item number,
    the variants' SKUs and the shipping line. The profile runs only when a field is empty and a profile
    recognises the page; its offer must show the same amount in the same currency (with several such
    offers, the one with the structured offer's or product's sku, or only what they all agree on).
    Nothing structured data gave is overwritten. An offer whose availability structured data does not
    state is sold out when every corresponding profile offer is (`sold_out_by_text`: the page's text already
    says so, and that is the reason the caller gives); a page whose profile says the listing
    can no longer be bought (`OfferRead.withdrawn`: an eBay listing ended) is sold out whatever
    structured data states.
    """
    if result.price is None:
        return result
    missing = [name for name in (*_PROFILE_READS, "shipping") if getattr(result, name) is None]
    unstated = not offer.availability_stated
    prefixed = _ANY_HIDDEN_PREFIX.match(result.title or "") is not None
    if not missing and not unstated and not prefixed and not reading.profile_marked():
        return result
    found = reading.get()
    if found is None:
        return result
    profile, read = found
    update: dict[str, Any] = {}
    hidden = _HIDDEN_TITLE_PREFIX.get(profile.name)
    if hidden is not None and result.title and (title := hidden.sub("", result.title, count=1)) != result.title:
        update["title"] = title
    same = _corresponding(read, result.price, offer.sku or result.sku)
    for name, value_of in _PROFILE_READS.items():
        if name in missing and (value := _agreed(same, value_of)) is not None:
            update[name] = value
    if "shipping" in missing:
        fee = _agreed(same, lambda o: (o.shipping, o.shipping_currency or currency) if o.shipping is not None else None)
        if fee is not None and (shipping := _shipping(fee[0], fee[1], result.price.currency)) is not None:
            update["shipping"] = shipping
    if read and all(o.withdrawn for o in read):
        # The page says the listing can no longer be bought (ended, sold), whatever structured data states.
        known = {k: update.get(k, getattr(result, k)) for k in ("title", "seller_name", "sku", "gtin", "model")}
        why = f"the listing has ended, says profile {profile.name} (structured data still states a price)"
        return Extraction(
            status=ExtractionStatus.NO_PRICE, reason=REASON_SOLD_OUT, method=result.method, profile=profile.name,
            candidates=result.candidates, why=why, profile_fields=(*update, "availability"), **known,
        )  # fmt: skip
    profile_sold_out = unstated and bool(same) and not any(o.available for o in same)
    if profile_sold_out and not sold_out_by_text:
        # Structured data states no availability; the profile reads this offer as sold out: no price.
        known = {k: update.get(k, getattr(result, k)) for k in ("title", "seller_name", "sku", "gtin", "model")}
        why = f"sold out by profile {profile.name} (structured data states no availability)"
        return Extraction(
            status=ExtractionStatus.NO_PRICE, reason=REASON_SOLD_OUT, method=result.method, profile=profile.name,
            candidates=result.candidates, why=why, profile_fields=(*update, "availability"), **known,
        )  # fmt: skip
    if result.price_kind == "sale" and same and all(_from_price(o, result.price) for o in same):
        # The profile reads this amount as a "from" price (an eBay auction's current bid, which structured
        # data states as the offer's price): the item sells for more, never for it.
        update["price_kind"] = "range"
    if not update and not profile_sold_out:
        return result
    # The profile agrees with the page's text that the offer is sold out: the caller says so.
    names = (*update, "availability") if profile_sold_out else tuple(update)
    why = f"{result.why}; {', '.join(names)} from profile {profile.name}"
    if "price_kind" in update:
        update["confidence"] = max(result.confidence - RANGE_PENALTY, Decimal("0.05"))
        update["candidates"] = tuple(
            replace(c, kind="range") if c.kind == "sale" and c.amount == result.price.amount else c
            for c in result.candidates
        )
    return result.model_copy(update={**update, "profile": profile.name, "profile_fields": names, "why": why})


def _from_price(offer: OfferRead, price: Money) -> bool:
    """Whether a profile's offer reads `price` as a "from" price only: a range with no top at that amount."""
    shown = [
        c for c in offer.candidates if c.kind != "shipping" and (c.amount, c.currency) == (price.amount, price.currency)
    ]
    return bool(shown) and all(c.kind == "range" and c.high is None for c in shown)


def _corresponding(offers: list[OfferRead], price: Money, sku: str | None) -> list[OfferRead]:
    """The profile's offers that are the chosen offer: those showing its amount in its currency, narrowed
    to the variant of `sku` when several do and one has it."""
    same = [
        o
        for o in offers
        if any(c.kind != "shipping" and c.amount == price.amount and c.currency == price.currency for c in o.candidates)
    ]
    if len(same) > 1 and (variant := for_variant(same, sku)) is not None:
        return [variant]
    return same


def _agreed(offers: list[OfferRead], value_of: Callable[[OfferRead], Any]) -> Any:
    """The value every one of `offers` gives (None when they differ, one gives none, or there are none)."""
    values = {value_of(o) for o in offers}
    return values.pop() if len(values) == 1 else None


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
        reason = next((o.no_price_reason for o in offers if o.no_price_reason), REASON_NO_PRICE)
        # A price service that answered with its captcha (JD's `{"error": "pdos_captcha"}`) blocked the visit.
        status = ExtractionStatus.BLOCKED if reason in (REASON_CAPTCHA, REASON_ANTI_BOT) else ExtractionStatus.NO_PRICE
        return Extraction(status=status, reason=reason, profile=profile.name, **first)
    return _with_offers([_offer_result(profile, o, currency, options.coupon_policy, lazy) for o in offers])


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
        price_high=_top(c.high, c.currency),
        shipping=_shipping(offer.shipping, offer.shipping_currency or currency, c.currency),
        candidates=offer.candidates,
        why=choice.why,
        **common,
    )
