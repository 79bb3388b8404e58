"""Page profiles of the stores and marketplaces abroad: Shopify, WooCommerce, OpenCart, Magento, PrestaShop,
bol.com, OTTO, Amazon and eBay.

Each class is one page shape; the sandbox serves the same shapes (`sandbox/templates/shape_*`)
and tests/fixtures/pages/<platform>/ keeps saved copies with their parse tests. Real pages of
these platforms come in several generations of markup at once: selectors list them newest
first, and the sandbox's own shape last. Shopify stores publish every product as
`/products/<handle>.js`: the spider fetches `follow_up(...)` and calls `read_follow_up` with the
answer, unless the page's own analytics state already lists the variants' prices.
"""

from __future__ import annotations

import json
import re
from dataclasses import replace
from decimal import Decimal
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit, urlunsplit

from parsel import Selector, SelectorList

from crawlers.candidates import OfferRead, PriceCandidate, PriceKind, choose_price, variants_within
from crawlers.page import _SOLD_OUT, assigned_values, dig
from crawlers.prices import IDENTIFIER_MAX, SELLER_MAX, TITLE_MAX, amount_of, clean_text, currency_code
from crawlers.profiles.base import (
    PROFILE_CONFIDENCE,
    STATE_MAX,
    Css,
    PageProfile,
    SelectorProfile,
    Selectors,
    _first_found,
    _first_text,
    alternatives,
    json_body,
    may_match,
    page_currency,
    select,
    source_lacks,
    text_candidate,
)
from oneprice.domain.catalog import gtin_check_digit_ok
from oneprice.domain.money import CURRENCY_EXPONENTS, quantize

_SHOPIFY_PRICES: tuple[tuple[str, PriceKind], ...] = (("price", "sale"), ("compare_at_price", "list"))


def _fee(fee: PriceCandidate | None) -> dict[str, Any]:
    """An offer's shipping fields for a fee read as a candidate: its amount and its own currency (a listing
    priced in the seller's euros on ebay.com shows its fee in euros, ebay.ca may show "US $5.00").
    Extraction reports a fee only in the currency of the offer's price (see `crawlers.extraction`)."""
    if fee is None:
        return {"shipping": None, "shipping_currency": None}
    return {"shipping": fee.amount, "shipping_currency": fee.currency}


def _texts(scope: Selector, css: str) -> list[str]:
    out = []
    for found in scope.css(css)[:20]:
        text = found.xpath("normalize-space(string())").get()
        if text:
            out.append(text)
    return out


# -- Shopify ------------------------------------------------------------------------------------------

# Shopify's analytics snippet, on every storefront page:
#   window.ShopifyAnalytics.meta.currency = 'USD';
#   var meta = {"product":{"id":…,"vendor":"…","variants":[{"id":…,"price":12900,"name":"… - S",
#               "public_title":"S","sku":"…"}]},"page":{"pageType":"product",…}};
_SHOPIFY_META = re.compile(r"\bvar\s+meta\s*=\s*(\{.*?\});\s*(?:\n|for\s*\(|$)", re.DOTALL)
_SHOPIFY_CURRENCY = re.compile(r"ShopifyAnalytics\.meta\.currency\s*=\s*['\"]([A-Za-z]{3})['\"]")
_SHOPIFY_ACTIVE_CURRENCY = re.compile(r"Shopify\.currency\s*=\s*\{[^}]*?\"active\"\s*:\s*\"([A-Za-z]{3})\"")


def _shopify_state(page: Selector) -> tuple[dict[str, Any] | None, str | None]:
    """The analytics meta of a product page (None on other pages) and the currency the page names."""
    meta: dict[str, Any] | None = None
    currency: str | None = None
    for script in page.css("script:not([src])::text").getall():
        if "ShopifyAnalytics" not in script and "Shopify.currency" not in script:
            continue
        text = script[:STATE_MAX]
        if currency is None and (m := _SHOPIFY_CURRENCY.search(text) or _SHOPIFY_ACTIVE_CURRENCY.search(text)):
            currency = m.group(1).upper()
        if meta is None and "ShopifyAnalytics" in text:
            for m in _SHOPIFY_META.finditer(text):
                try:
                    data = json.loads(m.group(1), parse_float=Decimal)
                except (ValueError, RecursionError):
                    continue
                if not isinstance(data, dict) or not isinstance(data.get("product"), dict):
                    continue
                about = data.get("page")
                if isinstance(about, dict) and about.get("pageType") not in (None, "product"):
                    continue  # a collection or search page lists a product too
                meta = data
                break
    return meta, currency


def _shopify_variants(meta: dict[str, Any] | None) -> list[tuple[dict[str, Any], Decimal]]:
    """The analytics meta's variants that have a price, with that price (in cents)."""
    product = meta.get("product") if meta else None
    variants = product.get("variants") if isinstance(product, dict) else None
    if not isinstance(variants, list):
        return []
    priced = ((v, amount_of(v.get("price"))) for v in variants[:200] if isinstance(v, dict))
    return [(v, cents) for v, cents in priced if cents is not None]


class ShopifyProfile(PageProfile):
    """A Shopify store's product page.

    The variants and their prices (in cents) are in the analytics state the page carries
    (`var meta = {"product": …}`, currency in `ShopifyAnalytics.meta.currency`); a page without it
    is priced from `/products/<handle>.js`. Themes that print JSON-LD or `og:price:amount` are
    read as structured data before any profile.
    """

    name = "shopify"
    platforms = frozenset({"shopify", "website"})
    marker = ("script#shopify-features", "meta#shopify-digital-wallet")
    price_tag_is_lowest = True
    _PRODUCT_PATH = re.compile(r"^(?P<base>.*/products/[^/?#.]+)(?:\.js|\.json)?/?$")

    def applies(self, page: Selector, platform: str | None) -> bool:
        if super().applies(page, platform):
            return True
        if not self.serves(platform) or source_lacks(page, "ShopifyAnalytics"):
            return False
        return _shopify_state(page)[0] is not None

    def read(self, page: Selector, url: str, currency: str) -> list[OfferRead]:
        meta, stated = _shopify_state(page)
        currency = page_currency(stated, currency)
        title = clean_text(_first_text(page, ("meta[property='og:title']::attr(content)", "h1")), TITLE_MAX)
        seller = clean_text(_first_text(page, "meta[property='og:site_name']::attr(content)"), SELLER_MAX)
        base = OfferRead(title=title, seller=seller, extra={"currency": currency})
        variants = _shopify_variants(meta)
        if meta is None or not variants:
            return [base]
        seller = seller or clean_text(meta["product"].get("vendor"), SELLER_MAX)
        offers: list[OfferRead] = []
        chosen = _selected_variant([v for v, _ in variants], url)
        for v, cents in variants:
            if chosen is not None and v is not chosen:
                continue
            amount = (cents / 100).quantize(Decimal("0.01"))
            raw = f"price={v.get('price')} (cents)"
            sku = clean_text(v.get("sku"), IDENTIFIER_MAX)
            offers.append(
                OfferRead(
                    candidates=(PriceCandidate(amount, currency, "sale", self.method, raw, PROFILE_CONFIDENCE),),
                    key=sku or str(v.get("id") or len(offers)),
                    title=clean_text(v.get("name"), TITLE_MAX) or title,
                    seller=seller,
                    sku=sku,
                    extra={"currency": currency},
                    selected=chosen is not None,
                )
            )
        return offers or [base]

    def follow_up(self, page: Selector, url: str) -> str | None:
        if _shopify_variants(_shopify_state(page)[0]):
            return None  # the page lists its variants' prices itself
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
        currency = base.extra.get("currency") or currency
        title = clean_text(data.get("title"), TITLE_MAX) or base.title
        variants = [v for v in data.get("variants") or [] if isinstance(v, dict)][:200]
        out: list[OfferRead] = []
        chosen = _selected_variant(variants, url)
        for v in variants if chosen is None else [chosen]:
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
                    selected=chosen is not None,
                )
            )
        return out or offers


