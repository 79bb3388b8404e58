"""Watch target repository: targets found by discovery, sellers seen on search pages, page health.

Config targets are mirrored by CatalogRepository; this repository adds the discovered ones and
keeps, per target, how its last visits went (a target that keeps failing is backed off) and the
validators (ETag, Last-Modified) its next visit sends to ask whether the page changed.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from oneprice.domain.alert import ACTIVE_STATUSES
from oneprice.domain.catalog import WatchTarget
from oneprice.domain.money import CURRENCY_EXPONENTS, Money
from oneprice.domain.observation import ObservationStatus, seller_key
from oneprice.storage.db import Database, chunks
from oneprice.storage.observations import existing_evidence
from oneprice.storage.tables import AlertRow, DiscoveredSellerRow, ObservationRow, ProductRow, WatchTargetRow
from oneprice.storage.tables.crawl import PageValidatorRow

# Statuses that say the page is not answering properly; a target with these in a row is backed off.
FAILING = frozenset({ObservationStatus.BLOCKED.value, ObservationStatus.HTTP_ERROR.value})
BACKOFF_BASE = timedelta(hours=1)
BACKOFF_MAX = timedelta(days=2)

# A search price must fit the money column (NUMERIC(18,4)); a larger "price" is no price.
SEARCH_PRICE_MAX = Decimal(10) ** 14

# How a page answered a visit, as `record_answers` keeps it (`page_validators.answer`).
ANSWER_FULL = "full"  # 200 to a request without validators
ANSWER_MODIFIED = "modified"  # 200 to a conditional request: the page changed
ANSWER_NOT_MODIFIED = "not_modified"  # 304: the page was read again from its evidence
ANSWER_EVIDENCE_MISSING = "evidence_missing"  # 304, but the evidence page is gone: validators dropped
ANSWER_FAILED = "failed"  # no page (an error status, a network failure): validators stay as they were
ANSWERS = frozenset({ANSWER_FULL, ANSWER_MODIFIED, ANSWER_NOT_MODIFIED, ANSWER_EVIDENCE_MISSING, ANSWER_FAILED})


@dataclass(frozen=True)
class Found:
    """One listing on a search result page.

    `price` is the one price the search result showed, in `currency` (None when the search page's
    currency is not known): a lead kept on the watch target, never an observation.
    """

    platform: str
    url: str
    title: str | None
    seller_name: str | None
    reseller_id: str | None
    price: Decimal | None = None
    currency: str | None = None


@dataclass(frozen=True)
class DiscoveredListing:
    """A discovered watch target as `discover --list` and the dashboard show it.

    `search_price` is what its search result showed last (in `search_currency`, None when unknown),
    seen at `search_price_seen_at`; `product_sku` is the product its newest matched reading named
    (None until a crawl matches the listing) and `unified_price` that product's unified price.
    """

    id: str
    platform: str
    url: str
    title: str | None
    seller_name: str | None
    discovered_at: datetime | None
    search_price: Decimal | None
    search_currency: str | None
    search_price_seen_at: datetime | None
    product_sku: str | None = None
    unified_price: Money | None = None

    @property
    def below_unified(self) -> bool:
        """Whether the search price is below the product's unified price (both known, same currency)."""
        if self.search_price is None or self.unified_price is None:
            return False
        return self.search_currency == self.unified_price.currency and self.search_price < self.unified_price.amount


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
class PageValidators:
    """What a page's last stored full answer carried to ask "changed since?", and where its body is."""

    target_id: str
    url: str
    etag: str | None
    last_modified: str | None
    evidence_sha256: str


@dataclass(frozen=True)
class PageAnswer:
    """How a target's page answered one visit (one of `ANSWERS`), with the validators to keep.

    `validators` is None when the answer carried none (they are then dropped, except after a
    `failed` visit, which leaves them as they were); they are kept only if the evidence page they
    belong to is stored.
    """

    target_id: str
    answer: str
    validators: PageValidators | None = None


@dataclass(frozen=True)
class ConditionalHealth:
    """For `crawl status`: targets with validators, newest visits answered 304, 304 answers in all."""

    with_validators: int
    not_modified_last_visit: int
    not_modified_total: int


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


def search_lead(price: object, currency: object) -> tuple[Decimal | None, str | None]:
    """(amount, ISO currency) to keep of a search result's price, or None for what is not one.

    Only a finite, non-negative Decimal that fits the money column is kept; a currency that is no
    ISO 4217 code is kept as unknown (None), never guessed.
    """
    if isinstance(price, bool) or not isinstance(price, Decimal) or not price.is_finite():
        return None, None
    if price < 0 or price >= SEARCH_PRICE_MAX:
        return None, None
    code: str | None = None
    if isinstance(currency, str) and currency.upper() in CURRENCY_EXPONENTS:
        code = currency.upper()
    return price.quantize(Decimal("0.0001")), code


