"""Retention: drop observations past their time, keeping every one an alert points at, and the
records of work done (job runs, sync runs and their journals, delivered notifications)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, select

from oneprice.domain.outbox import OutboxStatus
from oneprice.storage.db import Database, rowcount
from oneprice.storage.tables import AlertRow, EvidenceRow, JobRunRow, JournalRow, ObservationRow, OutboxRow, SyncRunRow


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


def purge_history(db: Database, *, before: datetime) -> dict[str, int]:
    """Delete the records of work finished before `before`; what is still in progress stays.

    - the daemon's job runs (a deliver run a minute is half a million rows a year); each job's state
      (last success, failures, backoff) is kept apart and stays;
    - finished sync runs and their journals (a journal is read only while its run is open, and for
      today's retry counts);
    - delivered notifications: sent messages and the ones folded into a sent digest. A message
      waiting for delivery, or for the digest carrying it, stays; so does every alert's history.
    """
    with db.session() as s:
        runs = s.execute(
            delete(JobRunRow)
            .where(JobRunRow.started_at < before, JobRunRow.outcome != "running")
            .execution_options(synchronize_session=False)
        )
        finished = SyncRunRow.finished_at < before  # an open run (no finish time) never compares
        journal = s.execute(
            delete(JournalRow)
            .where(JournalRow.run_id.in_(select(SyncRunRow.id).where(finished)))
            .execution_options(synchronize_session=False)
        )
        syncs = s.execute(delete(SyncRunRow).where(finished).execution_options(synchronize_session=False))
        delivered = (OutboxRow.status == OutboxStatus.SENT.value, OutboxRow.sent_at < before)
        bundled = s.execute(
            delete(OutboxRow)
            .where(
                OutboxRow.status == OutboxStatus.BUNDLED.value,
                OutboxRow.bundle_id.in_(select(OutboxRow.id).where(*delivered)),
            )
            .execution_options(synchronize_session=False)
        )
        messages = s.execute(delete(OutboxRow).where(*delivered).execution_options(synchronize_session=False))
        return {
            "job_runs_deleted": rowcount(runs),
            "sync_runs_deleted": rowcount(syncs),
            "sync_journal_deleted": rowcount(journal),
            "outbox_deleted": rowcount(messages) + rowcount(bundled),
        }
