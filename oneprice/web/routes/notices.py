"""Violation notices to resellers: draft the next stage for a seller, read it, send it."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request, Response
from fastapi.responses import RedirectResponse

from oneprice.errors import UserError
from oneprice.storage.notices import NoticeRepository
from oneprice.storage.users import Role
from oneprice.web import actions
from oneprice.web.context import RowId, ctx_of
from oneprice.web.i18n import LANGUAGES

router = APIRouter()


@router.post("/notices")
async def draft(request: Request) -> Response:
    ctx = ctx_of(request)
    form = await ctx.checked_form(request)
    user = ctx.require_role(request, Role.BRAND_MANAGER)
    language = str(form.get("language") or ctx.config.settings.alerts.notices.language)
    if language not in LANGUAGES:
        raise HTTPException(status_code=400, detail=f"language: one of {', '.join(LANGUAGES)}")
    try:
        notice = actions.draft_notice(ctx.config, ctx.db, str(form.get("seller_key") or ""), language, user.username)
    except UserError as e:
        raise HTTPException(status_code=409, detail=str(e)) from e
    return RedirectResponse(f"/notices/{notice.id}", status_code=303)


@router.get("/notices/{notice_id}")
def notice(request: Request, notice_id: RowId) -> Response:
    ctx = ctx_of(request)
    found = NoticeRepository(ctx.db).get(notice_id)
    if found is None:
        raise HTTPException(status_code=404, detail="no such notice")
    return ctx.render(request, "notice.html", {"notice": found})


@router.post("/notices/{notice_id}/send")
async def send(request: Request, notice_id: RowId) -> Response:
    ctx = ctx_of(request)
    await ctx.checked_form(request)
    user = ctx.require_role(request, Role.BRAND_MANAGER)
    try:
        actions.send_notice(ctx.config, ctx.db, notice_id, user.username)
    except UserError as e:
        raise HTTPException(status_code=409, detail=str(e)) from e
    return RedirectResponse(f"/notices/{notice_id}", status_code=303)
