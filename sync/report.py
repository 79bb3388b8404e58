"""What an apply did, per channel and in total: counts, failures, skips, guards, dead letters."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Literal

from pydantic import BaseModel, ConfigDict, computed_field

from adapters.base import ItemResult
from sync.plan import ChannelPlan, PlanAction

Progress = Callable[[str, int, int], None]
"""Called as progress(channel, done, total) when a batch of writes has its answers."""

CountField = Literal["created", "updated", "unchanged", "skipped", "failed"]
COUNT_FIELDS: tuple[CountField, ...] = ("created", "updated", "unchanged", "skipped", "failed")


class ItemProblem(BaseModel):
    """A write that failed, or an action the planner skipped, with the reason."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    sku: str
    action: str
    error: str
    retryable: bool = False


class ChannelResult(BaseModel):
    """What applying one channel's plan did; `error` is set when the channel failed or was stopped as a whole.

    `guards` lists the guards that stopped the channel (nothing was sent); `paused` says
    the channel is paused (`oneprice sync resume C`); `recovered` counts open actions of
    an interrupted earlier run that this run closed.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    channel: str
    run_id: int | None = None
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    failed: int = 0
    verified: int = 0
    dead_lettered: int = 0
    recovered: int = 0
    write_requests: int = 0
    failures: tuple[ItemProblem, ...] = ()
    skips: tuple[ItemProblem, ...] = ()
    guards: tuple[str, ...] = ()
    paused: bool = False
    error: str | None = None

    @computed_field  # type: ignore[prop-decorator]
    @property
    def ok(self) -> bool:
        return self.failed == 0 and self.error is None and not self.guards

    def counts(self) -> dict[str, int]:
        return {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "skipped": self.skipped,
            "failed": self.failed,
            "verified": self.verified,
            "dead_lettered": self.dead_lettered,
            "write_requests": self.write_requests,
        }


class ApplyReport(BaseModel):
    """Results of one `sync apply` over every selected channel; `write_requests` is the total sent."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    channels: tuple[ChannelResult, ...] = ()

    @computed_field  # type: ignore[prop-decorator]
    @property
    def write_requests(self) -> int:
        return sum(c.write_requests for c in self.channels)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def ok(self) -> bool:
        return all(c.ok for c in self.channels)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def created(self) -> int:
        return self.total("created")

    @computed_field  # type: ignore[prop-decorator]
    @property
    def updated(self) -> int:
        return self.total("updated")

    @computed_field  # type: ignore[prop-decorator]
    @property
    def unchanged(self) -> int:
        return self.total("unchanged")

    @computed_field  # type: ignore[prop-decorator]
    @property
    def skipped(self) -> int:
        return self.total("skipped")

    @computed_field  # type: ignore[prop-decorator]
    @property
    def failed(self) -> int:
        """Items that failed; a channel that could not be read at all shows in `ok`, not here."""
        return self.total("failed")

    def total(self, field: CountField) -> int:
        return sum(getattr(c, field) for c in self.channels)


def summarise(
    plan: ChannelPlan,
    writes: Sequence[PlanAction],
    outcomes: Mapping[int, ItemResult],
    *,
    run_id: int,
    write_requests: int,
    verified: int = 0,
    dead_lettered: int = 0,
    recovered: int = 0,
    error: str | None = None,
) -> ChannelResult:
    """Count a finished run's outcomes (index into `writes` -> the channel's last answer)."""
    failures: list[ItemProblem] = []
    created = updated = 0
    for i, result in sorted(outcomes.items()):
        action = writes[i]
        if result.ok:
            created += action.kind == "create"
            updated += action.kind != "create"
        else:
            failures.append(
                ItemProblem(
                    sku=action.sku,
                    action=action.kind,
                    error=result.error or "refused without a reason",
                    retryable=result.retryable,
                )
            )
    skips = tuple(ItemProblem(sku=a.sku, action="skip", error=a.reason) for a in plan.actions if a.kind == "skip")
    return ChannelResult(
        channel=plan.channel,
        run_id=run_id,
        created=created,
        updated=updated,
        unchanged=plan.unchanged,
        skipped=len(skips),
        failed=len(failures),
        verified=verified,
        dead_lettered=dead_lettered,
        recovered=recovered,
        write_requests=write_requests,
        failures=tuple(failures),
        skips=skips,
        error=error,
    )
