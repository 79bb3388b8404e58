"""The rule contract: one observation in, at most one violation out."""

from __future__ import annotations

import dataclasses
from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any, ClassVar, Protocol

from oneprice.domain.alert import PriceReading, Severity, Violation
from oneprice.domain.catalog import Product, Reseller
from oneprice.domain.money import Money, quantize
from oneprice.domain.observation import RANGE, ObservationStatus, seller_key
from oneprice.settings.alerts import AlertSettings
from oneprice.settings.loader import LoadedConfig
from oneprice.settings.models import PolicySettings

# Priced readings per watch target, oldest first: what the drift rule looks at.
History = Mapping[str, Sequence[PriceReading]]


class Reading(Protocol):
    """What a rule reads of an observation: an Observation, or a candidate row of the pre-selection."""

    @property
    def id(self) -> int | None: ...
    @property
    def target_id(self) -> str: ...
    @property
    def url(self) -> str: ...
    @property
    def platform(self) -> str: ...
    @property
    def observed_at(self) -> datetime: ...
    @property
    def status(self) -> ObservationStatus: ...
    @property
    def reason(self) -> str | None: ...
    @property
    def price(self) -> Money | None: ...
    @property
    def seller_name(self) -> str | None: ...
    @property
    def reseller_id(self) -> str | None: ...
    @property
    def product_sku(self) -> str | None: ...
    @property
    def price_kind(self) -> str | None: ...
    @property
    def price_high(self) -> Decimal | None: ...


def range_top(obs: Reading) -> Money | None:
    """Where a range reading ends, in its price's currency; None for a "from" price (no top) or no range."""
    if obs.price_kind != RANGE or obs.price is None or obs.price_high is None:
        return None
    return Money.of(obs.price_high, obs.price.currency)


# Every field is always set; a Violation is frozen, so its instances can share this set.
_VIOLATION_FIELDS = set(Violation.model_fields)


def make_violation(values: dict[str, Any]) -> Violation:
    """What `Violation.model_construct(**values)` returns for values naming every field, in order,
    without its per-field lookups: tens of thousands are built per evaluation."""
    assert len(values) == len(_VIOLATION_FIELDS)
    v = Violation.__new__(Violation)
    object.__setattr__(v, "__dict__", values)
    object.__setattr__(v, "__pydantic_fields_set__", _VIOLATION_FIELDS)
    object.__setattr__(v, "__pydantic_extra__", None)
    object.__setattr__(v, "__pydantic_private__", None)
    return v


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
            # floor_amount is quantized to the currency already: nothing left to validate or quantize.
            found = Money.__new__(Money)
            values = {"amount": self.floor_amount(product), "currency": product.unified_price.currency}
            object.__setattr__(found, "__dict__", values)
            object.__setattr__(found, "__pydantic_fields_set__", set(values))
            object.__setattr__(found, "__pydantic_extra__", None)
            object.__setattr__(found, "__pydantic_private__", None)
            self._floor_money[product.sku] = found
        return found

    def with_history(self, history: History) -> RuleContext:
        """This context with a price history; the floors computed so far stay (they do not depend on it)."""
        found = dataclasses.replace(self, history=history)
        object.__setattr__(found, "_floors", self._floors)
        object.__setattr__(found, "_floor_money", self._floor_money)
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
    def check(self, obs: Reading, product: Product, ctx: RuleContext) -> Violation | None:
        """Return a violation for this (priced, matched) observation, or None."""

    def abstains(self, obs: Reading, product: Product, ctx: RuleContext) -> bool:
        """Whether a reading `check` found no violation in says nothing either way, so that an open
        episode of this rule neither ends nor counts toward ending: a rule of prices abstains on a
        range it cannot place wholly below or wholly above its limit, and on a price in another
        currency than the product's, which it does not compare (asked only of those readings)."""
        return False

    def violation(
        self,
        obs: Reading,
        product: Product,
        *,
        severity: Severity,
        message: str,
        gap_percent: Decimal | None = None,
        observed: Money | None = None,
    ) -> Violation:
        assert obs.id is not None, "rules run on stored observations"
        # Every field comes from validated objects (observation, product) or is computed here.
        return make_violation(
            {
                "rule": self.name,
                "product_sku": product.sku,
                "seller_key": seller_key(obs.reseller_id, obs.seller_name),
                "seller_name": obs.seller_name,
                "reseller_id": obs.reseller_id,
                "platform": obs.platform,
                "unified_price": product.unified_price,
                "observed_price": obs.price if observed is None else observed,
                "gap_percent": gap_percent,
                "severity": severity,
                "message": message,
                "url": obs.url,
                "observation_id": obs.id,
                "observed_at": obs.observed_at,
            }
        )


def same_currency(price: Money | None, unified: Money) -> bool:
    return price is not None and price.currency == unified.currency
