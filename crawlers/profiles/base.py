"""Page profiles: how to read one platform's listing page when it carries no structured data.

A profile is declarative where it can be (CSS selectors, JSON paths into a script's state) and a
small class where it must be (a price loaded from a separate endpoint). Profiles return
`OfferRead`s with their price candidates; `crawlers.candidates.choose_price` picks the price.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from typing import Any, ClassVar

import cssselect
import jmespath
from lxml import html as lxml_html
from parsel import Selector, SelectorList
from parsel.csstranslator import HTMLTranslator

from crawlers.candidates import OfferRead, PriceCandidate, PriceKind
from crawlers.page import STATE_MAX, PageSource, assigned_values
from crawlers.prices import (
    IDENTIFIER_MAX,
    SELLER_MAX,
    TITLE_MAX,
    amount_of,
    clean_text,
    currency_code,
    parse_price_text,
)

PROFILE_CONFIDENCE = Decimal("0.85")  # a selector written for this page shape found the amount
_RANGE = re.compile(r"^\s*(?P<low>[^-~～至]+?)\s*(?:-|~|～|–|—|至)\s*(?P<high>[^-~～至]+?)\s*$")
_FROM = re.compile(r"起|以上|\bfrom\b|starting at", re.IGNORECASE)
_JSON_MAX = 5_000_000  # bytes of a follow-up JSON answer read at most


class PageProfile:
    """The contract of a page profile.

    >>> class MyShop(SelectorProfile):
    ...     name = "myshop"
    ...     platforms = frozenset({"website"})
    ...     marker = "#product-detail"
    ...     selectors = Selectors(title="h1::text", prices={"sale": ".now-price", "list": ".was-price"})

    `applies` says whether a parsed page has this shape; `read` returns its offers. A profile
    whose price is not on the page itself returns a `follow_up` URL; the spider fetches it and
    hands the body to `read_follow_up` together with the offers read from the page.
    """

    name: ClassVar[str] = ""
    platforms: ClassVar[frozenset[str]] = frozenset()
    marker: ClassVar[Css] = ""  # a CSS selector only this page shape has (or several: any of them)
    # Where the page says its listing can no longer be bought (eBay's status banner): on a page with
    # such an element, the profile is read even beside structured data that states the offer in stock,
    # and its offers marked `withdrawn` make the page sold out.
    withdrawn_marker: ClassVar[Css] = ""
    # Where the page shows that its price is only a "from" price (eBay's bid price box: an auction's current
    # bid): on a page with such an element, the profile is read beside structured data, and a structured
    # price the profile reads as a "from" price at that amount is one.
    from_price_marker: ClassVar[Css] = ""
    # The platform writes the product's cheapest variant's price into OpenGraph's `og:price:amount`
    # (Shopify: `product.price` is `product.price_min`), so that tag is a "from" price: when this
    # profile reads the variants on sale at the page's address at other prices, they are the offers.
    price_tag_is_lowest: ClassVar[bool] = False

    def serves(self, platform: str | None) -> bool:
        """Whether this profile is for pages of `platform` (None: any platform)."""
        return platform is None or not self.platforms or platform in self.platforms

    def applies(self, page: Selector, platform: str | None) -> bool:
        if not self.serves(platform):
            return False
        return any(may_match(page, css) and bool(select(page, css)) for css in alternatives(self.marker))

    def read(self, page: Selector, url: str, currency: str) -> list[OfferRead]:
        raise NotImplementedError

    def follow_up(self, page: Selector, url: str) -> str | None:
        return None

    def read_follow_up(self, body: bytes, url: str, offers: list[OfferRead], currency: str) -> list[OfferRead]:
        return offers

    @property
    def method(self) -> str:
        return f"profile:{self.name}"


# "US $10.99 to US $15.99", "EUR 12,99 bis EUR 19,99" (eBay's multi-variation listings): a range in words.
_WORD_RANGE = re.compile(r"^\s*(?P<low>.+?)\s+(?:to|bis|à|a|tot|till)\s+(?P<high>.+?)\s*$", re.IGNORECASE)
# A conversion the page adds for the visitor, "GBP 12.00 (approx US $15.24)": not the amount charged.
_CONVERSION = re.compile(r"\(\s*(?:approx\.?|approximately|ca\.|circa|env\.|environ|约)[^)]*\)", re.IGNORECASE)


def text_candidate(
    text: str | None, kind: PriceKind, method: str, currency: str, *, confidence: Decimal = PROFILE_CONFIDENCE
) -> PriceCandidate | None:
    """A candidate from price text such as "¥1,299.00", "1299.00-1599.00" or "¥99 起"."""
    raw = clean_text(text, 120)
    if raw is None or len(raw) > 80:
        return None
    high: Decimal | None = None
    raw = _CONVERSION.sub("", raw).strip() or raw
    low_amount: Decimal | None = None
    ranged = m = _RANGE.match(raw) or _WORD_RANGE.match(raw)
    if m is not None:
        low_amount, symbol = parse_price_text(m.group("low"))
        high, high_symbol = parse_price_text(m.group("high"))
        symbol = symbol or high_symbol
        if m.re is _WORD_RANGE and (low_amount is None or high is None):
            ranged, high = None, None  # "up to $5" is no range: words join two amounts only
    if not ranged:
        low_amount, symbol = parse_price_text(raw)
    if low_amount is None:
        return None
    code = currency_code(symbol, currency) if symbol else currency
    if code is None:
        return None
    if kind == "sale" and (ranged or _FROM.search(raw)):
        kind = "range"
    return PriceCandidate(low_amount, code, kind, method, raw, confidence, high=high)


_CURRENCY_CODE = re.compile(r"^[A-Z]{3}$")


def page_currency(code: object, fallback: str) -> str:
    """An ISO code the page states for itself ("USD"), or `fallback` when it states none we know."""
    text = clean_text(code, 8)
    if text is None or not _CURRENCY_CODE.match(text.upper()):
        return fallback
    return currency_code(text.upper(), fallback) or fallback


def json_body(body: bytes) -> Any:
    """A follow-up answer's JSON (decimals kept exact), or None when it is too big or not JSON."""
    if len(body) > _JSON_MAX:
        return None
    try:
        return json.loads(body.decode("utf-8", "replace"), parse_float=Decimal)
    except (ValueError, RecursionError):
        return None


