"""schema.org Products and their offers from a page's structured data (JSON-LD, microdata, RDFa, OpenGraph).

extruct reads microdata, RDFa and OpenGraph; JSON-LD is read here so that numbers arrive as Decimal.

A price the page states to leave VAT out (`valueAddedTaxIncluded: false`) is not what a consumer
pays where shelf prices include VAT: the offer that includes it is read instead, and a product whose
only price leaves it out carries no price here (its `net_offers` keep it), so that the page is read
on by its profile or as text, where the gross price it shows is found. In US and Canadian dollars
shelf prices leave sales tax out, and such a price is the shelf price (see `SALES_TAX_CURRENCIES`).
"""

from __future__ import annotations

import html
import json
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any, Literal
from urllib.parse import parse_qsl, urljoin, urlsplit

import extruct
from lxml import etree
from lxml import html as lxml_html

from crawlers.page import PageSource
from crawlers.prices import (
    IDENTIFIER_MAX,
    SELLER_MAX,
    TITLE_MAX,
    amount_of,
    clean_text,
    currency_code,
    written_currency,
)
from oneprice.domain.catalog import gtin_check_digit_ok
from oneprice.domain.money import CURRENCY_EXPONENTS

log = logging.getLogger(__name__)

StructuredMethod = Literal["json-ld", "microdata", "rdfa", "opengraph"]

PRODUCT_TYPES = frozenset({"Product", "ProductGroup", "IndividualProduct", "ProductModel", "SomeProducts"})
OFFER_TYPES = frozenset({"Offer", "AggregateOffer"})
SOLD_OUT_AVAILABILITY = frozenset({"outofstock", "soldout", "discontinued", "out of stock", "oos", "sold out"})


def stated_sold_out(availability: str) -> bool:
    """Whether a stated availability says sold out: schema.org's `OutOfStock`, OpenGraph's "oos", and as
    feeds and themes write it ("out_of_stock", "sold-out")."""
    key = availability.casefold().replace("_", " ").replace("-", " ").strip()
    return key in SOLD_OUT_AVAILABILITY or key.replace(" ", "") in SOLD_OUT_AVAILABILITY


_NOT_SELLING_PRICE = ("listprice", "strikethrough", "msrp", "srp")
# Currencies whose shelf prices leave the sales tax out (added at the till, by state or province): a
# price stating that it excludes tax is the price shown. Elsewhere consumer prices include VAT or GST.
SALES_TAX_CURRENCIES = frozenset({"USD", "CAD"})
_TRUE_WORDS, _FALSE_WORDS = frozenset({"true", "1", "yes"}), frozenset({"false", "0", "no"})
# A microdata price printed under a "from" label: Magento's "As low as" (a configurable product's
# cheapest variant, or its tier price) in the Offer's `.price-label`, or a `.minimal-price` box.
_FROM_LABEL = re.compile(
    r"^\s*(?:as low as|from|starting at|ab|à partir de|a partir de|desde|a partire da|vanaf)\s*:?\s*$", re.IGNORECASE
)
_PRICE_PROPS = etree.XPath("//body//*[@itemprop='price']")
_CLASS = "contains(concat(' ', normalize-space(@class), ' '), ' {} ')"
_PRICE_LABELS = etree.XPath(f".//*[{_CLASS.format('price-label')}]")
_IN_MINIMAL_PRICE = etree.XPath(f"boolean(ancestor::*[{_CLASS.format('minimal-price')}])")
# The top of a Magento bundle's "From $49.00 To $120.00": the price box's maximal price.
_BOX_MAX_PRICE = etree.XPath(
    f"ancestor::*[{_CLASS.format('price-box')}][1]//*[@data-price-type='maxPrice']/@data-price-amount"
)
# Shopware's block prices (quantity tiers): one microdata Offer a table row ("Bis 9", "Ab 50") inside an
# AggregateOffer whose lowPrice is the price from the largest quantity. Shopware 6 `product-block-prices-row`,
# Shopware 5 `block-prices--row`.
_TIER_ROWS = etree.XPath(
    "//body//*[@itemscope][@itemprop='offers']"
    "[contains(@class, 'block-prices-row') or contains(@class, 'block-prices--row')]"
)
_RELATED_KEYS = ("isRelatedTo", "isSimilarTo", "isAccessoryOrSparePartFor", "isConsumableFor")
# schema.org's `OfferItemCondition` values of an item that is not new.
_SECOND_HAND = frozenset({"usedcondition", "refurbishedcondition", "damagedcondition", "used", "refurbished"})
_GTIN_KEYS = ("gtin13", "gtin", "gtin14", "gtin12", "gtin8", "ean")

# Hostile pages can nest or repeat structures without end; these bound the work per page.
_MAX_NODES = 5000
_MAX_DEPTH = 32
_JS_COMMENT_LINE = re.compile(r"^\s*(//.*|<!--.*-->)\s*$", re.MULTILINE)
# What JSON-LD written by templates often carries besides JSON: a block comment, a comma before a closing
# bracket (a loop's last item), the whole block in an HTML comment. Strings are matched whole first, so
# nothing inside one is touched.
_NOT_JSON = re.compile(r'"(?:\\.|[^"\\])*"|/\*.*?\*/|,(?=\s*[}\]])', re.DOTALL)
_LENIENT_MAX = 200_000
_LENIENT_COMMENTS = 20
_HTML_COMMENT_AROUND = re.compile(r"^\s*<!--(.*)-->\s*$", re.DOTALL)
_JSON_DECODER = json.JSONDecoder(parse_float=Decimal, parse_constant=lambda _: None, strict=False)