def _selected_variant(variants: list[dict[str, Any]], url: str) -> dict[str, Any] | None:
    """The variant the page's address selects (`?variant=<id>`, as a Shopify theme links each variant),
    when it is one of `variants`: the page at that address shows and sells that variant."""
    try:
        wanted = {value.strip() for key, value in parse_qsl(urlsplit(url).query) if key == "variant"}
    except ValueError:
        return None
    chosen = [v for v in variants if str(v.get("id")) in wanted] if wanted else []
    return chosen[0] if len(chosen) == 1 else None


# -- WooCommerce -------------------------------------------------------------------------------------

# The single product summary prints its price as <p class="price"> (single-product/price.php); the
# cards of related products, upsells and widgets print <span class="price"> (loop/price.php), so a
# `p.price` is the product's own price. A theme may move the summary; the product's block stays.
_WOO_PRICE: tuple[str, ...] = (
    "div.product .summary p.price",
    "div.product .entry-summary p.price",
    "div.product p.price",
)
# Block themes (the Single Product block template) print no `p.price`: the Product Price block
# (`.wp-block-woocommerce-product-price`, its `.wc-block-components-product-price` holding the same price HTML)
# is the product's price box. Related products, upsells and product collections print the same block in each
# card (inside a `li`, a query loop or a collection, marked `data-is-descendent-of-query-loop` on 2023–2024
# releases): those are other products' prices.
_WOO_BLOCK_PRICE = "body.single-product .wp-block-woocommerce-product-price"
_WOO_BLOCK_ELSEWHERE = (
    "@data-is-descendent-of-query-loop or ancestor::li or ancestor::*["
    + " or ".join(
        f"contains(concat(' ', normalize-space(@class), ' '), ' {c} ')"
        for c in (
            "wp-block-query",
            "wp-block-woocommerce-product-collection",
            "wp-block-woocommerce-related-products",
            "wp-block-post-template",
            "wc-block-product-template",
        )
    )
    + "]"
)
_WOO_AMOUNT = ".woocommerce-Price-amount"
_WOO_PARTS: tuple[tuple[PriceKind, str], ...] = (("sale", "ins"), ("list", "del"))
# A variation's prices as displayed (with or without tax, as the store shows them); the regular price
# is a list price only when it is above the displayed one.
_WOO_VARIATION_PRICES: tuple[tuple[str, PriceKind], ...] = (
    ("display_price", "sale"),
    ("display_regular_price", "list"),
)


class WooCommerceProfile(SelectorProfile):
    """A WooCommerce store's single product page.

    In the summary's `p.price`: `<ins>` is the sale price and `<del>` the regular one; a variable
    product shows "£10.00 – £20.00" (two amounts: a range); screen-reader text ("Original price
    was: …", "Price range: … through …") and the price suffix ("inc. VAT (£10.00 ex. VAT)") are not
    read. WooCommerce's own JSON-LD, when the store prints it, is read as structured data before this
    profile.
    """

    name = "woocommerce"
    platforms = frozenset({"woocommerce", "website"})
    marker = ("body.woocommerce div.product p.price", "div.product .entry-summary p.price")
    selectors = Selectors(
        title=("h1.product_title", ".product_title", "body.single-product h1.wp-block-post-title"),
        seller=(".product_meta .vendor", "meta[property='og:site_name']::attr(content)"),
        sku=(".product_meta .sku", ".sku_wrapper .sku"),
        sold_out=("div.product .summary p.stock.out-of-stock", "p.stock.out-of-stock"),
    )

    def applies(self, page: Selector, platform: str | None) -> bool:
        return super().applies(page, platform) or (self.serves(platform) and bool(self._block_price(page)))

    @staticmethod
    def _block_price(page: Selector) -> SelectorList[Selector]:
        """A block theme's price box: the first Product Price block outside the cards of other products."""
        if not may_match(page, _WOO_BLOCK_PRICE):
            return SelectorList([])
        for block in page.css(_WOO_BLOCK_PRICE)[:50]:
            if not block.xpath(f"self::*[{_WOO_BLOCK_ELSEWHERE}]"):
                return block.css(".wc-block-components-product-price")[:1] or SelectorList([block])
        return SelectorList([])

    def read(self, page: Selector, url: str, currency: str) -> list[OfferRead]:
        offers = super().read(page, url, currency)
        box = _first_found(page, _WOO_PRICE) or self._block_price(page)
        if not box or not offers:
            return offers
        summary = replace(offers[0], candidates=tuple(self._candidates(box[0], currency)))
        shown = choose_price(summary.candidates).price
        grouped = self._grouped(page, summary, shown.currency if shown is not None else currency)
        if grouped:
            return sorted(grouped, key=_cheapest_first)
        if shown is None:
            return [summary]
        # the variations' bare amounts are in the currency the price box shows
        variants = self._variants(page, summary, shown.currency)
        if not variants_within(variants, shown.amount, shown.high, shown.currency):
            return [summary]
        return sorted(variants, key=_cheapest_first)

    def _variants(self, page: Selector, summary: OfferRead, currency: str) -> list[OfferRead]:
        """A variable product's variations as the add-to-cart form lists them (`data-product_variations`,
        absent above the store's AJAX threshold of 30): one offer each, named by its attribute labels.

        Read only where they agree with the price box (`variants_within`); a variation's SKU that
        is the product's own (WooCommerce shows the parent's to a variation without one) is not its own.
        """
        form = page.css("form.variations_form")[:1]
        raw = form.attrib.get("data-product_variations") if form else None
        if not raw or len(raw) > STATE_MAX:
            return []
        data = json_body(raw.encode("utf-8"))
        if not isinstance(data, list):
            return []
        labels = {
            (select_.attrib["name"], option.attrib.get("value", "")): clean_text(option.xpath("string()").get(), 80)
            for select_ in form.css("select[name]")
            for option in select_.css("option")
        }
        rows = [v for v in data if isinstance(v, dict)][:200]
        skus = [clean_text(v.get("sku"), IDENTIFIER_MAX) for v in rows]
        out: list[OfferRead] = []
        for v, sku in zip(rows, skus, strict=True):
            attributes = v.get("attributes")
            if not isinstance(attributes, dict):
                attributes = {}
            words = [
                labels.get((name, value)) or unquote(value).replace("-", " ")
                for name, value in attributes.items()
                if isinstance(value, str) and value
            ]
            own_sku = sku if sku and sku != summary.sku and skus.count(sku) == 1 else None
            candidates = []
            shown = _woo_amount_of(v.get("display_price"), currency)
            for key, kind in _WOO_VARIATION_PRICES:
                amount = _woo_amount_of(v.get(key), currency)
                if amount is not None and (kind == "sale" or amount > (shown or amount)):
                    raw_text = f"{key}={v.get(key)}"
                    candidates.append(PriceCandidate(amount, currency, kind, self.method, raw_text, PROFILE_CONFIDENCE))
            variant = clean_text(" ".join(w for w in words if w), 80)
            out.append(
                replace(
                    summary,
                    candidates=tuple(candidates),
                    key=own_sku or str(v.get("variation_id") or ""),
                    title=f"{summary.title} {variant}" if summary.title and variant else summary.title,
                    sku=own_sku,
                    available=v.get("is_in_stock") is not False and v.get("is_purchasable") is not False,
                )
            )
        return out

    def _grouped(self, page: Selector, summary: OfferRead, currency: str) -> list[OfferRead]:
        """A grouped product's products (`form.grouped_form`): each its own product with its own name,
        price and stock, sold side by side on the group's page. The group's price box shows their
        lowest to highest price, and WooCommerce's JSON-LD states the lowest alone as the group's price,
        out of stock or not."""
        out = []
        for row in page.css("form.grouped_form tr.woocommerce-grouped-product-list-item")[:100]:
            cell = row.css("td.woocommerce-grouped-product-list-item__price")[:1]
            name = clean_text(row.css("td.woocommerce-grouped-product-list-item__label").xpath("string()").get(), 200)
            if not cell or not name:
                continue
            classes = (row.attrib.get("class") or "").split()
            out.append(
                OfferRead(
                    candidates=tuple(self._candidates(cell[0], currency)),
                    key=row.attrib.get("id") or name,
                    title=name,
                    seller=summary.seller,
                    available="outofstock" not in classes and not cell[0].css("p.stock.out-of-stock"),
                    grouped=True,
                )
            )
        return out

    def _candidates(self, box: Selector, currency: str) -> list[PriceCandidate]:
        out = []
        for kind, part in _WOO_PARTS:
            c = self._amounts(box.css(part)[:1], kind, currency)
            out += [c] if c is not None else []
        if not any(c.kind in ("sale", "range") for c in out):
            # No sale running: the amounts outside <del> are the price, or the two ends of a range. The
            # price suffix ("inc. VAT (£10.00 ex. VAT)", `{price_excluding_tax}`) is another reading of it.
            shown = box.xpath(f"./*[not(self::del)][not({_SCREEN_READER})][not({_SUFFIX})]")
            c = self._amounts(shown, "sale", currency, prefix=_FROM_WORD.match(_visible(box)) is not None)
            if c is None:  # a theme printing the price as bare text
                c = text_candidate(_visible(box), "sale", self.method, currency)
            out += [c] if c is not None else []
        return out

    def _amounts(self, parts: Any, kind: PriceKind, currency: str, *, prefix: bool = False) -> PriceCandidate | None:
        amounts = [text for part in parts for text in _texts(part, _WOO_AMOUNT)][:2]
        if not amounts:
            return None
        text = f"{amounts[0]} – {amounts[1]}" if len(amounts) == 2 else amounts[0]
        return text_candidate(f"from {text}" if prefix else text, kind, self.method, currency)


