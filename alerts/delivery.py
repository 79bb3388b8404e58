"""Outbox delivery: send what is due through each route, retry failures with backoff, fold digests.

A message is marked sent only after its route accepted it, and stays pending (with the error
and the time of the next attempt) when it did not: an outage delays notifications, never loses
them. Enqueueing is idempotent (dedupe keys), so a replayed evaluation never sends twice.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Protocol
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from alerts.messages import render_digest
from alerts.periods import period
from oneprice.domain.outbox import OutboxItem, OutboxMessage
from oneprice.errors import OnepriceError
from oneprice.settings.alerts import AlertSettings, RouteSettings
from oneprice.settings.secrets import mask_secret
from oneprice.storage import Database, OutboxRepository

log = logging.getLogger(__name__)
alert_log = logging.getLogger("oneprice.alerts")


class DeliveryError(OnepriceError):
    """A route did not accept a message; the message stays in the outbox."""


class Transport(Protocol):
    def send(self, route: RouteSettings, subject: str, text: str, html: str) -> None:
        """Deliver one message or raise DeliveryError."""


def _scrub(text: str, secret: str) -> str:
    """Route URLs carry passwords and tokens: never let them into an error message."""
    return text.replace(secret, mask_secret(secret)) if secret else text


def is_mail_route(route: RouteSettings) -> bool:
    return route.url.get_secret_value().split(":", 1)[0].lower() in ("mailto", "mailtos")


def addressed(route: RouteSettings, recipient: str | None) -> RouteSettings:
    """The route as it sends to `recipient`: on a mail route `to=` becomes the recipient and the
    route's own `to=` addresses get a blind copy (the brand keeps what it sent). Without a
    recipient, or on a route that is not mail, the route is unchanged."""
    if recipient is None or not is_mail_route(route):
        return route
    parts = urlsplit(route.url.get_secret_value())
    query = parse_qsl(parts.query, keep_blank_values=True)
    own = [v for k, v in query if k.lower() == "to" and v]
    bcc = [v for k, v in query if k.lower() == "bcc" and v] + own
    kept = [(k, v) for k, v in query if k.lower() not in ("to", "bcc")]
    kept.append(("to", recipient))
    if bcc:
        kept.append(("bcc", ",".join(bcc)))
    url = urlunsplit(parts._replace(query=urlencode(kept, safe="@,")))
    return route.model_copy(update={"url": type(route.url)(url)})


class AppriseTransport:
    """Apprise URLs (mailto://, json://, dingtalk://, wecombot://, feishu://, slack://, ...);
    `log://` is the built-in route that writes to the `oneprice.alerts` log."""

    def send(self, route: RouteSettings, subject: str, text: str, html: str) -> None:
        url = route.url.get_secret_value()
        if url.startswith("log://"):
            alert_log.warning("%s: %r", subject, text)
            return
        import apprise

        apobj = apprise.Apprise()
        if not apobj.add(url):
            raise DeliveryError(f"route {route.name}: not a usable Apprise URL ({mask_secret(url)})")
        is_mail = is_mail_route(route)
        with apprise.LogCapture(level=logging.WARNING, fmt="%(message)s") as captured:
            ok = apobj.notify(
                title=subject,
                body=html if is_mail else text,
                body_format=apprise.NotifyFormat.HTML if is_mail else apprise.NotifyFormat.TEXT,
            )
            detail = captured.getvalue().strip().splitlines()
        if not ok:
            why = detail[-1] if detail else "no detail"
            raise DeliveryError(_scrub(f"route {route.name}: delivery failed: {why}", url))


@dataclass
class DeliveryReport:
    sent: list[OutboxItem] = field(default_factory=list)
    failed: list[tuple[OutboxItem, str, datetime]] = field(default_factory=list)
    digests: int = 0


def fold_digests(
    settings: AlertSettings, outbox: OutboxRepository, now: datetime, routes: Sequence[RouteSettings]
) -> int:
    """Fold each digest route's waiting messages into one summary per period that has ended.

    Periods fall on the local clock of `alerts.timezone` (alerts/periods.py): with 1440 minutes, what
    was queued during a local day goes out in one summary just after its midnight. Messages of the
    current period wait for its end; after an outage every ended period gets its own summary. Each
    summary is queued and its messages marked bundled in one transaction (dedupe key from their ids),
    so a crash or a rerun neither loses nor repeats one.
    """
    made = 0
    zone = settings.zone
    for route in routes:
        if not route.digest_minutes:
            continue
        items = outbox.pending_digest(route.name)
        if not items:
            continue
        current, _ = period(now, route.digest_minutes, zone)
        ended: dict[tuple[datetime, datetime], list[OutboxItem]] = {}
        for item in items:
            bounds = period(item.created_at, route.digest_minutes, zone)
            if bounds[0] < current:
                ended.setdefault(bounds, []).append(item)
        for (start, end), bundled in sorted(ended.items()):
            subject, text, html = render_digest(bundled, route.language, start, end, zone)
            digest = OutboxMessage(
                dedupe_key=f"digest:{route.name}:{bundled[0].id}-{bundled[-1].id}",
                route=route.name,
                kind="digest",
                mode="immediate",
                alert_id=None,
                severity=max((i.severity for i in bundled), key=["info", "warning", "critical"].index),
                subject=subject,
                body_text=text,
                body_html=html,
            )
            if outbox.bundle(digest, [i.id for i in bundled], now) is not None:
                made += 1
    return made


def deliver(
    settings: AlertSettings,
    db: Database,
    *,
    now: datetime | None = None,
    transport: Transport | None = None,
    tags: Sequence[str] = (),
    clock: Callable[[], datetime] | None = None,
) -> DeliveryReport:
    """Send every due message once; a failing route keeps its messages for the next attempt."""
    clock = clock or (lambda: now or datetime.now(UTC))
    now = now or clock()
    transport = transport or AppriseTransport()
    routes = [r for r in settings.routes if not tags or set(tags) & set(r.tags)]
    by_name = {r.name: r for r in routes}
    outbox = OutboxRepository(db)
    report = DeliveryReport(digests=fold_digests(settings, outbox, now, routes))
    down: dict[str, datetime] = {}
    for item in outbox.due(now, routes=list(by_name)):
        route = by_name[item.route]
        if route.name in down:
            # One failure per route and run: the route's other messages wait with it.
            outbox.postpone(item.id, down[route.name])
            continue
        try:
            transport.send(addressed(route, item.recipient), item.subject, item.body_text, item.body_html)
        except Exception as e:  # any failure keeps the message; the error is recorded with it
            error = _scrub(str(e) or e.__class__.__name__, route.url.get_secret_value())
            retry = outbox.mark_failed(
                item.id, error, clock(), base=settings.retry.base_seconds, cap=settings.retry.max_seconds
            )
            log.warning("outbox #%d to route %s failed (%s); next attempt %s", item.id, route.name, error, retry)
            report.failed.append((item, error, retry))
            down[route.name] = retry
            continue
        outbox.mark_sent(item.id, clock())
        report.sent.append(item)
    return report
