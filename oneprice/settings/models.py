"""The configuration schema: frozen pydantic models, unknown keys refused.

`config/oneprice.example.yaml` documents every key; keep the two in step.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from pydantic import Field, SecretStr, field_validator, model_validator

from oneprice.domain.catalog import Reseller, TolerancePolicy, WatchTarget
from oneprice.domain.money import Currency
from oneprice.settings.alerts import AlertSettings
from oneprice.settings.base import NAME_PATTERN, Strict, zone_named
from oneprice.settings.crawl import CrawlSettings
from oneprice.settings.daemon import DaemonSettings
from oneprice.settings.sync import PriceOverride, RateSettings, SyncSettings
from oneprice.settings.web import WebSettings


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


class ChannelSettings(Strict):
    """One of the brand's own stores. `credentials` and `options` are checked by the adapter kind."""

    name: str = Field(pattern=NAME_PATTERN)
    kind: str
    platform: str = "website"
    base_url: str = Field(pattern=r"^https?://")
    currency: Currency = "CNY"
    enabled: bool = True
    credentials: dict[str, SecretStr] = Field(default_factory=dict)
    options: dict[str, Any] = Field(default_factory=dict)
    overrides: dict[str, PriceOverride] = Field(default_factory=dict)
    rate: RateSettings = RateSettings()

    @field_validator("base_url")
    @classmethod
    def _strip_slash(cls, v: str) -> str:
        return v.rstrip("/")


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
    daemon: DaemonSettings = DaemonSettings()
    sync: SyncSettings = SyncSettings()
    web: WebSettings = WebSettings()

    @model_validator(mode="before")
    @classmethod
    def _digests_on_the_daemon_clock(cls, data: Any) -> Any:
        """Without `alerts.timezone`, digest periods follow `daemon.timezone`: one local clock per brand."""
        if not isinstance(data, dict):
            return data
        daemon, alerts = data.get("daemon"), data.get("alerts", {})
        zone = daemon.get("timezone") if isinstance(daemon, dict) else None
        if not isinstance(zone, str) or not isinstance(alerts, dict) or "timezone" in alerts:
            return data
        try:
            zone_named(zone)
        except ValueError:
            return data  # daemon.timezone reports it
        return {**data, "alerts": {**alerts, "timezone": zone}}

    @model_validator(mode="after")
    def _rendered_targets_exist(self) -> Settings:
        # Discovered listings have ids `<platform>-d-<hash>` (oneprice discover --list shows them).
        known = {t.id for t in self.watch}
        unknown = [t for t in self.crawl.render.targets if t not in known and "-d-" not in t]
        if unknown:
            raise ValueError(f"crawl.render.targets: no watch target {', '.join(map(repr, unknown))}")
        return self

    def channel(self, name: str) -> ChannelSettings:
        for c in self.channels:
            if c.name == name:
                return c
        raise KeyError(name)