def _woo_amount_of(value: object, currency: str) -> Decimal | None:
    """A variation's price in the currency's minor unit: PHP without `serialize_precision` writes the
    float behind 16.20 as 16.199999999999999289457264239899814128875732421875."""
    amount = amount_of(value)
    return quantize(amount, currency) if amount is not None and currency in CURRENCY_EXPONENTS else amount


def _cheapest_first(offer: OfferRead) -> tuple[bool, Decimal]:
    """Offers in stock by their shelf price, lowest first (as structured data's variants are given)."""
    price = choose_price(offer.candidates).price
    return (not offer.available or price is None, price.amount if price is not None else Decimal(0))


_SCREEN_READER = "contains(concat(' ', normalize-space(@class), ' '), ' screen-reader-text ')"
_SUFFIX = "contains(concat(' ', normalize-space(@class), ' '), ' woocommerce-price-suffix ')"
_FROM_WORD = re.compile(r"^\s*(?:from|starting at|ab|à partir de|desde)\b", re.IGNORECASE)


def _visible(box: Selector) -> str:
    """The text of a price box without its screen-reader sentences and its price suffix."""
    texts = box.xpath(f".//text()[not(ancestor::*[{_SCREEN_READER} or {_SUFFIX}])]").getall()
    return " ".join(" ".join(texts).split())


# -- OpenCart -----------------------------------------------------------------------------------------

# The default theme's product column (OpenCart 2, 3 and 4): the heading, a list of facts (brand, product
# code, stock), then a list of prices (`<h2>` the price, the struck regular one before it, "Ex Tax:",
# quantity discounts), then the add-to-cart block `div#product`.
_CLASS_HAS = "contains(concat(' ', normalize-space(@class), ' '), ' {} ')"
_OC_LISTS = f"preceding-sibling::ul[{_CLASS_HAS.format('list-unstyled')}]"
_OC_PRODUCT = "//div[@id='product'][.//*[@id='button-cart']]"
# "Product Code: SG-CTP-2" (the store's `model` field), in the languages OpenCart is most often run in.
_OC_CODE_LABEL = re.compile(
    r"^\s*(?:product code|model|artikelnummer|artikel-nr\.?|artikelnr\.?|modell|référence|modèle|código|"
    r"codice prodotto|modello|modelo|productcode)\s*:?\s*(?P<code>\S.*)$",
    re.IGNORECASE,
)


class OpenCartProfile(PageProfile):
    """An OpenCart store's product page in the default theme (OpenCart 2, 3 and 4), which prints no
    structured data and no price-named element for the product (OpenCart 4's `.price-new` aside).

    The price list beside the add-to-cart block: its `<h2>` is the price (the special price when one
    runs), the struck amount before it (`text-decoration: line-through`, OpenCart 4 `.price-old`) the
    regular price; "Ex Tax:" and the quantity discounts ("5 or more $109.00") are other readings. Read
    as text, the page's first price-named element is a related product's `p.price` below it.
    """

    name = "opencart"
    platforms = frozenset({"website"})
    marker = "#product #button-cart"

    def _lists(self, page: Selector) -> tuple[Selector | None, Selector | None]:
        """(the list of prices, the list of facts) before the add-to-cart block."""
        product = page.xpath(_OC_PRODUCT)[:1]
        if not product:
            return None, None
        lists = product[0].xpath(_OC_LISTS)[:4]  # nearest first
        prices = next((ul for ul in lists if ul.xpath("./li/h2")), None)
        facts = next((ul for ul in lists if not ul.xpath("./li/h2")), None)
        return prices, facts

    def applies(self, page: Selector, platform: str | None) -> bool:
        return super().applies(page, platform) and self._lists(page)[0] is not None

    def read(self, page: Selector, url: str, currency: str) -> list[OfferRead]:
        prices, facts = self._lists(page)
        product = page.xpath(_OC_PRODUCT)[:1]
        heading = product[0].xpath("preceding-sibling::h1[1]") if product else []
        title = clean_text(heading[0].xpath("normalize-space(string())").get() if heading else None, TITLE_MAX)
        candidates: list[PriceCandidate] = []
        if prices is not None:
            shown = prices.xpath("normalize-space(string(./li/h2[1]))").get()
            struck = prices.xpath(
                "./li/*[contains(translate(@style, 'LINETHROUGH ', 'linethrough'), 'line-through')]"
                f" | ./li//*[{_CLASS_HAS.format('price-old')}]"
            )[:1]
            was = struck[0].xpath("normalize-space(string())").get() if struck else None
            parts: tuple[tuple[str | None, PriceKind], ...] = ((shown, "sale"), (was, "list"))
            for text, kind in parts:
                c = text_candidate(text, kind, self.method, currency)
                candidates += [c] if c is not None else []
        sku: str | None = None
        available = True
        for item in facts.xpath("./li")[:10] if facts is not None else []:
            text = item.xpath("normalize-space(string())").get() or ""
            if sku is None and (m := _OC_CODE_LABEL.match(text)):
                sku = clean_text(m.group("code"), IDENTIFIER_MAX)
            if _SOLD_OUT.search(text):
                available = False
        return [OfferRead(candidates=tuple(candidates), title=title, sku=sku, available=available)]


# -- Magento 2 ----------------------------------------------------------------------------------------

# The label Magento prints before a price that is only the cheapest one: a configurable product's "As low
# as", a bundle's "From" (in the languages Magento stores are most often run in).
_MAGENTO_FROM_LABEL = re.compile(
    r"^\s*(?:as low as|from|starting at|ab|à partir de|a partir de|desde|a partire da|vanaf)\s*:?\s*$", re.IGNORECASE
)
_MAGENTO_BOXES = ".product-info-main .price-box"
_MAGENTO_FINAL = "[data-price-type=finalPrice]"
_MAGENTO_OLD = "[data-price-type=oldPrice]"
_MAGENTO_LABEL = (
    f"ancestor::*[{_CLASS_HAS.format('price-container')}][1]//*[{_CLASS_HAS.format('price-label')}]"
    " | preceding-sibling::*[" + _CLASS_HAS.format("price-label") + "]"
)
_MAGENTO_HIDDEN = f"boolean(ancestor-or-self::*[{_CLASS_HAS.format('no-display')}])"
_MAGENTO_MINIMAL = f"boolean(ancestor::*[{_CLASS_HAS.format('minimal-price')}])"


