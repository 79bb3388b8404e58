"""Digest periods on the brand's local clock: days from local midnight, shorter periods inside the day.

`digest_minutes: 1440` is one period per local day (00:00 to 00:00 in `alerts.timezone`), whatever
the time of the last digest; a multiple of it is that many days (10080: weekly, from Monday 00:00).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, tzinfo

DAY_MINUTES = 24 * 60
# Periods of several days are counted from this Monday, so a week starts on a Monday.
_EPOCH = date(2024, 1, 1)


def _midnight(day: date, zone: tzinfo) -> datetime:
    return datetime.combine(day, time(0), tzinfo=zone).astimezone(UTC)


def _wall(at: datetime, zone: tzinfo) -> datetime:
    """A local wall-clock time (naive) as an instant in UTC."""
    return at.replace(tzinfo=zone).astimezone(UTC)


def period(at: datetime, minutes: int, zone: tzinfo) -> tuple[datetime, datetime]:
    """The digest period [start, end) holding `at`, both in UTC, its boundaries local to `zone`.

    Under a day, periods start at local midnight and every `minutes` of wall-clock time after it; the
    last one of the day ends at midnight (with 100: ..., 23:20 to 00:00). A day or more is a whole
    number of local days (the minutes rounded down to days) counted from Monday 2024-01-01. Local
    days follow daylight saving time: such a day has 23 or 25 hours.

    >>> from zoneinfo import ZoneInfo
    >>> start, end = period(datetime(2026, 11, 11, 17, 0, tzinfo=ZoneInfo("UTC")), 1440, ZoneInfo("Asia/Shanghai"))
    >>> start.isoformat(), end.isoformat()
    ('2026-11-11T16:00:00+00:00', '2026-11-12T16:00:00+00:00')
    """
    if minutes < 1:
        raise ValueError(f"a digest period lasts at least a minute, not {minutes}")
    at = at.astimezone(UTC)
    local = at.astimezone(zone)
    day = local.date()
    if minutes >= DAY_MINUTES:
        days = minutes // DAY_MINUTES
        first = _EPOCH + timedelta(days=(day - _EPOCH).days // days * days)
        return _midnight(first, zone), _midnight(first + timedelta(days=days), zone)
    midnight = datetime.combine(day, time(0))
    k = int((local.replace(tzinfo=None) - midnight).total_seconds() // 60) // minutes
    start = _wall(midnight + timedelta(minutes=k * minutes), zone)
    while k > 0 and start > at:  # a wall-clock time the clocks went back over
        k -= 1
        start = _wall(midnight + timedelta(minutes=k * minutes), zone)
    end = min(_wall(midnight + timedelta(minutes=(k + 1) * minutes), zone), _midnight(day + timedelta(days=1), zone))
    return start, end
