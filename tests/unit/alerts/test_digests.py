"""Digest periods on the brand's local clock, and digests that survive an outage whole."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from pydantic import ValidationError

from alerts.delivery import DeliveryError, deliver
from alerts.periods import period
from oneprice.domain.outbox import OutboxMessage, OutboxStatus
from oneprice.settings.alerts import AlertSettings, RouteSettings
from oneprice.settings.models import Settings
from oneprice.storage import Database, OutboxRepository

SHANGHAI = ZoneInfo("Asia/Shanghai")
BERLIN = ZoneInfo("Europe/Berlin")
HOUR = timedelta(hours=1)


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(UTC)


PERIODS: list[tuple[str, int, ZoneInfo, str, str]] = [
    # observed at, digest_minutes, zone, period start, period end (local times)
    ("2026-11-11T23:59:59+08:00", 1440, SHANGHAI, "2026-11-11T00:00:00+08:00", "2026-11-12T00:00:00+08:00"),
    ("2026-11-12T00:00:00+08:00", 1440, SHANGHAI, "2026-11-12T00:00:00+08:00", "2026-11-13T00:00:00+08:00"),
    # 17:00 UTC is already the next day in Shanghai
    ("2026-11-11T17:00:00+00:00", 1440, SHANGHAI, "2026-11-12T00:00:00+08:00", "2026-11-13T00:00:00+08:00"),
    ("2026-11-11T17:00:00+00:00", 1440, ZoneInfo("UTC"), "2026-11-11T00:00:00+00:00", "2026-11-12T00:00:00+00:00"),
    ("2026-11-11T10:30:00+08:00", 60, SHANGHAI, "2026-11-11T10:00:00+08:00", "2026-11-11T11:00:00+08:00"),
    # under a day: from midnight every N minutes, the last one of the day ends at midnight
    ("2026-11-11T23:30:00+08:00", 100, SHANGHAI, "2026-11-11T23:20:00+08:00", "2026-11-12T00:00:00+08:00"),
    ("2026-11-12T00:10:00+08:00", 100, SHANGHAI, "2026-11-12T00:00:00+08:00", "2026-11-12T01:40:00+08:00"),
    # a week: from Monday 00:00 (2026-11-11 is a Wednesday); more than a day: whole days
    ("2026-11-11T12:00:00+08:00", 10080, SHANGHAI, "2026-11-09T00:00:00+08:00", "2026-11-16T00:00:00+08:00"),
    ("2026-11-11T12:00:00+08:00", 2000, SHANGHAI, "2026-11-11T00:00:00+08:00", "2026-11-12T00:00:00+08:00"),
    # daylight saving time: a 23-hour and a 25-hour local day; the repeated hour is one period
    ("2026-03-29T12:00:00+02:00", 1440, BERLIN, "2026-03-29T00:00:00+01:00", "2026-03-30T00:00:00+02:00"),
    ("2026-10-25T12:00:00+01:00", 1440, BERLIN, "2026-10-25T00:00:00+02:00", "2026-10-26T00:00:00+01:00"),
    ("2026-03-29T03:30:00+02:00", 60, BERLIN, "2026-03-29T03:00:00+02:00", "2026-03-29T04:00:00+02:00"),
    ("2026-10-25T02:30:00+01:00", 60, BERLIN, "2026-10-25T02:00:00+02:00", "2026-10-25T03:00:00+01:00"),
]


@pytest.mark.parametrize(("at", "minutes", "zone", "start", "end"), PERIODS)
def test_digest_periods_fall_on_local_boundaries(at: str, minutes: int, zone: ZoneInfo, start: str, end: str) -> None:
    assert period(utc(at), minutes, zone) == (utc(start), utc(end))


class Transport:
    def __init__(self) -> None:
        self.sent: list[tuple[str, str, str]] = []
        self.down = False

    def send(self, route: RouteSettings, subject: str, text: str, html: str) -> None:
        if self.down:
            raise DeliveryError("the mail server is down")
        self.sent.append((route.name, subject, text))


def daily(timezone: str = "Asia/Shanghai") -> AlertSettings:
    return AlertSettings(
        timezone=timezone, routes=(RouteSettings(name="mail", url="log://", language="en", digest_minutes=1440),)
    )


def queue(db: Database, n: int, at: datetime) -> None:
    message = OutboxMessage(
        dedupe_key=f"alert:{n}:opened:mail", route="mail", kind="alert", mode="digest", alert_id=None,
        severity="warning", subject=f"alert {n}", body_text=f"alert {n}", body_html=f"<p>alert {n}</p>",
    )  # fmt: skip
    OutboxRepository(db).enqueue([message], at)


def test_a_daily_digest_goes_out_at_local_midnight(sqlite_db: Database) -> None:
    settings, transport = daily(), Transport()
    queue(sqlite_db, 1, utc("2026-11-11T09:00:00+08:00"))
    queue(sqlite_db, 2, utc("2026-11-11T23:30:00+08:00"))
    queue(sqlite_db, 3, utc("2026-11-12T00:30:00+08:00"))  # the next local day
    deliver(settings, sqlite_db, now=utc("2026-11-11T23:59:00+08:00"), transport=transport)
    assert not transport.sent  # the local day is not over, though the first one waits for 15 hours
    deliver(settings, sqlite_db, now=utc("2026-11-12T00:01:00+08:00"), transport=transport)
    [(_, subject, text)] = transport.sent
    assert subject == "oneprice digest: 2 alerts"
    assert text.startswith("2 alert notifications from 2026-11-11 00:00 to 2026-11-12 00:00 (Asia/Shanghai)")
    assert "alert 1" in text and "alert 2" in text and "alert 3" not in text
    # Before: one digest 24 hours after the last one, whatever the local day.
    deliver(settings, sqlite_db, now=utc("2026-11-12T23:59:00+08:00"), transport=transport)
    assert len(transport.sent) == 1
    deliver(settings, sqlite_db, now=utc("2026-11-13T00:00:00+08:00"), transport=transport)
    assert [s[1] for s in transport.sent] == ["oneprice digest: 2 alerts", "oneprice digest: 1 alerts"]


def test_an_outage_sends_one_digest_per_local_day_none_lost_none_twice(sqlite_db: Database) -> None:
    settings, transport = daily(), Transport()
    first = utc("2026-11-10T08:00:00+08:00")
    for n in range(6):  # two messages on each of three local days
        queue(sqlite_db, n, first + n * 12 * HOUR)
    transport.down = True  # the mail server is down when the daemon comes back
    now = utc("2026-11-13T08:00:00+08:00")
    report = deliver(settings, sqlite_db, now=now, transport=transport)
    assert report.digests == 3 and len(report.failed) == 1 and not transport.sent
    assert deliver(settings, sqlite_db, now=now, transport=transport).digests == 0  # folded once
    transport.down = False
    for hours in (1, 2, 3, 30):
        deliver(settings, sqlite_db, now=now + hours * HOUR, transport=transport)
    texts = [text for _, _, text in transport.sent]
    assert [t.splitlines()[0][:40] for t in texts] == [
        "2 alert notifications from 2026-11-10 00",
        "2 alert notifications from 2026-11-11 00",
        "2 alert notifications from 2026-11-12 00",
    ]
    assert Counter(line for t in texts for line in t.splitlines() if line.startswith("- ")) == Counter(
        f"- alert {n}" for n in range(6)
    )
    statuses = Counter(i.status for i in OutboxRepository(sqlite_db).list())
    assert statuses == {OutboxStatus.BUNDLED: 6, OutboxStatus.SENT: 3}


def test_a_message_queued_for_a_day_already_summed_up_goes_in_a_digest_of_its_own(sqlite_db: Database) -> None:
    settings, transport = daily(), Transport()
    queue(sqlite_db, 1, utc("2026-11-11T09:00:00+08:00"))
    deliver(settings, sqlite_db, now=utc("2026-11-12T00:01:00+08:00"), transport=transport)
    queue(sqlite_db, 2, utc("2026-11-11T10:00:00+08:00"))  # queued with an earlier clock
    deliver(settings, sqlite_db, now=utc("2026-11-12T00:02:00+08:00"), transport=transport)
    assert [s[1] for s in transport.sent] == ["oneprice digest: 1 alerts", "oneprice digest: 1 alerts"]
    assert not OutboxRepository(sqlite_db).pending_digest("mail")


BRAND: dict[str, Any] = {"brand": {"name": "山屿"}, "catalog": {"file": "catalog.csv"}}


@pytest.mark.parametrize(
    ("config", "zone"),
    [
        ({}, "Asia/Shanghai"),  # the daemon's default
        ({"daemon": {"timezone": "Europe/Berlin"}}, "Europe/Berlin"),
        ({"daemon": {"timezone": "Europe/Berlin"}, "alerts": {"timezone": "UTC"}}, "UTC"),
        ({"alerts": {"timezone": "America/New_York"}}, "America/New_York"),
    ],
)
def test_digests_follow_the_daemon_timezone_unless_alerts_names_one(
    tmp_path: Path, config: dict[str, Any], zone: str
) -> None:
    settings = Settings.model_validate({**BRAND, **config})
    assert settings.alerts.timezone == zone and str(settings.alerts.zone) == zone


@pytest.mark.parametrize(
    ("config", "where"),
    [
        ({"alerts": {"timezone": "Asia/Shangai"}}, ("alerts", "timezone")),
        ({"daemon": {"timezone": "Mars/Olympus"}}, ("daemon",)),  # reported once, by the daemon section
    ],
)
def test_an_unknown_timezone_is_refused_with_a_clear_error(config: dict[str, Any], where: tuple[str, ...]) -> None:
    with pytest.raises(ValidationError) as info:
        Settings.model_validate({**BRAND, **config})
    [error] = info.value.errors()
    assert error["loc"] == where
    assert "unknown timezone" in error["msg"] and "(e.g. Asia/Shanghai, UTC)" in error["msg"]