class MagentoProfile(PageProfile):
    """A Magento 2 product page (Luma and the themes built on it).

    The product's price box (`.product-info-main .price-box`, `data-role="priceBox"`) writes each
    amount twice: as the number in `data-price-amount` and as the shop's formatted price inside it,
    `data-price-type` naming which it is: `finalPrice` the price paid (the special price when one runs),
    `oldPrice` the regular price struck beside it ("Prezzo predefinito" before "Prezzo speciale" 49,90 €;
    hidden with `no-display` when no special price runs). Luma marks only the final price as microdata,
    so structured data reads the price; this profile gives the stock line its meaning: `.stock.unavailable`
    ("Out of stock", "Non disponibile", "품절") is the product sold out, whatever language says so. A
    price under a "from" label ("As low as") is a "from" price. Related products' price boxes sit
    outside `.product-info-main`.
    """

    name = "magento"
    platforms = frozenset({"website"})
    marker = f"{_MAGENTO_BOXES} {_MAGENTO_FINAL}"
    sold_out = ".product-info-main .stock.unavailable"
    sku = (".product-info-main .product.attribute.sku .value", "#product_addtocart_form::attr(data-product-sku)")
    title = (".product-info-main .page-title .base", ".product-info-main h1")

    def read(self, page: Selector, url: str, currency: str) -> list[OfferRead]:
        box = next((b for b in _first_found(page, _MAGENTO_BOXES)[:10] if b.css(_MAGENTO_FINAL)), None)
        candidates: list[PriceCandidate] = []
        if box is not None:
            final = box.css(_MAGENTO_FINAL)[0]
            labels = [
                t for lab in final.xpath(_MAGENTO_LABEL)[:5] if (t := lab.xpath("normalize-space(string())").get())
            ]
            ranged = final.xpath(_MAGENTO_MINIMAL).get() == "1" or any(_MAGENTO_FROM_LABEL.match(t) for t in labels)
            c = text_candidate(self._shown(final), "range" if ranged else "sale", self.method, currency)
            candidates += [c] if c is not None else []
            for old in box.css(_MAGENTO_OLD)[:1]:
                if old.xpath(_MAGENTO_HIDDEN).get() != "1":
                    c = text_candidate(self._shown(old), "list", self.method, currency)
                    candidates += [c] if c is not None else []
        return [
            OfferRead(
                candidates=tuple(candidates),
                title=clean_text(_first_text(page, self.title), TITLE_MAX),
                sku=clean_text(_first_text(page, self.sku), IDENTIFIER_MAX),
                available=not _first_found(page, self.sold_out),
            )
        ]

    @staticmethod
    def _shown(wrapper: Selector) -> str | None:
        """The formatted price inside a price wrapper ("49,90 €"), else its `data-price-amount`."""
        text = wrapper.xpath("normalize-space(string())").get()
        return text or wrapper.attrib.get("data-price-amount")


# -- PrestaShop ---------------------------------------------------------------------------------------


class PrestaShopProfile(SelectorProfile):
    """A PrestaShop 1.7 / 8 product page (the classic theme and the themes built on it).

    Its price block (`.product-prices`) writes the regular price first when a discount runs
    (`.product-discount .regular-price` "1 080,00 MAD"), then the price paid
    (`.current-price .current-price-value`, with the amount in `content`; 1.7 themes mark it
    `itemprop="price"`). Its head carries the price tags `product:pretax_price:amount` (before tax)
    and `product:price:amount`; the availability line (`#product-availability`) shows an icon classed
    `product-unavailable` for a product that cannot be ordered, whatever its message says. The product's
    attributes are a JSON object in `#product-details[data-product]` (`reference`, `ean13`).
    """

    name = "prestashop"
    platforms = frozenset({"website"})
    marker = ".product-prices .current-price"
    selectors = Selectors(
        title=("#main h1", "h1"),
        prices={
            "sale": (".product-prices .current-price-value", ".product-prices .current-price [itemprop=price]"),
            "list": ".product-prices .regular-price",
        },
        sku=".product-reference span",
        sold_out="#product-availability .product-unavailable",
    )

    def applies(self, page: Selector, platform: str | None) -> bool:
        return super().applies(page, platform) and bool(_first_found(page, "form#add-to-cart-or-refresh"))

    def read(self, page: Selector, url: str, currency: str) -> list[OfferRead]:
        offers = super().read(page, url, currency)
        details = _first_text(page, "#product-details::attr(data-product)")
        try:
            data = json.loads(details, parse_float=Decimal) if details and len(details) < 200_000 else None
        except (ValueError, RecursionError):
            data = None
        if not isinstance(data, dict):
            return offers
        reference = (
            clean_text(data.get("reference"), IDENTIFIER_MAX) if isinstance(data.get("reference"), str) else None
        )
        gtin = next(
            (
                g
                for key in ("ean13", "upc", "isbn")
                if isinstance(g := data.get(key), str) and gtin_check_digit_ok(g.strip())
            ),
            None,
        )
        return [replace(o, sku=o.sku or reference, gtin=o.gtin or gtin) for o in offers]


# -- bol.com ------------------------------------------------------------------------------------------

_BOL_WHOLE = re.compile(r"^\s*(\d{1,3}(?:\.\d{3})*|\d{1,7})\s*(?:,\s*)?$")
_BOL_FRACTION = re.compile(r"^\s*(\d{2}|-|–)\s*$")
_BOL_ID = re.compile(r"/p/[^/]{0,300}/(\d{6,20})/?$")  # the product's number: `/p/<name>/9300000123456789/`


class BolProfile(PageProfile):
    """A bol.com product page (`bol.com/nl/nl/p/<name>/<id>/`, also `/be/`).

    The buy block's price (`.buy-block__prices`, `data-test="priceBlockPrice"`) is written without a
    currency sign, the euros and the cents apart: `<span class="promo-price" data-test="price">69<sup
    class="promo-price__fraction" data-test="price-fraction">99</sup></span>` (read as text, "69 99"), a
    whole amount with a dash (`promo-price__fraction--dash`, "9,-"). The struck recommended price is
    `del.buy-block__list-price` (`data-test="list-price"`, "89,99"), the seller a link after "Verkoop door"
    (`data-test="seller-name"`), the EAN a row of the specifications (`dt.specs__title` "EAN"). A product
    that cannot be bought shows `data-test="not-available"` ("Niet leverbaar", "Tijdelijk uitverkocht") and
    no price. The recommendations below repeat the price markup outside the buy block. bol.com prices in
    euros on both its Dutch and Belgian sites (`crawlers.prices.site_currency`).
    """

    name = "bol"
    platforms = frozenset({"website"})
    marker = (".buy-block [data-test=price]", ".buy-block [data-test=not-available]")

    def read(self, page: Selector, url: str, currency: str) -> list[OfferRead]:
        candidates: list[PriceCandidate] = []
        for price in _first_found(page, ".buy-block [data-test=price]")[:1]:
            c = self._price(price, currency)
            candidates += [c] if c is not None else []
        listed = _first_text(page, ".buy-block [data-test=list-price]")
        if candidates and (c := text_candidate(listed, "list", self.method, currency)) is not None:
            candidates.append(c)
        gtin = next(
            (
                clean_text(row.xpath("normalize-space(string(dd))").get(), IDENTIFIER_MAX)
                for row in page.css(".specs__list .specs__row")[:80]
                if (row.xpath("normalize-space(string(dt))").get() or "").upper() == "EAN"
            ),
            None,
        )
        return [
            OfferRead(
                candidates=tuple(candidates),
                title=clean_text(_first_text(page, ("h1 [data-test=title]", "h1.page-heading")), TITLE_MAX),
                seller=clean_text(_first_text(page, ".buy-block [data-test=seller-name]"), SELLER_MAX),
                sku=m.group(1) if (m := _BOL_ID.search(urlsplit(url).path)) else None,
                gtin=gtin if gtin is not None and gtin_check_digit_ok(gtin) else None,
                available=not _first_found(page, ".buy-block [data-test=not-available]"),
            )
        ]

    def _price(self, price: Selector, currency: str) -> PriceCandidate | None:
        """The price of euros and cents written apart ("69" and "99"; "9" and "-" for 9.00)."""
        whole = "".join(price.xpath("./text()").getall())
        fraction = price.xpath("normalize-space(string(.//sup[1]))").get() or ""
        w, f = _BOL_WHOLE.match(whole), _BOL_FRACTION.match(fraction)
        if w is None or (fraction and f is None):
            return text_candidate(price.xpath("normalize-space(string())").get(), "sale", self.method, currency)
        cents = f.group(1) if f is not None and f.group(1).isdigit() else "00"
        raw = f"{w.group(1)},{cents}"
        return PriceCandidate(
            Decimal(f"{w.group(1).replace('.', '')}.{cents}"), currency, "sale", self.method, raw, PROFILE_CONFIDENCE
        )


