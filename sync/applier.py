"""Apply a ChannelPlan through an adapter: journal every write, save each binding the moment it succeeds.

Only retryable item failures are sent again (a bounded number of rounds); unchanged actions cost no call.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, computed_field

from adapters.base import Change, ChannelAdapter, ItemResult
from oneprice.errors import BatchTooLarge, ChannelAuthError, ChannelError, ChannelResponseError
from oneprice.storage import BindingRepository, Database, JournalRepository
from sync.plan import ChannelPlan, PlanAction

log = logging.getLogger(__name__)

Progress = Callable[[str, int, int], None]
"""Called as progress(channel, done, total) when a batch of writes has its answers."""

RUN_KIND = "sync.apply"

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
    """What applying one channel's plan did; `error` is set when the channel failed as a whole."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    channel: str
    run_id: int | None = None
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    failed: int = 0
    write_requests: int = 0
    failures: tuple[ItemProblem, ...] = ()
    skips: tuple[ItemProblem, ...] = ()
    error: str | None = None

    @computed_field  # type: ignore[prop-decorator]
    @property
    def ok(self) -> bool:
        return self.failed == 0 and self.error is None


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


def change_for(action: PlanAction) -> Change:
    """The adapter Change that carries out a create or update action."""
    if action.kind == "create":
        return Change.create(action.after)
    if action.kind == "update" and action.remote_id:
        return Change.update(action.remote_id, action.after)
    raise ValueError(f"{action.channel}/{action.sku}: a {action.kind} action is not a write")


def apply_plan(
    plan: ChannelPlan,
    adapter: ChannelAdapter,
    db: Database,
    *,
    progress: Progress | None = None,
    item_retries: int = 1,
) -> ChannelResult:
    """Send the plan's creates and updates in batches of the adapter's limit; return the counts.

    Each write is journaled planned -> sent -> accepted | failed. On success the binding
    (remote id, fingerprint of the desired state, remote modified stamp, synced_at) is
    saved at once, so a crash later in the run never loses a remote id. A failure of a
    whole call marks its items failed; an auth failure or an unreachable channel stops
    the run's remaining batches, which are reported as not sent.
    """
    return _Run(plan, adapter, db, progress, item_retries).execute()


