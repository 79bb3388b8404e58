"""Outbox messages from episode changes: pick the routes, render the zh-CN/en templates.

HTML is rendered with autoescape on, so scraped seller names, titles and URLs arrive as text.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, tzinfo
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from oneprice.domain.alert import Alert
from oneprice.domain.catalog import Product
from oneprice.domain.outbox import OutboxItem, OutboxMessage
from oneprice.settings.alerts import RouteSettings
from oneprice.storage import EpisodeChanges

TEMPLATES = Path(__file__).parent / "templates"

RULE_LABELS = {
    "zh-CN": {
        "undercut": "低于统一价",
        "unauthorized_seller": "未授权卖家",
        "drift": "价格下滑",
        "coverage_gap": "监控中断",
        "own_channel_drift": "自营渠道价格不一致",
    },
    "en": {},
}
SEVERITY_LABELS = {"zh-CN": {"info": "提示", "warning": "警告", "critical": "严重"}, "en": {}}


@cache
def environment(directory: str = str(TEMPLATES)) -> Environment:
    return Environment(
        loader=FileSystemLoader(directory),
        autoescape=select_autoescape(enabled_extensions=("html",), default_for_string=False),
        undefined=StrictUndefined,
        keep_trailing_newline=False,
    )


def safe_href(url: str | None) -> str | None:
    """Only http(s) links become clickable; anything else (javascript:, data:) stays text."""
    return url if url and url.lower().startswith(("http://", "https://")) else None


def one_line(text: str) -> str:
    """Subjects are one line: scraped text must not add headers or lines."""
    return " ".join(text.split())[:200]


def render_alert(alert: Alert, event: str, language: str, product: Product | None) -> tuple[str, str, str]:
    """(subject, text body, html body) of one alert event in one language."""
    env = environment()
    ctx: dict[str, Any] = {
        "alert": alert,
        "event": event,
        "product_name": product.name if product else "",
        "safe_url": safe_href(alert.url),
        "rule_label": RULE_LABELS.get(language, {}).get(alert.rule, alert.rule),
        "severity_label": SEVERITY_LABELS.get(language, {}).get(alert.severity.value, alert.severity.value),
    }
    text = env.get_template(f"alert.{language}.txt").render(ctx)
    html = env.get_template(f"alert.{language}.html").render(ctx)
    seller = alert.seller_name or alert.seller_key
    if language == "zh-CN":
        head = "已恢复" if event == "resolved" else f"[{ctx['severity_label']}] {ctx['rule_label']}"
        subject = f"{head} #{alert.id}: {alert.product_sku} {seller} ({alert.platform})"
    else:
        head = "resolved" if event == "resolved" else f"[{alert.severity.value}] {alert.rule}"
        subject = f"{head} #{alert.id}: {alert.product_sku} {seller} on {alert.platform}"
    return one_line(subject), text, html


def render_digest(
    items: Sequence[OutboxItem], language: str, start: datetime, end: datetime, zone: tzinfo
) -> tuple[str, str, str]:
    """The summary of the messages queued in the digest period [start, end), shown on the local clock."""
    env = environment()
    ctx = {
        "items": items,
        "start": start.astimezone(zone).strftime("%Y-%m-%d %H:%M"),
        "end": end.astimezone(zone).strftime("%Y-%m-%d %H:%M"),
        "zone": str(zone),
    }
    text = env.get_template(f"digest.{language}.txt").render(ctx)
    html = env.get_template(f"digest.{language}.html").render(ctx)
    subject = f"oneprice 告警汇总: {len(items)} 条" if language == "zh-CN" else f"oneprice digest: {len(items)} alerts"
    return subject, text, html


def messages_for(
    changes: EpisodeChanges, routes: Sequence[RouteSettings], products: Mapping[str, Product]
) -> list[OutboxMessage]:
    """One message per (alert event, route that wants it); the dedupe key makes a replay harmless."""
    out: list[OutboxMessage] = []
    for event, alerts in (("opened", changes.opened), ("resolved", changes.resolved)):
        for alert in alerts:
            product = products.get(alert.product_sku)
            line = product.product_line if product else None
            for route in routes:
                if event not in route.events or not route.wants(alert.rule, alert.severity, alert.platform, line):
                    continue
                subject, text, html = render_alert(alert, event, route.language, product)
                out.append(
                    OutboxMessage(
                        dedupe_key=f"alert:{alert.id}:{event}:{route.name}",
                        route=route.name,
                        kind="alert",
                        mode=route.mode_for(alert.severity),
                        alert_id=alert.id,
                        severity=alert.severity.value,
                        subject=subject,
                        body_text=text,
                        body_html=html,
                    )
                )
    return out
