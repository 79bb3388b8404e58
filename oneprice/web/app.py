"""The dashboard's composition root: `create_app(config, db)` wires settings, storage and routes.

Every response carries the security headers, error pages included; every path but /healthz,
/login and /static needs a session (pages redirect to the login page, everything else gets 401).
A malformed path or query value is a 404 or 400 with a short text, never a JSON echo of the input
or a traceback.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from pathlib import Path
from urllib.parse import quote

from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import PlainTextResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from oneprice.errors import UserError
from oneprice.settings.loader import LoadedConfig
from oneprice.storage import Database
from oneprice.web.context import SESSION_COOKIE, WebContext
from oneprice.web.security import PAGE_HEADERS

log = logging.getLogger(__name__)

HERE = Path(__file__).parent
PUBLIC_PREFIXES = ("/static/",)
PUBLIC_PATHS = {"/healthz", "/login", "/favicon.ico"}


def secret_key_of(config: LoadedConfig) -> str:
    """The configured session secret, or a UserError that says how to set one."""
    web = config.settings.web
    if web.secret_key is None:
        raise UserError(
            "web.secret_key is not set: export ONEPRICE_SECRET_KEY (32+ characters, e.g. `openssl rand -hex 32`)"
        )
    return web.secret_key.get_secret_value()


def create_app(
    config: LoadedConfig,
    db: Database,
    *,
    secret_key: str | None = None,
    reload_config: Callable[[], LoadedConfig] | None = None,
) -> FastAPI:
    """The dashboard app over `db`; `secret_key` overrides `web.secret_key` (tests); `reload_config`
    loads the configuration again when its files are edited (`oneprice serve`)."""
    ctx = WebContext(config, db, secret_key or secret_key_of(config), reload_config)
    app = FastAPI(title="oneprice", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.ctx = ctx
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")

    @app.middleware("http")
    async def guard(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        path = request.url.path
        if ctx.config_check_due():
            await run_in_threadpool(ctx.check_config)
        request.state.user = None
        request.state.session_token = None
        raw = request.cookies.get(SESSION_COOKIE)
        if raw:
            token = ctx.tokens.unsign_session(raw)
            if token:
                user = ctx.sessions.user_for(token)
                if user is not None:
                    request.state.user, request.state.session_token = user, token
        if request.state.user is None and path not in PUBLIC_PATHS and not path.startswith(PUBLIC_PREFIXES):
            if request.method == "GET" and "text/html" in request.headers.get("accept", ""):
                target = path + (f"?{request.url.query}" if request.url.query else "")
                response: Response = RedirectResponse(f"/login?next={quote(target, safe='')}", status_code=303)
            else:
                response = PlainTextResponse("authentication required", status_code=401)
        else:
            response = await call_next(request)
        for name, value in PAGE_HEADERS.items():
            response.headers.setdefault(name, value)
        if ctx.settings.cookie_secure:  # served over HTTPS: browsers keep to it
            response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
        if request.state.user is not None:
            response.headers.setdefault("Cache-Control", "private, no-store")
        return response

    def error_page(request: Request, status: int, detail: str) -> Response:
        user = getattr(request.state, "user", None)
        if "text/html" in request.headers.get("accept", "") and user is not None:
            return ctx.render(request, "error.html", {"status": status, "detail": detail}, status)
        return PlainTextResponse(detail, status_code=status)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        return error_page(request, exc.status_code, str(exc.detail))

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> Response:
        # `/alerts/abc` names nothing that exists; the input is not echoed back.
        in_path = any(e.get("loc", ("",))[0] == "path" for e in exc.errors())
        return error_page(request, 404, "not found") if in_path else error_page(request, 400, "bad request")

    @app.exception_handler(Exception)
    async def server_error(request: Request, exc: Exception) -> Response:
        # Runs outside the middleware above, so the headers are set here; the server logs the traceback.
        response = PlainTextResponse("internal error: the dashboard's log has the details", status_code=500)
        response.headers.update(PAGE_HEADERS)
        response.headers["Cache-Control"] = "no-store"
        return response

    from oneprice.web.routes import alerts, auth, catalog, notices, ops, overview

    for module in (auth, overview, alerts, catalog, notices, ops):
        app.include_router(module.router)
    return app
