"""Page profiles of marketplaces abroad where resellers of Chinese brands sell: AliExpress, Lazada, Walmart, Target,
Naver Smart Store, Yahoo!ショッピング, Rakuten Ichiba, Tokopedia and Myntra.

These pages carry their product as script state the server writes before any price is drawn; a page
fetched without running its scripts shows no price at all (or only recommendations' prices). Each
profile reads that state and is tried only where the source names it (see `source_lacks`).
"""

from __future__ import annotations

import json
import re
from dataclasses import replace
from decimal import Decimal
from functools import lru_cache
from typing import Any

from parsel import Selector

from crawlers.candidates import OfferRead, PriceCandidate, PriceKind
from crawlers.page import _SOLD_OUT, STATE_MAX, assigned_values, dig
from crawlers.prices import (
    IDENTIFIER_MAX,
    SELLER_MAX,
    TITLE_MAX,
    amount_of,
    clean_text,
    currency_code,
    parse_price_text,
)
from crawlers.profiles.base import (
    PROFILE_CONFIDENCE,
    PageProfile,
    SelectorProfile,
    Selectors,
    page_currency,
    script_assigns,
    source_lacks,
    state_json,
    text_candidate,
)


def _candidate(
    method: str, value: object, currency: str, kind: PriceKind, *, high: object = None
) -> PriceCandidate | None:
    amount = amount_of(value)
    if amount is None:
        return None
    top = amount_of(high)
    if top is not None and top > amount:
        return PriceCandidate(amount, currency, "range", method, f"{value}-{high}", PROFILE_CONFIDENCE, high=top)
    return PriceCandidate(amount, currency, kind, method, str(value), PROFILE_CONFIDENCE)


def _with_list(sale: PriceCandidate | None, listed: PriceCandidate | None) -> tuple[PriceCandidate, ...]:
    """The price and the struck price beside it, the latter only when it is above the price."""
    out = [sale] if sale is not None else []
    if listed is not None and (sale is None or listed.amount > sale.amount):
        out.append(listed)
    return tuple(out)


