"""Outbox delivery against a real local SMTP server (aiosmtpd) and a local webhook receiver.

The SMTP server is stopped and restarted: every message arrives exactly once, none is lost.
"""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email import message_from_bytes, policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from alerts.delivery import deliver
from alerts.messages import messages_for
from oneprice.domain.alert import Severity, Violation
from oneprice.domain.catalog import Product
from oneprice.domain.money import Money
from oneprice.domain.outbox import OutboxMessage
from oneprice.settings.alerts import AlertSettings, RouteSettings
from oneprice.storage import AlertRepository, Database, OutboxRepository

T0 = datetime(2026, 11, 11, 12, 0, tzinfo=UTC)
HOSTILE = '<script>alert("x")</script>'
PRODUCTS = {"JK": Product(sku="JK", name="Jacket <b>", unified_price=Money.of("1000", "CNY"), product_line="apparel")}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Mailbox:
    def __init__(self) -> None:
        self.messages: list[bytes] = []
        self.envelopes: list[list[str]] = []  # RCPT TO of each message, blind copies included

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(envelope.content)
        self.envelopes.append(list(envelope.rcpt_tos))
        return "250 OK"


class SmtpServer:
    """An aiosmtpd server on a fixed port that can be stopped and started again."""

    def __init__(self) -> None:
        self.port = free_port()
        self.mailbox = Mailbox()
        self.controller: Controller | None = None

    def start(self) -> None:
        self.controller = Controller(self.mailbox, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    server = SmtpServer()
    yield server
    server.stop()


@pytest.fixture
def webhook() -> Iterator[tuple[int, list[dict[str, Any]]]]:
    received: list[dict[str, Any]] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            received.append(json.loads(body))
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1], received
    server.shutdown()
    server.server_close()


def violation(seller: str, gap: str, severity: Severity = Severity.WARNING) -> Violation:
    return Violation(
        rule="undercut",
        product_sku="JK",
        seller_key=f"name:{seller}",
        seller_name=seller,
        reseller_id=None,
        platform="tmall",
        unified_price=Money.of("1000", "CNY"),
        observed_price=Money.of(1000 - int(gap) * 10, "CNY"),
        gap_percent=None if gap == "0" else __import__("decimal").Decimal(gap),
        severity=severity,
        message=f"seller {seller} below",
        url='http://127.0.0.1/item?x="><img src=x onerror=alert(1)>',
        observation_id=None,
        observed_at=T0,
    )


def settings(smtp_port: int, hook_port: int, **mail: Any) -> AlertSettings:
    return AlertSettings(
        routes=(
            RouteSettings(
                name="mail",
                url=f"mailto://127.0.0.1:{smtp_port}?from=alerts@shanyu.example&to=brand@shanyu.example",
                language="en",
                **mail,
            ),
            RouteSettings(name="hook", url=f"json://127.0.0.1:{hook_port}/oneprice", tags=("im",), language="zh-CN"),
        )
    )


def raise_alerts(db: Database, s: AlertSettings, violations: list[Violation], now: datetime = T0) -> None:
    AlertRepository(db).apply(violations, [], now, messages=lambda c: messages_for(c, s.routes, PRODUCTS))


def html_part(raw: bytes) -> str:
    msg = message_from_bytes(raw, policy=policy.default)
    part = msg.get_body(preferencelist=("html",))  # type: ignore[attr-defined]
    assert part is not None
    return str(part.get_content())


