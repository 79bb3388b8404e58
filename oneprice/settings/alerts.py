"""The `alerts:` section: episode behaviour per rule/product/platform/seller, promotions, routes, notices."""

from __future__ import annotations

from datetime import datetime, tzinfo
from decimal import Decimal
from typing import Literal

from pydantic import AwareDatetime, Field, SecretStr, field_validator, model_validator

from oneprice.domain.alert import EpisodePolicy, Severity
from oneprice.domain.money import NonNegativeDecimal
from oneprice.settings.base import DEFAULT_TIMEZONE, NAME_PATTERN, Strict, zone_named

Language = Literal["zh-CN", "en"]
SeverityName = Literal["info", "warning", "critical"]


class EpisodeSettings(Strict):
    """Defaults for every rule: grace before an episode opens, quiet time before it resolves."""

    grace_observations: int = Field(default=1, ge=1)
    grace_minutes: int = Field(default=0, ge=0)
    resolve_after_minutes: int = Field(default=0, ge=0)
    repeat_escalation: int = Field(default=2, ge=1)
    repeat_window_days: int = Field(default=90, ge=1)


class RuleOverride(Strict):
    """Changes for the episodes matching every selector given (rule, product, product line, platform, seller)."""

    rule: str | None = None
    product: str | None = None
    product_line: str | None = None
    platform: str | None = None
    seller: str | None = None
    enabled: bool | None = None
    grace_observations: int | None = Field(default=None, ge=1)
    grace_minutes: int | None = Field(default=None, ge=0)
    resolve_after_minutes: int | None = Field(default=None, ge=0)

    def matches(self, rule: str, sku: str, line: str | None, platform: str, seller: str) -> bool:
        wanted = (
            (self.rule, rule),
            (self.product, sku),
            (self.product_line, line),
            (self.platform, platform),
            (self.seller, seller),
        )
        return all(want is None or want == got for want, got in wanted)


class DriftSettings(Strict):
    """A seller's price sliding toward an undercut: `cuts_in_a_row` price cuts, or an average too low."""

    enabled: bool = True
    window_days: int = Field(default=7, ge=1)
    cuts_in_a_row: int = Field(default=3, ge=2)
    average_below_percent: NonNegativeDecimal = Decimal(3)


class CoverageSettings(Strict):
    """A watch target that showed no price (blocked, unreadable, error) for longer than this."""

    enabled: bool = True
    after_minutes: int = Field(default=1440, ge=1)


class PromotionSettings(Strict):
    """A sanctioned promotion window (618, 双11): prices at or above its floor are not violations."""

    name: str = Field(min_length=1)
    start: AwareDatetime
    end: AwareDatetime
    platforms: tuple[str, ...] = ()
    products: tuple[str, ...] = ()
    product_lines: tuple[str, ...] = ()
    floor_percent: NonNegativeDecimal | None = Field(default=None, lt=100)
    floor_price: NonNegativeDecimal | None = None

    @model_validator(mode="after")
    def _check(self) -> PromotionSettings:
        if (self.floor_percent is None) == (self.floor_price is None):
            raise ValueError("set exactly one of floor_percent or floor_price")
        if self.end <= self.start:
            raise ValueError("end must be after start")
        return self

    def covers(self, sku: str, line: str | None, platform: str, at: datetime) -> bool:
        return (
            self.start <= at < self.end
            and (not self.platforms or platform in self.platforms)
            and (not self.products or sku in self.products)
            and (not self.product_lines or (line is not None and line in self.product_lines))
        )


