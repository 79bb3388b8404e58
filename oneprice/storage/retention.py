"""Retention: drop observations past their time, keeping every one an alert points at."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, select

from oneprice.storage.db import Database, rowcount
from oneprice.storage.tables import AlertRow, EvidenceRow, ObservationRow


def purge_observations(db: Database, *, before: datetime) -> dict[str, Any]:
    """Delete observations older than `before` that no alert cites, then evidence nothing cites."""
    with db.session() as s:
        cited = select(AlertRow.observation_id).where(AlertRow.observation_id.is_not(None))
        gone = s.execute(
            delete(ObservationRow)
            .where(ObservationRow.observed_at < before, ObservationRow.id.not_in(cited))
            .execution_options(synchronize_session=False)
        )
        used = select(ObservationRow.evidence_sha256).where(ObservationRow.evidence_sha256.is_not(None))
        pages = s.execute(
            delete(EvidenceRow).where(EvidenceRow.sha256.not_in(used)).execution_options(synchronize_session=False)
        )
        return {
            "observations_deleted": int(rowcount(gone) or 0),
            "evidence_deleted": int(rowcount(pages) or 0),
        }
