"""The overview: active alerts by severity, sellers in violation, compliance per platform, trend."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from oneprice.web.charts import trend_chart
from oneprice.web.context import ctx_of

router = APIRouter()


@router.get("/")
def overview(request: Request) -> Response:
    ctx = ctx_of(request)
    data = ctx.queries.overview(days=30)
    return ctx.render(
        request,
        "overview.html",
        {
            "data": data,
            "trend": trend_chart(data.trend_days, data.trend),
            "total_active": sum(data.active_by_severity.values()),
        },
    )
