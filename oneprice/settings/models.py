"""The configuration schema: frozen pydantic models, unknown keys refused.

`config/oneprice.example.yaml` documents every key; keep the two in step.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr, field_validator

from oneprice.domain.catalog import Reseller, TolerancePolicy, WatchTarget
from oneprice.domain.money import Currency, NonNegativeDecimal


class Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class BrandSettings(Strict):
    name: str = Field(min_length=1)
    currency: Currency = "CNY"


class DatabaseSettings(Strict):
    """Any SQLAlchemy URL; relative SQLite paths are relative to the config file."""

    url: SecretStr = SecretStr("sqlite:///var/oneprice.db")
    echo: bool = False


class CatalogSettings(Strict):
    file: str = Field(min_length=1, description="CSV of products, relative to the config file")


class PolicySettings(Strict):
    tolerance: TolerancePolicy = TolerancePolicy(percent=Decimal(5))
    product_lines: dict[str, TolerancePolicy] = Field(default_factory=dict)

    def tolerance_for(self, product_line: str | None) -> TolerancePolicy:
        return self.product_lines.get(product_line or "", self.tolerance)


_NAME = r"^[a-z0-9][a-z0-9_-]{0,63}$"


class ChannelSettings(Strict):
    """One of the brand's own stores. `credentials` and `options` are checked by the adapter kind."""

    name: str = Field(pattern=_NAME)
    kind: str
    platform: str = "website"
    base_url: str = Field(pattern=r"^https?://")
    currency: Currency = "CNY"
    enabled: bool = True
    credentials: dict[str, SecretStr] = Field(default_factory=dict)
    options: dict[str, Any] = Field(default_factory=dict)

    @field_validator("base_url")
    @classmethod
    def _strip_slash(cls, v: str) -> str:
        return v.rstrip("/")


class CrawlSettings(Strict):
    user_agent: str = "oneprice/0.1 (+price compliance monitor)"
    concurrency: int = Field(default=8, ge=1, le=256)
    per_domain_concurrency: int = Field(default=4, ge=1, le=64)
    download_delay: float = Field(default=0.0, ge=0)
    timeout: float = Field(default=20.0, gt=0)
    retries: int = Field(default=2, ge=0, le=10)
    obey_robots_txt: bool = False
    keep_evidence: bool = True


class RouteSettings(Strict):
    """A notification route: an Apprise-style URL (secrets inside are masked when printed)."""

    name: str = Field(pattern=_NAME)
    url: SecretStr
    min_severity: Literal["info", "warning", "critical"] = "info"
    language: Literal["zh-CN", "en"] = "zh-CN"
    tags: tuple[str, ...] = ()


class AlertSettings(Strict):
    routes: tuple[RouteSettings, ...] = ()
    critical_gap_percent: NonNegativeDecimal = Decimal(15)


class Settings(Strict):
    """Root of the configuration file."""

    brand: BrandSettings
    database: DatabaseSettings = DatabaseSettings()
    catalog: CatalogSettings
    policy: PolicySettings = PolicySettings()
    channels: tuple[ChannelSettings, ...] = ()
    resellers: tuple[Reseller, ...] = ()
    watch: tuple[WatchTarget, ...] = ()
    crawl: CrawlSettings = CrawlSettings()
    alerts: AlertSettings = AlertSettings()

    def channel(self, name: str) -> ChannelSettings:
        for c in self.channels:
            if c.name == name:
                return c
        raise KeyError(name)
