"""Login, logout, language choice and the health check."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

from fastapi import APIRouter, HTTPException, Request, Response
from fastapi.responses import PlainTextResponse, RedirectResponse

from oneprice.errors import UserError
from oneprice.web.context import LOGIN_COOKIE, SESSION_COOKIE, WebContext, ctx_of
from oneprice.web.security import DUMMY_HASH, hash_password, needs_rehash, new_token, verify_password

log = logging.getLogger(__name__)
router = APIRouter()

# A shared office address gets more room than one user name before it is locked out.
CLIENT_FACTOR = 4


def safe_next(target: str | None) -> str:
    """Only same-site paths: `/alerts?x=1`, never `//evil.example` or `https://...`.

    Browsers drop tabs and line breaks inside a URL and read `\\` as `/`, so `/<TAB>/evil.example`
    or `/\\evil.example` would leave the site: a target holding a control character or a backslash
    is refused outright.
    """
    if not target or len(target) > 2048 or not target.startswith("/") or target.startswith("//"):
        return "/"
    if "\\" in target or any(ord(c) < 32 or ord(c) == 127 for c in target):
        return "/"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return "/"
    return target


@router.get("/healthz")
def healthz() -> PlainTextResponse:
    return PlainTextResponse("ok")


def _login_page(ctx: WebContext, request: Request, *, error: str | None = None, status: int = 200) -> Response:
    nonce = request.cookies.get(LOGIN_COOKIE) or new_token()
    response = ctx.render(
        request,
        "login.html",
        {
            "login_csrf": ctx.tokens.csrf_for("login", nonce),
            "next": safe_next(request.query_params.get("next")),
            "error": error,
        },
        status,
    )
    response.set_cookie(
        LOGIN_COOKIE, nonce, httponly=True, samesite="strict", secure=ctx.settings.cookie_secure, path="/login"
    )
    response.headers["Cache-Control"] = "no-store"  # the form's token belongs to this browser's cookie
    return response


@router.get("/login")
def login_form(request: Request) -> Response:
    if request.state.user is not None:
        return RedirectResponse("/", status_code=303)
    return _login_page(ctx_of(request), request)


def _named(username: str, account: bool) -> str:
    """A user name for the log only when it is an account's: what someone typed into the user name
    field may be their password."""
    return f"user {username!r}" if account else "an unknown user name"


@router.post("/login")
async def login(request: Request) -> Response:
    ctx = ctx_of(request)
    form = await request.form()
    username = str(form.get("username") or "").strip()
    password = str(form.get("password") or "")
    nonce = request.cookies.get(LOGIN_COOKIE)
    if not nonce or not ctx.tokens.csrf_ok("login", nonce, str(form.get("csrf_token") or "")):
        raise HTTPException(status_code=403, detail="invalid or missing CSRF token; reload the login page")
    t = ctx.translator.for_language(ctx.settings.default_language)
    client = request.client.host if request.client else "unknown"
    since = datetime.now(UTC) - timedelta(minutes=ctx.settings.login_window_minutes)
    limit = ctx.settings.login_max_failures
    if (
        ctx.attempts.failures(since=since, username=username) >= limit
        or ctx.attempts.failures(since=since, client=client) >= limit * CLIENT_FACTOR
    ):
        account = bool(username) and ctx.users.by_username(username) is not None
        log.warning("login rate limit hit for %s from %s", _named(username, account), client)
        return _login_page(ctx, request, error=t("login.too_many"), status=429)
    found = ctx.users.by_username(username) if username else None
    ok = verify_password(found[1] if found else DUMMY_HASH, password) and found is not None and found[0].active
    ctx.attempts.record(username, client, ok)
    if not ok or found is None:
        log.info("failed login for %s from %s", _named(username, found is not None), client)
        return _login_page(ctx, request, error=t("login.failed"), status=401)
    user, stored = found
    if needs_rehash(stored):
        ctx.users.rehash(user.id, hash_password(password))
    token = new_token()
    ctx.sessions.create(user.id, token, ctx.session_lifetime)
    log.info("user %r logged in from %s", username, client)
    response = RedirectResponse(safe_next(str(form.get("next") or "/")), status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        ctx.tokens.sign_session(token),
        max_age=int(ctx.session_lifetime.total_seconds()),
        httponly=True,
        samesite=ctx.settings.cookie_samesite,
        secure=ctx.settings.cookie_secure,
        path="/",
    )
    response.delete_cookie(LOGIN_COOKIE, path="/login")
    return response


@router.post("/logout")
async def logout(request: Request) -> Response:
    ctx = ctx_of(request)
    await ctx.checked_form(request)
    ctx.sessions.end(request.state.session_token)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.post("/account/language")
async def set_language(request: Request) -> Response:
    ctx = ctx_of(request)
    form = await ctx.checked_form(request)
    try:
        ctx.users.set_language(request.state.user.id, str(form.get("language") or ""))
    except UserError as e:
        raise HTTPException(status_code=400, detail=str(e)) from e
    return RedirectResponse(safe_next(str(form.get("next") or "/")), status_code=303)