@dataclass(frozen=True)
class OfferFound:
    """One readable offer: the amount, its ISO currency and the value as the page wrote it."""

    amount: Decimal
    currency: str
    raw: str
    aggregate: bool = False  # AggregateOffer: `amount` is the lowest of a range
    high: Decimal | None = None  # AggregateOffer: the highest price, when the page states one
    currency_guessed: bool = False  # the page named no currency; the brand's default was assumed
    available: bool = True
    availability_stated: bool = False  # the page gave the offer's availability (else `available` is assumed)
    shipping: Decimal | None = None  # shippingDetails.shippingRate, kept apart from the price
    shipping_currency: str | None = None  # the rate's own currency; None: the offer's
    sku: str | None = None  # the offer's own sku (a variant's), when it names one
    gtin: str | None = None  # the offer's own GTIN (a variant's)
    seller: str | None = None  # the offer's own seller, when it names one
    name: str | None = None  # the variant's name, when the offer belongs to a variant (`hasVariant`, `itemOffered`)
    vat_excluded: bool = False  # the page states that the price leaves VAT out (`valueAddedTaxIncluded: false`)
    url: str | None = None  # the page of the offer (a variant's `?variant=` address), as the page wrote it
    second_hand: bool = False  # `itemCondition` used, refurbished or damaged (an open-box offer beside the new)

    @property
    def ranged(self) -> bool:
        """A range or a "from" price: an AggregateOffer, unless its lowest and highest price are one price."""
        return self.aggregate and self.high != self.amount

    @property
    def identity(self) -> tuple[str, str]:
        """What tells this offer apart from the page's other offers: its variant (sku, else GTIN) and seller."""
        return (self.sku or self.gtin or "").casefold(), (self.seller or "").casefold()


@dataclass(frozen=True)
class ProductFound:
    """A Product (or a bare offer) described by one syntax of structured data."""

    method: StructuredMethod
    name: str | None = None
    sku: str | None = None
    gtin: str | None = None
    model: str | None = None
    seller: str | None = None
    offers: tuple[OfferFound, ...] = ()
    # Prices stated to leave VAT out where consumers pay it, beside a price that includes it or alone:
    # no price a consumer pays, kept only to tell whether the product is sold out.
    net_offers: tuple[OfferFound, ...] = ()
    # Offers that state their availability and no price (Lazada's JSON-LD, whose price the page loads later):
    # whether each is available, kept only to tell whether the product is sold out.
    unpriced_availability: tuple[bool, ...] = ()

    def best_offer(self) -> OfferFound | None:
        """The lowest available offer, in the currency of the first one (None if nothing is on sale)."""
        available = [o for o in self.offers if o.available]
        if not available:
            return None
        currency = available[0].currency
        return min((o for o in available if o.currency == currency), key=lambda o: o.amount)

    def offer_groups(self) -> list[OfferFound]:
        """The lowest available offer of each variant or seller the offers tell apart, the lowest of all first.

        One offer (`best_offer`) when they tell none apart: several prices of one item (a list and a
        sale offer, new and used) keep the lowest. An AggregateOffer naming no seller is the summary of
        offers that name theirs (or their variants), and is left out when they are there.
        """
        best = self.best_offer()
        if best is None:
            return []
        groups: dict[tuple[str, str], OfferFound] = {}
        for o in self.offers:
            if o.available and o.currency == best.currency:
                kept = groups.get(o.identity)
                if kept is None or o.amount < kept.amount:
                    groups[o.identity] = o
        # The summary names no seller; it may carry the product's sku, which its sellers' offers carry too
        # (an AggregateOffer over the offers of several sellers, as price comparison pages write it).
        for key, summary in list(groups.items()):
            if summary.aggregate and not key[1] and any(k != key and key[0] in ("", k[0]) for k in groups):
                del groups[key]
        if len(groups) <= 1:
            return [best]
        return sorted(groups.values(), key=lambda o: o.amount)

    @property
    def sold_out(self) -> bool:
        stated = [o.available for o in self.offers + self.net_offers] + list(self.unpriced_availability)
        return bool(stated) and not any(stated)


def read_products(
    tree: lxml_html.HtmlElement, url: str, default_currency: str, source: PageSource | None = None
) -> list[ProductFound]:
    """Every product on the page, JSON-LD first, then microdata, RDFa and OpenGraph.

    `source` (the text the tree was parsed from) lets a page without microdata or RDFa
    attributes skip the searches for them.
    """
    found: list[ProductFound] = []
    docs = _jsonld_documents(tree)
    if docs:
        found += _products(docs, "json-ld", default_currency)
    if _may_have(source, "itemscope") and tree.xpath("boolean(//*[@itemscope])"):
        microdata = _products(_extruct(tree, url, "microdata"), "microdata", default_currency)
        tiers = _quantity_tiers(tree) if source is None or source.may_have_value("block-prices") else None
        found += _for_one_unit(_with_from_prices(microdata, _labelled_from_prices(tree)), tiers)
    if _may_have(source, "typeof") and tree.xpath("boolean(//*[@typeof])"):
        found += _products(_rdfa_nodes(_rdfa(tree, url)), "rdfa", default_currency)
    og = _opengraph(_extruct(tree, url, "opengraph"), default_currency)
    if og is not None:
        found.append(og)
    return [_for_selected_variant(p, url) for p in found]


