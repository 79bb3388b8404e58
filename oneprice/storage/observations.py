"""Observation repository: offers seen on page visits, with their evidence (bodies stored once per hash)."""

from __future__ import annotations

import gzip
import hashlib
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import and_, func, insert, or_, select
from sqlalchemy.orm import Session

from oneprice.domain.money import Money
from oneprice.domain.observation import Observation, ObservationStatus, seller_key
from oneprice.storage.db import Database, chunks
from oneprice.storage.tables import EvidenceRow, ObservationRow


def _to_observation(r: ObservationRow) -> Observation:
    price = Money.of(r.price, r.currency) if r.price is not None and r.currency else None
    return Observation(
        id=r.id,
        target_id=r.target_id,
        url=r.url,
        platform=r.platform,
        observed_at=r.observed_at,
        status=ObservationStatus(r.status),
        reason=r.reason,
        price=price,
        raw_price=r.raw_price,
        method=r.method,
        confidence=min(r.confidence or Decimal(0), Decimal(1)),
        seller_name=r.seller_name,
        reseller_id=r.reseller_id,
        product_sku=r.product_sku,
        title=r.title,
        listing_sku=r.listing_sku,
        listing_gtin=r.listing_gtin,
        evidence_sha256=r.evidence_sha256,
        price_kind=r.price_kind,
        price_high=r.price_high,
        shipping=r.shipping,
        offer_key=r.offer_key or "",
        visit=r.visit,
        match_method=r.match_method,
    )


def _row_values(obs: Observation, sha: str | None) -> dict[str, Any]:
    """The column values of one observation's row."""
    return {
        "target_id": obs.target_id,
        "url": obs.url,
        "platform": obs.platform,
        "observed_at": obs.observed_at,
        "status": obs.status.value,
        "reason": obs.reason,
        "price": obs.price.amount if obs.price else None,
        "currency": obs.price.currency if obs.price else None,
        "raw_price": obs.raw_price,
        "method": obs.method,
        "confidence": obs.confidence,
        "seller_name": obs.seller_name,
        "seller_key": seller_key(obs.reseller_id, obs.seller_name),
        "reseller_id": obs.reseller_id,
        "product_sku": obs.product_sku,
        "title": obs.title,
        "listing_sku": obs.listing_sku,
        "listing_gtin": obs.listing_gtin,
        "evidence_sha256": sha,
        "price_kind": obs.price_kind,
        "price_high": obs.price_high,
        "shipping": obs.shipping,
        "offer_key": obs.offer_key[:128],
        "visit": obs.visit,
        "match_method": obs.match_method,
    }


def existing_evidence(session: Session, shas: Iterable[str]) -> set[str]:
    """The hashes among `shas` whose evidence page is stored."""
    found: set[str] = set()
    for chunk in chunks(sorted(set(shas))):
        found.update(session.scalars(select(EvidenceRow.sha256).where(EvidenceRow.sha256.in_(chunk))))
    return found


class ObservationRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    def add(self, obs: Observation, evidence: bytes | None = None, content_type: str = "text/html") -> int:
        """Store one observation (and its page body as evidence, deduplicated); returns its id."""
        return self.add_many([(obs, evidence, content_type)])[0]

    def add_many(self, entries: Sequence[tuple[Observation, bytes | None, str]]) -> list[int]:
        """Store (observation, evidence, content type) entries in one transaction; their ids, in order.

        Evidence is stored once per sha256, within the batch as across batches (with the content
        type of its first entry). Rows are written with bulk INSERTs (one for the new evidence,
        one for the observations, ids returned in the order of `entries`).
        """
        if not entries:
            return []
        shas: list[str | None] = []
        bodies: dict[str, tuple[bytes, str]] = {}
        for obs, evidence, content_type in entries:
            sha = obs.evidence_sha256
            if evidence is not None:
                sha = hashlib.sha256(evidence).hexdigest()
                bodies.setdefault(sha, (evidence, content_type))
            shas.append(sha)
        with self.db.session() as s:
            if bodies:
                stored = existing_evidence(s, bodies)
                now = datetime.now(UTC)
                new = [
                    {
                        "sha256": sha,
                        "content_type": content_type[:64],
                        "size": len(body),
                        "body_gz": gzip.compress(body, compresslevel=6, mtime=0),
                        "created_at": now,
                    }
                    for sha, (body, content_type) in bodies.items()
                    if sha not in stored
                ]
                if new:  # evidence first: observations point at it
                    s.execute(insert(EvidenceRow), new)
            rows = [_row_values(obs, sha) for (obs, _, _), sha in zip(entries, shas, strict=True)]
            ids = s.scalars(insert(ObservationRow).returning(ObservationRow.id, sort_by_parameter_order=True), rows)
            return list(ids)

    def get(self, observation_id: int) -> Observation | None:
        with self.db.session() as s:
            row = s.get(ObservationRow, observation_id)
            return _to_observation(row) if row else None

    def latest_per_target(self, target_ids: list[str] | None = None) -> list[Observation]:
        """The newest visit of every target: its one observation, or each offer of a page with several.

        Offers of one visit share `visit`; ties are broken by id. Ordered by target, then id.
        """
        with self.db.session() as s:
            newest = select(ObservationRow.target_id, func.max(ObservationRow.id).label("id")).group_by(
                ObservationRow.target_id
            )
            if target_ids is not None:
                newest = newest.where(ObservationRow.target_id.in_(target_ids))
            sub = newest.subquery()
            last = (
                select(ObservationRow.target_id, ObservationRow.visit, ObservationRow.id)
                .join(sub, ObservationRow.id == sub.c.id)
                .subquery()
            )
            rows = s.scalars(
                select(ObservationRow)
                .join(last, ObservationRow.target_id == last.c.target_id)
                .where(
                    or_(
                        ObservationRow.id == last.c.id,
                        and_(last.c.visit.is_not(None), ObservationRow.visit == last.c.visit),
                    )
                )
                .order_by(ObservationRow.target_id, ObservationRow.id)
            )
            return [_to_observation(r) for r in rows]

    def for_target(self, target_id: str, limit: int = 50) -> list[Observation]:
        with self.db.session() as s:
            rows = s.scalars(
                select(ObservationRow)
                .where(ObservationRow.target_id == target_id)
                .order_by(ObservationRow.id.desc())
                .limit(limit)
            )
            return [_to_observation(r) for r in rows]

    def evidence(self, sha256: str) -> tuple[str, bytes] | None:
        """(content type, body) of a stored page, or None."""
        with self.db.session() as s:
            row = s.get(EvidenceRow, sha256)
            return (row.content_type, gzip.decompress(row.body_gz)) if row else None

    def coverage(self, since: datetime | None = None) -> list[tuple[str, str, int]]:
        """(platform, status, observations) since a moment (all time when None), for `crawl status`."""
        with self.db.session() as s:
            q = select(ObservationRow.platform, ObservationRow.status, func.count()).group_by(
                ObservationRow.platform, ObservationRow.status
            )
            if since is not None:
                q = q.where(ObservationRow.observed_at >= since)
            return [(p, st, n) for p, st, n in s.execute(q.order_by(ObservationRow.platform))]

    def count_by_status(self) -> dict[str, int]:
        with self.db.session() as s:
            rows = s.execute(select(ObservationRow.status, func.count()).group_by(ObservationRow.status))
            return {status: n for status, n in rows}
