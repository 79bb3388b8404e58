"""Apply a ChannelPlan through an adapter: journal every write, save each binding the moment it succeeds.

Retryable failures are sent again with backoff and jitter up to `RetryPolicy.max_attempts`,
then go to the dead-letter list; accepted writes are read back and marked verified.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from adapters.base import Capabilities, Change, ChannelAdapter, ItemResult
from oneprice.domain.listing import ListingState
from oneprice.errors import BatchTooLarge, ChannelAuthError, ChannelError, ChannelResponseError
from oneprice.storage import Binding, BindingRepository, Database, DeadLetterRepository, JournalRepository
from sync.plan import ChannelPlan, PlanAction
from sync.planner import MANAGED_FIELDS
from sync.report import ChannelResult, Progress, summarise

log = logging.getLogger(__name__)

RUN_KIND = "sync.apply"
VERIFY_BY_SKU_UP_TO = 50
"""Read back up to this many written SKUs one by one; more, and the whole channel is listed once."""


@dataclass
class RetryPolicy:
    """Which failures are sent again, how often and after how long (exponential backoff, jitter)."""

    max_attempts: int = 4
    backoff: float = 0.5
    max_backoff: float = 30.0
    sleep: Callable[[float], None] = time.sleep
    rng: random.Random = field(default_factory=random.Random)

    def delay(self, round_no: int) -> float:
        """Seconds to wait before retry round `round_no` (1 = the first retry): full jitter on 2^n."""
        base = min(self.backoff * 2 ** (round_no - 1), self.max_backoff)
        return base * (0.5 + self.rng.random() / 2)


def change_for(action: PlanAction) -> Change:
    """The adapter Change that carries out a write action (every update kind is one absolute update)."""
    if action.kind == "create":
        return Change.create(action.after)
    if action.writes and action.remote_id:
        return Change.update(action.remote_id, action.after)
    raise ValueError(f"{action.channel}/{action.sku}: a {action.kind} action is not a write")


def apply_plan(
    plan: ChannelPlan,
    adapter: ChannelAdapter,
    db: Database,
    *,
    progress: Progress | None = None,
    policy: RetryPolicy | None = None,
    verify: bool = True,
) -> ChannelResult:
    """Send the plan's writes in batches of the adapter's limit; return what happened.

    Each write is journaled planned -> sent -> accepted -> verified | failed. On success
    the binding (remote id, fingerprint of the desired state, remote modified stamp,
    synced_at) is saved right after the batch's answer, before the next batch goes, so a
    crash never loses a remote id. Unfinished runs of the channel left by a crash are
    closed first; the plan (made from the live channel) already covers their work.
    An auth failure stops the run; other batches go on after a failed call.
    """
    return _Run(plan, adapter, db, progress, policy or RetryPolicy(), verify).execute()


class _Run:
    def __init__(
        self,
        plan: ChannelPlan,
        adapter: ChannelAdapter,
        db: Database,
        progress: Progress | None,
        policy: RetryPolicy,
        verify: bool,
    ) -> None:
        self.plan = plan
        self.channel = plan.channel
        self.adapter = adapter
        self.bindings = BindingRepository(db)
        self.journal = JournalRepository(db)
        self.dead = DeadLetterRepository(db)
        self.progress = progress
        self.policy = policy
        self.verify = verify
        self.writes: list[PlanAction] = list(plan.writes)
        self.entries: list[int] = []
        self.attempts: list[int] = [0] * len(self.writes)
        self.outcomes: dict[int, ItemResult] = {}
        self.verified: set[int] = set()
        self.dead_lettered = 0
        self.stopped: ChannelError | None = None
        self.run_id = 0

    def execute(self) -> ChannelResult:
        self.run_id = self.journal.start_run(RUN_KIND, self.channel)
        recovered = self.journal.close_interrupted(self.channel, self.run_id)
        if recovered:
            log.warning(
                "%s: an earlier apply was interrupted with %d action(s) open; this run's plan covers them",
                self.channel,
                recovered,
            )
        self._record_unchanged()
        self.entries = self.journal.record_many(
            self.run_id,
            self.channel,
            [
                (
                    a.sku,
                    a.kind,
                    a.before.model_dump(mode="json") if a.before else None,
                    a.after.model_dump(mode="json"),
                )
                for a in self.writes
            ],
        )
        writes_before = self.adapter.write_requests
        self._report()
        pending = list(range(len(self.writes)))
        round_no = 0
        while pending:
            if round_no:
                delay = self.policy.delay(round_no)
                log.info("%s: retrying %d item(s) in %.2fs", self.channel, len(pending), delay)
                self.policy.sleep(delay)
            pending = self._round(pending)
            round_no += 1
        if self.verify:
            self._verify()
        summary = summarise(
            self.plan,
            self.writes,
            self.outcomes,
            run_id=self.run_id,
            write_requests=self.adapter.write_requests - writes_before,
            verified=len(self.verified),
            dead_lettered=self.dead_lettered,
            recovered=recovered,
            error=str(self.stopped) if self.stopped else None,
        )
        outcome = "ok" if summary.ok else ("partial" if summary.created + summary.updated else "failed")
        self.journal.finish_run(self.run_id, outcome, summary.counts())
        return summary

    def _round(self, pending: list[int]) -> list[int]:
        """Send `pending` once in batches; return the items to send again."""
        retry: list[int] = []
        size = max(self.adapter.capabilities.batch_limit, 1)
        for start in range(0, len(pending), size):
            batch = pending[start : start + size]
            results = self._send(batch)
            finished: list[tuple[int, ItemResult]] = []
            for i, result in results.items():
                again = not result.ok and result.retryable and self.stopped is None
                if again and self.attempts[i] < self.policy.max_attempts:
                    retry.append(i)  # stays "sent" in the journal until its final answer
                else:
                    finished.append((i, result))
            self._finish(finished)
            self._report()
        return retry

    def _record_unchanged(self) -> None:
        """Unchanged listings are in sync: note their hash, so the binding says what the channel holds."""
        unchanged = [a for a in self.plan.actions if a.kind == "unchanged" and a.remote_id]
        if not unchanged:
            return
        # A dead letter whose listing is now as desired (a write that landed unseen) is resolved.
        self.dead.clear(self.channel, [a.sku for a in unchanged])
        known = self.bindings.for_channel(self.channel)
        stale = []
        for action in unchanged:
            assert action.remote_id is not None
            binding = known.get(action.sku)
            fingerprint = action.after.fingerprint()
            if binding is None or binding.remote_id != action.remote_id or binding.last_hash != fingerprint:
                stale.append(Binding(self.channel, action.sku, action.remote_id, fingerprint, None, None))
        self.bindings.save_many(self.channel, stale)

    def _send(self, batch: Sequence[int]) -> dict[int, ItemResult]:
        if self.stopped is not None:
            reason = f"not sent: {self.stopped}"
            return {i: ItemResult.refused(self.writes[i].sku, reason) for i in batch}
        try:
            return self._push(batch)
        except ChannelError as e:
            log.error("%s: a batch of %d write(s) failed: %s", self.channel, len(batch), e)
            if isinstance(e, ChannelAuthError):
                self.stopped = e
            return {i: ItemResult.refused(self.writes[i].sku, str(e), retryable=e.retryable) for i in batch}

    def _push(self, batch: Sequence[int]) -> dict[int, ItemResult]:
        self.journal.mark([self.entries[i] for i in batch], "sent", attempt=True)
        for i in batch:
            self.attempts[i] += 1
        try:
            results = self.adapter.push([change_for(self.writes[i]) for i in batch])
        except BatchTooLarge:
            if len(batch) == 1:
                raise
            # The channel takes fewer than it declared (a host filter lowered the cap): halve and go on.
            half = len(batch) // 2
            log.warning("%s: batch of %d refused as too large; sending halves", self.channel, len(batch))
            for i in batch:
                self.attempts[i] -= 1
            return {**self._push(batch[:half]), **self._push(batch[half:])}
        if len(results) != len(batch):
            raise ChannelResponseError(
                self.channel, f"the adapter answered {len(results)} results for {len(batch)} changes"
            )
        return {i: _checked(r) for i, r in zip(batch, results, strict=True)}

    def _finish(self, finished: list[tuple[int, ItemResult]]) -> None:
        now = datetime.now(UTC)
        bound: list[Binding] = []
        settled: list[tuple[int, str, str | None, str | None, str | None]] = []
        succeeded: list[str] = []
        for i, result in finished:
            action = self.writes[i]
            self.outcomes[i] = result
            if result.ok and result.remote_id is not None:
                fingerprint = action.after.fingerprint()
                bound.append(Binding(self.channel, action.sku, result.remote_id, fingerprint, now, result.modified))
                settled.append((self.entries[i], "accepted", None, result.remote_id, result.request_id))
                succeeded.append(action.sku)
                continue
            error = result.error or "refused without a reason"
            log.warning("%s: %s %s failed: %s", self.channel, action.kind, action.sku, error)
            settled.append((self.entries[i], "failed", error, result.remote_id, result.request_id))
            if not error.startswith("not sent:"):
                self.dead.put(
                    self.channel,
                    action.sku,
                    action.kind,
                    error,
                    retryable=result.retryable,
                    attempts=self.attempts[i],
                    run_id=self.run_id,
                    now=now,
                )
                self.dead_lettered += 1
        # Bindings first: once the channel has created a listing, its id must survive a crash.
        self.bindings.save_many(self.channel, bound)
        self.journal.settle(settled)
        self.dead.clear(self.channel, succeeded)

    def _report(self) -> None:
        if self.progress is not None:
            self.progress(self.channel, len(self.outcomes), len(self.writes))

    def _verify(self) -> None:
        """Read the accepted writes back; equal -> verified, different -> failed (kept in the journal)."""
        accepted = [i for i, r in self.outcomes.items() if r.ok]
        if not accepted:
            return
        skus = [self.writes[i].sku for i in accepted]
        try:
            if len(skus) <= VERIFY_BY_SKU_UP_TO:
                live = self.adapter.find_by_skus(skus)
            else:
                live = {r.state.sku: r for r in self.adapter.list_listings()}
        except ChannelError as e:
            log.warning("%s: read-back failed (%s); writes stay 'accepted'", self.channel, e)
            return
        settled: list[tuple[int, str, str | None, str | None, str | None]] = []
        for i in accepted:
            action, result = self.writes[i], self.outcomes[i]
            found = live.get(action.sku)
            if found is not None and _holds(found.state, action.after, self.adapter.capabilities):
                self.verified.add(i)
                settled.append((self.entries[i], "verified", None, result.remote_id, result.request_id))
                continue
            why = "missing on read-back" if found is None else "read back different from what was sent"
            log.warning("%s: %s %s: %s", self.channel, action.kind, action.sku, why)
            self.outcomes[i] = ItemResult.refused(action.sku, why, remote_id=result.remote_id)
            settled.append((self.entries[i], "failed", why, result.remote_id, result.request_id))
        self.journal.settle(settled)


def _holds(live: ListingState, sent: ListingState, capabilities: Capabilities) -> bool:
    """The channel holds what was sent, in the fields it writes (as the planner compares them): the
    others are the channel's own (on Amazon a listing at quantity 0 reads as inactive)."""
    return all(getattr(live, f) == getattr(sent, f) for f in MANAGED_FIELDS if f in capabilities.writable_fields)


def _checked(result: ItemResult) -> ItemResult:
    if result.ok and not result.remote_id:
        return ItemResult.refused(result.sku, "the channel accepted the item but returned no remote id")
    return result
