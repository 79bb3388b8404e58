"""The sync plan: per channel, one action per SKU with before/after and reason; serialisable, fingerprinted.

Write kinds: create, reprice, restock, update, delist, relink. Report-only: orphan, unchanged, skip.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, computed_field, model_validator

from oneprice.domain.listing import ListingState

ActionKind = Literal["create", "reprice", "restock", "update", "delist", "relink", "orphan", "unchanged", "skip"]
WRITE_KINDS: frozenset[str] = frozenset({"create", "reprice", "restock", "update", "delist", "relink"})
UPDATE_KINDS: frozenset[str] = WRITE_KINDS - {"create"}
"""Writes to a listing that exists (all carried by one absolute update of the listing)."""
_COUNTS = frozenset({"creates", "updates", "unchanged", "skipped", "orphans", "counts"})


class GuardTrip(BaseModel):
    """A guard that stopped this channel's plan; `name` is what `--allow NAME` overrides."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: Literal["price_change", "delist_share", "empty_remote"]
    message: str


class PlanAction(BaseModel):
    """What sync will do to one SKU on one channel, and why.

    `before` is the listing as the channel has it (None when it is missing), `after`
    the desired state, `changes` the names of the fields that differ. A `skip` is an
    action the planner refuses (e.g. a currency mismatch, a SKU on two listings); an
    `orphan` is a bound listing whose product left the catalog (reported, never deleted);
    `reason` says why. `override` is the reason of a per-channel price override, if any.
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
    override: str | None = None
    drift: bool = False
    """The live listing differs from what oneprice last pushed: someone edited it on the channel."""

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
    remote_count: int = 0
    """Listings the channel returned when the plan was made."""
    bound_count: int = 0
    """Bindings this channel had when the plan was made."""
    guards: tuple[GuardTrip, ...] = ()
    """Guards this plan trips; apply refuses the channel unless each is explicitly allowed."""
    paused: str | None = None
    """Why the channel is paused (`oneprice sync pause`); apply sends nothing while it is."""

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
        """Writes to existing listings: reprice, restock, update, delist and relink together."""
        return sum(1 for a in self.actions if a.kind in UPDATE_KINDS)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def orphans(self) -> int:
        return self._count("orphan")

    @computed_field  # type: ignore[prop-decorator]
    @property
    def counts(self) -> dict[str, int]:
        """Actions by kind, only the kinds present."""
        out: dict[str, int] = {}
        for a in self.actions:
            out[a.kind] = out.get(a.kind, 0) + 1
        return out

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
        """A stable hash of the actions (their before = the live state, after = the desired state).

        A saved plan is applied only if a fresh plan of the same channel has the same
        fingerprint: the catalog, the overrides and the channel are as they were.
        """
        doc = [a.model_dump(mode="json") for a in self.actions]
        return hashlib.sha256(json.dumps([self.channel, doc], sort_keys=True).encode()).hexdigest()[:16]

    def allowed(self, allow: frozenset[str] | set[str]) -> tuple[GuardTrip, ...]:
        """The guards still tripped once those named in `allow` are overridden."""
        return tuple(g for g in self.guards if g.name not in allow)