# -- OTTO ---------------------------------------------------------------------------------------------

_OTTO_BOX = ".pdp-frame .pdp_price"
_CENTS = re.compile(r"^\d{1,12}$")


class OttoProfile(PageProfile):
    """An OTTO product page (`otto.de/p/<name>-<product id>/`, `?variationId=<id>` for one variation).

    The price block of the variation shown, `.pdp_price` in the page's `.pdp-frame`, names it
    (`data-variation-id`) and says whether it can be bought (`data-is-sold-out="false"`); the price is a
    tag holding the amount in cents (`.js_pdp_price__tag[data-price-cents]`, `data-benefit-id="original"`)
    around the drawn `.pdp_price__retail-price` ("69,99 €"). Beside it the struck recommended price
    (`.pdp_price__strike-through-price`), the sale badge (`oc-tag-v1[variant=sale]` "-22%"), the price per
    unit of a packaged good (`.pdp_price__norm-price`, "(28,06 € / 1 m²)") and the tax and shipping link.
    OTTO prices in euros.
    """

    name = "otto"
    platforms = frozenset({"website"})
    marker = f"{_OTTO_BOX}[data-is-sold-out]"

    def read(self, page: Selector, url: str, currency: str) -> list[OfferRead]:
        box = _first_found(page, self.marker)[:1]
        if not box:
            return []
        tags = box[0].css(".js_pdp_price__tag[data-price-cents]")[:10]
        tag = next((t for t in tags if t.attrib.get("data-benefit-id") == "original"), tags[0] if tags else None)
        candidates: list[PriceCandidate] = []
        if tag is not None:
            shown = tag.css(".pdp_price__retail-price").xpath("normalize-space(string())").get()
            drawn = text_candidate(shown, "sale", self.method, currency)
            cents = tag.attrib.get("data-price-cents", "")
            if _CENTS.match(cents):
                code = drawn.currency if drawn is not None else currency
                raw = shown or f"{cents} / 100"
                amount = Decimal(cents) / 100
                candidates.append(PriceCandidate(amount, code, "sale", self.method, raw, PROFILE_CONFIDENCE))
            elif drawn is not None:
                candidates.append(drawn)
        struck = box[0].css(".pdp_price__strike-through-price").xpath("normalize-space(string())").get()
        if candidates and (c := text_candidate(struck, "list", self.method, currency)) is not None:
            candidates.append(c)
        title = _first_text(page, (".pdp-frame h1", "h1"))
        return [
            OfferRead(
                candidates=tuple(candidates),
                title=clean_text(title, TITLE_MAX),
                sku=clean_text(box[0].attrib.get("data-variation-id"), IDENTIFIER_MAX),
                available=box[0].attrib.get("data-is-sold-out", "false").strip().lower() == "false",
            )
        ]


# -- Amazon -------------------------------------------------------------------------------------------

_ASIN_IN_URL = re.compile(r"(?:/dp/|/gp/product/|/gp/aw/d/|[?&]asin=)([A-Z0-9]{10})(?:[/?&#]|$)", re.IGNORECASE)
# "Ships from and sold by Amazon.com.", "Sold by Trail Co and Fulfilled by Amazon." (older #merchant-info)
_SOLD_BY = re.compile(
    r"\b(?:sold by|verkauf durch|vendu par|venduto da|vendido por)\s+(?P<name>.+?)"
    r"(?:\s+(?:and|und|et|e|y)\s+(?:is\s+)?(?:fulfilled|ships|versand|expédié|spedito|enviado)\b.*|\.?\s*)$",
    re.IGNORECASE,
)
_USED = re.compile(
    r"\b(?:used|renewed|refurbished|collectible|gebraucht|d'occasion|occasion|usato|usado|reacondicionado)\b",
    re.IGNORECASE,
)


def _seller_name(text: str | None) -> str | None:
    if text is None:
        return None
    m = _SOLD_BY.search(text)
    return clean_text(m.group("name") if m else text, SELLER_MAX)


def _asin(url: str) -> str | None:
    m = _ASIN_IN_URL.search(url)
    return m.group(1).upper() if m else None


class AmazonOffersProfile(SelectorProfile):
    """Amazon's "all offers" display (AOD): the pinned offer and one block per other offer.

    Each offer block (`#aod-pinned-offer`, then every `#aod-offer`: the id repeats) has its price
    in `#aod-offer-price`, its seller in `#aod-offer-soldBy` (a link, or plain text for Amazon) and
    its delivery fee in `.aod-delivery-promise`. Used and renewed offers are not the product's price
    and are left out.
    """

    name = "amazon-offers"
    platforms = frozenset({"amazon"})
    marker = ("#aod-offer-list", "#aod-pinned-offer")
    _OFFERS: Css = ("#aod-pinned-offer, [id='aod-offer']", "#aod-offer-list .aod-offer")
    selectors = Selectors(
        title=("#aod-asin-title-text", "#productTitle"),
        offer=_OFFERS,
        seller=(
            "#aod-offer-soldBy a",
            "#aod-offer-soldBy .a-col-right .a-size-small",
            ".aod-offer-soldBy a",
            "#aod-offer-soldBy",
        ),
        sku=("input[name='items[0.base][asin]']::attr(value)", "::attr(data-asin)"),
        prices={
            "sale": (
                "#aod-offer-price .a-price:not(.a-text-price) .a-offscreen",
                "#aod-offer-price .a-price:not(.a-text-price) > span[aria-hidden='true']",
                ".a-price:not(.a-text-price) .a-offscreen",
                ".a-price:not(.a-text-price) > span[aria-hidden='true']",
                ".apex-pricetopay-value",
                # an offer whose price widget is only the visible digits and a screen-reader label, in its
                # `#aod-price-<n>` (0 for the pinned offer), with or without an `#aod-offer-price` around it
                "[id^='aod-price-'] .aok-offscreen",
                "#aod-offer-price .aok-offscreen",
                "[id^='aod-price-'] .a-price:not(.a-text-price)",
                "#aod-offer-price .a-price:not(.a-text-price)",
            ),
            "list": ("#aod-offer-price .a-text-price .a-offscreen", ".a-text-price .a-offscreen"),
        },
        shipping=(
            ".aod-delivery-promise [data-csa-c-delivery-price]::attr(data-csa-c-delivery-price)",
            "[data-csa-c-delivery-price]::attr(data-csa-c-delivery-price)",
            ".aod-ship-charge",
            ".aod-delivery-fee",
        ),
    )

    def applies(self, page: Selector, platform: str | None) -> bool:
        # A product page keeps an empty all-offers container until it is opened: only blocks with
        # a price make this the all-offers display.
        return super().applies(page, platform) and any(
            block.css(".a-price") for block in _first_found(page, self._OFFERS)[:100]
        )

    def read(self, page: Selector, url: str, currency: str) -> list[OfferRead]:
        offers = super().read(page, url, currency)
        blocks = _first_found(page, self._OFFERS)[:100]
        asin = _asin(url)
        out: list[OfferRead] = []
        keys: set[str] = set()
        for offer, block in zip(offers, blocks, strict=False):
            heading = _first_text(block, ("#aod-offer-heading", ".aod-offer-heading")) or ""
            if _USED.search(heading) or (offer.key in keys and offer.seller):
                continue  # a used offer, or the pinned offer repeated in the list
            keys.add(offer.key)
            fee = text_candidate(_first_text(block, self.selectors.shipping), "shipping", self.method, currency)
            out.append(replace(offer, seller=_seller_name(offer.seller), sku=offer.sku or asin, **_fee(fee)))
        return out


