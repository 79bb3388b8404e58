"""Operations pages: sync runs, dead letters and paused channels; the match review queue."""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import APIRouter, HTTPException, Request, Response
from fastapi.responses import RedirectResponse

from oneprice.domain.review import ReviewState
from oneprice.errors import UserError
from oneprice.storage import ChannelStateRepository, DeadLetterRepository, JournalRepository
from oneprice.storage.reviews import ReviewRepository
from oneprice.storage.users import Role
from oneprice.storage.web_queries import ACTIVE, AlertFilter
from oneprice.web.context import ctx_of
from oneprice.web.export import download
from sync.verifier import RULE as OWN_CHANNEL_DRIFT

router = APIRouter()

REVIEW_LIMIT = 500


@router.get("/sync")
def sync_page(request: Request) -> Response:
    ctx = ctx_of(request)
    channels = ctx.config.settings.channels
    return ctx.render(
        request,
        "sync.html",
        {
            "channels": channels,
            "runs": JournalRepository(ctx.db).runs(limit=30),
            "dead_letters": DeadLetterRepository(ctx.db).list(),
            "paused": ChannelStateRepository(ctx.db).paused(),
            "drift": ctx.queries.alert_page(AlertFilter(statuses=ACTIVE, rule=OWN_CHANNEL_DRIFT), limit=100).lines,
        },
    )


def _state(request: Request) -> ReviewState:
    try:
        return ReviewState(request.query_params.get("state") or ReviewState.PENDING.value)
    except ValueError:
        raise HTTPException(status_code=400, detail="state: pending, accepted or rejected") from None


@router.get("/review")
def review(request: Request) -> Response:
    ctx = ctx_of(request)
    state = _state(request)
    return ctx.render(
        request,
        "review.html",
        {
            "items": ReviewRepository(ctx.db).list(state, limit=REVIEW_LIMIT),
            "state": state.value,
            "states": [s.value for s in ReviewState],
            "threshold": ctx.config.settings.crawl.matching.accept,
            "skus": sorted(ctx.products),
            "done": done if (done := request.query_params.get("done")) in ("accept", "reject") else None,
        },
    )


@router.post("/review/decide")
async def decide(request: Request) -> Response:
    """Accept a listing as a product (its readings may alert from then on) or reject it (never alerts)."""
    ctx = ctx_of(request)
    form = await ctx.checked_form(request)
    ctx.require_role(request, Role.BRAND_MANAGER)
    decision = str(form.get("decision") or "")
    states = {"accept": ReviewState.ACCEPTED, "reject": ReviewState.REJECTED}
    if decision not in states:
        raise HTTPException(status_code=400, detail="decision: accept or reject")
    sku = str(form.get("sku") or "") or None
    if states[decision] is ReviewState.ACCEPTED and sku not in ctx.products:
        raise HTTPException(status_code=400, detail="accepting a listing needs a product SKU of the catalog")
    try:
        ReviewRepository(ctx.db).decide(str(form.get("listing_key") or ""), states[decision], sku)
    except UserError as e:
        raise HTTPException(status_code=400, detail=str(e)) from e
    return RedirectResponse(f"/review?{urlencode({'done': decision})}", status_code=303)


@router.get("/review/export.{fmt}")
def review_export(request: Request, fmt: str) -> Response:
    if fmt not in ("csv", "xlsx"):
        raise HTTPException(status_code=404, detail="export formats: csv, xlsx")
    ctx = ctx_of(request)
    items = ReviewRepository(ctx.db).list(_state(request), limit=100_000)
    header = (
        "listing_key", "state", "platform", "seller", "title", "price", "currency",
        "suggested_sku", "confidence", "decided_sku", "url", "last_seen",
    )  # fmt: skip
    rows = (
        (
            i.listing_key,
            i.state.value,
            i.platform,
            i.seller_name,
            i.title,
            i.price.amount if i.price else None,
            i.price.currency if i.price else None,
            i.suggested_sku,
            i.confidence,
            i.decided_sku,
            i.url,
            i.last_seen.isoformat(),
        )
        for i in items
    )
    return download(fmt, "review", header, rows)