def source_lacks(page: Selector, word: str) -> bool:
    """True only when the source text of `page` is known and does not contain `word`.

    For words looked for in scripts: script text is raw (no character reference writes a letter of
    it), so a script can only contain what the source does.
    """
    source = getattr(page, "page_source", None)
    return source is not None and word not in source.text


def script_assigns(page: Selector, assignment: re.Pattern[str], word: str, *, with_word: bool = False) -> bool:
    """Whether a script of the page matches `assignment` (with `with_word`: one that also contains
    `word`); `word` is in every match, so a source without it rules the page out unread."""
    if source_lacks(page, word):
        return False
    for script in page.css("script::text").getall():
        text = script[:STATE_MAX]
        if (not with_word or word in text) and assignment.search(text):
            return True
    return False


def state_json(page: Selector, assignment: re.Pattern[str], wanted: str | None = None) -> Any:
    """The JSON value a script assigns (`window.rawData = {...}; more();`), or None.

    `assignment` ends where the value starts (`window\\.rawData\\s*=\\s*`); the value is decoded
    from there, so statements after it do not matter. With `wanted`, the first value that is an
    object with that key.
    """
    for value in assigned_values(page.css("script::text").getall(), assignment):
        if wanted is None or (isinstance(value, dict) and wanted in value):
            return value
    return None


# -- declarative profiles ---------------------------------------------------------------------------

Css = str | tuple[str, ...]
"""One CSS selector, or alternatives tried in order (the first one that finds something wins).

Real pages of one platform come in several generations of markup; a tuple lists them newest first.
"""