def _for_selected_variant(product: ProductFound, url: str) -> ProductFound:
    """The product as the variant its page's address selects, when some of its offers name that address.

    A Shopify theme links each variant as `/products/<handle>?variant=<id>` and writes that address as
    each variant's offer `url`, often without a sku: offers that tell nothing else apart would be read
    at the lowest variant's price, while the page at `?variant=<id>` shows, and sells, that variant. An
    offer names the page when its address has a query whose parameters the page's address all has, on
    the same path. Offers naming no query, or all naming the page, leave the product as it is.
    """
    named = [o for o in product.offers if o.url is not None and _names_page(o.url, url)]
    if not named or len(named) == len(product.offers):
        return product
    return _named_by_best(replace(product, offers=tuple(named)))


def _names_page(offer_url: str, page_url: str) -> bool:
    try:
        offer, page = urlsplit(urljoin(page_url, offer_url)), urlsplit(page_url)
    except ValueError:
        return False
    wanted = parse_qsl(offer.query)
    if not wanted or offer.path.rstrip("/") != page.path.rstrip("/"):
        return False
    return set(wanted) <= set(parse_qsl(page.query))


def _may_have(source: PageSource | None, attribute: str) -> bool:
    return source is None or source.may_have_attribute(attribute)


def _labelled_from_prices(tree: lxml_html.HtmlElement) -> dict[Decimal, tuple[str, Decimal | None]]:
    """The amounts of microdata prices printed as "from" prices, with their label ("As low as") and
    the top of their range when the price box prints one.

    Magento prints a configurable product's price as "As low as $45.00": the Offer's `itemprop=price`
    is its cheapest variant's, with a `.price-label` beside it in the Offer (or a `.minimal-price`
    box around it); a bundle's as "From $49.00 To $120.00", the top outside the Offer. extruct keeps
    no markup around a value, so the amounts are found here and the microdata offers of those amounts
    are read as "from" prices or ranges (`_with_from_prices`).
    """
    found: dict[Decimal, tuple[str, Decimal | None]] = {}
    for el in _PRICE_PROPS(tree)[:50]:
        scope = next((a for a in el.iterancestors() if a.get("itemscope") is not None), None)
        labels = _PRICE_LABELS(scope)[:5] if scope is not None else []
        label = next((t for lab in labels if _FROM_LABEL.match(t := lab.text_content())), None)
        if label is None and _IN_MINIMAL_PRICE(el):
            label = "As low as"
        amount = amount_of(el.get("content") or el.text_content()) if label is not None else None
        if label is not None and amount is not None:
            top = next((t for value in _BOX_MAX_PRICE(el)[:1] if (t := amount_of(str(value))) is not None), None)
            found.setdefault(amount, (" ".join(label.split()), top if top is not None and top > amount else None))
    return found


def _with_from_prices(
    products: list[ProductFound], labelled: dict[Decimal, tuple[str, Decimal | None]]
) -> list[ProductFound]:
    """Products whose offers at a labelled "from" amount are read as such: a range, with its top when known."""
    if not labelled:
        return products
    out = []
    for product in products:
        offers = tuple(
            replace(o, aggregate=True, high=labelled[o.amount][1], raw=f"{labelled[o.amount][0]} {o.raw}")
            if o.amount in labelled and not o.aggregate
            else o
            for o in product.offers
        )
        out.append(replace(product, offers=offers))
    return out


def _quantity_tiers(tree: lxml_html.HtmlElement) -> tuple[Decimal, frozenset[Decimal]] | None:
    """(the price of one unit, the lower prices of larger quantities) of a quantity-tier table, or None.

    The table lists its tiers from one unit up, as Shopware prints them; the first row is the shelf
    price, what a buyer of one pays. Each row is an Offer, so without this the page would read as a
    range from the price of the largest quantity.
    """
    amounts = []
    for row in _TIER_ROWS(tree)[:20]:
        price = row.xpath(".//*[@itemprop='price'][1]")
        amount = amount_of(price[0].get("content") or price[0].text_content()) if price else None
        if amount is not None:
            amounts.append(amount)
    if len(amounts) < 2:
        return None
    return amounts[0], frozenset(a for a in amounts[1:] if a != amounts[0])


def _for_one_unit(products: list[ProductFound], tiers: tuple[Decimal, frozenset[Decimal]] | None) -> list[ProductFound]:
    """Products with quantity tiers read at the price of one unit: the tiers of larger quantities, and
    the AggregateOffer summing the tiers up, are no offers of their own."""
    if tiers is None:
        return products
    one, larger = tiers
    out = []
    for product in products:
        if not any(o.amount == one and not o.aggregate for o in product.offers):
            out.append(product)
            continue
        offers = tuple(o for o in product.offers if not (o.amount in larger or (o.aggregate and o.amount == one)))
        out.append(replace(product, offers=offers))
    return out