def backoff(failures: int) -> timedelta:
    """1h, 2h, 4h ... up to two days after `failures` failing visits in a row."""
    return min(BACKOFF_BASE * (2 ** max(failures - 1, 0)), BACKOFF_MAX)


class TargetRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    def add_discovered(self, found: Iterable[Found], now: datetime | None = None) -> tuple[int, int]:
        """Store search results: new listings become active watch targets, sellers are counted.

        Returns (new targets, new unknown sellers). A URL already watched keeps its target; one found
        by discovery before takes the price its search result shows now, with the time (none when the
        result shows no one price now), and a configured one is left alone.
        """
        now = now or datetime.now(UTC)
        found = list(found)
        leads = _search_leads(found)
        new_targets = new_sellers = 0
        with self.db.session() as s:
            known_urls = set(s.scalars(select(WatchTargetRow.url)))
            self._update_leads(s, {u: lead for u, lead in leads.items() if u in known_urls}, now)
            for f in found:
                if f.url not in known_urls:
                    known_urls.add(f.url)
                    new_targets += 1
                    price, currency = leads[f.url]
                    s.add(
                        WatchTargetRow(
                            id=discovered_id(f.platform, f.url), url=f.url, platform=f.platform, kind="listing",
                            active=True, source="discovery", title=f.title, seller_name=f.seller_name,
                            discovered_at=now, failures=0, search_price=price, search_currency=currency,
                            search_price_seen_at=now,
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

    @staticmethod
    def _update_leads(s: Session, leads: dict[str, tuple[Decimal | None, str | None]], now: datetime) -> None:
        """The search price of discovered targets seen again, a chunk of URLs per query."""
        for chunk in chunks(list(leads)):
            rows = s.scalars(
                select(WatchTargetRow).where(WatchTargetRow.source == "discovery", WatchTargetRow.url.in_(chunk))
            )
            for row in rows:
                row.search_price, row.search_currency = leads[row.url]
                row.search_price_seen_at = now
        s.flush()

    def discovered(self) -> list[WatchTarget]:
        """Active targets found by discovery, oldest first."""
        with self.db.session() as s:
            rows = s.scalars(
                select(WatchTargetRow)
                .where(WatchTargetRow.source == "discovery", WatchTargetRow.active.is_(True))
                .order_by(WatchTargetRow.discovered_at, WatchTargetRow.id)
            )
            return [WatchTarget(id=r.id, url=r.url, platform=r.platform, kind="listing") for r in rows]

    def discovered_listings(self, limit: int | None = None) -> list[DiscoveredListing]:
        """Active targets found by discovery with their search price, most recently seen first.

        The product is the one the target's newest matched reading names, with its unified price
        (None until a crawl matched the listing).
        """
        seen = func.coalesce(WatchTargetRow.search_price_seen_at, WatchTargetRow.discovered_at)
        with self.db.session() as s:
            q = (
                select(WatchTargetRow)
                .where(WatchTargetRow.source == "discovery", WatchTargetRow.active.is_(True))
                .order_by(seen.desc(), WatchTargetRow.id)
            )
            if limit is not None:
                q = q.limit(limit)
            rows = list(s.scalars(q))
            skus = _matched_products(s, [r.id for r in rows])
            prices = {
                p.sku: Money.of(p.unified_price, p.currency)
                for p in s.scalars(select(ProductRow).where(ProductRow.sku.in_(set(skus.values()))))
            }
            return [_listing(r, skus.get(r.id), prices) for r in rows]

    def count_discovered(self) -> int:
        """How many active targets discovery found."""
        with self.db.session() as s:
            return (
                s.scalar(
                    select(func.count())
                    .select_from(WatchTargetRow)
                    .where(WatchTargetRow.source == "discovery", WatchTargetRow.active.is_(True))
                )
                or 0
            )

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
        self.record_visits([(target_id, status, reason)], now)

    def record_visits(self, visits: Sequence[tuple[str, str, str | None]], now: datetime | None = None) -> None:
        """`record_visit` for many (target id, status, reason) in one transaction, in order.

        Unknown targets (named only on the command line of a config-less crawl) are skipped.
        """
        now = now or datetime.now(UTC)
        with self.db.session() as s:
            rows = _rows_by_id(s, WatchTargetRow, WatchTargetRow.id, {t for t, _, _ in visits})
            for target_id, status, reason in visits:
                row = rows.get(target_id)
                if row is None:
                    continue
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

    # -- conditional requests ----------------------------------------------------------------------

    def page_validators(self) -> dict[str, PageValidators]:
        """Target id -> the validators its next visit sends (targets whose page offered some)."""
        with self.db.session() as s:
            rows = s.scalars(
                select(PageValidatorRow).where(
                    PageValidatorRow.evidence_sha256.is_not(None),
                    (PageValidatorRow.etag.is_not(None)) | (PageValidatorRow.last_modified.is_not(None)),
                )
            )
            return {
                r.target_id: PageValidators(r.target_id, r.url, r.etag, r.last_modified, r.evidence_sha256 or "")
                for r in rows
            }

    def record_answers(self, answers: Sequence[PageAnswer], now: datetime | None = None) -> int:
        """Keep how each page answered and the validators to send next time; returns validators kept.

        Validators are kept only when their evidence page is stored (a page not kept as evidence
        cannot be read again on a 304); otherwise the target's old ones are dropped too.
        """
        now = now or datetime.now(UTC)
        kept = 0
        with self.db.session() as s:
            # A chunk at a time, each chunk's rows let go once written: a crawl's close stays flat in memory.
            for chunk in chunks(answers):
                kept += self._record_chunk(s, chunk, now)
                s.flush()
                s.expunge_all()
        return kept

    @staticmethod
    def _record_chunk(s: Session, answers: Sequence[PageAnswer], now: datetime) -> int:
        kept = 0
        stored = existing_evidence(s, {a.validators.evidence_sha256 for a in answers if a.validators is not None})
        rows = _rows_by_id(s, PageValidatorRow, PageValidatorRow.target_id, {a.target_id for a in answers})
        for a in answers:
            if a.answer not in ANSWERS:
                raise ValueError(f"unknown page answer {a.answer!r}")
            row = rows.get(a.target_id)
            if a.answer == ANSWER_FAILED:
                if row is not None:
                    row.answer, row.answered_at = a.answer, now
                continue
            v = a.validators if a.validators is not None and a.validators.evidence_sha256 in stored else None
            if row is None:
                if v is None:
                    continue  # a page that never offered validators is not tracked
                row = PageValidatorRow(target_id=a.target_id, url=v.url, not_modified=0)
                s.add(row)
                rows[a.target_id] = row
            if v is not None:
                if a.answer != ANSWER_NOT_MODIFIED or row.evidence_sha256 != v.evidence_sha256:
                    row.stored_at = now
                row.url, row.etag, row.last_modified = v.url, v.etag, v.last_modified
                row.evidence_sha256 = v.evidence_sha256
                kept += 1
            else:
                row.etag = row.last_modified = row.evidence_sha256 = None
            row.answer, row.answered_at = a.answer, now
            if a.answer == ANSWER_NOT_MODIFIED:
                row.not_modified = (row.not_modified or 0) + 1
        return kept

    def conditional_health(self, target_ids: Iterable[str] | None = None) -> ConditionalHealth:
        """How conditional requests are doing over the targets (all when None)."""
        with self.db.session() as s:
            q = select(PageValidatorRow)
            if target_ids is not None:
                q = q.where(PageValidatorRow.target_id.in_(list(target_ids)))
            rows = list(s.scalars(q))
        return ConditionalHealth(
            with_validators=sum(1 for r in rows if r.evidence_sha256 and (r.etag or r.last_modified)),
            not_modified_last_visit=sum(1 for r in rows if r.answer == ANSWER_NOT_MODIFIED),
            not_modified_total=sum(r.not_modified or 0 for r in rows),
        )


def _search_leads(found: Sequence[Found]) -> dict[str, tuple[Decimal | None, str | None]]:
    """URL -> (price, currency) its search results showed: the last priced one of the run, else none."""
    leads: dict[str, tuple[Decimal | None, str | None]] = {}
    for f in found:
        lead = search_lead(f.price, f.currency)
        if lead[0] is not None or f.url not in leads:
            leads[f.url] = lead
    return leads


def _listing(row: WatchTargetRow, sku: str | None, prices: dict[str, Money]) -> DiscoveredListing:
    return DiscoveredListing(
        row.id, row.platform, row.url, row.title, row.seller_name, row.discovered_at, row.search_price,
        row.search_currency, row.search_price_seen_at, sku, prices.get(sku) if sku else None,
    )  # fmt: skip


def _matched_products(session: Session, target_ids: Sequence[str]) -> dict[str, str]:
    """Target id -> the product its newest reading that named one named."""
    products: dict[str, str] = {}
    for chunk in chunks(list(target_ids)):
        newest = (
            select(ObservationRow.target_id, func.max(ObservationRow.id).label("id"))
            .where(ObservationRow.target_id.in_(chunk), ObservationRow.product_sku.is_not(None))
            .group_by(ObservationRow.target_id)
            .subquery()
        )
        rows = session.execute(
            select(ObservationRow.target_id, ObservationRow.product_sku).join(newest, ObservationRow.id == newest.c.id)
        )
        products.update({t: sku for t, sku in rows if sku})
    return products


def _rows_by_id(session: Session, table: Any, key: Any, ids: Iterable[str]) -> dict[str, Any]:
    """The rows of `table` whose `key` is one of `ids`, loaded a chunk of keys per query."""
    rows: dict[str, Any] = {}
    for chunk in chunks(list(ids)):
        for row in session.scalars(select(table).where(key.in_(chunk))):
            rows[getattr(row, key.key)] = row
    return rows