def alternatives(css: Css | None) -> tuple[str, ...]:
    if not css:
        return ()
    return (css,) if isinstance(css, str) else css


@dataclass(frozen=True)
class Selectors:
    """CSS selectors (parsel syntax, `::attr(name)` and `::text` allowed) of one page shape.

    `offer` repeats per seller on an offer listing; the other selectors are then read inside it
    (`title` is always read from the whole page). `prices` maps a price kind to its selector.
    """

    title: Css | None = None
    seller: Css | None = None
    sku: Css | None = None
    gtin: Css | None = None
    prices: Mapping[PriceKind, Css] = field(default_factory=dict)
    shipping: Css | None = None
    sold_out: Css | None = None
    offer: Css | None = None
    fallback_sale: Css | None = None  # read as the sale price only when no `prices` selector matched


def _first_text(scope: Selector, css: Css | None) -> str | None:
    """The text (or attribute) the first of the selectors finds, stripped; None when none finds any."""
    for one in alternatives(css):
        text = _text_of(scope, one)
        if text is not None:
            return text
    return None


def _first_found(scope: Selector, css: Css | None) -> SelectorList[Selector]:
    for one in alternatives(css):
        found = scope.css(one) if may_match(scope, one) else None
        if found:
            return found
    return SelectorList([])


def _text_of(scope: Selector, css: str) -> str | None:
    if not may_match(scope, css):
        return None
    found = select(scope, css)
    if not found:
        return None
    if "::" in css:
        value = found.get()
        return value.strip() if isinstance(value, str) and value.strip() else None
    text = found[0].xpath("normalize-space(string())").get()
    return text or None


class SelectorProfile(PageProfile):
    """A profile made only of CSS selectors (set `selectors` in the subclass)."""

    selectors: ClassVar[Selectors] = Selectors()

    def read(self, page: Selector, url: str, currency: str) -> list[OfferRead]:
        s = self.selectors
        title = clean_text(_first_text(page, s.title), TITLE_MAX)
        scopes = _first_found(page, s.offer)[:100] if s.offer else [page]
        offers = []
        for i, scope in enumerate(scopes):
            candidates = []
            for kind, css in s.prices.items():
                c = text_candidate(_first_text(scope, css), kind, self.method, currency)
                if c is not None:
                    candidates.append(c)
            if not candidates and s.fallback_sale:
                c = text_candidate(_first_text(scope, s.fallback_sale), "sale", self.method, currency)
                candidates += [c] if c is not None else []
            shipping = text_candidate(_first_text(scope, s.shipping), "shipping", self.method, currency)
            seller = clean_text(_first_text(scope, s.seller), SELLER_MAX)
            sold_out = bool(_first_found(scope, s.sold_out))
            offers.append(
                OfferRead(
                    candidates=tuple(candidates),
                    key=(seller or str(i)) if s.offer else "",
                    title=title,
                    seller=seller,
                    sku=clean_text(_first_text(scope, s.sku), IDENTIFIER_MAX),
                    gtin=clean_text(_first_text(scope, s.gtin), IDENTIFIER_MAX),
                    available=not sold_out,
                    shipping=shipping.amount if shipping is not None else None,
                )
            )
        return offers