# -- reading each syntax ---------------------------------------------------------------------------


def _loads(text: str) -> Any:
    cleaned = text.strip()
    attempts = (cleaned, _JS_COMMENT_LINE.sub("", cleaned).strip().rstrip(";"))
    for attempt in attempts:
        try:
            return json.loads(attempt, parse_float=Decimal, parse_constant=lambda _: None, strict=False)
        except (ValueError, RecursionError):
            continue
    return next((found for attempt in attempts if (found := _lenient_loads(attempt)) is not None), None)


def _lenient_loads(text: str) -> Any:
    """JSON-LD as templates write it when it is not JSON: trailing commas, block comments, the block in an
    HTML comment, several documents one after another (read as a list). None when it is still not JSON,
    and for a text too long or with too many comments to repair in bounded time (an unclosed `/*` is
    looked for to the end of the text)."""
    if len(text) > _LENIENT_MAX or text.count("/*") > _LENIENT_COMMENTS:
        return None
    inner = _HTML_COMMENT_AROUND.match(text)
    text = _NOT_JSON.sub(lambda m: m.group(0) if m.group(0).startswith('"') else "", inner[1] if inner else text)
    text = text.strip()
    docs: list[Any] = []
    at, end = 0, len(text)
    try:
        while at < end and len(docs) < 20:
            value, at = _JSON_DECODER.raw_decode(text, at)
            docs.append(value)
            while at < end and text[at] in " \t\r\n;,":
                at += 1
    except (ValueError, RecursionError):
        return None
    if at < end or not docs:
        return None
    return docs[0] if len(docs) == 1 else docs


def _jsonld_documents(tree: lxml_html.HtmlElement) -> list[Any]:
    docs = []
    for script in tree.iter("script"):
        kind = (script.get("type") or "").split(";")[0].strip().lower()
        if kind == "application/ld+json":
            data = _loads(script.text or "")
            if data is not None:
                docs.append(data)
    return docs


def _extruct(tree: lxml_html.HtmlElement, url: str, syntax: str) -> list[Any]:
    try:
        out = extruct.extract(tree, base_url=url, syntaxes=[syntax], uniform=True, errors="strict")
    except Exception as e:  # extruct runs third-party parsers over hostile markup
        log.debug("%s: %s data unreadable: %r", url, syntax, e)
        return []
    items = out.get(syntax)
    return items if isinstance(items, list) else []


def _rdfa(tree: lxml_html.HtmlElement, url: str) -> list[Any]:
    # pyRdfa needs extruct's XML-DOM flavoured tree, so RDFa pages are parsed a second time.
    from extruct.utils import parse_xmldom_html

    try:
        dom = parse_xmldom_html(lxml_html.tostring(tree, encoding="utf-8"), encoding="utf-8")
    except Exception as e:
        log.debug("%s: cannot build the RDFa tree: %r", url, e)
        return []
    return _extruct(dom, url, "rdfa")


def _rdfa_nodes(items: list[Any]) -> list[dict[str, Any]]:
    """RDFa comes as a flat, expanded graph; make nested compact nodes like JSON-LD's."""
    by_id = {n["@id"]: n for n in items if isinstance(n, dict) and isinstance(n.get("@id"), str)}

    def compact(node: dict[str, Any], depth: int) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, values in node.items():
            if key == "@id":
                continue
            values = values if isinstance(values, list) else [values]
            if key == "@type":
                out["@type"] = [_local(str(t)) for t in values]
                continue
            converted: list[Any] = []
            for v in values:
                if isinstance(v, dict) and "@value" in v:
                    converted.append(v["@value"])
                elif isinstance(v, dict) and isinstance(v.get("@id"), str):
                    ref = by_id.get(v["@id"])
                    converted.append(compact(ref, depth + 1) if ref is not None and depth < 6 else v["@id"])
            out[_local(key)] = converted[0] if len(converted) == 1 else converted
        return out

    return [compact(n, 0) for n in items if isinstance(n, dict) and "@type" in n]


def _opengraph(items: list[Any], default_currency: str) -> ProductFound | None:
    for item in items:
        if not isinstance(item, dict):
            continue
        for prefix in ("product:sale_price", "product:price", "og:price"):
            value = item.get(f"{prefix}:amount")
            amount = amount_of(value)
            if amount is None:
                continue
            offer = _offer(amount, str(value), item.get(f"{prefix}:currency"), default_currency)
            if offer is None:
                continue
            availability = str(item.get("product:availability") or item.get("og:availability") or "").strip()
            if availability:
                sold_out = stated_sold_out(availability)
                offer = replace(offer, available=not sold_out, availability_stated=True)
            return ProductFound(
                method="opengraph",
                name=clean_text(item.get("og:title"), TITLE_MAX),
                sku=clean_text(item.get("product:retailer_item_id"), IDENTIFIER_MAX),
                gtin=_gtin(item.get("product:ean") or item.get("product:gtin") or item.get("product:upc")),
                offers=(offer,),
            )
    return None


# -- schema.org over nested nodes ------------------------------------------------------------------


