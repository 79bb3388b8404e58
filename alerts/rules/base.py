"""The rule contract: one observation in, at most one violation out."""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from decimal import Decimal
from typing import ClassVar

from oneprice.domain.alert import Severity, Violation
from oneprice.domain.catalog import Product, Reseller
from oneprice.domain.money import Money
from oneprice.domain.observation import Observation, seller_key
from oneprice.settings.loader import LoadedConfig
from oneprice.settings.models import PolicySettings


@dataclass(frozen=True)
class RuleContext:
    """What rules may look at besides the observation: catalog, resellers, policy."""

    products: dict[str, Product]
    resellers: dict[str, Reseller]
    policy: PolicySettings
    critical_gap_percent: Decimal

    @classmethod
    def from_config(cls, config: LoadedConfig) -> RuleContext:
        s = config.settings
        return cls(
            products=config.catalog.by_sku(),
            resellers={r.id: r for r in s.resellers},
            policy=s.policy,
            critical_gap_percent=s.alerts.critical_gap_percent,
        )


class Rule(ABC):
    """A price-compliance rule.

    Subclasses set `name` and implement `check`; the engine turns violations into episodes.

    >>> class AlwaysFine(Rule):
    ...     name = "always_fine"
    ...     def check(self, obs, product, ctx): return None
    """

    name: ClassVar[str]

    @classmethod
    def from_config(cls, config: LoadedConfig) -> Rule:
        return cls()

    @abstractmethod
    def check(self, obs: Observation, product: Product, ctx: RuleContext) -> Violation | None:
        """Return a violation for this (priced, matched) observation, or None."""

    def violation(
        self,
        obs: Observation,
        product: Product,
        *,
        severity: Severity,
        message: str,
        gap_percent: Decimal | None = None,
    ) -> Violation:
        assert obs.id is not None, "rules run on stored observations"
        return Violation(
            rule=self.name,
            product_sku=product.sku,
            seller_key=seller_key(obs.reseller_id, obs.seller_name),
            seller_name=obs.seller_name,
            reseller_id=obs.reseller_id,
            platform=obs.platform,
            unified_price=product.unified_price,
            observed_price=obs.price,
            gap_percent=gap_percent,
            severity=severity,
            message=message,
            url=obs.url,
            observation_id=obs.id,
            observed_at=obs.observed_at,
        )


def same_currency(price: Money | None, unified: Money) -> bool:
    return price is not None and price.currency == unified.currency