# Buying options shown beside the new offer on one detail page: a used offer's accordion row, Subscribe & Save
# (its rows in the buy box and in the centre column: `snsAccordionRowMiddle`, `apex_desktop_snsAccordionRowMiddle`,
# `reinvent_price_desktop_snsAccordionRowMiddle`).
_OTHER_BUYING_OPTION = (
    "ancestor-or-self::*[@id='apex_desktop_usedAccordionRow' or @id='sns-base-price'"
    " or contains(@id, 'snsAccordionRow')]"
)
# A Prime member price shows in its own accordion row (buy box) and its own centre-column block, beside
# the "Regular Price" row everyone pays: a conditional price, read apart and never as the shelf price.
_OTHER_PRICE_ROW = (
    _OTHER_BUYING_OPTION.removesuffix("]")
    + " or @id='primeSavingsUpsellAccordionRow' or @id='apex_desktop_primeSavingsUpsellAccordionRow']"
)
_MEMBER_PRICE: Css = (
    "#apex_desktop_primeSavingsUpsellAccordionRow #corePriceDisplay_desktop_feature_div .priceToPay .a-offscreen",
    "#apex_desktop_primeSavingsUpsellAccordionRow #corePriceDisplay_desktop_feature_div"
    " .priceToPay > span[aria-hidden='true']",
    "#primeSavingsUpsellAccordionRow #corePrice_feature_div .a-price:not(.a-text-price) .a-offscreen",
)
_ATTRIBUTE = re.compile(r"^(?P<css>.+?)::attr\((?P<name>[\w:-]+)\)$")
# A price the maker's minimum advertised price (MAP) keeps off the page: the price row says "See price
# in cart" (its help popover is `map_help_pop_…` in every locale), the buy box "To see our price, add
# this item to your cart"; a Japanese page shows `#priceNotAvailable_feature_div`. Only the struck "List
# Price" is left on the page, and it is not the price.
_PRICE_IN_CART: Css = (
    "#priceNotAvailable_feature_div",
    "[data-a-popover*='map_help_pop']",
    "[data-a-modal*='map_help_pop']",
    "[id^='a-popover-map_help_pop']",
)
_PRICE_BLOCKS: Css = ("#corePrice_desktop", "#corePriceDisplay_desktop_feature_div", "#apex_desktop", "#buybox")
REASON_PRICE_IN_CART = "price_in_cart"  # a minimum advertised price: the store shows it only in the cart
REASON_USED_ONLY = "used_only"  # the buy box sells only used copies: no price of the product itself
# A buy box that sells only used (or renewed) copies: `#usedOnlyBuybox`, or a "Buy used:" section with no
# section for a new offer beside it. The centre column's price block then shows the used offer's price.
_USED_ONLY_BOX: Css = "#usedOnlyBuybox"
_USED_SECTION: Css = "#usedBuySection"
_NEW_SECTION: Css = ("#newBuySection", "#qualifiedBuybox", "[id^='newAccordionRow']", "#apex_desktop_newAccordionRow")
_PRICE_IN_CART_TEXT = re.compile(r"see price in cart|to see our price, add this item to your cart", re.IGNORECASE)
# The buying options' hidden price data (`.twister-plus-buying-options-price-data` in `#twisterPlusWWDesktop`): the
# buy box's offers as JSON, `{"desktop_buybox_group_1": [{"displayPrice": "37,95 €", "priceAmount": 37.95,
# "buyingOptionType": "NEW", ...}]}`; older pages give the bare list, a "PICKUP" row beside the "NEW" one. Read
# only when the price blocks are empty (drawn later by script): the "NEW" row's displayed text, when its
# `priceAmount` states the same amount. Used rows and the pick-up tab (`desktop_buybox_group_2`) are other offers.
_TWISTER_PRICES = ".twister-plus-buying-options-price-data"
_TWISTER_GROUP = "desktop_buybox_group_1"
# A buy box without a featured offer ("No featured offers available", a "See All Buying Options" button): no
# offer of the page is the price to pay, whatever the hidden price data lists.
_NO_FEATURED_OFFER: Css = ("#buybox-see-all-buying-choices", "#buybox-see-all-buying-choices-announce")


def _first_text_outside(scope: Selector, css: Css | None, excluded: str) -> str | None:
    """`_first_text`, skipping elements inside what the XPath `excluded` finds from them."""
    for one in alternatives(css):
        m = _ATTRIBUTE.match(one)
        element_css = m.group("css") if m else one
        if not may_match(scope, element_css):
            continue
        for found in select(scope, element_css)[:100]:
            if found.xpath(excluded):
                continue
            if m:
                text = (found.attrib.get(m.group("name")) or "").strip()
            else:
                text = found.xpath("normalize-space(string())").get() or ""
            if text:
                return text
    return None


