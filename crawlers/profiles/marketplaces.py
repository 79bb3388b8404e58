"""Declarative profiles of marketplace page shapes: selectors and script state, no code.

Each class is one page shape; the sandbox serves the same shapes (`sandbox/templates/shape_*`)
and tests/fixtures/pages/<platform>/ keeps saved copies with their parse tests.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal
from typing import ClassVar

from crawlers.profiles.base import ScriptStateProfile, SelectorProfile, Selectors


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
