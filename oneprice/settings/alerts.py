"""The `alerts:` section: notification routes and severity thresholds."""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from pydantic import Field, SecretStr

from oneprice.domain.money import NonNegativeDecimal
from oneprice.settings.base import NAME_PATTERN, Strict


class RouteSettings(Strict):
    """A notification route: an Apprise-style URL (secrets inside are masked when printed)."""

    name: str = Field(pattern=NAME_PATTERN)
    url: SecretStr
    min_severity: Literal["info", "warning", "critical"] = "info"
    language: Literal["zh-CN", "en"] = "zh-CN"
    tags: tuple[str, ...] = ()


class AlertSettings(Strict):
    routes: tuple[RouteSettings, ...] = ()
    critical_gap_percent: NonNegativeDecimal = Decimal(15)