def test_outage_delays_but_never_loses_or_duplicates(
    sqlite_db: Database, smtp: SmtpServer, webhook: tuple[int, list[dict[str, Any]]]
) -> None:
    hook_port, hooks = webhook
    s = settings(smtp.port, hook_port)
    raise_alerts(sqlite_db, s, [violation(f"seller{i}", "10") for i in range(3)])

    # SMTP down: mail stays pending with the error; the webhook route is not held back by it.
    first = deliver(s, sqlite_db, now=T0)
    assert len(hooks) == 3 and {f.route for f, _, _ in first.failed} == {"mail"}
    [(_, error, retry)] = first.failed
    assert "127.0.0.1" in error and retry == T0 + timedelta(seconds=60)
    assert OutboxRepository(sqlite_db).counts() == {"pending": 3, "sent": 3}

    # Still down on the next attempt: backoff doubles.
    second = deliver(s, sqlite_db, now=retry)
    assert second.failed[0][2] == retry + timedelta(seconds=120)
    # Before the next attempt is due nothing is tried.
    assert not deliver(s, sqlite_db, now=retry + timedelta(seconds=10)).failed

    smtp.start()
    third = deliver(s, sqlite_db, now=retry + timedelta(seconds=120))
    assert len(third.sent) == 3 and not third.failed
    assert not deliver(s, sqlite_db, now=retry + timedelta(hours=5)).sent  # nothing twice
    subjects = sorted(message_from_bytes(m, policy=policy.default)["subject"] for m in smtp.mailbox.messages)
    assert len(subjects) == 3 and len(set(subjects)) == 3
    assert len(hooks) == 3 and OutboxRepository(sqlite_db).counts() == {"sent": 6}


def test_hostile_text_is_escaped_in_mail_and_plain_in_the_webhook(
    sqlite_db: Database, smtp: SmtpServer, webhook: tuple[int, list[dict[str, Any]]]
) -> None:
    hook_port, hooks = webhook
    smtp.start()
    s = settings(smtp.port, hook_port)
    raise_alerts(sqlite_db, s, [violation(HOSTILE, "10")])
    deliver(s, sqlite_db, now=T0)
    [raw] = smtp.mailbox.messages
    html = html_part(raw)
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<img" not in html and "Jacket &lt;b&gt;" in html
    assert 'href="http://127.0.0.1/item?x=&#34;&gt;&lt;img' in html  # inside the attribute, escaped
    [hook] = hooks
    assert HOSTILE in hook["message"] and "卖家" in hook["message"]  # text route: zh-CN, verbatim text


def test_critical_goes_at_once_the_rest_waits_for_the_digest(
    sqlite_db: Database, smtp: SmtpServer, webhook: tuple[int, list[dict[str, Any]]]
) -> None:
    hook_port, _ = webhook
    smtp.start()
    s = settings(smtp.port, hook_port, digest_minutes=60)
    raise_alerts(sqlite_db, s, [violation("a", "20", Severity.CRITICAL), violation("b", "8"), violation("c", "9")])
    now = T0
    deliver(s, sqlite_db, now=now, tags=("none",))  # no route has this tag: nothing happens
    assert not smtp.mailbox.messages
    deliver(s, sqlite_db, now=now)
    assert len(smtp.mailbox.messages) == 1  # the critical one
    deliver(s, sqlite_db, now=now + timedelta(minutes=30))
    assert len(smtp.mailbox.messages) == 1  # digest period not over
    deliver(s, sqlite_db, now=now + timedelta(minutes=61))
    assert len(smtp.mailbox.messages) == 2
    digest = message_from_bytes(smtp.mailbox.messages[1], policy=policy.default)
    assert digest["subject"] == "oneprice digest: 2 alerts"
    deliver(s, sqlite_db, now=now + timedelta(minutes=200))
    assert len(smtp.mailbox.messages) == 2
    assert OutboxRepository(sqlite_db).counts() == {"bundled": 2, "sent": 2 + 3}


def test_a_notice_reaches_the_reseller_with_a_blind_copy_to_the_brand(
    sqlite_db: Database, smtp: SmtpServer, webhook: tuple[int, list[dict[str, Any]]]
) -> None:
    smtp.start()
    s = settings(smtp.port, webhook[0])
    notice = OutboxMessage(
        dedupe_key="notice:1", route="mail", kind="notice", mode="immediate", alert_id=None, severity="warning",
        subject="价格违规通知", body_text="text", body_html="<p>html</p>", recipient="ops@star.example",
    )  # fmt: skip
    OutboxRepository(sqlite_db).enqueue([notice], T0)
    assert len(deliver(s, sqlite_db, now=T0).sent) == 1
    [raw], [rcpt] = smtp.mailbox.messages, smtp.mailbox.envelopes
    assert sorted(rcpt) == ["brand@shanyu.example", "ops@star.example"]
    mail = message_from_bytes(raw, policy=policy.default)
    assert mail["to"] == "ops@star.example" and "brand@" not in str(mail)  # the copy is blind
