"""The alert inbox (filters, keyset pages, bulk actions, export), alert detail, and evidence pages."""

from __future__ import annotations

from datetime import date
from urllib.parse import parse_qsl, urlencode

from fastapi import APIRouter, HTTPException, Request, Response
from fastapi.responses import RedirectResponse

from oneprice.domain.alert import AlertStatus, Severity
from oneprice.errors import UserError
from oneprice.render import ALERT_FIELDS
from oneprice.storage import Database
from oneprice.storage.users import Role
from oneprice.storage.web_queries import ACTIVE, AlertFilter, AlertLine
from oneprice.web import actions
from oneprice.web.charts import price_chart
from oneprice.web.context import RowId, ctx_of, row_id
from oneprice.web.export import download
from oneprice.web.security import EVIDENCE_HEADERS

router = APIRouter()

# Counting stops here: "10,000+" is all a person needs, and a full count of a broad filter is not free.
COUNT_CAP = 10_000
FILTER_KEYS = ("status", "rule", "severity", "platform", "product", "seller", "since", "until")
# The dates a filter accepts.
FIRST_DAY, LAST_DAY = date(1970, 1, 1), date(9998, 12, 31)
# A bulk action names at most this many alerts (a page holds at most web.page_size <= 500).
BULK_LIMIT = 1000
# The same columns as `oneprice alerts list --format csv` and the report's alerts.csv.
EXPORT_HEADER = tuple(ALERT_FIELDS)


def _date(value: str | None, name: str) -> date | None:
    if not value:
        return None
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise HTTPException(status_code=400, detail=f"{name}: expected a date like 2026-11-27") from None
    if not FIRST_DAY <= day <= LAST_DAY:  # `until` is read as the next day's start: 9999-12-31 has none
        raise HTTPException(status_code=400, detail=f"{name}: expected a date between {FIRST_DAY} and {LAST_DAY}")
    return day


def parse_filter(request: Request) -> tuple[AlertFilter, dict[str, str]]:
    """The inbox filter from the query string, and the raw values (to refill the form and links)."""
    q = request.query_params
    raw = {k: q.get(k, "").strip() for k in FILTER_KEYS}
    if "status" not in q:
        raw["status"] = "active"
    status = raw["status"]
    if status == "active":
        statuses: tuple[str, ...] = ACTIVE
    elif status in ("", "all"):
        statuses = ()
    elif status in {s.value for s in AlertStatus}:
        statuses = (status,)
    else:
        raise HTTPException(status_code=400, detail=f"status: unknown value {status!r}")
    severity = raw["severity"] or None
    if severity is not None and severity not in {s.value for s in Severity}:
        raise HTTPException(status_code=400, detail=f"severity: unknown value {severity!r}")
    flt = AlertFilter(
        statuses=statuses,
        rule=raw["rule"] or None,
        severity=severity,
        platform=raw["platform"] or None,
        product=raw["product"] or None,
        seller=raw["seller"] or None,
        since=_date(raw["since"], "since"),
        until=_date(raw["until"], "until"),
    )
    return flt, raw


def _cursor(request: Request) -> int | None:
    before = request.query_params.get("before")
    if not before:
        return None
    cursor = row_id(before)
    if cursor is None:
        raise HTTPException(status_code=400, detail="before: expected an alert id")
    return cursor


def _count(value: str | None) -> int | None:
    """A count echoed back after a bulk action (`done=3`); anything else is not shown."""
    return int(value) if value and value.isascii() and value.isdigit() and len(value) <= 9 else None


@router.get("/alerts")
def inbox(request: Request) -> Response:
    ctx = ctx_of(request)
    flt, raw = parse_filter(request)
    before = _cursor(request)
    page = ctx.queries.alert_page(flt, before=before, limit=ctx.settings.page_size)
    query = {k: v for k, v in raw.items() if v}
    return ctx.render(
        request,
        "alerts.html",
        {
            "page": page,
            "total": ctx.queries.alert_count(flt, cap=COUNT_CAP),
            "count_cap": COUNT_CAP,
            "filters": raw,
            "choices": {"rules": ctx.rule_names, "platforms": ctx.platforms},
            "statuses": [s.value for s in AlertStatus],
            "severities": [s.value for s in Severity],
            "query": urlencode(query),
            "next_query": urlencode({**query, "before": page.next_cursor}) if page.next_cursor else None,
            "first_page": before is not None,
            "products": ctx.products,
            "done": _count(request.query_params.get("done")),
            "refused": _count(request.query_params.get("refused")),
        },
    )