class _Run:
    def __init__(
        self,
        plan: ChannelPlan,
        adapter: ChannelAdapter,
        db: Database,
        progress: Progress | None,
        item_retries: int,
    ) -> None:
        self.plan = plan
        self.adapter = adapter
        self.bindings = BindingRepository(db)
        self.journal = JournalRepository(db)
        self.progress = progress
        self.item_retries = max(item_retries, 0)
        self.writes: list[PlanAction] = list(plan.writes)
        self.entries: list[int] = []
        self.sent: set[int] = set()
        self.outcomes: dict[int, ItemResult] = {}
        self.stopped: ChannelError | None = None

    def execute(self) -> ChannelResult:
        channel = self.plan.channel
        run_id = self.journal.start_run(RUN_KIND, channel)
        self._record_unchanged()
        for action in self.writes:
            self.entries.append(
                self.journal.record(
                    run_id,
                    channel,
                    action.sku,
                    action.kind,
                    "planned",
                    before=action.before.model_dump(mode="json") if action.before else None,
                    after=action.after.model_dump(mode="json"),
                )
            )
        writes_before = self.adapter.write_requests
        self._report()
        pending = list(range(len(self.writes)))
        for round_no in range(self.item_retries + 1):
            last_round = round_no == self.item_retries
            retry: list[int] = []
            size = max(self.adapter.capabilities.batch_limit, 1)
            for start in range(0, len(pending), size):
                batch = pending[start : start + size]
                for i, result in self._send(batch).items():
                    if not result.ok and result.retryable and not last_round and self.stopped is None:
                        retry.append(i)  # stays "sent" in the journal until its final answer
                    else:
                        self._finish(i, result)
                self._report()
            if not retry:
                break
            log.info("%s: retrying %d item(s) the channel may accept now", channel, len(retry))
            pending = retry
        summary = self._result(run_id, self.adapter.write_requests - writes_before)
        counts = {
            "created": summary.created,
            "updated": summary.updated,
            "unchanged": summary.unchanged,
            "skipped": summary.skipped,
            "failed": summary.failed,
            "write_requests": summary.write_requests,
        }
        outcome = "ok" if summary.ok else ("partial" if summary.created + summary.updated else "failed")
        self.journal.finish_run(run_id, outcome, counts)
        return summary

    def _record_unchanged(self) -> None:
        """Unchanged listings are in sync: note their hash, so the binding says what the channel holds."""
        unchanged = [a for a in self.plan.actions if a.kind == "unchanged" and a.remote_id]
        if not unchanged:
            return
        known = self.bindings.for_channel(self.plan.channel)
        for action in unchanged:
            assert action.remote_id is not None
            binding = known.get(action.sku)
            fingerprint = action.after.fingerprint()
            if binding is None or binding.remote_id != action.remote_id or binding.last_hash != fingerprint:
                self.bindings.save(self.plan.channel, action.sku, action.remote_id, last_hash=fingerprint)

    def _send(self, batch: Sequence[int]) -> dict[int, ItemResult]:
        if self.stopped is not None:
            reason = f"not sent: {self.stopped}"
            return {i: ItemResult.refused(self.writes[i].sku, reason) for i in batch}
        try:
            return self._push(batch)
        except ChannelError as e:
            log.error("%s: a batch of %d write(s) failed: %s", self.plan.channel, len(batch), e)
            if isinstance(e, ChannelAuthError) or e.retryable:
                self.stopped = e
            return {i: ItemResult.refused(self.writes[i].sku, str(e), retryable=e.retryable) for i in batch}

    def _push(self, batch: Sequence[int]) -> dict[int, ItemResult]:
        for i in batch:
            if i not in self.sent:
                self.journal.update(self.entries[i], "sent")
                self.sent.add(i)
        try:
            results = self.adapter.push([change_for(self.writes[i]) for i in batch])
        except BatchTooLarge:
            if len(batch) == 1:
                raise
            # The channel takes fewer than it declared (a host filter lowered the cap): halve and go on.
            half = len(batch) // 2
            log.warning("%s: batch of %d refused as too large; sending halves", self.plan.channel, len(batch))
            return {**self._push(batch[:half]), **self._push(batch[half:])}
        if len(results) != len(batch):
            raise ChannelResponseError(
                self.plan.channel, f"the adapter answered {len(results)} results for {len(batch)} changes"
            )
        return {i: _checked(r) for i, r in zip(batch, results, strict=True)}

    def _finish(self, i: int, result: ItemResult) -> None:
        action = self.writes[i]
        self.outcomes[i] = result
        if result.ok and result.remote_id is not None:
            self.bindings.save(
                self.plan.channel,
                action.sku,
                result.remote_id,
                last_hash=action.after.fingerprint(),
                remote_modified=result.modified,
                synced_at=datetime.now(UTC),
            )
            self.journal.update(self.entries[i], "accepted")
        else:
            error = result.error or "refused without a reason"
            log.warning("%s: %s %s failed: %s", self.plan.channel, action.kind, action.sku, error)
            self.journal.update(self.entries[i], "failed", error=error)

    def _report(self) -> None:
        if self.progress is not None:
            self.progress(self.plan.channel, len(self.outcomes), len(self.writes))

    def _result(self, run_id: int, write_requests: int) -> ChannelResult:
        failures: list[ItemProblem] = []
        created = updated = 0
        for i, result in sorted(self.outcomes.items()):
            action = self.writes[i]
            if result.ok:
                created += action.kind == "create"
                updated += action.kind == "update"
            else:
                failures.append(
                    ItemProblem(
                        sku=action.sku,
                        action=action.kind,
                        error=result.error or "refused without a reason",
                        retryable=result.retryable,
                    )
                )
        skips = tuple(
            ItemProblem(sku=a.sku, action="skip", error=a.reason)
            for a in self.plan.actions
            if a.kind == "skip"
        )
        return ChannelResult(
            channel=self.plan.channel,
            run_id=run_id,
            created=created,
            updated=updated,
            unchanged=self.plan.unchanged,
            skipped=len(skips),
            failed=len(failures),
            write_requests=write_requests,
            failures=tuple(failures),
            skips=skips,
            error=str(self.stopped) if self.stopped else None,
        )


def _checked(result: ItemResult) -> ItemResult:
    if result.ok and not result.remote_id:
        return ItemResult.refused(result.sku, "the channel accepted the item but returned no remote id")
    return result