class ScriptStateProfile(PageProfile):
    """A profile reading the JSON state a page embeds in a script (JMESPath expressions).

    `state` matches the assignment up to where the value starts (see `state_json`).
    `variants` selects a list of variant objects; `fields` maps title/seller/sku/gtin and
    price kinds to expressions (variant fields are read inside each variant, page fields
    from the root state). `price_divisor` turns platform units into money (100 for fen).
    """

    state: ClassVar[re.Pattern[str]] = re.compile(r"$^")
    state_word: ClassVar[str] = ""  # a word every match of `state` contains ("rawData"): see `source_lacks`
    page_fields: ClassVar[Mapping[str, str]] = {}
    variants: ClassVar[str | None] = None
    variant_fields: ClassVar[Mapping[str, str]] = {}
    price_divisor: ClassVar[Decimal] = Decimal(1)

    def applies(self, page: Selector, platform: str | None) -> bool:
        return self.serves(platform) and script_assigns(page, self.state, self.state_word)

    def read(self, page: Selector, url: str, currency: str) -> list[OfferRead]:
        data = state_json(page, self.state)
        if not isinstance(data, dict):
            return []
        common = {k: _search(expr, data) for k, expr in self.page_fields.items()}
        if self.variants is None:
            return [self._offer(common, {}, currency, "")]
        variants = _search(self.variants, data)
        if not isinstance(variants, list):
            return [self._offer(common, {}, currency, "")]
        offers = []
        for variant in variants[:200]:
            if isinstance(variant, dict):
                values = {k: _search(expr, variant) for k, expr in self.variant_fields.items()}
                offers.append(self._offer(common, values, currency, str(values.get("sku") or "")))
        return offers

    def _offer(self, common: dict[str, Any], values: dict[str, Any], currency: str, key: str) -> OfferRead:
        merged = {**common, **{k: v for k, v in values.items() if v is not None}}
        candidates = []
        for kind in ("sale", "list", "coupon", "range"):
            amount = self._amount(merged.get(kind))
            if amount is not None:
                raw = f"{merged[kind]}" + (f" / {self.price_divisor}" if self.price_divisor != 1 else "")
                candidate = PriceCandidate(amount, currency, kind, self.method, raw, PROFILE_CONFIDENCE)
                candidates.append(candidate)
        stock = merged.get("stock")
        return OfferRead(
            candidates=tuple(candidates),
            key=key,
            title=clean_text(merged.get("title"), TITLE_MAX),
            seller=clean_text(merged.get("seller"), SELLER_MAX),
            sku=clean_text(merged.get("sku"), IDENTIFIER_MAX),
            gtin=clean_text(merged.get("gtin"), IDENTIFIER_MAX),
            available=not (isinstance(stock, int | Decimal) and not isinstance(stock, bool) and stock <= 0),
            shipping=self._amount(merged.get("shipping")),
        )

    def _amount(self, value: Any) -> Decimal | None:
        amount = amount_of(value)
        if amount is None:
            return None
        return (amount / self.price_divisor).quantize(Decimal("0.01")) if self.price_divisor != 1 else amount


def _search(expression: str, data: Any) -> Any:
    try:
        return jmespath.search(expression, data)
    except jmespath.exceptions.JMESPathError:
        return None


class PageSelector(Selector):
    """A parsel selector over a whole parsed page that knows the text it was parsed from.

    `may_match` uses it to skip a search of the whole page for an id, class or attribute that
    the source does not contain (see `crawlers.page.PageSource`). Selectors made from this one
    (`.css()` results) search a part of the page only and do not carry it.
    """

    page_source: PageSource | None = None
    anchors: dict[str, SelectorList[Selector]] | None = None  # what `select` found for each anchor


def selector_for(tree: lxml_html.HtmlElement, source: PageSource | None = None) -> Selector:
    """A parsel selector over an already parsed page (no second parse); `source` is its source text."""
    if source is None:
        return Selector(root=tree, type="html")
    selector = PageSelector(root=tree, type="html")
    selector.page_source = source
    selector.anchors = {}
    return selector


_ANCHORED = re.compile(r"^(?P<anchor>[A-Za-z0-9_#.-]+)(?=\s|::)")
_ID_ANCHOR = re.compile(r"^#([A-Za-z0-9_-]+)$")


