"""Review queue repository: listings matched with too little confidence, and reviewers' decisions."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from oneprice.domain.money import Money
from oneprice.domain.observation import Observation
from oneprice.domain.review import Decision, ListingReview, ReviewState
from oneprice.errors import UserError
from oneprice.storage.db import Database
from oneprice.storage.tables import ListingReviewRow


def _to_review(r: ListingReviewRow) -> ListingReview:
    return ListingReview(
        listing_key=r.listing_key,
        target_id=r.target_id,
        offer_key=r.offer_key or "",
        platform=r.platform,
        url=r.url,
        title=r.title,
        seller_name=r.seller_name,
        price=Money.of(r.price, r.currency) if r.price is not None and r.currency else None,
        suggested_sku=r.suggested_sku,
        confidence=min(r.confidence, 1),
        reason=r.reason,
        state=ReviewState(r.state),
        decided_sku=r.decided_sku,
        decided_at=r.decided_at,
        first_seen=r.first_seen,
        last_seen=r.last_seen,
        observation_id=r.observation_id,
    )


class ReviewRepository:
    """The queue (`pending`) and the decisions (`accepted`/`rejected`), one row per listing."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def enqueue(self, obs: Observation, observation_id: int | None = None) -> None:
        """Put a REVIEW observation's listing in the queue, or refresh it; a decision is never undone."""
        now = obs.observed_at or datetime.now(UTC)
        with self.db.session() as s:
            row = s.get(ListingReviewRow, obs.listing_key)
            if row is None:
                row = ListingReviewRow(
                    listing_key=obs.listing_key,
                    target_id=obs.target_id,
                    offer_key=obs.offer_key[:128],
                    platform=obs.platform,
                    state=ReviewState.PENDING.value,
                    first_seen=now,
                )
                s.add(row)
            elif row.state != ReviewState.PENDING.value:
                return
            row.url = obs.url
            row.title = obs.title
            row.seller_name = obs.seller_name
            row.price = obs.price.amount if obs.price else None
            row.currency = obs.price.currency if obs.price else None
            row.suggested_sku = obs.product_sku
            row.confidence = obs.confidence
            row.reason = obs.reason
            row.last_seen = now
            row.observation_id = observation_id

    def list(self, state: ReviewState | None = ReviewState.PENDING, limit: int = 500) -> list[ListingReview]:
        with self.db.session() as s:
            q = select(ListingReviewRow).order_by(ListingReviewRow.last_seen.desc()).limit(limit)
            if state is not None:
                q = q.where(ListingReviewRow.state == state.value)
            return [_to_review(r) for r in s.scalars(q)]

    def get(self, listing_key: str) -> ListingReview | None:
        with self.db.session() as s:
            row = s.get(ListingReviewRow, listing_key)
            return _to_review(row) if row else None

    def decide(
        self, listing_key: str, state: ReviewState, sku: str | None = None, now: datetime | None = None
    ) -> ListingReview:
        """Record a decision (accept as `sku`, or reject); UserError for an unknown listing."""
        if state is ReviewState.ACCEPTED and not sku:
            raise UserError("accepting a listing needs the product SKU it is")
        with self.db.session() as s:
            row = s.get(ListingReviewRow, listing_key)
            if row is None:
                raise UserError(f"no listing {listing_key!r} in the review queue")
            row.state = state.value
            row.decided_sku = sku if state is ReviewState.ACCEPTED else None
            row.decided_at = now or datetime.now(UTC)
            s.flush()
            return _to_review(row)

    def decisions(self) -> dict[str, Decision]:
        """Every decided listing: what the crawler applies to the listing's later visits."""
        with self.db.session() as s:
            rows = s.execute(
                select(ListingReviewRow.listing_key, ListingReviewRow.state, ListingReviewRow.decided_sku).where(
                    ListingReviewRow.state != ReviewState.PENDING.value
                )
            )
            return {key: Decision(state=ReviewState(state), sku=sku) for key, state, sku in rows}
