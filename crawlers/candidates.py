"""Price candidates read from one page, and the rule that picks the price a buyer actually pays.

A page shows many numbers: list price, sale price, coupon price ("券后"/"到手价"), a range or a
"起" price, shipping. Every reader (structured data, page profiles, text) turns what it sees into
`PriceCandidate`s; `choose_price` ranks them the same way for all of them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Literal

PriceKind = Literal["sale", "list", "coupon", "range", "shipping"]
CouponPolicy = Literal["shelf", "after_coupon"]

# What each kind means when the page shows several:
#   sale      the price on the shelf today (promotion price, 促销价, group price)
#   list      the crossed-out or "original" price (原价, 划线价, compare-at)
#   coupon    the price after a coupon or a conditional discount (券后, 到手价)
#   range     the low end of a range or a "from"/"起" price; `high` keeps the top when known
#   shipping  a delivery fee, never a product price
KIND_RANK: dict[PriceKind, int] = {"sale": 0, "range": 1, "list": 2, "coupon": 3, "shipping": 9}
LIST_ONLY_PENALTY = Decimal("0.10")  # the only price is labelled "original": likely, not certain
RANGE_PENALTY = Decimal("0.15")
FLOOR_CONFIDENCE = Decimal("0.05")


@dataclass(frozen=True)
class PriceCandidate:
    """One amount a page shows, what kind of price it is, who read it and how sure it is."""

    amount: Decimal
    currency: str
    kind: PriceKind
    method: str  # json-ld, microdata, rdfa, opengraph, profile:<name>, text:<how>
    raw: str
    confidence: Decimal
    high: Decimal | None = None  # top of a range
    variant: str | None = None  # the variant (sku or label) this price belongs to


@dataclass(frozen=True)
class OfferRead:
    """One seller's offer on a page: its candidates and what the page says about the product.

    A product page has one; an offer listing (several sellers) or a variant list has several.
    `key` tells the offers of one page apart (seller or variant) and is stable between visits.
    `shipping` is an amount in `shipping_currency`, or in the page's currency (the one the profile
    was given) when that is None; a fee in another currency than the price's is never reported.
    """

    candidates: tuple[PriceCandidate, ...] = ()
    key: str = ""
    title: str | None = None
    seller: str | None = None
    sku: str | None = None
    gtin: str | None = None
    model: str | None = None
    available: bool = True
    shipping: Decimal | None = None  # the delivery fee, kept apart from the price
    shipping_currency: str | None = None  # the fee's currency; None: the currency the page was read in
    extra: dict[str, str] = field(default_factory=dict)
    no_price_reason: str | None = None  # why a page the profile knows shows no price ("price_in_cart")
    # One of the products a grouped page sells side by side (WooCommerce's grouped product), each its
    # own product: the page's summary price is the lowest of theirs, in stock or not.
    grouped: bool = False
    # The page says this listing can no longer be bought (an eBay listing ended or sold): no offer,
    # whatever structured data states of its availability.
    withdrawn: bool = False
    # The variant the page's address selects (Shopify's `?variant=<id>`): the page sells this one.
    selected: bool = False


@dataclass(frozen=True)
class Choice:
    """The chosen price (None when nothing can be paid) and the confidence left after ranking."""

    price: PriceCandidate | None
    confidence: Decimal
    why: str


def choose_price(candidates: Iterable[PriceCandidate], policy: CouponPolicy = "shelf") -> Choice:
    """Pick the price of an offer.

    Sale beats list; a coupon price counts only under the `after_coupon` policy (otherwise it is
    kept for the record); shipping never counts; a range is a lower-confidence reading. Among
    candidates of the same kind the most trusted method wins, then the lowest amount.

    >>> sale = PriceCandidate(Decimal("1299"), "CNY", "sale", "profile:tmall", "¥1299", Decimal("0.9"))
    >>> listed = PriceCandidate(Decimal("1599"), "CNY", "list", "profile:tmall", "¥1599", Decimal("0.9"))
    >>> choose_price([listed, sale]).price.amount
    Decimal('1299')
    """
    usable = [c for c in candidates if c.kind != "shipping"]
    coupons = [c for c in usable if c.kind == "coupon"]
    if policy == "after_coupon" and coupons:
        best = min(coupons, key=lambda c: (-c.confidence, c.amount))
        return Choice(best, best.confidence, "coupon price (policy: after_coupon)")
    shelf = [c for c in usable if c.kind != "coupon"]
    if not shelf:
        return Choice(None, Decimal(0), "only a coupon price" if coupons else "no price")
    best = min(shelf, key=lambda c: (KIND_RANK[c.kind], -c.confidence, c.amount))
    confidence = best.confidence
    if best.kind == "range":
        confidence -= RANGE_PENALTY
        why = "low end of a range" if best.high is not None else "a 'from' price"
    elif best.kind == "list":
        confidence -= LIST_ONLY_PENALTY
        why = "list price (no sale price shown)"
    else:
        why = "sale price" if len(usable) > 1 else "the only price"
        if coupons:
            why += " (coupon price kept for the record; policy: shelf)"
    return Choice(best, max(confidence, FLOOR_CONFIDENCE), why)


def variants_within(offers: Sequence[OfferRead], low: Decimal, high: Decimal | None, currency: str) -> bool:
    """Whether `offers` are the variants behind a summary price of `low` (to `high`; None: no top given).

    The page's own summary (a structured `AggregateOffer`, a store's "£45.00 – £65.00") and the
    variant list it sums up must tell the same story before the list is believed: at least two
    offers told apart by their keys, each priced in `currency` (its shelf price, as `choose_price`
    picks it) within the summary, the cheapest at its low end, and not all at one price (a list of
    variants that all cost the same says nothing the summary did not).
    """
    if len(offers) < 2 or len({o.key for o in offers}) != len(offers) or not all(o.key for o in offers):
        return False
    prices = [choose_price(o.candidates).price for o in offers if o.available]
    if len(prices) < 2 or any(p is None or p.currency != currency for p in prices):
        return False
    amounts = [p.amount for p in prices if p is not None]
    within = high is None or max(amounts) <= high
    return min(amounts) == low and within and len(set(amounts)) > 1


def for_variant(offers: Sequence[OfferRead], sku: str | None) -> OfferRead | None:
    """The offer of the variant with this sku (case-insensitive), if the page lists one."""
    if not sku:
        return None
    wanted = sku.strip().casefold()
    return next((o for o in offers if o.sku and o.sku.strip().casefold() == wanted), None)


def with_method(candidates: Iterable[PriceCandidate], method: str) -> tuple[PriceCandidate, ...]:
    return tuple(replace(c, method=method) for c in candidates)
