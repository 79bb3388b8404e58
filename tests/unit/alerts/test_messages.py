"""Route selection and message rendering: zh-CN/en, immediate/digest, hostile text escaped in HTML."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from alert_fakes import JACKET, TENT

from alerts.messages import messages_for, render_alert, safe_href
from oneprice.domain.alert import Alert, AlertStatus, Severity
from oneprice.domain.money import Money
from oneprice.settings.alerts import RouteSettings
from oneprice.storage import EpisodeChanges

T0 = datetime(2026, 11, 11, tzinfo=UTC)
HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def alert(
    *,
    rule: str = "undercut",
    severity: Severity = Severity.WARNING,
    platform: str = "tmall",
    sku: str = "JK",
    seller: str = "星光",
    url: str = "http://127.0.0.1/item",
) -> Alert:
    return Alert(
        id=7,
        rule=rule,
        status=AlertStatus.OPEN,
        severity=severity,
        product_sku=sku,
        seller_key="star",
        seller_name=seller,
        reseller_id="star",
        platform=platform,
        unified_price=Money.of("1000", "CNY"),
        observed_price=Money.of("880", "CNY"),
        gap_percent=Decimal("12.00"),
        message=f"{seller} sells below",
        url=url,
        observation_id=3,
        first_seen=T0,
        last_seen=T0,
        resolved_at=None,
    )


def route(**kw: object) -> RouteSettings:
    return RouteSettings.model_validate({"name": "r", "url": "json://127.0.0.1/x", **kw})


SELECTION = [
    # route settings, alert, wanted?
    ({}, alert(), True),
    ({"min_severity": "critical"}, alert(), False),
    ({"min_severity": "critical"}, alert(severity=Severity.CRITICAL), True),
    ({"platforms": ["jd"]}, alert(), False),
    ({"platforms": ["jd", "tmall"]}, alert(), True),
    ({"product_lines": ["gear"]}, alert(), False),
    ({"product_lines": ["gear"]}, alert(sku="TN"), True),
    ({"rules": ["unauthorized_seller"]}, alert(), False),
    ({"events": ["resolved"]}, alert(), False),
]


@pytest.mark.parametrize(("settings", "a", "wanted"), SELECTION)
def test_route_selection(settings: dict[str, object], a: Alert, wanted: bool) -> None:
    out = messages_for(EpisodeChanges(opened=[a]), [route(**settings)], {"JK": JACKET, "TN": TENT})
    assert bool(out) == wanted


MODES = [
    (0, Severity.WARNING, "immediate"),
    (60, Severity.WARNING, "digest"),
    (60, Severity.CRITICAL, "immediate"),
]


@pytest.mark.parametrize(("digest", "severity", "mode"), MODES)
def test_critical_is_immediate_the_rest_follows_the_digest(digest: int, severity: Severity, mode: str) -> None:
    [m] = messages_for(
        EpisodeChanges(opened=[alert(severity=severity)]), [route(digest_minutes=digest)], {"JK": JACKET}
    )
    assert m.mode == mode and m.dedupe_key == "alert:7:opened:r"


def test_languages() -> None:
    zh = render_alert(alert(), "opened", "zh-CN", JACKET)
    en = render_alert(alert(), "resolved", "en", JACKET)
    assert zh[0].startswith("[警告] 低于统一价 #7") and "统一价 1000.00 CNY" in zh[1]
    assert en[0].startswith("resolved #7") and "Resolved" in en[1]


@pytest.mark.parametrize("language", ["zh-CN", "en"])
def test_hostile_seller_and_url_are_escaped_in_html(language: str) -> None:
    bad = alert(seller=HOSTILE, url='javascript:alert(1)//"><b>')
    subject, text, html = render_alert(bad, "opened", language, JACKET)
    assert "<script>" not in html and "<img" not in html and "<b>" not in html
    assert "&lt;script&gt;" in html
    assert 'href="javascript' not in html  # not a link at all
    assert HOSTILE in text  # the text body is plain text for text-only routes
    assert "\n" not in subject


@pytest.mark.parametrize(
    ("url", "href"),
    [
        ("https://a.example/x", "https://a.example/x"),
        ("HTTP://a.example", "HTTP://a.example"),
        ("javascript:alert(1)", None),
        ("data:text/html,x", None),
        (None, None),
    ],
)
def test_only_http_links(url: str | None, href: str | None) -> None:
    assert safe_href(url) == href
