"""The `daemon:` section: job schedules, the single-instance lease, backoff and shutdown."""

from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import BeforeValidator, Field, model_validator

from oneprice.settings.base import DEFAULT_TIMEZONE, Strict, zone_named

_DURATION_RE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?\s*$")
_UNITS = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0, "d": 86400.0, None: 1.0}
_TIME_RE = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


def parse_duration(value: Any) -> float:
    """'90s', '15m', '6h', '1d' or a number of seconds -> seconds."""
    if isinstance(value, bool):
        raise ValueError("a duration is a number of seconds or '30s', '15m', '6h', '1d'")
    if isinstance(value, int | float):
        seconds = float(value)
    else:
        m = _DURATION_RE.match(str(value))
        if not m:
            raise ValueError(f"{value!r} is not a duration (write 30s, 15m, 6h or 1d)")
        seconds = float(m.group(1)) * _UNITS[m.group(2)]
    if seconds <= 0:
        raise ValueError("a duration must be positive")
    return seconds


Duration = Annotated[float, BeforeValidator(parse_duration)]


class JobSchedule(Strict):
    """When a job runs: every N (interval) and/or at local times of day ("09:00")."""

    every: Duration | None = None
    at: tuple[str, ...] = ()
    enabled: bool = True

    @model_validator(mode="after")
    def _check(self) -> JobSchedule:
        for t in self.at:
            if not _TIME_RE.match(t):
                raise ValueError(f"at: {t!r} is not a local time HH:MM")
        if self.enabled and self.every is None and not self.at:
            raise ValueError("set `every` or `at` (or enabled: false)")
        return self


def _every(seconds: float) -> JobSchedule:
    return JobSchedule(every=seconds)


class DaemonSettings(Strict):
    """Defaults suit a brand with a few hundred SKUs; intervals accept 30s / 15m / 6h / 1d."""

    timezone: str = DEFAULT_TIMEZONE
    lease_seconds: Duration = 60.0
    heartbeat_seconds: Duration = 15.0
    shutdown_grace_seconds: Duration = 30.0
    poll_seconds: Duration = 1.0
    backoff_initial: Duration = 60.0
    backoff_max: Duration = 3600.0
    failure_alert_after: int = Field(default=3, ge=1)
    http_port: int | None = Field(default=None, ge=0, le=65535)
    retention_days: int = Field(default=180, ge=1)
    # Channels whose sync or check may run at once (each channel's lane runs one job at a time);
    # the crawl and delivery have lanes of their own beside them.
    channels_at_once: int = Field(default=2, ge=1, le=32)

    sync_check: JobSchedule = _every(1800)
    sync_apply: JobSchedule = JobSchedule(every=21600, enabled=False)
    channels: dict[str, JobSchedule] = Field(default_factory=dict)
    # Runs only when crawl.discovery.search names search pages; before the crawl in a `--once` run.
    discover: JobSchedule = JobSchedule(at=("04:30",))
    crawl: JobSchedule = _every(3600)
    deliver: JobSchedule = _every(60)
    retention: JobSchedule = JobSchedule(at=("03:30",))

    @model_validator(mode="after")
    def _heartbeat_inside_lease(self) -> DaemonSettings:
        if self.heartbeat_seconds * 2 > self.lease_seconds:
            raise ValueError("heartbeat_seconds must be at most half of lease_seconds")
        zone_named(self.timezone)
        return self
