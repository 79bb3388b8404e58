"""Alert episodes in storage: grace, auto-resolve, dismissals, repeat offences, history, pagination."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from oneprice.domain.alert import AlertStatus, EpisodePolicy, Severity, Violation
from oneprice.domain.money import Money
from oneprice.domain.outbox import OutboxMessage
from oneprice.errors import UserError
from oneprice.storage import AlertFilter, AlertRepository, Database, OutboxRepository

T0 = datetime(2026, 6, 18, 8, 0, tzinfo=UTC)
MIN = timedelta(minutes=1)


def v(
    seller: str = "star",
    *,
    at: datetime = T0,
    gap: str = "10",
    obs_id: int | None = None,
    rule: str = "undercut",
    sku: str = "JK",
    platform: str = "tmall",
    severity: Severity = Severity.WARNING,
) -> Violation:
    return Violation(
        rule=rule,
        product_sku=sku,
        seller_key=seller,
        seller_name=seller,
        reseller_id=None,
        platform=platform,
        unified_price=Money.of("1000", "CNY"),
        observed_price=Money.of(Decimal(1000) - Decimal(gap) * 10, "CNY"),
        gap_percent=Decimal(gap),
        severity=severity,
        message="m",
        url="http://127.0.0.1/x",
        observation_id=obs_id,
        observed_at=at,
    )


def fixed(policy: EpisodePolicy):  # type: ignore[no-untyped-def]
    return lambda _key: policy


@pytest.fixture
def repo(any_db: Database) -> AlertRepository:
    return AlertRepository(any_db)


GRACE = [
    # policy, readings (minutes after T0), status after each reading
    (EpisodePolicy(), [0], ["open"]),
    (EpisodePolicy(grace_observations=2), [0, 10], ["pending", "open"]),
    (EpisodePolicy(grace_observations=3), [0, 10, 20], ["pending", "pending", "open"]),
    (EpisodePolicy(grace_minutes=30), [0, 10, 40], ["pending", "pending", "open"]),
    (EpisodePolicy(grace_observations=2, grace_minutes=30), [0, 40], ["pending", "open"]),
]


@pytest.mark.parametrize(("policy", "minutes", "statuses"), GRACE)
def test_grace_by_observations_or_minutes(
    repo: AlertRepository, policy: EpisodePolicy, minutes: list[int], statuses: list[str]
) -> None:
    seen = []
    for m in minutes:
        at = T0 + m * MIN
        changes = repo.apply([v(at=at)], [], at, policy=fixed(policy))
        [alert] = repo.list(status=list(AlertStatus))
        seen.append(alert.status.value)
        assert len(changes.opened) == (1 if alert.status is AlertStatus.OPEN and seen.count("open") == 1 else 0)
    assert seen == statuses


def test_the_same_observation_evaluated_twice_counts_once(repo: AlertRepository) -> None:
    policy = fixed(EpisodePolicy(grace_observations=2))
    repo.apply([v(obs_id=None, at=T0)], [], T0, policy=policy)
    repo.apply([v(obs_id=None, at=T0)], [], T0 + MIN, policy=policy)
    [alert] = repo.list(status=list(AlertStatus))
    assert (alert.status, alert.observations) == (AlertStatus.PENDING, 1)


def test_a_single_odd_reading_that_clears_leaves_nothing(repo: AlertRepository) -> None:
    policy = fixed(EpisodePolicy(grace_observations=2))
    first = repo.apply([v()], [], T0, policy=policy)
    assert [a.status for a in first.pending] == [AlertStatus.PENDING]
    repo.apply([], [v().key], T0 + MIN, policy=policy)
    assert repo.list(status=list(AlertStatus)) == []


def test_resolves_only_after_the_price_stayed_in_line(repo: AlertRepository) -> None:
    policy = fixed(EpisodePolicy(resolve_after_minutes=60))
    [alert] = repo.apply([v()], [], T0, policy=policy).opened
    assert not repo.apply([], [alert.key], T0 + 10 * MIN, policy=policy).resolved
    # back below: the quiet period starts again
    repo.apply([v(at=T0 + 20 * MIN)], [], T0 + 20 * MIN, policy=policy)
    assert not repo.apply([], [alert.key], T0 + 30 * MIN, policy=policy).resolved
    assert not repo.apply([], [alert.key], T0 + 80 * MIN, policy=policy).resolved
    [done] = repo.apply([], [alert.key], T0 + 90 * MIN, policy=policy).resolved
    assert (done.id, done.status, done.resolved_at) == (alert.id, AlertStatus.RESOLVED, T0 + 90 * MIN)


def test_transitions_keep_who_and_when(repo: AlertRepository) -> None:
    [alert] = repo.apply([v()], [], T0).opened
    repo.transition(alert.id, AlertStatus.ACKNOWLEDGED, actor="li.na", now=T0 + MIN, note="looking")
    repo.apply([v(at=T0 + 2 * MIN)], [], T0 + 2 * MIN)  # still violating: stays acknowledged
    assert repo.get(alert.id).status is AlertStatus.ACKNOWLEDGED  # type: ignore[union-attr]
    repo.transition(alert.id, AlertStatus.RESOLVED, actor="li.na", now=T0 + 3 * MIN)
    history = [(e.from_status, e.to_status, e.actor) for e in repo.history(alert.id)]
    assert history == [
        (None, AlertStatus.PENDING, "engine"),
        (AlertStatus.PENDING, AlertStatus.OPEN, "engine"),
        (AlertStatus.OPEN, AlertStatus.ACKNOWLEDGED, "li.na"),
        (AlertStatus.ACKNOWLEDGED, AlertStatus.RESOLVED, "li.na"),
    ]
    assert repo.history(alert.id)[2].note == "looking" and repo.history(alert.id)[2].at == T0 + MIN


BAD_TRANSITIONS = [
    (AlertStatus.RESOLVED, AlertStatus.ACKNOWLEDGED),
    (AlertStatus.DISMISSED, AlertStatus.OPEN),
    (AlertStatus.OPEN, AlertStatus.PENDING),
]


@pytest.mark.parametrize(("first", "then"), BAD_TRANSITIONS)
def test_refused_transitions(repo: AlertRepository, first: AlertStatus, then: AlertStatus) -> None:
    [alert] = repo.apply([v()], [], T0).opened
    if first is not AlertStatus.OPEN:
        repo.transition(alert.id, first, actor="a", now=T0, note="reason")
    with pytest.raises(UserError):
        repo.transition(alert.id, then, actor="a", now=T0, note="x")


def test_dismissal_needs_a_reason_and_is_remembered(repo: AlertRepository) -> None:
    [alert] = repo.apply([v(gap="10")], [], T0).opened
    with pytest.raises(UserError, match="reason"):
        repo.transition(alert.id, AlertStatus.DISMISSED, actor="a", now=T0, note=" ")
    dismissed = repo.transition(alert.id, AlertStatus.DISMISSED, actor="a", now=T0, note="bundle price")
    assert dismissed.note == "bundle price"
    again = repo.apply([v(gap="8", at=T0 + MIN)], [], T0 + MIN)  # same or smaller gap: not raised
    assert not again.opened and len(again.suppressed) == 1
    worse = repo.apply([v(gap="25", at=T0 + 2 * MIN)], [], T0 + 2 * MIN)  # worse: raised
    assert len(worse.opened) == 1


def test_repeat_offences_raise_the_severity(repo: AlertRepository) -> None:
    severities = []
    for i in range(3):
        at = T0 + i * 60 * MIN
        [alert] = repo.apply([v(at=at)], [], at).opened
        severities.append((alert.repeat, alert.severity))
        repo.apply([], [alert.key], at + MIN)
    assert severities == [(0, Severity.WARNING), (1, Severity.WARNING), (2, Severity.CRITICAL)]


def test_apply_without_observation_keeps_working(repo: AlertRepository) -> None:
    """The sync check stores own-channel drift with observation_id=None (no page behind it)."""
    violation = v("official", rule="own_channel_drift", platform="website")
    [alert] = repo.apply([violation], [], T0).opened
    assert alert.observation_id is None
    assert [a.id for a in repo.apply([], [alert.key], T0 + MIN).resolved] == [alert.id]


def test_messages_are_stored_with_the_changes_and_only_once(any_db: Database) -> None:
    repo = AlertRepository(any_db)

    def messages(changes):  # type: ignore[no-untyped-def]
        return [
            OutboxMessage(
                dedupe_key=f"alert:{a.id}:opened:log",
                route="log",
                kind="alert",
                mode="immediate",
                alert_id=a.id,
                severity=a.severity.value,
                subject="s",
                body_text="t",
                body_html="h",
            )
            for a in [*changes.opened, *changes.updated]
        ]

    repo.apply([v()], [], T0, messages=messages)
    repo.apply([v(at=T0 + MIN)], [], T0 + MIN, messages=messages)  # same dedupe key: not queued again
    assert OutboxRepository(any_db).counts() == {"pending": 1}


def test_keyset_pages_cover_everything_once_with_filters(repo: AlertRepository) -> None:
    violations = [v(f"s{i:02d}", platform="jd" if i % 3 == 0 else "tmall") for i in range(25)]
    repo.apply(violations, [], T0)
    f = AlertFilter(statuses=(AlertStatus.OPEN,), platforms=("tmall",))
    seen: list[int] = []
    cursor = None
    while True:
        page = repo.page(f, after=cursor, limit=7)
        seen.extend(a.id for a in page.items)
        if page.next_cursor is None:
            break
        cursor = page.next_cursor
    assert seen == sorted(seen, reverse=True) and len(seen) == len(set(seen)) == 16
    assert repo.count(f) == 16
    assert repo.count(AlertFilter(seller_keys=("s03",))) == 1
    with pytest.raises(ValueError, match="at least one alert"):
        repo.page(f, limit=0)
