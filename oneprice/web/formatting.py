"""Jinja filters: exact money, UTC times, percentages; nothing here marks text as safe."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from urllib.parse import quote, urlsplit

from jinja2 import Environment

from oneprice.domain.money import CURRENCY_EXPONENTS, quantize


def money(amount: Decimal | None, currency: str | None = None) -> str:
    """`1,299.00 CNY`: rounded half-up to the currency's minor unit, never through a float."""
    if amount is None:
        return "—"
    if currency in CURRENCY_EXPONENTS:
        amount = quantize(amount, currency)
    text = f"{amount:,}"
    return f"{text} {currency}" if currency else text


def when(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M UTC") if value else "—"


def day(value: date | datetime | None) -> str:
    return value.strftime("%Y-%m-%d") if value else "—"


def percent(value: Decimal | None) -> str:
    return "—" if value is None else f"{value}%"


def decimal2(value: Decimal | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def path_part(value: str) -> str:
    """Quote a value for one URL path segment (seller keys may hold any character)."""
    return quote(value, safe="")


def web_url(value: str | None) -> bool:
    """True for a plain http(s) address with a host, the only scraped URLs made into links.

    `javascript:`, `data:`, scheme-relative `//host` or anything with spaces or control characters
    (which browsers strip before reading the scheme) stays text.
    """
    if not value or len(value) > 2048 or any(c.isspace() or ord(c) < 32 or ord(c) == 127 for c in value):
        return False
    try:
        parts = urlsplit(value)
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.hostname)


def install(env: Environment) -> None:
    env.filters.update(money=money, when=when, day=day, percent=percent, decimal2=decimal2, path_part=path_part)
    env.tests["web_url"] = web_url