class AmazonProductProfile(SelectorProfile):
    """Amazon's product detail page: the buy box's price to pay, the struck reference price,
    the seller and the delivery fee.

    Newest first: the apex price block (`#corePriceDisplay_desktop_feature_div .priceToPay`, in the
    new-offer accordion row when the page has one; its `.a-offscreen` copy or, when that is empty,
    the visible whole/fraction digits), the older table (`#corePrice_desktop .apexPriceToPay`), the
    buy box's `#corePrice_feature_div`, then the `#priceblock_*` ids of older pages. A variation
    parent shows `.a-price-range`: a range. The used offer's accordion row and Subscribe & Save are
    other buying options and never read; carousels and coupon badges ("Apply $5 coupon") sit outside
    these blocks. A "Prime Member Price" row (selected in the buy box, shown in the centre column with
    the regular price as its "List Price") is a conditional price: kept as a coupon-kind candidate, while
    the "Regular Price" row is the price. A price shown only in the cart (MAP, "See price in cart") is no
    price on the page: the struck list price beside it is then not read. A buy box selling only used or
    renewed copies (`#usedOnlyBuybox`, "Buy used:") shows their price in the centre column as well: no
    price of the product, whatever block shows it.
    """

    name = "amazon-product"
    platforms = frozenset({"amazon"})
    marker = "#productTitle"
    _CORE = (
        "#apex_desktop_newAccordionRow #corePriceDisplay_desktop_feature_div",
        "#corePriceDisplay_desktop_feature_div",
        "#corePrice_desktop",
        "#corePrice_feature_div",
    )
    selectors = Selectors(
        title="#productTitle",
        seller=(
            "#sellerProfileTriggerId",
            "#merchantInfoFeature_feature_div .offer-display-feature-text-message",
            "#tabular-buybox .tabular-buybox-text[tabular-attribute-name='Sold by'] .tabular-buybox-text-message",
            "#merchant-info",
        ),
        sku=("#ASIN::attr(value)", "input[name='ASIN']::attr(value)"),
        prices={
            "sale": (
                "#apex_desktop_newAccordionRow #corePriceDisplay_desktop_feature_div .priceToPay .a-offscreen",
                "#corePriceDisplay_desktop_feature_div .priceToPay .a-offscreen",
                "#corePriceDisplay_desktop_feature_div .priceToPay > span[aria-hidden='true']",
                "#corePrice_desktop .apexPriceToPay .a-offscreen",
                "#corePrice_feature_div .a-price:not(.a-text-price) .a-offscreen",
                "#corePrice_feature_div .a-price:not(.a-text-price) > span[aria-hidden='true']",
                "#apex_desktop .apex-pricetopay-accessibility-label",
                "#newAccordionRow_0 .apex-pricetopay-accessibility-label",
                # current pages give the label as an id (the centre column's and each buy box row's)
                "#corePriceDisplay_desktop_feature_div [id='apex-pricetopay-accessibility-label']",
                "#apex_desktop [id='apex-pricetopay-accessibility-label']",
                "#newAccordionRow_0 [id='apex-pricetopay-accessibility-label']",
                "#priceblock_dealprice",
                "#priceblock_saleprice",
                "#priceblock_ourprice",
                "#price_inside_buybox",
                "#newBuyBoxPrice",
            ),
            "list": (
                "#corePriceDisplay_desktop_feature_div .basisPrice .a-offscreen",
                "#corePrice_desktop .a-text-price[data-a-strike='true'] .a-offscreen",
                "#corePrice_feature_div .a-text-price[data-a-strike='true'] .a-offscreen",
            ),
        },
        shipping=(
            "#mir-layout-DELIVERY_BLOCK-slot-PRIMARY_DELIVERY_MESSAGE_LARGE"
            " [data-csa-c-delivery-price]::attr(data-csa-c-delivery-price)",
            "#mir-layout-DELIVERY_BLOCK [data-csa-c-delivery-price]::attr(data-csa-c-delivery-price)",
        ),
        sold_out="#outOfStock",
    )

    def read(self, page: Selector, url: str, currency: str) -> list[OfferRead]:
        s = self.selectors

        def text(css: Css | None) -> str | None:
            return _first_text_outside(page, css, _OTHER_BUYING_OPTION)

        candidates = []
        for kind, css in s.prices.items():
            c = text_candidate(_first_text_outside(page, css, _OTHER_PRICE_ROW), kind, self.method, currency)
            candidates += [c] if c is not None else []
        if not any(c.kind in ("sale", "range") for c in candidates):
            ranged = self._range(page, currency)
            candidates += [ranged] if ranged is not None else []
        if (
            not any(c.kind in ("sale", "range") for c in candidates)
            and not self._price_in_cart(page)
            and not _first_found(page, _NO_FEATURED_OFFER)
        ):
            new = self._twister_new_price(page, currency)
            candidates += [new] if new is not None else []
        in_cart = not any(c.kind in ("sale", "range") for c in candidates) and self._price_in_cart(page)
        if in_cart:
            candidates = [c for c in candidates if c.kind != "list"]
        member = text_candidate(_first_text(page, _MEMBER_PRICE), "coupon", self.method, currency)
        candidates += [member] if member is not None else []
        used_only = self._used_only(page)
        if used_only:
            candidates = []  # every price the page shows for the product is the used offer's
        shipping = text_candidate(text(s.shipping), "shipping", self.method, currency)
        offer = OfferRead(
            candidates=tuple(candidates),
            title=clean_text(_first_text(page, s.title), TITLE_MAX),
            seller=_seller_name(text(s.seller)),
            sku=clean_text(text(s.sku), IDENTIFIER_MAX) or _asin(url),
            available=not _first_found(page, s.sold_out),
            no_price_reason=REASON_USED_ONLY if used_only else REASON_PRICE_IN_CART if in_cart else None,
            **_fee(shipping),
        )
        return [offer]

    @staticmethod
    def _used_only(page: Selector) -> bool:
        """Whether the buy box sells only used copies (see `_USED_ONLY_BOX`)."""
        if _first_found(page, _USED_ONLY_BOX):
            return True
        return bool(_first_found(page, _USED_SECTION)) and not _first_found(page, _NEW_SECTION)

    @staticmethod
    def _price_in_cart(page: Selector) -> bool:
        """Whether the page says that its price is shown only in the cart (see `_PRICE_IN_CART`)."""
        if _first_found(page, _PRICE_IN_CART):
            return True
        blocks = (t for css in alternatives(_PRICE_BLOCKS) for t in _texts(page, css)[:1])
        return any(_PRICE_IN_CART_TEXT.search(text) for text in blocks)

    def _twister_new_price(self, page: Selector, currency: str) -> PriceCandidate | None:
        """The new offer's price in the buying options' hidden price data (see `_TWISTER_PRICES`)."""
        for found in select(page, _TWISTER_PRICES)[:3]:
            text = found.xpath("string()").get() or ""
            if len(text) > STATE_MAX:
                continue
            try:
                data = json.loads(text, parse_float=Decimal)
            except (ValueError, RecursionError):
                continue
            rows = data.get(_TWISTER_GROUP) if isinstance(data, dict) else data
            for row in rows[:20] if isinstance(rows, list) else ():
                if not isinstance(row, dict) or row.get("buyingOptionType") != "NEW":
                    continue
                shown = row.get("displayPrice")
                c = text_candidate(shown, "sale", self.method, currency) if isinstance(shown, str) else None
                stated = row.get("priceAmount")
                if c is None or c.kind != "sale" or isinstance(stated, bool) or not isinstance(stated, Decimal | int):
                    return None
                return c if c.amount == stated else None
        return None

    def _range(self, page: Selector, currency: str) -> PriceCandidate | None:
        """A variation parent's "$19.99 - $34.99": the two ends' `.a-offscreen` copies."""
        for core in self._CORE:
            ends = [
                t
                for found in page.css(f"{core} .a-price-range .a-price .a-offscreen")[:10]
                if not found.xpath(_OTHER_PRICE_ROW) and (t := found.xpath("normalize-space(string())").get())
            ][:2]
            if len(ends) == 2:
                return text_candidate(f"{ends[0]} - {ends[1]}", "sale", self.method, currency)
        return None


# -- eBay ---------------------------------------------------------------------------------------------

# "US $29.99", "C $39.99", "AU $54.95": the dollar's country is written before the sign.
_EBAY_DOLLAR = re.compile(r"^\s*(US|C|CA|AU|A|NZ|HK|S)\s*\$", re.IGNORECASE)
_EBAY_ITEM_IN_URL = re.compile(r"/itm/(?:[^/?#]+/)?(\d{9,15})(?:[/?#]|$)")
# A product page (/p/<epid>) shows one listing with the item page's modules: its item number is only in the
# links to that listing ("See all details", Buy It Now's `?item=`), and its seller card has no seller link:
# the first data item reads "name (feedback score)".
_EBAY_ITEM_LINKS: Css = (
    "[data-testid='x-see-details-action'] a::attr(href)",
    ".x-see-details-action a::attr(href)",
    "[data-testid='x-bin-action'] a::attr(href)",
)
_EBAY_ITEM_IN_LINK = re.compile(r"(?:/itm/(?:[^/?#]+/)?|[?&]item=)(\d{9,15})(?:[/?&#]|$)")
_EBAY_BID: Css = ("[data-testid='x-bid-price'] .x-price-primary", ".x-bid-price .x-price-primary")
_EBAY_BIN: Css = ("[data-testid='x-bin-price'] .x-price-primary", ".x-bin-price .x-price-primary")
_EBAY_SELLER_SCORE = re.compile(r"^(?P<name>[^\s()][^()]{0,80}?)\s*\(\s*\d[\d.,]*\s*[KkMm]?\s*\)$")
# The banner above a listing that can no longer be bought (current pages: `d-statusmessage`; older ones:
# `#msgPanel`): ended by the seller, sold, or its bidding over. Its price stays on the page.
_EBAY_STATUS: Css = ("[data-testid='d-statusmessage']", ".d-statusmessage", "#msgPanel")
_EBAY_ENDED = re.compile(
    r"\bthis (?:buy it now )?listing (?:has ended|was ended|sold on)|\bbidding (?:has )?ended|\bthis auction ended"
    r"|angebot wurde vom verkäufer (?:vorzeitig )?beendet|le vendeur a terminé cette vente"
    r"|inserzione è stata chiusa|el vendedor ha terminado esta"
    r"|\bthis item is out of stock|artikel ist nicht (?:mehr )?vorrätig",
    re.IGNORECASE,
)
# A multi-variation listing carries every variation in its page state, `"MSKU":{"_type":"VariationViewModel", …}`:
# `variationsMap` by variation id (`binModel.price.value`, `quantity.outOfStock`), the option names in
# `menuItemMap` (`matchingVariationIds`) grouped by `selectMenus`. `/itm/<id>?var=<variation id>` selects one.
_EBAY_MSKU = re.compile(r'"MSKU"\s*:\s*(?=\{)')
_EBAY_MSKU_WORD = '"MSKU"'
# A shipping line that states no amount but that delivery costs nothing: "Free", "Free postage".
_EBAY_FREE = re.compile(
    r"^\s*(?:free|kostenlos|gratuit|gratis|gratuita)\b[\w\s.]{0,40}$|^\s*(?:kostenloser versand|livraison gratuite)",
    re.IGNORECASE,
)