@lru_cache(maxsize=1024)
def _anchored(css: str) -> tuple[str, str] | None:
    """("A", the rest of the selector's XPath from an A element) for "A ..." ; None for other shapes.

    "A" is one compound selector of tag, id and classes. parsel writes the selector as the XPath
    of A, a slash and a relative path R; every match is R read from some A element.
    """
    m = _ANCHORED.match(css)
    if m is None:
        return None
    translator = HTMLTranslator()
    try:
        full, anchor = translator.css_to_xpath(css), translator.css_to_xpath(m["anchor"])
    except Exception:  # the whole selector is left to parsel, which reports it
        return None
    rest = full[len(anchor) + 1 :]
    if not full.startswith(anchor + "/") or not rest or "|" in rest:
        return None
    return m["anchor"], rest


def select(scope: Selector, css: str) -> SelectorList[Selector]:
    """`scope.css(css)`, with fewer searches of the whole page when `scope` is a `PageSelector`.

    A selector "A rest" is read from the page's only A element, found once per page for all the
    selectors that start with A (an id the source names once is looked up in libxml2's id table);
    with no A element nothing matches, and with several the whole page is searched as before.
    """
    anchors_seen = getattr(scope, "anchors", None)
    source = getattr(scope, "page_source", None)
    split = _anchored(css) if anchors_seen is not None and source is not None else None
    if split is None:
        return scope.css(css)
    assert anchors_seen is not None and source is not None
    anchor, rest = split
    anchors = anchors_seen.get(anchor)
    if anchors is None:
        anchors = anchors_seen[anchor] = _anchor_elements(scope, source, anchor)
    if len(anchors) > 1:
        return scope.css(css)
    return anchors[0].xpath(rest) if anchors else anchors


def _anchor_elements(scope: Selector, source: PageSource, anchor: str) -> SelectorList[Selector]:
    m = _ID_ANCHOR.match(anchor)
    if m is not None and not source.references and source.text.count(m[1]) == 1:
        # Named once in the source: at most one element has this id; libxml2 knows it by its id.
        found = scope.root.xpath("id($name)", name=m[1])
        if len(found) == 1 and found[0].get("id") == m[1]:
            return SelectorList([type(scope)(root=found[0], type="html")])
    return scope.css(anchor)


def may_match(scope: Selector, css: str) -> bool:
    """False only when `scope.css(css)` is known to find nothing without searching the page."""
    source = getattr(scope, "page_source", None)
    if source is None:
        return True
    required = _required(css)
    if required is None:
        return True
    values, attributes = required
    return all(source.may_have_value(v) for v in values) and all(source.may_have_attribute(a) for a in attributes)


@lru_cache(maxsize=1024)
def _required(css: str) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
    """(ids, classes and attribute values, attribute names) every element `css` matches needs; None when not known.

    Every part of a compound or combined selector must be on some element of the page for it to
    match; what sits inside :not(), :has(), :is() and the like is not required, and is left out.
    """
    try:
        parsed = cssselect.parse(css)
    except Exception:  # parsel reports a bad selector when it is used
        return None
    if len(parsed) != 1:
        return None
    values: list[str] = []
    attributes: list[str] = []

    def walk(node: Any) -> bool:
        if isinstance(node, cssselect.parser.Element):
            return True
        if isinstance(node, cssselect.parser.Hash):
            values.append(node.id)
        elif isinstance(node, cssselect.parser.Class):
            values.append(node.class_name)
        elif isinstance(node, cssselect.parser.Attrib):
            if node.namespace is None:
                attributes.append(node.attrib.lower())
            if node.operator != "exists" and node.value is not None and node.value.value:
                values.append(node.value.value)  # `[class*="Price--"]`: the value is in the source
        elif isinstance(node, cssselect.parser.CombinedSelector):
            return walk(node.selector) and walk(node.subselector)
        elif not isinstance(
            node,
            cssselect.parser.Pseudo
            | cssselect.parser.Function
            | cssselect.parser.Negation
            | cssselect.parser.Relation
            | cssselect.parser.Matching
            | cssselect.parser.SpecificityAdjustment,
        ):
            return False
        return walk(node.selector)

    if not walk(parsed[0].parsed_tree):
        return None
    return tuple(values), tuple(a for a in attributes if re.fullmatch(r"[a-z0-9_-]+", a))
