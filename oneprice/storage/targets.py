"""Watch target repository: targets found by discovery, sellers seen on search pages, page health.

Config targets are mirrored by CatalogRepository; this repository adds the discovered ones and
keeps, per target, how its last visits went (a target that keeps failing is backed off).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from oneprice.domain.alert import ACTIVE_STATUSES
from oneprice.domain.catalog import WatchTarget
from oneprice.domain.observation import ObservationStatus, seller_key
from oneprice.storage.db import Database
from oneprice.storage.tables import AlertRow, DiscoveredSellerRow, ObservationRow, WatchTargetRow

# Statuses that say the page is not answering properly; a target with these in a row is backed off.
FAILING = frozenset({ObservationStatus.BLOCKED.value, ObservationStatus.HTTP_ERROR.value})
BACKOFF_BASE = timedelta(hours=1)
BACKOFF_MAX = timedelta(days=2)


@dataclass(frozen=True)
class Found:
    """One listing on a search result page."""

    platform: str
    url: str
    title: str | None
    seller_name: str | None
    reseller_id: str | None


@dataclass(frozen=True)
class TargetHealth:
    id: str
    platform: str
    source: str
    last_status: str | None
    last_reason: str | None
    failures: int
    next_due_at: datetime | None


@dataclass(frozen=True)
class SellerSeen:
    platform: str
    name: str
    reseller_id: str | None
    listings: int
    example_url: str | None
    first_seen: datetime


def discovered_id(platform: str, url: str) -> str:
    """A stable target id for a discovered listing URL."""
    return f"{platform}-d-{hashlib.sha256(url.encode('utf-8')).hexdigest()[:12]}"


def backoff(failures: int) -> timedelta:
    """1h, 2h, 4h ... up to two days after `failures` failing visits in a row."""
    return min(BACKOFF_BASE * (2 ** max(failures - 1, 0)), BACKOFF_MAX)


class TargetRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    def add_discovered(self, found: Iterable[Found], now: datetime | None = None) -> tuple[int, int]:
        """Store search results: new listings become active watch targets, sellers are counted.

        Returns (new targets, new unknown sellers). A URL already watched is left alone.
        """
        now = now or datetime.now(UTC)
        new_targets = new_sellers = 0
        with self.db.session() as s:
            known_urls = set(s.scalars(select(WatchTargetRow.url)))
            for f in found:
                if f.url not in known_urls:
                    known_urls.add(f.url)
                    new_targets += 1
                    s.add(
                        WatchTargetRow(
                            id=discovered_id(f.platform, f.url), url=f.url, platform=f.platform, kind="listing",
                            active=True, source="discovery", title=f.title, seller_name=f.seller_name,
                            discovered_at=now, failures=0,
                        )
                    )  # fmt: skip
                if not f.seller_name:
                    continue
                key = seller_key(f.reseller_id, f.seller_name)
                row = s.get(DiscoveredSellerRow, (key, f.platform))
                if row is None:
                    row = DiscoveredSellerRow(
                        seller_key=key, platform=f.platform, name=f.seller_name, listings=0,
                        example_url=f.url, first_seen=now,
                    )  # fmt: skip
                    s.add(row)
                    new_sellers += f.reseller_id is None
                row.reseller_id = f.reseller_id
                row.listings = (row.listings or 0) + 1
                row.last_seen = now
                s.flush()
        return new_targets, new_sellers

    def discovered(self) -> list[WatchTarget]:
        """Active targets found by discovery, oldest first."""
        with self.db.session() as s:
            rows = s.scalars(
                select(WatchTargetRow)
                .where(WatchTargetRow.source == "discovery", WatchTargetRow.active.is_(True))
                .order_by(WatchTargetRow.discovered_at, WatchTargetRow.id)
            )
            return [WatchTarget(id=r.id, url=r.url, platform=r.platform, kind="listing") for r in rows]

    def sellers(self, unknown_only: bool = True) -> list[SellerSeen]:
        with self.db.session() as s:
            q = select(DiscoveredSellerRow).order_by(DiscoveredSellerRow.platform, DiscoveredSellerRow.name)
            if unknown_only:
                q = q.where(DiscoveredSellerRow.reseller_id.is_(None))
            return [
                SellerSeen(r.platform, r.name, r.reseller_id, r.listings, r.example_url, r.first_seen)
                for r in s.scalars(q)
            ]

    # -- health ------------------------------------------------------------------------------------

    def record_visit(self, target_id: str, status: str, reason: str | None, now: datetime | None = None) -> None:
        """Note how a visit went; failures in a row push the next visit back (see `backoff`)."""
        now = now or datetime.now(UTC)
        with self.db.session() as s:
            row = s.get(WatchTargetRow, target_id)
            if row is None:
                return  # a target named only on the command line of a config-less crawl
            row.last_visit_at, row.last_status, row.last_reason = now, status, reason
            if status in FAILING:
                row.failures = (row.failures or 0) + 1
                row.next_due_at = now + backoff(row.failures)
            else:
                row.failures, row.next_due_at = 0, None

    def backed_off(self, target_ids: Iterable[str], now: datetime | None = None) -> set[str]:
        """The targets among `target_ids` that wait after failing visits."""
        now = now or datetime.now(UTC)
        ids = list(target_ids)
        with self.db.session() as s:
            rows = s.execute(select(WatchTargetRow.id, WatchTargetRow.next_due_at).where(WatchTargetRow.id.in_(ids)))
            return {i for i, due in rows if due is not None and due > now}

    def hot(self, target_ids: Iterable[str]) -> set[str]:
        """Targets with a violation in progress: an active alert cites one of their observations."""
        ids = list(target_ids)
        if not ids:
            return set()
        active = [s.value for s in ACTIVE_STATUSES]
        with self.db.session() as s:
            rows = s.execute(
                select(ObservationRow.target_id)
                .join(AlertRow, AlertRow.observation_id == ObservationRow.id)
                .where(AlertRow.status.in_(active), ObservationRow.target_id.in_(ids))
                .distinct()
            )
            return {target_id for (target_id,) in rows}

    def visited_within(self, intervals: dict[str, float], now: datetime | None = None) -> set[str]:
        """The targets (id -> seconds) visited less than their interval ago: not due yet."""
        now = now or datetime.now(UTC)
        with self.db.session() as s:
            rows = s.execute(
                select(WatchTargetRow.id, WatchTargetRow.last_visit_at).where(WatchTargetRow.id.in_(list(intervals)))
            )
            return {i for i, last in rows if last is not None and now - last < timedelta(seconds=intervals[i])}

    def health(self) -> list[TargetHealth]:
        with self.db.session() as s:
            rows = s.scalars(select(WatchTargetRow).where(WatchTargetRow.active.is_(True)).order_by(WatchTargetRow.id))
            return [
                TargetHealth(r.id, r.platform, r.source, r.last_status, r.last_reason, r.failures or 0, r.next_due_at)
                for r in rows
            ]
