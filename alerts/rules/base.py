"""The rule contract: one observation in, at most one violation out."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import ClassVar

from oneprice.domain.alert import PriceReading, Severity, Violation
from oneprice.domain.catalog import Product, Reseller
from oneprice.domain.money import Money, quantize
from oneprice.domain.observation import Observation, seller_key
from oneprice.settings.alerts import AlertSettings
from oneprice.settings.loader import LoadedConfig
from oneprice.settings.models import PolicySettings

# Priced readings per watch target, oldest first: what the drift rule looks at.
History = Mapping[str, Sequence[PriceReading]]


@dataclass(frozen=True)
class RuleContext:
    """What rules may look at besides the observation: catalog, resellers, policy, price history."""

    products: dict[str, Product]
    resellers: dict[str, Reseller]
    policy: PolicySettings
    critical_gap_percent: Decimal
    alerts: AlertSettings = field(default_factory=AlertSettings)
    history: History = field(default_factory=dict)
    _floors: dict[str, Decimal] = field(init=False, repr=False, compare=False)
    _floor_money: dict[str, Money] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # Fresh caches per context, also after dataclasses.replace().
        object.__setattr__(self, "_floors", {})
        object.__setattr__(self, "_floor_money", {})

    def floor_amount(self, product: Product) -> Decimal:
        """The lowest amount that is not an undercut outside promotions (computed once per product).

        Same value as TolerancePolicy.floor, without building a Money per product.
        """
        found = self._floors.get(product.sku)
        if found is None:
            tolerance = self.policy.tolerance_for(product.product_line)
            unified = product.unified_price
            if tolerance.percent is not None:
                amount = unified.amount * (1 - tolerance.percent / Decimal(100))
            else:
                assert tolerance.absolute is not None
                amount = max(unified.amount - tolerance.absolute, Decimal(0))
            found = quantize(amount, unified.currency)
            self._floors[product.sku] = found
        return found

    def floor(self, product: Product) -> Money:
        found = self._floor_money.get(product.sku)
        if found is None:
            # floor_amount is quantized to the currency already: nothing left to validate.
            found = Money.model_construct(amount=self.floor_amount(product), currency=product.unified_price.currency)
            self._floor_money[product.sku] = found
        return found

    @classmethod
    def from_config(cls, config: LoadedConfig) -> RuleContext:
        s = config.settings
        return cls(
            products=config.catalog.by_sku(),
            resellers={r.id: r for r in s.resellers},
            policy=s.policy,
            critical_gap_percent=s.alerts.critical_gap_percent,
            alerts=s.alerts,
        )


class Rule(ABC):
    """A price-compliance rule.

    Subclasses set `name` and implement `check`; the engine turns violations into episodes.

    >>> class AlwaysFine(Rule):
    ...     name = "always_fine"
    ...     def check(self, obs, product, ctx): return None
    """

    name: ClassVar[str]
    needs_history: ClassVar[bool] = False

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
        # Every field comes from validated objects (observation, product) or is computed here.
        return Violation.model_construct(
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
