"""Page profiles of the Chinese marketplaces: Taobao/Tmall, JD, Pinduoduo and Youzan.

Each class is one page shape; the sandbox serves the same shapes (`sandbox/templates/shape_*`)
and tests/fixtures/pages/<platform>/ keeps saved copies with their parse tests. JD-like pages load
the price from a price service by item id: the spider fetches `follow_up(...)` and calls
`read_follow_up` with the answer.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace
from decimal import Decimal
from typing import ClassVar
from urllib.parse import urlencode, urljoin

from parsel import Selector

from crawlers.candidates import OfferRead, PriceCandidate, PriceKind
from crawlers.prices import SELLER_MAX, TITLE_MAX, amount_of, clean_text
from crawlers.profiles.base import (
    PROFILE_CONFIDENCE,
    PageProfile,
    ScriptStateProfile,
    SelectorProfile,
    Selectors,
    _first_text,
    json_body,
    text_candidate,
)

_JD_SKU = re.compile(r"^\d{1,20}$")
_JD_PRICES: tuple[tuple[str, PriceKind], ...] = (("p", "sale"), ("op", "list"))


class TmallProfile(SelectorProfile):
    """Taobao/Tmall item detail: 原价 (struck list price), 促销价, 券后 coupon price, postage."""

    name = "tmall"
    platforms = frozenset({"tmall", "taobao"})
    marker = "#J_DetailMeta"
    selectors = Selectors(
        title=".tb-detail-hd h1",
        seller=".slogo-shopname",
        sku="#J_DetailMeta::attr(data-sku)",
        prices={
            "list": "#J_StrPriceModBox .tm-price",
            "sale": "#J_PromoPrice .tm-price",
            "coupon": "#J_CouponPrice .tm-price",
        },
        shipping="#J_PostageToggleCont .tm-postage",
        sold_out="#J_SoldOut",
    )


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
        data = json_body(body)
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


class PinduoduoProfile(ScriptStateProfile):
    """Pinduoduo goods page: `window.rawData = {...}` with prices in fen; group price is the price."""

    name = "pinduoduo"
    platforms = frozenset({"pinduoduo"})
    state = re.compile(r"window\.rawData\s*=\s*(\{.*\})\s*;?\s*$", re.DOTALL)
    page_fields: ClassVar[Mapping[str, str]] = {
        "title": "store.initDataObj.goods.goodsName",
        "seller": "store.initDataObj.mall.mallName",
        "sku": "store.initDataObj.goods.outerGoodsId",
        "sale": "store.initDataObj.goods.minGroupPrice",
        "list": "store.initDataObj.goods.marketPrice",
    }
    variants = "store.initDataObj.goods.skus"
    variant_fields: ClassVar[Mapping[str, str]] = {
        "sku": "outerSkuId",
        "gtin": "barcode",
        "sale": "groupPrice",
        "stock": "quantity",
    }
    price_divisor = Decimal(100)


class YouzanProfile(SelectorProfile):
    """Youzan (有赞) micro-store goods page."""

    name = "youzan"
    platforms = frozenset({"youzan"})
    marker = ".goods-header .goods-price"
    selectors = Selectors(
        title=".goods-header .goods-title",
        seller=".shop-info .shop-name",
        sku=".goods-header::attr(data-goods-sku)",
        prices={
            "sale": ".goods-price .current-price",
            "list": ".goods-price .origin-price",
        },
        shipping=".goods-postage .postage-price",
        sold_out=".goods-sold-out",
    )


CHINA_PROFILES: tuple[PageProfile, ...] = (TmallProfile(), JdProfile(), PinduoduoProfile(), YouzanProfile())
