"""What every route needs: settings, repositories, the template environment, CSRF checks, roles."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Annotated, Any

from fastapi import HTTPException, Request
from fastapi import Path as PathParam
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from starlette.datastructures import FormData

from oneprice.errors import ConfigError
from oneprice.settings.loader import LoadedConfig
from oneprice.settings.watch import ConfigWatcher, store_catalog
from oneprice.storage import Database, ObservationRepository
from oneprice.storage.users import LoginAttemptRepository, Role, SessionRepository, User, UserRepository
from oneprice.storage.web_queries import DashboardQueries
from oneprice.web import formatting
from oneprice.web.i18n import Translator
from oneprice.web.security import Tokens

SESSION_COOKIE = "oneprice_session"
# Row ids fit a signed 64-bit integer; a bigger number in a path is a 404, not a database error.
MAX_ID = 2**63 - 1
RowId = Annotated[int, PathParam(ge=1, le=MAX_ID)]
LOGIN_COOKIE = "oneprice_login"
HERE = Path(__file__).parent
log = logging.getLogger(__name__)


# How often a request looks at the configuration's files (a stat of two files) for an edit.
CONFIG_CHECK_SECONDS = 2.0


class WebContext:
    def __init__(
        self,
        config: LoadedConfig,
        db: Database,
        secret_key: str,
        reload_config: Callable[[], LoadedConfig] | None = None,
    ) -> None:
        self.db = db
        self._use(config)
        # The catalog and config are read again once edited: a notice drafted here states the unified
        # price the brand set, not the one of the day the dashboard started.
        self.watcher = ConfigWatcher(config, reload_config) if reload_config is not None else None
        self._checked = time.monotonic()
        self._check_lock = threading.Lock()
        self.tokens = Tokens(secret_key)
        self.users = UserRepository(db)
        self.sessions = SessionRepository(db)
        self.attempts = LoginAttemptRepository(db)
        self.queries = DashboardQueries(db)
        self.observations = ObservationRepository(db)
        self.session_lifetime = timedelta(hours=self.settings.session_hours)
        self.translator = Translator.load(HERE / "i18n")
        # Autoescape for every template, whatever its name: scraped text is hostile.
        self.env = Environment(
            loader=FileSystemLoader(HERE / "templates"),
            autoescape=select_autoescape(default=True, default_for_string=True),
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        formatting.install(self.env)
        self.rule_names = rule_names()

    def _use(self, config: LoadedConfig) -> None:
        """What the routes read from the configuration."""
        self.config = config
        self.settings = config.settings.web
        self.products = config.catalog.by_sku()
        st = config.settings
        self.platforms = sorted(
            {w.platform for w in st.watch}
            | {c.platform for c in st.channels}
            | {p for r in st.resellers for p in r.platforms}
        )

    def config_check_due(self) -> bool:
        return self.watcher is not None and time.monotonic() - self._checked >= CONFIG_CHECK_SECONDS

    def check_config(self) -> None:
        """Switch to an edited configuration (`ConfigWatcher`); one that does not load is logged and the
        dashboard keeps the one it has. Called off the event loop: loading a catalog takes a moment."""
        if self.watcher is None or not self._check_lock.acquire(blocking=False):
            return  # another request is already looking
        try:
            self._checked = time.monotonic()
            try:
                new = self.watcher.poll()
            except ConfigError as e:
                log.error("configuration not reloaded; the dashboard keeps the one it has: %s", e)
                return
            if new is None:
                return
            store_catalog(new, self.db)
            self._use(new)
            self.watcher.accept(new)
            log.info("configuration reloaded: %d products", len(new.catalog.products))
        except Exception:
            log.exception("configuration not reloaded; will try again")
        finally:
            self._check_lock.release()

    def language(self, request: Request) -> str:
        user: User | None = request.state.user
        return user.language if user else self.settings.default_language

    def csrf_token(self, request: Request) -> str:
        token = request.state.session_token
        return self.tokens.csrf_for("session", token) if token else ""

    def render(self, request: Request, template: str, context: dict[str, Any], status_code: int = 200) -> HTMLResponse:
        lang = self.language(request)
        user: User | None = request.state.user
        page = self.env.get_template(template).render(
            {
                "request": request,
                "user": user,
                "lang": lang,
                "t": self.translator.for_language(lang),
                "csrf_token": self.csrf_token(request),
                "brand": self.config.settings.brand.name,
                "can_act": bool(user and user.can_act_on_alerts()),
                **context,
            }
        )
        return HTMLResponse(page, status_code=status_code)

    async def checked_form(self, request: Request) -> FormData:
        """The posted form, after its CSRF token was checked against the session (403 otherwise)."""
        form = await request.form()
        submitted = form.get("csrf_token")
        token = request.state.session_token
        if not token or not self.tokens.csrf_ok("session", token, submitted if isinstance(submitted, str) else None):
            raise HTTPException(status_code=403, detail="invalid or missing CSRF token")
        return form

    @staticmethod
    def require_role(request: Request, *roles: Role) -> User:
        user: User | None = request.state.user
        if user is None:
            raise HTTPException(status_code=401, detail="authentication required")
        if user.role is not Role.ADMIN and user.role not in roles:
            raise HTTPException(status_code=403, detail="your role does not allow this")
        return user


def row_id(text: str | None) -> int | None:
    """A row id from a form or query value (ASCII digits, within MAX_ID), else None."""
    if not text or len(text) > 19 or not (text.isascii() and text.isdigit()):
        return None
    value = int(text)
    return value if 1 <= value <= MAX_ID else None


def rule_names() -> list[str]:
    """Every rule that can raise an alert (the inbox's rule filter)."""
    from alerts.rules import RULES, CoverageGapRule
    from sync.verifier import RULE as OWN_CHANNEL_DRIFT

    return sorted({*RULES, CoverageGapRule.name, OWN_CHANNEL_DRIFT})


def ctx_of(request: Request) -> WebContext:
    ctx: WebContext = request.app.state.ctx
    return ctx