def _stock_out(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value <= 0


# -- AliExpress --------------------------------------------------------------------------------------

# `window.runParams = { data: {...modules...}, csrfToken: '...', ... };`: a hand-written literal whose
# `data` value is JSON; it is decoded from where that value starts.
_AE_RUN_PARAMS = re.compile(r"window\.runParams\s*=\s*\{\s*data\s*:\s*(?=\{)")


class AliExpressRunParamsProfile(PageProfile):
    """AliExpress item page (`aliexpress.com/item/<id>.html`) as the server sends it: the modules in
    `window.runParams = {data: {...}}`. One offer per SKU of `skuModule.skuPriceList` (the price with
    the running promotion `skuVal.skuActivityAmount`, the regular `skuVal.skuAmount` the list price,
    `availQuantity` 0 sold out); without SKUs, `priceModule`'s promotion range
    (`minActivityAmount`..`maxActivityAmount`, else `minAmount`..`maxAmount`) as the page shows it.
    The store is `storeModule.storeName`, the title `titleModule.subject`; bulk prices (for 10 pieces
    or more) and the coupon module are no price of the item.

    The 2023 page (`window.runParams.is23 = true;` after the assignment) names its parts components
    instead: `priceComponent` holds the SKU list and the regular (`origPrice`) and promotion
    (`discountPrice`) ranges, `sellerComponent.storeName` the store, `productInfoComponent` the title
    and item id, `inventoryComponent` the stock, `currencyComponent` the currency; they are read as the
    modules are (`_as_modules`).
    """

    name = "aliexpress"
    platforms = frozenset({"website"})

    def applies(self, page: Selector, platform: str | None) -> bool:
        return self.serves(platform) and script_assigns(page, _AE_RUN_PARAMS, "runParams")

    def read(self, page: Selector, url: str, currency: str) -> list[OfferRead]:
        data = _ae_modules(page)
        if data is None:
            return []
        prices = data.get("priceModule")
        prices = prices if isinstance(prices, dict) else {}
        currency = page_currency(
            dig(prices, "minActivityAmount", "currency")
            or dig(prices, "minAmount", "currency")
            or dig(data, "commonModule", "currencyCode"),
            currency,
        )
        title = clean_text(dig(data, "titleModule", "subject"), TITLE_MAX)
        item = dig(data, "actionModule", "productId") or dig(data, "commonModule", "productId")
        common = OfferRead(
            title=title,
            seller=clean_text(dig(data, "storeModule", "storeName"), SELLER_MAX),
            sku=clean_text(item, IDENTIFIER_MAX),
            available=not _stock_out(dig(data, "actionModule", "totalAvailQuantity"))
            and not _stock_out(dig(data, "quantityModule", "totalAvailQuantity")),
        )
        skus = dig(data, "skuModule", "skuPriceList")
        offers = []
        for sku in skus[:200] if isinstance(skus, list) else []:
            value = sku.get("skuVal") if isinstance(sku, dict) else None
            if not isinstance(value, dict):
                continue
            offers.append(self._sku_offer(common, sku, value, currency))
        if offers:
            return offers
        if prices.get("activity") is not False and isinstance(prices.get("minActivityAmount"), dict):
            low, high = prices.get("minActivityAmount"), prices.get("maxActivityAmount")
        else:
            low, high = prices.get("minAmount"), prices.get("maxAmount")
        sale = _candidate(self.method, dig(low, "value"), currency, "sale", high=dig(high, "value"))
        listed = None
        if low is not prices.get("minAmount"):
            listed = _candidate(self.method, dig(prices, "minAmount", "value"), currency, "list")
        if sale is not None and sale.kind == "range":
            listed = None  # a range of struck prices says nothing of one variant's
        return [replace(common, candidates=_with_list(sale, listed))]

    def _sku_offer(self, common: OfferRead, sku: dict[str, Any], value: dict[str, Any], currency: str) -> OfferRead:
        regular = value.get("skuAmount")
        promoted = value.get("skuActivityAmount") if value.get("isActivity") is not False else None
        own = page_currency(dig(promoted, "currency") or dig(regular, "currency"), currency)
        listed = _candidate(self.method, dig(regular, "value"), own, "list")
        sale = _candidate(self.method, dig(promoted, "value"), own, "sale")
        if sale is None and listed is not None:  # no promotion: the regular price is the price
            sale, listed = _candidate(self.method, dig(regular, "value"), own, "sale"), None
        key = clean_text(sku.get("skuIdStr") or sku.get("skuId"), IDENTIFIER_MAX) or ""
        # "14:193#Black;5:100014064#S": the names of the options this SKU is.
        attrs = sku.get("skuAttr")
        attrs = attrs if isinstance(attrs, str) else ""
        names = " ".join(part.split("#", 1)[1] for part in attrs.split(";")[:6] if "#" in part)
        title = f"{common.title} {names}".strip() if common.title and names else common.title
        return OfferRead(
            candidates=_with_list(sale, listed),
            key=key,
            title=clean_text(title, TITLE_MAX),
            seller=common.seller,
            sku=common.sku,
            available=common.available and not _stock_out(value.get("availQuantity")),
        )


def _ae_modules(page: Selector) -> dict[str, Any] | None:
    """The first `runParams.data` with a price module (or a 2023 page's price component, as modules)."""
    for value in assigned_values(page.css("script::text").getall(), _AE_RUN_PARAMS):
        if isinstance(value, dict) and "priceModule" in value:
            return value
        if isinstance(value, dict) and isinstance(value.get("priceComponent"), dict):
            return _as_modules(value)
    return None


def _as_modules(data: dict[str, Any]) -> dict[str, Any]:
    """A 2023 page's components under the names of the modules they replace."""
    price = data["priceComponent"]
    regular, promoted = price.get("origPrice"), price.get("discountPrice")
    info = data.get("productInfoComponent")
    return {
        "priceModule": {
            "minAmount": dig(regular, "minAmount"),
            "maxAmount": dig(regular, "maxAmount"),
            "minActivityAmount": dig(promoted, "minActivityAmount"),
            "maxActivityAmount": dig(promoted, "maxActivityAmount"),
        },
        "skuModule": {"skuPriceList": price.get("skuPriceList")},
        "storeModule": data.get("sellerComponent"),
        "titleModule": info,
        "commonModule": {
            "productId": dig(info, "id"),
            "currencyCode": dig(data, "currencyComponent", "currencyCode"),
        },
        "quantityModule": data.get("inventoryComponent"),
    }


# -- Lazada ------------------------------------------------------------------------------------------

_LAZADA_STATE = re.compile(r"(?:var\s+|window\.)__moduleData__\s*=\s*(?=\{)")


class LazadaModuleDataProfile(PageProfile):
    """Lazada (and Daraz) product page (`/products/<name>-i<item>-s<sku>.html`): the page model in
    `var __moduleData__ = {"data": {"root": {"fields": ...}}}`. The SKU the page shows
    (`primaryKey.skuId`, else `skuInfos["0"]`, the default one) is the offer: its `price.salePrice.value`
    the price, `price.originalPrice.value` the struck price, `stock` 0 sold out; `seller.name` the store,
    `product.title` the title, the currency `globalConfig.currency` (or `tracking.core.currencyCode`).
    The other SKUs' prices are not this page's. Some pages are served with SKUs that carry no price (the
    price loaded later) and JSON-LD stating availability only: the shown SKU's price is then the tracking
    data's `tracking.pdt_price` ("RM1,299.00"), when `tracking.pdt_sku` is that SKU.
    """

    name = "lazada"
    platforms = frozenset({"website"})

    def applies(self, page: Selector, platform: str | None) -> bool:
        return self.serves(platform) and script_assigns(page, _LAZADA_STATE, "__moduleData__")

    def read(self, page: Selector, url: str, currency: str) -> list[OfferRead]:
        fields = dig(state_json(page, _LAZADA_STATE, "data"), "data", "root", "fields")
        infos = dig(fields, "skuInfos")
        if not isinstance(infos, dict):
            return []
        chosen = clean_text(dig(fields, "primaryKey", "skuId"), IDENTIFIER_MAX)
        info = infos.get(chosen) if chosen else None
        if not isinstance(info, dict):
            info = infos.get("0")
        if not isinstance(info, dict):
            return []
        currency = page_currency(
            dig(fields, "globalConfig", "currency") or dig(fields, "tracking", "core", "currencyCode"), currency
        )
        sale = _candidate(self.method, _lazada_amount(dig(info, "price", "salePrice")), currency, "sale")
        listed = _candidate(self.method, _lazada_amount(dig(info, "price", "originalPrice")), currency, "list")
        tracking = dig(fields, "tracking")
        shown = clean_text(dig(tracking, "pdt_sku"), IDENTIFIER_MAX)
        if sale is None and listed is None and (shown is None or shown == info.get("skuId", chosen)):
            # Pages whose SKUs carry no price (the price loaded later) still state the shown SKU's in tracking.
            sale = text_candidate(dig(tracking, "pdt_price"), "sale", self.method, currency)
        return [
            OfferRead(
                candidates=_with_list(sale, listed),
                key=clean_text(info.get("skuId"), IDENTIFIER_MAX) or chosen or "",
                title=clean_text(dig(fields, "product", "title"), TITLE_MAX),
                seller=clean_text(dig(fields, "seller", "name"), SELLER_MAX),
                sku=clean_text(dig(fields, "primaryKey", "itemId"), IDENTIFIER_MAX),
                available=not _stock_out(info.get("stock")) and not _stock_out(dig(info, "stock", "value")),
            )
        ]


def _lazada_amount(price: object) -> object:
    """`{"text": "RM10.90", "value": 10.9}`: the value (older pages write the amount alone)."""
    return price.get("value") if isinstance(price, dict) else price


# -- Walmart -----------------------------------------------------------------------------------------


class WalmartNextDataProfile(PageProfile):
    """Walmart item page (`walmart.com/ip/<name>/<id>`): the product in the Next.js state
    (`<script id="__NEXT_DATA__">`, `props.pageProps.initialData.data.product`):
    `priceInfo.currentPrice.price` the price in `currencyUnit`, `wasPrice.price` the struck price,
    `priceRange` (`minPrice`..`maxPrice`) a range when no current price is set, `sellerDisplayName`
    (else `sellerName`) the seller of the buy box (a marketplace seller as often as Walmart.com),
    `usItemId` the item number, `availabilityStatus` OUT_OF_STOCK sold out. Other sellers' offers
    ("More seller options") and the carousels' products are not read.
    """

    name = "walmart"
    platforms = frozenset({"website"})

    def applies(self, page: Selector, platform: str | None) -> bool:
        if not self.serves(platform) or source_lacks(page, "priceInfo") or source_lacks(page, "initialData"):
            return False
        return _walmart_product(page) is not None

    def read(self, page: Selector, url: str, currency: str) -> list[OfferRead]:
        product = _walmart_product(page)
        if product is None:
            return []
        info = product.get("priceInfo")
        current = dig(info, "currentPrice")
        currency = page_currency(dig(current, "currencyUnit") or dig(info, "priceRange", "currencyUnit"), currency)
        sale = _candidate(self.method, dig(current, "price"), currency, "sale")
        if sale is None:
            low, high = dig(info, "priceRange", "minPrice"), dig(info, "priceRange", "maxPrice")
            sale = _candidate(self.method, low, currency, "sale", high=high)
        listed = _candidate(self.method, dig(info, "wasPrice", "price"), currency, "list")
        seller = product.get("sellerDisplayName") or product.get("sellerName")
        return [
            OfferRead(
                candidates=_with_list(sale, listed),
                title=clean_text(product.get("name"), TITLE_MAX),
                seller=clean_text(seller, SELLER_MAX),
                sku=clean_text(product.get("usItemId"), IDENTIFIER_MAX),
                available=product.get("availabilityStatus") != "OUT_OF_STOCK",
            )
        ]


def _walmart_product(page: Selector) -> dict[str, Any] | None:
    text = page.css("script#__NEXT_DATA__::text").get()
    if not text or len(text) > STATE_MAX or "priceInfo" not in text:
        return None
    return _next_data_product(text)


@lru_cache(maxsize=2)
def _next_data_product(text: str) -> dict[str, Any] | None:
    try:
        state = json.loads(text, parse_float=Decimal)
    except (ValueError, RecursionError):
        return None
    product = dig(state, "props", "pageProps", "initialData", "data", "product")
    return product if isinstance(product, dict) and isinstance(product.get("priceInfo"), dict) else None


# -- Target ------------------------------------------------------------------------------------------

# `Object.defineProperties(window, {..., '__TGT_DATA__': { configurable: false, enumerable: true,
# value: deepFreeze(JSON.parse("{\"__PRELOADED_QUERIES__\": ...}")), ... }, ...})`: the state is a JSON text
# written as a JavaScript string literal; the pattern ends where that literal starts.
_TGT_DATA = re.compile(r"'__TGT_DATA__'\s*:\s*\{[^{}]{0,200}?value\s*:\s*deepFreeze\(\s*JSON\.parse\(\s*(?=\")")


class TargetTgtDataProfile(PageProfile):
    """Target product page (`target.com/p/<name>/-/A-<tcin>`): the product in `__TGT_DATA__`, which the page
    defines on `window` as `deepFreeze(JSON.parse("..."))` (a JSON text in a string literal). Of its
    `__PRELOADED_QUERIES__.queries` (each a `[key, {"data": ...}]` pair), the first whose `data.product` has a
    price: `price.current_retail` the price, in the currency of the sign `formatted_current_price` writes
    ("$69.99"), `reg_retail` the list price when above it, `item.product_description.title` the title, `tcin`
    the SKU, `item.primary_barcode` the GTIN. The navigation's and the recommendations' queries are not read,
    and a product without a price there leaves the page to the other readers. Tried only where the source
    names `__TGT_DATA__` and `current_retail`.
    """

    name = "target"
    platforms = frozenset({"website"})

    def applies(self, page: Selector, platform: str | None) -> bool:
        if not self.serves(platform) or source_lacks(page, "current_retail"):
            return False
        return script_assigns(page, _TGT_DATA, "__TGT_DATA__") and _target_product(page) is not None

    def read(self, page: Selector, url: str, currency: str) -> list[OfferRead]:
        product = _target_product(page)
        if product is None:
            return []
        price = product["price"]
        shown = price.get("formatted_current_price")
        sign = parse_price_text(shown)[1] if isinstance(shown, str) else None
        currency = (currency_code(sign, currency) if sign else None) or currency
        sale = _candidate(self.method, price.get("current_retail"), currency, "sale")
        listed = _candidate(self.method, price.get("reg_retail"), currency, "list")
        return [
            OfferRead(
                candidates=_with_list(sale, listed),
                title=clean_text(dig(product, "item", "product_description", "title"), TITLE_MAX),
                sku=clean_text(product.get("tcin"), IDENTIFIER_MAX),
                gtin=clean_text(dig(product, "item", "primary_barcode"), IDENTIFIER_MAX),
            )
        ]


def _target_product(page: Selector) -> dict[str, Any] | None:
    """The product of the page's preloaded queries, when it has a price (`price.current_retail`)."""
    for text in assigned_values(page.css("script::text").getall(), _TGT_DATA):
        if not isinstance(text, str) or "current_retail" not in text:
            continue
        queries = dig(_tgt_state(text), "__PRELOADED_QUERIES__", "queries")
        for query in queries[:50] if isinstance(queries, list) else []:
            product = dig(query[1], "data", "product") if isinstance(query, list) and len(query) == 2 else None
            if isinstance(product, dict) and amount_of(dig(product, "price", "current_retail")) is not None:
                return product
    return None


@lru_cache(maxsize=2)
def _tgt_state(text: str) -> Any:
    try:
        return json.loads(text, parse_float=Decimal)
    except (ValueError, RecursionError):
        return None


# -- Naver Smart Store -------------------------------------------------------------------------------

# `<script>window.__PRELOADED_STATE__={"product":{"A":{...}}, ...}</script>`: the Redux state the server renders.
_NAVER_STATE = re.compile(r"window\.__PRELOADED_STATE__\s*=\s*(?=\{)")
# Statuses of a product that cannot be ordered (Naver Commerce's `productStatusType`).
_NAVER_UNSOLD = frozenset({"OUTOFSTOCK", "SUSPENSION", "CLOSE", "PROHIBITION", "DELETE"})


class NaverSmartStoreProfile(PageProfile):
    """Naver Smart Store product page (`smartstore.naver.com/<store>/products/<id>`, `brand.naver.com`, the
    `m.` pages): the product in `window.__PRELOADED_STATE__ = {"product": {"A": {...}}}`. The price paid is
    `benefitsView.discountedSalePrice` (else `discountedSalePrice`): the price after the seller's immediate
    discount; `salePrice` is the price before it (the struck one). `channel.channelName` is the store,
    `id` the product number, `stockQuantity` 0 or a `productStatusType` of OUTOFSTOCK (SUSPENSION, CLOSE...)
    sold out. `optionCombinations[].price` is what an option adds to the price, no price of its own; the
    review points of `benefitsView` are no price either. The state states no currency (the store prices in
    won: see `site_currency`). Tried only where the source names `discountedSalePrice`.
    """

    name = "naver_smartstore"
    platforms = frozenset({"website"})

    def applies(self, page: Selector, platform: str | None) -> bool:
        if not self.serves(platform) or source_lacks(page, "discountedSalePrice"):
            return False
        return script_assigns(page, _NAVER_STATE, "__PRELOADED_STATE__") and _naver_product(page) is not None

    def read(self, page: Selector, url: str, currency: str) -> list[OfferRead]:
        product = _naver_product(page)
        if product is None:
            return []
        paid = dig(product, "benefitsView", "discountedSalePrice")
        if amount_of(paid) is None:
            paid = product.get("discountedSalePrice")
        sale = _candidate(self.method, paid, currency, "sale")
        listed = _candidate(self.method, product.get("salePrice"), currency, "list")
        status = product.get("productStatusType")
        return [
            OfferRead(
                candidates=_with_list(sale, listed),
                title=clean_text(product.get("name"), TITLE_MAX),
                seller=clean_text(dig(product, "channel", "channelName"), SELLER_MAX),
                sku=clean_text(product.get("id") or product.get("productNo"), IDENTIFIER_MAX),
                model=clean_text(dig(product, "naverShoppingSearchInfo", "modelName"), IDENTIFIER_MAX),
                available=not _stock_out(product.get("stockQuantity")) and status not in _NAVER_UNSOLD,
            )
        ]


def _naver_product(page: Selector) -> dict[str, Any] | None:
    """The state's product (`product.A`), when it has a price."""
    for script in page.css("script::text").getall():
        if "__PRELOADED_STATE__" in script and (product := _naver_state_product(script)) is not None:
            return product
    return None


@lru_cache(maxsize=2)
def _naver_state_product(script: str) -> dict[str, Any] | None:
    for value in assigned_values([script], _NAVER_STATE):
        product = dig(value, "product", "A")
        if isinstance(product, dict) and (
            amount_of(product.get("discountedSalePrice")) is not None
            or amount_of(dig(product, "benefitsView", "discountedSalePrice")) is not None
        ):
            return product
    return None


# -- Yahoo!ショッピング ---------------------------------------------------------------------------------


class YahooShoppingNextDataProfile(PageProfile):
    """Yahoo!ショッピング item page (`store.shopping.yahoo.co.jp/<seller>/<item>.html`, PayPayモール's before
    it): the item in the Next.js state (`<script id="__NEXT_DATA__">`, `props.pageProps.item`, or on some
    stores' pages the first `itemData.item` of `props.pageProps.dehydratedState.queries[].state.data`).
    `applicablePrice` is the price paid with tax (`taxExcludedApplicablePrice` the price before tax, never
    read), `regularPrice` the regular price, struck when above it; `sellerManagedItemId` the store's item
    code, `janCode` the JAN, `stock.isAvailable` false (or every `individualItemList` SKU unavailable)
    sold out. The points the page promises are no price. Most pages carry JSON-LD as well, read before this
    profile; it serves the pages without. Tried only where the source names `applicablePrice`.
    """

    name = "yahoo_shopping"
    platforms = frozenset({"website"})

    def applies(self, page: Selector, platform: str | None) -> bool:
        if not self.serves(platform) or source_lacks(page, "applicablePrice"):
            return False
        return _yahoo_item(page) is not None

    def read(self, page: Selector, url: str, currency: str) -> list[OfferRead]:
        item = _yahoo_item(page)
        if item is None:
            return []
        sale = _candidate(self.method, item.get("applicablePrice"), currency, "sale")
        listed = _candidate(self.method, item.get("regularPrice"), currency, "list")
        skus = item.get("individualItemList")
        skus = [s for s in skus[:200] if isinstance(s, dict)] if isinstance(skus, list) else []
        every_sku_out = bool(skus) and not any(dig(s, "stock", "isAvailable") is not False for s in skus)
        return [
            OfferRead(
                candidates=_with_list(sale, listed),
                title=clean_text(item.get("name"), TITLE_MAX),
                sku=clean_text(item.get("sellerManagedItemId"), IDENTIFIER_MAX),
                gtin=clean_text(item.get("janCode"), IDENTIFIER_MAX),
                available=dig(item, "stock", "isAvailable") is not False and not every_sku_out,
            )
        ]


def _yahoo_item(page: Selector) -> dict[str, Any] | None:
    text = page.css("script#__NEXT_DATA__::text").get()
    if not text or len(text) > STATE_MAX or "applicablePrice" not in text:
        return None
    return _yahoo_state_item(text)


@lru_cache(maxsize=2)
def _yahoo_state_item(text: str) -> dict[str, Any] | None:
    try:
        state = json.loads(text, parse_float=Decimal)
    except (ValueError, RecursionError):
        return None
    props = dig(state, "props", "pageProps")
    found = [dig(props, "item")]
    queries = dig(props, "dehydratedState", "queries")
    found += [dig(q, "state", "data", "itemData", "item") for q in (queries[:20] if isinstance(queries, list) else [])]
    return next((i for i in found if isinstance(i, dict) and amount_of(i.get("applicablePrice")) is not None), None)


# -- Rakuten Ichiba ----------------------------------------------------------------------------------

_RAKUTEN_CART_FORM = 'form[action*="basket.step.rakuten.co.jp"]'


class RakutenItemProfile(SelectorProfile):
    """Rakuten Ichiba item page (`item.rakuten.co.jp/<shop>/<item>/`) in the shop-designed layout: the price
    `span.price2` ("12,980円", tax included; the shop writes the regular price and the point and coupon lines
    beside it in its own markup), `span.item_name` the name, `span.item_number` the shop's item number, and
    the cart form posting to `basket.step.rakuten.co.jp` names the shop in a hidden `shopname` input.
    """

    name = "rakuten"
    platforms = frozenset({"website"})
    marker = ("span.price2",)
    selectors = Selectors(
        title="span.item_name",
        seller=f'{_RAKUTEN_CART_FORM} input[name="shopname"]::attr(value)',
        sku="span.item_number",
        prices={"sale": "span.price2"},
    )

    def applies(self, page: Selector, platform: str | None) -> bool:
        return super().applies(page, platform) and bool(page.css(_RAKUTEN_CART_FORM))

    def read(self, page: Selector, url: str, currency: str) -> list[OfferRead]:
        offers = super().read(page, url, currency)
        # A sold-out item keeps its price and its cart form, the button replaced by the shop's "売り切れました".
        form = page.css(_RAKUTEN_CART_FORM)[:1]
        said = form.xpath("normalize-space(string())").get() or ""
        if form and not form.css('input[name="cartinsert"]') and _SOLD_OUT.search(said[:2000]):
            offers = [replace(o, available=False) for o in offers]
        return offers


# -- Tokopedia ---------------------------------------------------------------------------------------


class TokopediaProfile(SelectorProfile):
    """Tokopedia product page (`tokopedia.com/<shop>/<product>`): the parts are named by `data-testid`, the
    price `lblPDPDetailProductPrice` ("Rp1.249.000"), the struck price `lblPDPDetailOriginalPrice` beside the
    discount percentage, the name `h1[data-testid=lblPDPDetailProductName]`, the shop the heading of the
    `llbPDPFooterShopName` link, and the stock count in `[data-testid=stock-label] b`: 0 is sold out. The
    recommendations' prices are `lblProductPrice`.
    """

    name = "tokopedia"
    platforms = frozenset({"website"})
    marker = ("[data-testid=lblPDPDetailProductPrice]",)
    selectors = Selectors(
        title="h1[data-testid=lblPDPDetailProductName]",
        seller="a[data-testid=llbPDPFooterShopName] h2",
        prices={"sale": "[data-testid=lblPDPDetailProductPrice]", "list": "[data-testid=lblPDPDetailOriginalPrice]"},
    )

    def read(self, page: Selector, url: str, currency: str) -> list[OfferRead]:
        offers = super().read(page, url, currency)
        stock = clean_text(page.css("[data-testid=stock-label] b::text").get(), 20)
        if stock is not None and stock.isdigit() and int(stock) == 0:
            offers = [replace(o, available=False) for o in offers]
        return offers


# -- Myntra ------------------------------------------------------------------------------------------

# `<script>window.__myx = {"pdpData": {...}, ...};</script>`: the product page's state.
_MYNTRA_STATE = re.compile(r"window\.__myx\s*=\s*(?=\{)")


class MyntraMyxProfile(PageProfile):
    """Myntra product page (`myntra.com/<category>/<brand>/<name>/<id>/buy`): the product in
    `window.__myx = {"pdpData": {...}}`, drawn by scripts. `price.discounted` is the price paid, `price.mrp` the
    maximum retail price (struck beside it), `name` the title, `id` the style id, `analytics.brand` the brand,
    and every size of `sizes[]` with `available` false sold out. The state names no currency (the site prices in
    rupees: see `site_currency`). Tried only where the source names `pdpData`.
    """

    name = "myntra"
    platforms = frozenset({"website"})

    def applies(self, page: Selector, platform: str | None) -> bool:
        if not self.serves(platform) or source_lacks(page, "pdpData"):
            return False
        return script_assigns(page, _MYNTRA_STATE, "__myx") and _myntra_product(page) is not None

    def read(self, page: Selector, url: str, currency: str) -> list[OfferRead]:
        product = _myntra_product(page)
        if product is None:
            return []
        sale = _candidate(self.method, dig(product, "price", "discounted"), currency, "sale")
        listed = _candidate(self.method, dig(product, "price", "mrp"), currency, "list")
        sizes = product.get("sizes")
        sizes = [s for s in sizes[:100] if isinstance(s, dict)] if isinstance(sizes, list) else []
        return [
            OfferRead(
                candidates=_with_list(sale, listed),
                title=clean_text(product.get("name"), TITLE_MAX),
                sku=clean_text(product.get("id"), IDENTIFIER_MAX),
                available=not sizes or any(s.get("available") is not False for s in sizes),
            )
        ]


def _myntra_product(page: Selector) -> dict[str, Any] | None:
    """The state's product (`pdpData`), when it has a price."""
    for script in page.css("script::text").getall():
        if "__myx" in script and (product := _myntra_state_product(script)) is not None:
            return product
    return None


@lru_cache(maxsize=2)
def _myntra_state_product(script: str) -> dict[str, Any] | None:
    for value in assigned_values([script], _MYNTRA_STATE):
        product = dig(value, "pdpData")
        if isinstance(product, dict) and amount_of(dig(product, "price", "discounted")) is not None:
            return product
    return None


GLOBAL_PROFILES: tuple[PageProfile, ...] = (
    AliExpressRunParamsProfile(),
    LazadaModuleDataProfile(),
    WalmartNextDataProfile(),
    TargetTgtDataProfile(),
    NaverSmartStoreProfile(),
    YahooShoppingNextDataProfile(),
    RakutenItemProfile(),
    TokopediaProfile(),
    MyntraMyxProfile(),
)
