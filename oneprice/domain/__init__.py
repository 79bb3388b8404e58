"""Domain model: frozen pydantic objects, Decimal money, no I/O and no ORM."""

from oneprice.domain.alert import Alert, AlertStatus, Severity, Violation
from oneprice.domain.catalog import Catalog, Product, Reseller, TolerancePolicy, WatchTarget
from oneprice.domain.listing import ListingState, RemoteListing
from oneprice.domain.money import Money
from oneprice.domain.observation import Observation, ObservationStatus

__all__ = [
    "Alert",
    "AlertStatus",
    "Catalog",
    "ListingState",
    "Money",
    "Observation",
    "ObservationStatus",
    "Product",
    "RemoteListing",
    "Reseller",
    "Severity",
    "TolerancePolicy",
    "Violation",
    "WatchTarget",
]