def _record(a: AlertLine) -> tuple[object, ...]:
    return (
        a.id,
        a.rule,
        a.status,
        a.severity,
        a.product_sku,
        a.seller_name,
        a.seller_key,
        a.reseller_id,
        a.platform,
        a.observed_price,
        a.unified_price,
        a.currency,
        a.gap_percent,
        a.message,
        a.url,
        a.observation_id,
        a.first_seen.isoformat(),
        a.last_seen.isoformat(),
        a.resolved_at.isoformat() if a.resolved_at else None,
    )


@router.get("/alerts/export.{fmt}")
def export(request: Request, fmt: str) -> Response:
    if fmt not in ("csv", "xlsx"):
        raise HTTPException(status_code=404, detail="export formats: csv, xlsx")
    ctx = ctx_of(request)
    flt, _ = parse_filter(request)
    return download(fmt, "alerts", EXPORT_HEADER, (_record(a) for a in ctx.queries.iter_alerts(flt)))


@router.post("/alerts/bulk")
async def bulk(request: Request) -> Response:
    ctx = ctx_of(request)
    form = await ctx.checked_form(request)
    user = ctx.require_role(request, Role.BRAND_MANAGER)
    raw_ids = form.getlist("ids")
    if len(raw_ids) > BULK_LIMIT:
        raise HTTPException(status_code=400, detail=f"at most {BULK_LIMIT} alerts at once")
    ids = sorted({i for i in (row_id(v) if isinstance(v, str) else None for v in raw_ids) if i is not None})
    action = str(form.get("action") or "")
    if not ids:
        raise HTTPException(status_code=400, detail="select at least one alert")
    outcome = _transition(ctx.db, ids, action, user.username, str(form.get("note") or "") or None)
    # Back to the same filter: only the inbox's own filter keys are carried over.
    back = [(k, v) for k, v in parse_qsl(str(form.get("back") or "")) if k in FILTER_KEYS]
    query = urlencode([*back, ("done", len(outcome.done)), ("refused", len(outcome.refused))])
    return RedirectResponse(f"/alerts?{query}", 303)


def _transition(db: Database, ids: list[int], action: str, actor: str, note: str | None) -> actions.Outcome:
    try:
        return actions.transition(db, ids, action, actor, note)
    except UserError as e:
        raise HTTPException(status_code=400, detail=str(e)) from e


@router.get("/alerts/{alert_id}")
def detail(request: Request, alert_id: RowId) -> Response:
    ctx = ctx_of(request)
    alert = ctx.queries.alert(alert_id)
    if alert is None:
        raise HTTPException(status_code=404, detail="no such alert")
    observation = ctx.observations.get(alert.observation_id) if alert.observation_id else None
    history = ctx.queries.price_history(alert.product_sku, alert.platform, alert.seller_key)
    return ctx.render(
        request,
        "alert.html",
        {
            "alert": alert,
            "product": ctx.products.get(alert.product_sku),
            "observation": observation,
            "chart": price_chart(history, alert.unified_price, alert.currency),
            "history": history,
            "events": actions.history(ctx.db, alert_id),
            "notices": actions.notices(ctx.db, alert),
            "next_actions": actions.allowed(alert.status),
        },
    )


@router.post("/alerts/{alert_id}/action")
async def act(request: Request, alert_id: RowId) -> Response:
    ctx = ctx_of(request)
    form = await ctx.checked_form(request)
    user = ctx.require_role(request, Role.BRAND_MANAGER)
    if ctx.queries.alert(alert_id) is None:
        raise HTTPException(status_code=404, detail="no such alert")
    note = str(form.get("note") or "") or None
    outcome = _transition(ctx.db, [alert_id], str(form.get("action") or ""), user.username, note)
    if outcome.refused:
        raise HTTPException(status_code=409, detail=outcome.refused[0])
    return RedirectResponse(f"/alerts/{alert_id}", 303)


@router.get("/evidence/{observation_id}")
def evidence(request: Request, observation_id: RowId) -> Response:
    """The page an observation was read from, as captured: framed sandboxed, scripts never run.

    The stored bytes are decoded as the crawler read them (HTTP charset, BOM, `<meta charset>`,
    GB18030 for unlabelled Chinese pages) and served as UTF-8, so a GBK page shows its Chinese text.
    """
    from crawlers.page import decode_page

    ctx = ctx_of(request)
    obs = ctx.observations.get(observation_id)
    found = ctx.observations.evidence(obs.evidence_sha256) if obs and obs.evidence_sha256 else None
    if found is None:
        raise HTTPException(status_code=404, detail="no evidence kept for this observation")
    content_type, body = found
    media = "text/html; charset=utf-8" if "html" in content_type.lower() else "text/plain; charset=utf-8"
    text = decode_page(body, content_type)
    return Response(text.encode("utf-8", "replace"), media_type=media, headers=EVIDENCE_HEADERS)
