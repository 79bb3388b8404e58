"""Notices to resellers: render a violation notice for a seller's active alerts at its next stage.

Templates are Jinja2 files `<stage>.<language>.txt` (and optionally `.html`; otherwise the text is
wrapped in `notice.html`), looked up first in `alerts.notices.templates`, then in the built-in set.
HTML is autoescaped: seller names, titles and URLs come from scraped pages.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from jinja2 import (
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    StrictUndefined,
    TemplateError,
    TemplateNotFound,
    TemplateSyntaxError,
    select_autoescape,
)

from alerts.delivery import is_mail_route
from alerts.messages import one_line
from oneprice.domain.alert import AlertStatus
from oneprice.domain.notice import Notice
from oneprice.domain.outbox import OutboxMessage
from oneprice.errors import UserError
from oneprice.settings.loader import LoadedConfig
from oneprice.storage import AlertRepository, Database, ObservationRepository
from oneprice.storage.notices import NoticeRepository

BUILT_IN = Path(__file__).parent / "templates" / "notices"
SUBJECTS = {
    "zh-CN": {
        "first_notice": "价格违规通知",
        "second_notice": "价格违规第二次通知",
        "platform_complaint": "平台投诉",
    },
    "en": {
        "first_notice": "Price violation notice",
        "second_notice": "Second price violation notice",
        "platform_complaint": "Complaint to the platform",
    },
}


def notice_environment(config: LoadedConfig) -> Environment:
    """Templates from `alerts.notices.templates` first, then the built-in ones; a directory named there
    that is not there is an error, not a quiet fall back to the built-in letters."""
    dirs = []
    if config.settings.alerts.notices.templates:
        own = config.resolve_path(config.settings.alerts.notices.templates)
        if not own.is_dir():
            raise UserError(f"alerts.notices.templates: no such directory: {own}")
        dirs.append(str(own))
    dirs.append(str(BUILT_IN))
    return Environment(
        loader=ChoiceLoader([FileSystemLoader(d) for d in dirs]),
        autoescape=select_autoescape(enabled_extensions=("html",), default_for_string=False),
        undefined=StrictUndefined,
    )


def template_problem(error: Exception) -> str:
    """Where a notice template failed: file:line and Jinja's words (a syntax error, an undefined name)."""
    if isinstance(error, TemplateSyntaxError):
        where = f"{error.filename or error.name}:{error.lineno}"
        return f"notice template {where}: {error.message}"
    if isinstance(error, UnicodeDecodeError):
        return f"a notice template is not UTF-8 text ({error.reason} at byte {error.start}); save it as UTF-8"
    # Jinja puts the template's own frames in the traceback: the innermost one is where it failed.
    where = "a notice template"
    tb = error.__traceback__
    while tb is not None:
        name = tb.tb_frame.f_code.co_filename
        if name.endswith((".txt", ".html")):
            where = f"notice template {name}:{tb.tb_lineno}"
        tb = tb.tb_next
    return f"{where}: {error} (the names a template can use: brand, seller, stage, items)"


def stage_name(config: LoadedConfig, stage: int) -> str:
    stages = config.settings.alerts.notices.stages
    return stages[min(stage, len(stages)) - 1]