class RouteSettings(Strict):
    """A notification route: an Apprise URL (`log://` is the built-in log), and what it receives."""

    name: str = Field(pattern=NAME_PATTERN)
    url: SecretStr
    min_severity: SeverityName = "info"
    language: Language = "zh-CN"
    tags: tuple[str, ...] = ()
    platforms: tuple[str, ...] = ()
    product_lines: tuple[str, ...] = ()
    rules: tuple[str, ...] = ()
    events: tuple[Literal["opened", "resolved"], ...] = ("opened", "resolved")
    digest_minutes: int = Field(default=0, ge=0)
    """Fold non-critical messages into one summary per period of this length, on the local clock of
    `alerts.timezone`: 1440 is one per local day, from midnight; see alerts/periods.py."""

    def wants(self, rule: str, severity: Severity, platform: str, line: str | None) -> bool:
        return (
            severity.rank >= Severity(self.min_severity).rank
            and (not self.platforms or platform in self.platforms)
            and (not self.product_lines or (line is not None and line in self.product_lines))
            and (not self.rules or rule in self.rules)
        )

    def mode_for(self, severity: Severity) -> Literal["immediate", "digest"]:
        """Critical alerts always go at once; the rest wait for the digest when the route has one."""
        return "digest" if self.digest_minutes and severity is not Severity.CRITICAL else "immediate"


class RetrySettings(Strict):
    """Backoff of a failing route: base × 2^(attempts−1), capped; messages are never dropped."""

    base_seconds: int = Field(default=60, ge=1)
    max_seconds: int = Field(default=3600, ge=1)


class NoticeSettings(Strict):
    """Notices to resellers: Jinja2 templates (`<stage>.<language>.txt|html`) and the sending route."""

    templates: str | None = None
    route: str | None = None
    language: Language = "zh-CN"
    stages: tuple[str, ...] = ("first_notice", "second_notice", "platform_complaint")
    internal_stages: tuple[str, ...] = ("platform_complaint",)
    """Stages written for the brand itself (it files them with the platform): they go to the route's
    own recipients. Every other stage goes to the reseller's `contact` address when it has one."""


class AlertSettings(Strict):
    """`timezone`: the brand's local clock for digest periods; in a config file it defaults to
    `daemon.timezone` (see `Settings`)."""

    timezone: str = DEFAULT_TIMEZONE
    routes: tuple[RouteSettings, ...] = ()
    critical_gap_percent: NonNegativeDecimal = Decimal(15)
    episodes: EpisodeSettings = EpisodeSettings()
    overrides: tuple[RuleOverride, ...] = ()
    drift: DriftSettings = DriftSettings()
    coverage_gap: CoverageSettings = CoverageSettings()
    promotions: tuple[PromotionSettings, ...] = ()
    retry: RetrySettings = RetrySettings()
    notices: NoticeSettings = NoticeSettings()

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, v: str) -> str:
        zone_named(v)
        return v

    @property
    def zone(self) -> tzinfo:
        return zone_named(self.timezone)

    def _matching(self, rule: str, sku: str, line: str | None, platform: str, seller: str) -> list[RuleOverride]:
        return [o for o in self.overrides if o.matches(rule, sku, line, platform, seller)]

    def enabled(self, rule: str, sku: str, line: str | None, platform: str, seller: str) -> bool:
        """Later overrides win over earlier ones."""
        result = True
        for o in self._matching(rule, sku, line, platform, seller):
            if o.enabled is not None:
                result = o.enabled
        return result

    def episode_policy(self, rule: str, sku: str, line: str | None, platform: str, seller: str) -> EpisodePolicy:
        values = self.episodes.model_dump()
        for o in self._matching(rule, sku, line, platform, seller):
            for name in ("grace_observations", "grace_minutes", "resolve_after_minutes"):
                if getattr(o, name) is not None:
                    values[name] = getattr(o, name)
        return EpisodePolicy(**values)

    def promotion_for(self, sku: str, line: str | None, platform: str, at: datetime) -> PromotionSettings | None:
        """The first promotion covering the reading (`promotions_for` gives every one)."""
        for promo in self.promotions:
            if promo.covers(sku, line, platform, at):
                return promo
        return None

    def promotions_for(self, sku: str, line: str | None, platform: str, at: datetime) -> list[PromotionSettings]:
        """Every promotion covering this product, platform and time, in the configured order."""
        return [promo for promo in self.promotions if promo.covers(sku, line, platform, at)]