class EbayItemProfile(SelectorProfile):
    """eBay's item page: the primary price (the Buy It Now price when the item is also auctioned; an
    auction's current bid alone is only a "from" price), the struck "was"/list price, the seller card
    and the shipping line. The "approximately EUR …" conversion and similar items' prices are not read.
    A listing whose banner says it has ended (by the seller, sold, bidding over) is no live offer: sold
    out, whatever price it still shows and whatever its JSON-LD still states. Item pages that carry
    JSON-LD are read as structured data before this profile. At a variation's address (`?var=<id>`) of a
    multi-variation listing, that variation of the page's model is the offer (`_variation_offer`)."""

    name = "ebay"
    platforms = frozenset({"ebay"})
    marker = (".x-price-primary", "[data-testid='x-price-primary']", "#prcIsum")
    withdrawn_marker = _EBAY_STATUS
    from_price_marker = _EBAY_BID
    selectors = Selectors(
        # The title's own span: the heading may hold a second one ("-") after it.
        title=("h1.x-item-title__mainTitle span.ux-textspans--BOLD", "h1.x-item-title__mainTitle", "#vi-lkhdr-itmTitl"),
        seller=(
            ".x-sellercard-atf__info__about-seller a span.ux-textspans--BOLD",
            ".x-sellercard-atf__info__about-seller a span",
            ".x-sellercard-atf__info__about-seller::attr(title)",
            "[data-testid='x-sellercard-atf'] .x-sellercard-atf__info a",
            ".x-store-information__store-name span.ux-textspans--BOLD",
            ".x-store-information__store-name a",
            ".mbg-nw",
        ),
        sku=".ux-layout-section__textual-display--itemId span.ux-textspans--BOLD",
        prices={
            "sale": (
                ".x-bin-price .x-price-primary span.ux-textspans",
                ".x-price-primary span.ux-textspans",
                "[data-testid='x-price-primary'] span",
                "#prcIsum",
            ),
            "list": (
                ".x-price-section .ux-textspans--STRIKETHROUGH",
                ".x-additional-info .ux-textspans--STRIKETHROUGH",
                ".x-additional-info__textual-display s",
                "#orgPrc",
            ),
        },
        shipping=(
            ".ux-labels-values--shipping .ux-labels-values__values-content"
            " .ux-textspans--BOLD:not(.ux-textspans--NEGATIVE)",
            ".ux-labels-values--shipping .ux-textspans--BOLD:not(.ux-textspans--NEGATIVE)",
            "#fshippingCost",
        ),
    )

    def read(self, page: Selector, url: str, currency: str) -> list[OfferRead]:
        offers = super().read(page, url, currency)
        # An auction without Buy It Now shows its current bid as the primary price: the item sells for at
        # least that, never for it (the next bid is higher): a "from" price, not a shelf price.
        auction = bool(_first_found(page, _EBAY_BID)) and not _first_found(page, _EBAY_BIN)
        ended = any(_EBAY_ENDED.search(text) for css in alternatives(_EBAY_STATUS) for text in _texts(page, css))
        out = []
        for offer in offers:
            candidates = tuple(self._dollar(c) for c in offer.candidates)
            if auction:
                candidates = tuple(replace(c, kind="range") if c.kind == "sale" else c for c in candidates)
            m = _EBAY_ITEM_IN_URL.search(url)
            sku = offer.sku or (m.group(1) if m else None) or self._linked_item(page)
            seller = offer.seller or self._scored_seller(page)
            line = _first_text(page, self.selectors.shipping)
            fee = text_candidate(line, "shipping", self.method, currency)
            if fee is None and line and _EBAY_FREE.match(line) and (price := offer.candidates[:1]):
                fee = replace(price[0], amount=Decimal("0.00"), kind="shipping", raw=line, high=None)
            shipping = _fee(self._dollar(fee) if fee is not None else None)
            available = offer.available and not ended
            offer = replace(offer, candidates=candidates, sku=sku, seller=seller, available=available)
            out.append(replace(offer, withdrawn=ended, **shipping))
        selected = _ebay_selected_variation(page, url)
        if selected is not None and out:
            variation = self._variation_offer(out[0], *selected, currency)
            return [variation] if variation is not None else out
        return out

    def _variation_offer(
        self, shown: OfferRead, variation_id: str, model: dict[str, Any], currency: str
    ) -> OfferRead | None:
        """The variation the page's address selects (`?var=<id>`), from the listing's variation model: its own
        price (the seller's amount `convertedFromValue` when the page shows it converted), its id as key and
        SKU, its option names after the title, sold out when its quantity is out of stock. None when the
        model states no price for it (the price shown then stands)."""
        variation = model["variationsMap"][variation_id]
        price = dig(variation, "binModel", "price", "value")
        value, code = dig(price, "convertedFromValue"), dig(price, "convertedFromCurrency")
        if amount_of(value) is None:
            value, code = dig(price, "value"), dig(price, "currency")
        amount = amount_of(value)
        if amount is None:
            return None
        code = page_currency(code, currency)
        raw = f"variationsMap[{variation_id}] {value} {code}"
        sale = PriceCandidate(amount, code, "sale", self.method, raw, PROFILE_CONFIDENCE)
        names = _ebay_option_names(model, variation_id)
        title = f"{shown.title} {' '.join(names)}" if shown.title and names else shown.title
        out_of_stock = dig(variation, "quantity", "outOfStock") is True
        return replace(
            shown,
            candidates=(sale,),
            key=variation_id,
            sku=variation_id,
            title=clean_text(title, TITLE_MAX),
            available=shown.available and not out_of_stock,
            selected=True,
        )

    @staticmethod
    def _linked_item(page: Selector) -> str | None:
        """The item number in the links to the listing a product page shows."""
        for css in alternatives(_EBAY_ITEM_LINKS):
            for href in page.css(css).getall()[:5]:
                if m := _EBAY_ITEM_IN_LINK.search(href[:500]):
                    return m.group(1)
        return None

    @staticmethod
    def _scored_seller(page: Selector) -> str | None:
        """A seller card without a seller link: "name (1106)" in its first data item."""
        items = _texts(page, ".x-sellercard-atf .x-sellercard-atf__data-item")
        m = _EBAY_SELLER_SCORE.match(items[0]) if items else None
        return clean_text(m.group("name"), SELLER_MAX) if m else None

    @staticmethod
    def _dollar(c: PriceCandidate) -> PriceCandidate:
        """`C $39.99` is Canadian dollars, not the US dollar a bare `$` would be read as."""
        m = _EBAY_DOLLAR.match(c.raw)
        code = currency_code(m.group(1) + "$", c.currency) if m else None
        return replace(c, currency=code) if code is not None else c


def _ebay_selected_variation(page: Selector, url: str) -> tuple[str, dict[str, Any]] | None:
    """(variation id, variation model) of the variation `?var=<id>` selects, when the page's model has it."""
    try:
        wanted = [v.strip() for k, v in parse_qsl(urlsplit(url).query) if k == "var"]
    except ValueError:
        return None
    if len(wanted) != 1 or not wanted[0].isdigit() or source_lacks(page, _EBAY_MSKU_WORD):
        return None
    for model in assigned_values(page.css("script::text").getall(), _EBAY_MSKU):
        if isinstance(model, dict) and isinstance(dig(model, "variationsMap", wanted[0]), dict):
            return wanted[0], model
    return None


def _ebay_option_names(model: dict[str, Any], variation_id: str) -> list[str]:
    """The names of the options ("Medium (20 oz)", "Black") that make up a variation, menu by menu."""
    items, menus = model.get("menuItemMap"), model.get("selectMenus")
    if not isinstance(items, dict) or not isinstance(menus, list):
        return []
    names = []
    for menu in menus[:6]:
        ids = menu.get("menuItemValueIds") if isinstance(menu, dict) else None
        for value_id in ids[:200] if isinstance(ids, list) else []:
            item = items.get(str(value_id))
            if not isinstance(item, dict):
                continue
            matching = item.get("matchingVariationIds")
            if isinstance(matching, list) and variation_id in {str(v) for v in matching}:
                name = clean_text(item.get("displayName") or item.get("valueName"), 60)
                names += [name] if name else []
                break
    return names


WESTERN_PROFILES: tuple[PageProfile, ...] = (
    ShopifyProfile(),
    WooCommerceProfile(),
    OpenCartProfile(),
    MagentoProfile(),
    PrestaShopProfile(),
    BolProfile(),
    OttoProfile(),
    AmazonOffersProfile(),
    AmazonProductProfile(),
    EbayItemProfile(),
)