def _local(name: str) -> str:
    """'http://schema.org/Product', 'schema:Product', 'https://schema.org/price' -> 'Product', 'price'."""
    for sep in ("#", "/", ":"):
        if sep in name:
            name = name.rsplit(sep, 1)[1]
    return name


def _types(node: dict[str, Any]) -> set[str]:
    value = node.get("@type")
    values = value if isinstance(value, list) else [value]
    return {_local(v) for v in values if isinstance(v, str)}


def _get(node: dict[str, Any], name: str) -> Any:
    """A property by its schema.org name, also written with a prefix or a vocabulary URL, or with a
    capital first letter (Wix Stores' JSON-LD writes `Offers`, `Price`, `Availability`)."""
    if name in node:
        return node[name]
    for key, value in node.items():
        if isinstance(key, str) and not key.startswith("@") and _local(key).lower() == name.lower():
            return value
    return None


def _walk(data: Any) -> Iterator[dict[str, Any]]:
    """Every dict in a JSON document, in document order, within the node and depth budgets."""
    stack: list[tuple[Any, int]] = [(data, 0)]
    seen = 0
    while stack and seen < _MAX_NODES:
        value, depth = stack.pop()
        seen += 1
        if depth > _MAX_DEPTH:
            continue
        children = value.values() if isinstance(value, dict) else value if isinstance(value, list) else ()
        if isinstance(value, dict):
            yield value
        stack.extend((child, depth + 1) for child in reversed(list(children)) if isinstance(child, dict | list))


def _products(docs: list[Any], method: StructuredMethod, default_currency: str) -> list[ProductFound]:
    nodes = [n for doc in docs for n in _walk(doc)]
    ids = {n["@id"]: n for n in nodes if isinstance(n.get("@id"), str) and len(n) > 1}
    product_nodes = [n for n in nodes if _types(n) & PRODUCT_TYPES]
    # Products listed beside the page's own (an ItemList of accessories, `isRelatedTo`) are other products.
    listed = _listed(nodes, ids)
    if any(id(n) not in listed for n in product_nodes):
        product_nodes = [n for n in product_nodes if id(n) not in listed]
    # A variant listed by its group (`hasVariant`) is read with the group, as one of its offers.
    in_group = {id(v) for n in product_nodes for v in _variants(n, ids)}
    products: list[ProductFound] = []
    groups: dict[str, int] = {}  # products of one group (`isVariantOf`) -> their place in `products`
    for n in product_nodes:
        if id(n) in in_group:
            continue
        product = _product(n, method, ids, default_currency)
        group = _group_of(n, ids)
        if group is None or group not in groups:
            if group is not None:
                groups[group] = len(products)
            products.append(product)
        else:
            kept = products[groups[group]]
            merged = replace(
                kept,
                offers=kept.offers + product.offers,
                net_offers=kept.net_offers + product.net_offers,
                unpriced_availability=kept.unpriced_availability + product.unpriced_availability,
            )
            products[groups[group]] = _named_by_best(merged)
    if not products:
        # A page may describe only its offer; read it as a product without identifiers.
        bare = [n for n in nodes if _types(n) & OFFER_TYPES]
        if bare:
            products = [_product({"offers": bare[0]}, method, ids, default_currency)]
    return products


def _listed(nodes: list[dict[str, Any]], ids: dict[str, dict[str, Any]]) -> set[int]:
    """The nodes (by `id()`) that an `ItemList` lists or a product names as related to it: other products.

    A store's product page lists accessories and "you might also like" products as microdata (PrestaShop's
    `product-accessories`, an ItemList of ListItems whose `item` is a Product with its Offer) or as a
    product's `isRelatedTo`/`isSimilarTo`; when the page's own product is sold out, the first of them
    would otherwise be the first priced product of the page.
    """
    listed: set[int] = set()
    for n in nodes:
        roots = [_get(n, "itemListElement")] if "ItemList" in _types(n) else []
        roots += [_get(n, key) for key in _RELATED_KEYS] if _types(n) & PRODUCT_TYPES else []
        for root in roots:
            for inner in _walk(root):
                listed.add(id(inner))
                if isinstance(ref := _resolve(inner, ids), dict):
                    listed.add(id(ref))
    return listed


def _named_by_best(product: ProductFound) -> ProductFound:
    """Variants read together (`isVariantOf`), named by the one `best_offer` picks: the first variant's own
    sku and GTIN are not the group's, and that variant may be sold out."""
    best = product.best_offer()
    if best is None:
        return product
    return replace(product, sku=best.sku or product.sku, gtin=best.gtin or product.gtin)


def _resolve(value: Any, ids: dict[str, dict[str, Any]]) -> Any:
    if isinstance(value, dict) and set(value) == {"@id"} and isinstance(value["@id"], str):
        return ids.get(value["@id"], value)
    return value


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _text(value: Any) -> str | None:
    for v in _as_list(value):
        if isinstance(v, dict):
            v = v.get("@value", v.get("name"))
        if isinstance(v, str | int | Decimal) and not isinstance(v, bool) and str(v).strip():
            return str(v).strip()
    return None


def _name_text(value: str | None, limit: int) -> str | None:
    """A product's or seller's name as a buyer reads it. Shops write their HTML-escaped names into JSON-LD
    ("Lamp &amp; Shade &#8211; Blue": WordPress stores titles escaped and texturized), where no parser
    unescapes them; a name never means the escape itself. The result is still untrusted text."""
    if value is not None and "&" in value:
        value = html.unescape(value)
    return clean_text(value, limit)


