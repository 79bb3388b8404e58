"""Product pages (current prices on every platform and seller) and reseller pages (scorecards)."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request, Response

from oneprice.web import actions
from oneprice.web.context import ctx_of
from oneprice.web.export import download
from oneprice.web.i18n import LANGUAGES

router = APIRouter()


@router.get("/products")
def products(request: Request) -> Response:
    ctx = ctx_of(request)
    return ctx.render(request, "products.html", {"products": ctx.queries.products()})


@router.get("/products/export.{fmt}")
def products_export(request: Request, fmt: str) -> Response:
    if fmt not in ("csv", "xlsx"):
        raise HTTPException(status_code=404, detail="export formats: csv, xlsx")
    ctx = ctx_of(request)
    rows = (
        (p.sku, p.name, p.product_line, p.unified_price, p.currency, p.active_alerts) for p in ctx.queries.products()
    )
    return download(
        fmt, "products", ("sku", "name", "product_line", "unified_price", "currency", "active_alerts"), rows
    )


@router.get("/products/{sku}")
def product(request: Request, sku: str) -> Response:
    ctx = ctx_of(request)
    line = ctx.queries.product(sku)
    if line is None:
        raise HTTPException(status_code=404, detail="no such product")
    return ctx.render(
        request,
        "product.html",
        {"product": line, "catalog": ctx.products.get(sku), "listings": ctx.queries.product_listings(sku)},
    )


# Scorecards per page: each one is several queries, and unknown sellers can number in thousands.
SELLERS_PAGE = 100


@router.get("/sellers")
def sellers(request: Request) -> Response:
    ctx = ctx_of(request)
    raw = request.query_params.get("page") or "1"
    page = int(raw) if raw.isascii() and raw.isdigit() and len(raw) <= 6 else 0
    if page < 1:
        raise HTTPException(status_code=400, detail="page: expected a page number")
    keys = ctx.queries.seller_keys()
    start = (page - 1) * SELLERS_PAGE
    shown = keys[start : start + SELLERS_PAGE]
    cards = [c for c in (ctx.queries.scorecard(k) for k in shown) if c is not None]
    return ctx.render(
        request,
        "sellers.html",
        {
            "cards": cards,
            "page": page,
            "next_page": page + 1 if start + SELLERS_PAGE < len(keys) else None,
        },
    )


@router.get("/sellers/{seller_key:path}")
def seller(request: Request, seller_key: str) -> Response:
    ctx = ctx_of(request)
    card = ctx.queries.scorecard(seller_key)
    if card is None:
        raise HTTPException(status_code=404, detail="no such seller")
    return ctx.render(
        request,
        "seller.html",
        {
            "card": card,
            "alerts": ctx.queries.seller_alerts(seller_key),
            "listings": ctx.queries.seller_listings(seller_key),
            "notices": actions.seller_notices(ctx.db, seller_key),
            "languages": LANGUAGES,
            "notice_language": ctx.config.settings.alerts.notices.language,
        },
    )