def draft(
    config: LoadedConfig,
    db: Database,
    seller_key: str,
    *,
    language: str | None = None,
    now: datetime | None = None,
) -> Notice:
    """Draft the next-stage notice about a seller's open and acknowledged alerts."""
    now = now or datetime.now(UTC)
    env = notice_environment(config)
    language = language or config.settings.alerts.notices.language
    alerts = AlertRepository(db).list(status=(AlertStatus.OPEN, AlertStatus.ACKNOWLEDGED), seller_key=seller_key)
    alerts = [a for a in alerts if a.rule in ("undercut", "unauthorized_seller", "drift")]
    if not alerts:
        raise UserError(f"seller {seller_key!r} has no open price alerts to give notice of")
    notices = NoticeRepository(db)
    stage = notices.sent_count(seller_key) + 1
    name = stage_name(config, stage)
    products = config.catalog.by_sku()
    observations = ObservationRepository(db)
    items: list[dict[str, Any]] = []
    for a in alerts:
        obs = observations.get(a.observation_id) if a.observation_id else None
        evidence = f"#{a.id}/obs {a.observation_id}" + (
            f"/sha256 {obs.evidence_sha256[:12]}" if obs and obs.evidence_sha256 else ""
        )
        product = products.get(a.product_sku)
        items.append(
            {
                "sku": a.product_sku,
                "product": product.name if product else "",
                "observed": a.observed_price,
                "unified": a.unified_price,
                "platform": a.platform,
                "url": a.url,
                "seen": f"{a.first_seen:%Y-%m-%d %H:%M} – {a.last_seen:%Y-%m-%d %H:%M} UTC",
                "evidence": evidence,
            }
        )
    seller = alerts[0].seller_name or seller_key
    ctx = {"brand": config.settings.brand.name, "seller": seller, "stage": name, "items": items}
    try:
        text = env.get_template(f"{name}.{language}.txt").render(ctx)
        try:
            html = env.get_template(f"{name}.{language}.html").render(ctx)
        except TemplateNotFound:
            html = env.get_template("notice.html").render(text=text)
    except TemplateNotFound as e:
        raise UserError(f"no notice template {e.name} (in alerts.notices.templates or built in)") from None
    except (TemplateError, UnicodeDecodeError) as e:
        raise UserError(template_problem(e)) from None
    label = SUBJECTS.get(language, {}).get(name, name)
    subject = one_line(f"{config.settings.brand.name}: {label} – {seller}")
    return notices.add_draft(
        seller_key=seller_key,
        seller_name=alerts[0].seller_name,
        stage=stage,
        language=language,
        alert_ids=[a.id for a in alerts],
        subject=subject,
        body_text=text,
        body_html=html,
        now=now,
    )


_ADDRESS = re.compile(r"^[^@\s,;<>\"']+@[^@\s,;<>\"']+\.[^@\s,;<>\"']+$")


def recipient_for(config: LoadedConfig, notice: Notice, to: str | None = None) -> str | None:
    """Where a notice goes: `to` if given, else the reseller's `contact` (an e-mail address) unless
    the stage is one of `alerts.notices.internal_stages`; None means the route's own recipients."""
    if to is not None:
        if not _ADDRESS.match(to):
            raise UserError(f"--to {to!r} is not an e-mail address")
        return to
    if stage_name(config, notice.stage) in config.settings.alerts.notices.internal_stages:
        return None
    reseller = next((r for r in config.settings.resellers if r.id == notice.seller_key), None)
    contact = reseller.contact.strip() if reseller is not None and reseller.contact else None
    return contact if contact and _ADDRESS.match(contact) else None


def send(
    config: LoadedConfig, db: Database, notice_id: int, *, to: str | None = None, now: datetime | None = None
) -> Notice:
    """Queue a drafted notice on `alerts.notices.route`; `oneprice notify` delivers it.

    On a mail route the notice is addressed to the reseller (`recipient_for`), with a blind copy to
    the route's own recipients; on other routes (IM, webhook) it goes to the route as it is.
    """
    now = now or datetime.now(UTC)
    route_name = config.settings.alerts.notices.route
    route = next((r for r in config.settings.alerts.routes if r.name == route_name), None)
    if route is None:
        raise UserError("set alerts.notices.route to the name of a route to send notices through")
    notices = NoticeRepository(db)
    notice = notices.get(notice_id)
    if notice is None:
        raise UserError(f"no notice #{notice_id}")
    recipient = recipient_for(config, notice, to)
    if recipient is not None and not is_mail_route(route):
        if to is not None:
            raise UserError(f"route {route.name!r} is not a mail route (mailto://): it cannot send to {to}")
        recipient = None
    message = OutboxMessage(
        dedupe_key=f"notice:{notice_id}",
        route=route.name,
        kind="notice",
        mode="immediate",
        alert_id=None,
        severity="warning",
        subject=notice.subject,
        body_text=notice.body_text,
        body_html=notice.body_html,
        recipient=recipient,
    )
    return notices.send(notice_id, message, now)