# How schema.org lets a GTIN be written besides its digits: a GS1 Digital Link (`gtin`: "https://id.gs1.org/01/
# 04006381333931", the GTIN after the application identifier 01), and a `productID` naming its scheme
# ("isbn:978-3-16-148410-0", "ean:4006381333931", as schema.org's own example writes it).
_GS1_DIGITAL_LINK = re.compile(r"^https?://[^/?#\s]+/(?:[^?#\s]*?/)?01/(\d{8,14})(?:[/?#]|$)", re.IGNORECASE)
_GTIN_SCHEME = re.compile(
    r"^(?:gtin(?:-?\d{1,2})?|ean(?:-?13|-?8)?|upc(?:-?a)?|isbn(?:-?13)?|jan)\s*:\s*", re.IGNORECASE
)


def _gtin(value: Any) -> str | None:
    text = _text(value)
    if text is None:
        return None
    if (link := _GS1_DIGITAL_LINK.match(text)) is not None:
        text = link.group(1)
    text = _GTIN_SCHEME.sub("", text, count=1)
    digits = re.sub(r"[\s-]", "", text)
    return digits if digits.isdigit() and 8 <= len(digits) <= 14 else None


def _offer_nodes(value: Any, ids: dict[str, dict[str, Any]], depth: int = 0) -> Iterator[dict[str, Any]]:
    for v in _as_list(value)[:200]:
        node = _resolve(v, ids)
        if not isinstance(node, dict):
            continue
        yield node
        if depth < 3 and "AggregateOffer" in _types(node):
            yield from _offer_nodes(_get(node, "offers"), ids, depth + 1)


def _offer(amount: Decimal, raw: str, currency: Any, default_currency: str, **kw: Any) -> OfferFound | None:
    written = _text(currency)
    if written is None:
        # No priceCurrency: the sign the price itself is written with ("£49.00"), else the brand's.
        named = written_currency(raw, default_currency)
        kept = clean_text(raw, 120) or str(amount)
        if named is not None:
            return OfferFound(amount, named, kept, **kw)
        return OfferFound(amount, default_currency, kept, currency_guessed=True, **kw)
    code = currency_code(written, default_currency)
    if code is None:
        return None  # a currency we cannot name must not be read as the brand's
    amount = _grouped_whole(amount, raw, code)
    return OfferFound(amount, code, clean_text(f"{raw} {written}", 120) or str(amount), **kw)


# "19.990", "1.299.000": a whole amount written with "." between its thousands.
_DOT_GROUPED = re.compile(r"^\d{1,3}(?:\.\d{3})+$")


def _grouped_whole(amount: Decimal, raw: str, code: str) -> Decimal:
    """`amount` as the whole number `raw` writes with "." between thousands, in a currency without a minor
    unit (CLP, JPY, KRW ...), where no price has a fraction: Ueeshop writes its microdata price in the
    shop currency's display format (`cart::currency_format`: CLP as `number_format($price, 0, '', '.')`),
    so CLP 19990 is `content="19.990"`, which read literally is 19.99."""
    if CURRENCY_EXPONENTS.get(code) != 0 or amount == amount.to_integral_value():
        return amount
    text = raw.strip()
    return Decimal(text.replace(".", "")) if _DOT_GROUPED.match(text) else amount


def _shipping(node: dict[str, Any], offer_currency: str) -> tuple[Decimal, str | None] | None:
    """The first shipping rate an offer states (schema.org OfferShippingDetails) and the currency the
    rate names (None: it names none, the offer's is meant), or None; a rate in a currency we cannot
    name is skipped."""
    for details in _as_list(_get(node, "shippingDetails"))[:5]:
        rate = _get(details, "shippingRate") if isinstance(details, dict) else None
        for r in _as_list(rate)[:5]:
            value = _get(r, "value") if isinstance(r, dict) else None
            amount = amount_of(value if isinstance(value, Decimal | int) else _text(value))
            if amount is None:
                continue
            written = _text(_get(r, "currency")) if isinstance(r, dict) else None
            if written is None:
                return amount, None
            code = currency_code(written, offer_currency)
            if code is not None:
                return amount, code
    return None


def _read_offer(node: dict[str, Any], default_currency: str, ids: dict[str, dict[str, Any]]) -> OfferFound | None:
    found = _read_offer_price(node, default_currency)
    if found is None:
        return None
    shipping = _shipping(node, found.currency)
    if shipping is not None:
        found = replace(found, shipping=shipping[0], shipping_currency=shipping[1])
    # The item an offer is for may be written inside it (`itemOffered`), as some stores list their variants.
    item = _resolve(_get(node, "itemOffered"), ids)
    sources = [node, item] if isinstance(item, dict) else [node]
    return replace(
        found,
        sku=_sku(sources),
        gtin=_gtin_of(sources),
        seller=_seller(node, ids),
        name=_name_text(_text(_get(item, "name")), TITLE_MAX) if isinstance(item, dict) else None,
        url=next((clean_text(u, 2000) for n in sources if (u := _text(_get(n, "url")))), None),
        second_hand=any(
            _local(_text(_get(n, "itemCondition")) or "").strip().casefold() in _SECOND_HAND for n in sources
        ),
    )


