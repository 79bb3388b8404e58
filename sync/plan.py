"""The sync plan: per channel, one action per SKU (create, update, unchanged or skip), serialisable."""

from __future__ import annotations

import hashlib
import json
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, computed_field, model_validator

from oneprice.domain.listing import ListingState

ActionKind = Literal["create", "update", "unchanged", "skip"]
WRITE_KINDS: frozenset[str] = frozenset({"create", "update"})
_COUNTS = frozenset({"creates", "updates", "unchanged", "skipped"})


class PlanAction(BaseModel):
    """What sync will do to one SKU on one channel, and why.

    `before` is the listing as the channel has it (None when it is missing), `after`
    the desired state, `changes` the names of the fields that differ. A `skip` is an
    action the planner refuses (e.g. a currency mismatch); `reason` says why.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    channel: str
    sku: str
    kind: ActionKind
    before: ListingState | None = None
    after: ListingState
    remote_id: str | None = None
    reason: str = ""
    changes: tuple[str, ...] = ()

    @property
    def writes(self) -> bool:
        return self.kind in WRITE_KINDS


class ChannelPlan(BaseModel):
    """Every action for one channel, in catalog order, with counts by kind.

    >>> plan = plan_channel(channel, catalog.products, remote)   # doctest: +SKIP
    >>> plan.creates, plan.updates, plan.unchanged, plan.skipped
    (3, 1, 12, 0)
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    channel: str
    kind: str = ""
    currency: str = ""
    actions: tuple[PlanAction, ...] = ()
    unmanaged: int = 0
    """Listings on the channel whose SKU is not in the catalog (left alone)."""

    @model_validator(mode="before")
    @classmethod
    def _drop_counts(cls, data: Any) -> Any:
        # The counts are derived; a plan read back from JSON carries them, so ignore them.
        if isinstance(data, dict):
            return {k: v for k, v in data.items() if k not in _COUNTS}
        return data

    def _count(self, kind: ActionKind) -> int:
        return sum(1 for a in self.actions if a.kind == kind)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def creates(self) -> int:
        return self._count("create")

    @computed_field  # type: ignore[prop-decorator]
    @property
    def updates(self) -> int:
        return self._count("update")

    @computed_field  # type: ignore[prop-decorator]
    @property
    def unchanged(self) -> int:
        return self._count("unchanged")

    @computed_field  # type: ignore[prop-decorator]
    @property
    def skipped(self) -> int:
        return self._count("skip")

    @property
    def writes(self) -> tuple[PlanAction, ...]:
        """The actions that need a write call (creates and updates)."""
        return tuple(a for a in self.actions if a.writes)

    def fingerprint(self) -> str:
        """A stable hash of the actions, so a saved plan can be checked against a fresh one."""
        doc = [a.model_dump(mode="json") for a in self.actions]
        return hashlib.sha256(json.dumps([self.channel, doc], sort_keys=True).encode()).hexdigest()[:16]
