"""The daemon lease: one holder at a time, renewals, expiry and takeover, on every backend."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from oneprice.storage import Database
from oneprice.storage.daemon import LeaseRepository

T0 = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)


def test_one_holder_at_a_time(any_db: Database) -> None:
    leases = LeaseRepository(any_db)
    assert leases.acquire("daemon", "a", ttl=60, now=T0)
    assert not leases.acquire("daemon", "b", ttl=60, now=T0 + timedelta(seconds=30))
    assert leases.acquire("daemon", "a", ttl=60, now=T0 + timedelta(seconds=30))  # re-entrant
    lease = leases.get("daemon")
    assert lease is not None and lease.holder == "a"


def test_renew_keeps_it_and_expiry_lets_another_take_it(any_db: Database) -> None:
    leases = LeaseRepository(any_db)
    leases.acquire("daemon", "a", ttl=10, now=T0)
    assert leases.renew("daemon", "a", ttl=10, now=T0 + timedelta(seconds=8))
    assert not leases.acquire("daemon", "b", ttl=10, now=T0 + timedelta(seconds=15))
    # a stopped renewing (killed): after expiry b takes over, and a's renewal now fails
    assert leases.acquire("daemon", "b", ttl=10, now=T0 + timedelta(seconds=19))
    assert not leases.renew("daemon", "a", ttl=10, now=T0 + timedelta(seconds=20))


def test_release_only_by_holder(any_db: Database) -> None:
    leases = LeaseRepository(any_db)
    leases.acquire("daemon", "a", ttl=60, now=T0)
    leases.release("daemon", "b")
    assert leases.get("daemon") is not None
    leases.release("daemon", "a")
    assert leases.get("daemon") is None
    assert leases.acquire("daemon", "b", ttl=60, now=T0)
