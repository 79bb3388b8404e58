"""Marketplace page shapes without structured data (Tmall, JD, Pinduoduo, Youzan, Shopify, offer
listings, eBay), and the JSON endpoints some of them load their price from.

The markup follows each platform's public page closely enough for `crawlers/profiles/` to be
written against it; all seller and product text is escaped.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from oneprice.domain.catalog import Product
from sandbox.seed import Offer, format_price
from sandbox.server import Request, Response

JD_PRICE_API = "/shop/jd/prices/mgets"


def jd_sku(offer_id: str) -> int:
    """The numeric item id a JD-like page shows for an offer (stable, from the offer id)."""
    return 100_000_000 + zlib.crc32(offer_id.encode("utf-8")) % 900_000_000


def _fen(amount: Decimal) -> int:
    return int((amount * 100).to_integral_value())


def _money(amount: Decimal | None, currency: str) -> str:
    return format_price(amount, currency, "yuan") if amount is not None else ""


def shape_fields(offer: Offer, product: Product, title: str, esc: Any, script_json: Any) -> dict[str, str]:
    """Template fields of a profile-shaped page (`esc` escapes HTML, `script_json` JSON for a script)."""
    assert offer.price is not None
    shipping = _money(offer.shipping, offer.currency) if offer.shipping else "免运费"
    fields = {
        "title": esc(title),
        "seller": esc(offer.seller),
        "listing_sku": esc(offer.listing_sku or product.sku),
        "price_text": esc(format_price(offer.price, offer.currency, offer.price_format)),
        "price_plain": esc(f"{offer.price:.2f}"),
        "list_price": esc(_money(offer.list_price or offer.price, offer.currency)),
        "list_price_plain": esc(f"{offer.list_price or offer.price:.2f}"),
        "shipping": esc(shipping),
        "coupon_block": "",
        "jd_sku": str(jd_sku(offer.id)),
        "price_api": JD_PRICE_API,
        "model": esc(product.model or ""),
        "handle": esc(offer.id),
        "offer_blocks": "",
        "state": "",
    }
    if offer.coupon_price is not None:
        coupon = esc(_money(offer.coupon_price, offer.currency))
        fields["coupon_block"] = (
            '    <dl class="tm-coupon-panel" id="J_CouponPrice"><dt class="tb-metatit">券后价</dt>'
            f'<dd><span class="tm-price">{coupon}</span></dd></dl>\n'
        )
    if offer.shape == "offer_listing":
        fields["offer_blocks"] = "\n".join(_offer_blocks(offer, esc))
    if offer.shape == "pinduoduo":
        fields["state"] = script_json(_pdd_state(offer, product, title))
    return fields


def _offer_blocks(offer: Offer, esc: Any) -> list[str]:
    assert offer.price is not None
    rows = [(offer.seller, offer.price, offer.shipping)]
    rows += [(o.seller, o.price, o.shipping) for o in offer.other_sellers]
    blocks = []
    for i, (seller, price, shipping) in enumerate(rows):
        fee = f"+ {_money(shipping, offer.currency)} 运费" if shipping else "免运费"
        listed = (
            f'<span class="a-price a-text-price"><span class="a-offscreen">'
            f"{esc(_money(offer.list_price, offer.currency))}</span></span>"
            if offer.list_price
            else ""
        )
        blocks.append(
            f'    <div class="aod-offer" id="aod-offer-{i}" data-asin="{esc(offer.listing_sku or "")}">\n'
            f'      <span class="a-price"><span class="a-offscreen">{esc(_money(price, offer.currency))}'
            f"</span></span>{listed}\n"
            f'      <div class="aod-delivery-fee">{esc(fee)}</div>\n'
            f'      <div class="aod-offer-soldBy">Sold by <a href="#seller-{i}">{esc(seller)}</a></div>\n'
            "    </div>"
        )
    return blocks


def _pdd_state(offer: Offer, product: Product, title: str) -> dict[str, Any]:
    assert offer.price is not None
    market = offer.list_price or offer.price
    return {
        "store": {
            "initDataObj": {
                "goods": {
                    "goodsName": title,
                    "outerGoodsId": offer.listing_sku or product.sku,
                    "minGroupPrice": _fen(offer.price),
                    "minNormalPrice": _fen(market),
                    "marketPrice": _fen(market),
                    "skus": [
                        {
                            "skuId": jd_sku(offer.id),
                            "outerSkuId": offer.listing_sku or product.sku,
                            "barcode": product.gtin,
                            "groupPrice": _fen(offer.price),
                            "normalPrice": _fen(market),
                            "quantity": 35,
                        }
                    ],
                },
                "mall": {"mallName": offer.seller, "mallId": 7_700_000 + jd_sku(offer.id) % 1000},
            }
        }
    }


def jd_prices(offers: Iterable[Offer], request: Request) -> Response:
    """`GET /shop/jd/prices/mgets?skuIds=J_1,J_2`: JD's price-service answer shape."""
    by_id = {jd_sku(o.id): o for o in offers if o.shape == "jd"}
    out = []
    for token in (request.arg("skuIds") or "").split(",")[:50]:
        number = token.strip().removeprefix("J_")
        offer = by_id.get(int(number)) if number.isdigit() else None
        if offer is None or offer.price is None:
            out.append({"id": token.strip(), "p": "-1.00", "op": "-1.00"})
            continue
        listed = offer.list_price or offer.price
        out.append({"id": f"J_{number}", "p": f"{offer.price:.2f}", "op": f"{listed:.2f}", "m": f"{listed:.2f}"})
    return Response.json(out)


def shopify_product_js(offer: Offer, product: Product, title: str) -> Response:
    """`/products/<handle>.js`: the product with its variants, prices in cents."""
    assert offer.price is not None
    variant = {
        "id": jd_sku(offer.id),
        "title": product.size or product.color or "Default Title",
        "sku": offer.listing_sku or product.sku,
        "barcode": product.gtin,
        "price": _fen(offer.price),
        "compare_at_price": _fen(offer.list_price) if offer.list_price else None,
        "available": True,
    }
    return Response.json(
        {
            "id": jd_sku(offer.id) + 1,
            "title": title,
            "handle": offer.id,
            "vendor": offer.seller,
            "price": _fen(offer.price),
            "variants": [variant],
        }
    )


def shopify_head(offer: Offer, title: str, esc: Any) -> str:
    return (
        f'<meta property="og:title" content="{esc(title)}">\n'
        f'<meta property="og:site_name" content="{esc(offer.seller)}">\n'
        '<script id="shopify-features" type="application/json">{"accessToken":"sandbox"}</script>\n'
    )