def _sku(nodes: list[dict[str, Any]]) -> str | None:
    return next((clean_text(s, IDENTIFIER_MAX) for n in nodes if (s := _text(_get(n, "sku")))), None)


def _gtin_of(nodes: list[dict[str, Any]]) -> str | None:
    return _stated_gtin(nodes) or next((g for n in nodes if (g := _checked_gtin(_get(n, "productID")))), None)


def _stated_gtin(nodes: list[dict[str, Any]]) -> str | None:
    """The first GTIN the nodes state as one (`gtin13`, `gtin`, ...; not a `productID`) with a right check
    digit: shops fill these fields with their own item numbers too, and a wrong check digit is no GTIN."""
    return next((g for n in nodes for key in _GTIN_KEYS if (g := _checked_gtin(_get(n, key)))), None)


def _checked_gtin(value: Any) -> str | None:
    """A `productID` that is a GTIN (an EAN shown as the item number): 8, 12, 13 or 14 digits with a
    right check digit. Stores write their own item numbers there too, which are no GTIN."""
    digits = _gtin(value)
    return digits if digits is not None and gtin_check_digit_ok(digits) else None


def _variants(node: dict[str, Any], ids: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """The variant products a ProductGroup lists (`hasVariant`)."""
    found = (_resolve(v, ids) for v in _as_list(_get(node, "hasVariant"))[:200])
    return [v for v in found if isinstance(v, dict) and _types(v) & PRODUCT_TYPES and v is not node]


def _group_of(node: dict[str, Any], ids: dict[str, dict[str, Any]]) -> str | None:
    """The group a variant product names (`isVariantOf`, `inProductGroupWithID`), when it names one."""
    group = _resolve(_get(node, "isVariantOf"), ids)
    if isinstance(group, dict):
        for key in ("productGroupID", "@id", "url", "name"):
            if (value := _text(_get(group, key) if key != "@id" else group.get("@id"))) is not None:
                return f"{key}:{value}"
    named = _text(_get(node, "inProductGroupWithID")) or (_text(group) if isinstance(group, str) else None)
    return f"productGroupID:{named}" if named is not None else None


def _read_offer_price(node: dict[str, Any], default_currency: str) -> OfferFound | None:
    availability = (_text(_get(node, "availability")) or "").strip()
    stock = {
        "available": not stated_sold_out(_local(availability)),
        "availability_stated": bool(availability),
    }
    currency = _get(node, "priceCurrency")
    specs = _price_specifications(node)
    if "AggregateOffer" in _types(node):
        low, high = _get(node, "lowPrice"), _get(node, "highPrice")
        amount = amount_of(_text(low) if not isinstance(low, Decimal | int) else low)
        if amount is not None:
            top = amount_of(_text(high) if not isinstance(high, Decimal | int) else high)
            raw = f"{_text(low)}-{_text(high)}" if _text(high) else str(_text(low))
            return _offer(amount, raw, currency, default_currency, aggregate=True, high=top, **stock)
    price = _get(node, "price")
    amount = amount_of(price if isinstance(price, Decimal | int) else _text(price))
    if amount is not None:
        # The offer's price leaves VAT out when the offer, or its specification of that amount, says so.
        stated = {vat for _, a, vat in specs if a == amount} | {_vat_included(node)}
        net = False in stated and True not in stated
        gross = next((s for s in specs if s[2] is True), None)
        if not net or gross is None:
            return _offer(amount, str(_text(price)), currency, default_currency, vat_excluded=net, **stock)
        specs = [gross]  # a net price beside a specification that includes VAT: that one is the price
    if not specs:
        return _price_span(node, currency, default_currency, stock)
    # The first specification that does not leave VAT out (an offer may state its price with VAT and
    # without), else the first.
    spec, amount, vat = min(specs, key=lambda s: s[2] is False)
    raw, spec_currency = str(_text(_get(spec, "price"))), _get(spec, "priceCurrency") or currency
    return _offer(amount, raw, spec_currency, default_currency, vat_excluded=vat is False, **stock)


def _price_span(
    node: dict[str, Any], currency: Any, default_currency: str, stock: dict[str, bool]
) -> OfferFound | None:
    """An offer stating `minPrice` and `maxPrice` instead of a price, on itself or in its price
    specification: a range (BigCommerce's Cornerstone writes its Offer so for a product whose options
    are priced differently); one amount when the two are the same."""
    specs = [s for s in _as_list(_get(node, "priceSpecification"))[:20] if isinstance(s, dict)]
    for spec in [node, *specs]:
        kind = (_text(_get(spec, "priceType")) or "").casefold()
        if spec is not node and any(word in kind for word in _NOT_SELLING_PRICE):
            continue
        low, high = _get(spec, "minPrice"), _get(spec, "maxPrice")
        amount = amount_of(low if isinstance(low, Decimal | int) else _text(low))
        if amount is None:
            continue
        top = amount_of(high if isinstance(high, Decimal | int) else _text(high))
        top = top if top is not None and top >= amount else None  # a top below the low end is none
        raw = f"{_text(low)}-{_text(high)}" if top is not None else f"{_text(low)}"
        vat = _vat_included(spec)
        excluded = (vat if vat is not None else _vat_included(node)) is False
        written = _get(spec, "priceCurrency") or currency
        return _offer(amount, raw, written, default_currency, aggregate=True, high=top, vat_excluded=excluded, **stock)
    return None


def _price_specifications(node: dict[str, Any]) -> list[tuple[dict[str, Any], Decimal, bool | None]]:
    """An offer's price specifications that state a selling price (not a list or struck price), each
    with its amount and whether it includes VAT (None: it does not say)."""
    found = []
    for spec in _as_list(_get(node, "priceSpecification"))[:20]:
        if not isinstance(spec, dict):
            continue
        kind = (_text(_get(spec, "priceType")) or "").casefold()
        if any(word in kind for word in _NOT_SELLING_PRICE):
            continue
        price = _get(spec, "price")
        amount = amount_of(price if isinstance(price, Decimal | int) else _text(price))
        if amount is not None:
            found.append((spec, amount, _vat_included(spec)))
    return found


def _vat_included(node: dict[str, Any]) -> bool | None:
    """`valueAddedTaxIncluded`: a JSON boolean or text ("false", "https://schema.org/False"); None when not stated."""
    for value in _as_list(_get(node, "valueAddedTaxIncluded"))[:1]:
        if isinstance(value, bool):
            return value
        word = _local(_text(value) or "").strip().casefold()
        if word in _TRUE_WORDS or word in _FALSE_WORDS:
            return word in _TRUE_WORDS
    return None


def _seller(node: dict[str, Any], ids: dict[str, dict[str, Any]]) -> str | None:
    for v in _as_list(_get(node, "seller")):
        v = _resolve(v, ids)
        name = _text(_get(v, "name")) if isinstance(v, dict) else _text(v)
        if name:
            return _name_text(name, SELLER_MAX)
    return None


def _product(
    node: dict[str, Any],
    method: StructuredMethod,
    ids: dict[str, dict[str, Any]],
    default_currency: str,
    variant: bool = False,
) -> ProductFound:
    offer_nodes = list(_offer_nodes(_get(node, "offers"), ids))
    name = _name_text(_text(_get(node, "name")), TITLE_MAX)
    # An offer is for the product it is written in: its own sku and GTIN, else the product's.
    own_sku, own_gtin = _sku([node]), _gtin_of([node])
    read = [(n, _read_offer(n, default_currency, ids)) for n in offer_nodes]
    offers = [
        replace(o, sku=o.sku or own_sku, gtin=o.gtin or own_gtin, name=o.name or (name if variant else None))
        for _, o in read
        if o is not None
    ]
    # A new item's offers beside used, refurbished or open-box ones of it (Best Buy's open-box offers, a
    # marketplace's used offers): the price of the product is the new one's; second-hand offers only when
    # the page sells nothing new (a listing of a used item).
    offers = [o for o in offers if not o.second_hand] or offers
    net: list[OfferFound] = []
    if not variant:  # a variant's offers are sorted with its group's
        for v in _variants(node, ids):
            offers += _product(v, method, ids, default_currency, variant=True).offers
        offers, net = _consumer_offers(offers)
    unpriced = tuple(
        not stated_sold_out(_local(stated))
        for n, o in read
        if o is None and (stated := (_text(_get(n, "availability")) or "").strip())
    )
    found = ProductFound(method=method, offers=tuple(offers), net_offers=tuple(net), unpriced_availability=unpriced)
    # A product that does not name itself (a ProductGroup, a Product whose offers carry the sku) is
    # named by the offer `best_offer` picks, the one a single result reports: not by the first listed,
    # which may be a variant sold out. The other offers' names only when that one has none.
    best = found.best_offer()
    lead = [best] if best is not None else []
    sources = [node, *offer_nodes]
    model_value = _get(node, "mpn") or _get(node, "model")
    return replace(
        found,
        name=name,
        sku=own_sku or next((o.sku for o in [*lead, *offers] if o.sku), None) or _sku(offer_nodes),
        gtin=_stated_gtin([node]) or next((o.gtin for o in lead if o.gtin), None) or _gtin_of(sources)
        or next((o.gtin for o in offers if o.gtin), None),
        model=clean_text(_text(model_value), IDENTIFIER_MAX),
        seller=next((o.seller for o in lead if o.seller), None)
        or next((s for n in [*offer_nodes, node] if (s := _seller(n, ids))), None)
        or next((o.seller for o in offers if o.seller), None),
    )  # fmt: skip


def _consumer_offers(offers: list[OfferFound]) -> tuple[list[OfferFound], list[OfferFound]]:
    """(the offers at a price a consumer pays, the net offers kept apart).

    A price stated to leave VAT out is kept apart when the same variant and seller has a price that
    does not, and where shelf prices include VAT (any currency but `SALES_TAX_CURRENCIES`) when it
    is alone: a B2B shop's JSON-LD may state only its net price while the page shows the gross one.
    """
    gross = {o.identity for o in offers if not o.vat_excluded}

    def net(o: OfferFound) -> bool:
        return o.vat_excluded and (o.identity in gross or o.currency not in SALES_TAX_CURRENCIES)

    return [o for o in offers if not net(o)], [o for o in offers if net(o)]
