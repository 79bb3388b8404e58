"""Retention of the records of work done: finished sync runs with their journals, delivered notifications."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from oneprice.domain.outbox import OutboxMessage, OutboxStatus
from oneprice.storage import Database, JournalRepository
from oneprice.storage.outbox import OutboxRepository
from oneprice.storage.retention import purge_history

NOW = datetime.now(UTC)
LATER = NOW + timedelta(days=1)


def message(key: str, mode: str = "immediate") -> OutboxMessage:
    return OutboxMessage(
        dedupe_key=key, route="mail", kind="alert", mode=mode, alert_id=None, severity="warning",
        subject=key, body_text=key, body_html=f"<p>{key}</p>",
    )  # fmt: skip


def test_finished_sync_runs_go_with_their_journal_and_open_ones_stay(any_db: Database) -> None:
    journal = JournalRepository(any_db)
    done = journal.start_run("apply", "official")
    journal.record(done, "official", "SY-HL34", "update_price", "verified")
    journal.finish_run(done, "ok", {"updated": 1})
    open_run = journal.start_run("apply", "outlet")
    journal.record(open_run, "outlet", "SY-HL34", "update_price", "sent")

    assert purge_history(any_db, before=NOW - timedelta(days=1))["sync_runs_deleted"] == 0
    counts = purge_history(any_db, before=LATER)
    assert (counts["sync_runs_deleted"], counts["sync_journal_deleted"]) == (1, 1)
    assert [r.id for r in journal.runs()] == [open_run]
    assert [e.sku for e in journal.entries(open_run)] == ["SY-HL34"]  # an open run's journal is what recovery reads
    assert journal.entries(done) == []


def test_delivered_messages_go_and_waiting_ones_stay(any_db: Database) -> None:
    outbox = OutboxRepository(any_db)
    outbox.enqueue(
        [message(k, "digest" if k.startswith("d") else "immediate") for k in ("sent", "waiting", "d1", "d2", "d3")], NOW
    )
    ids = {m.subject: m.id for m in outbox.list()}
    outbox.mark_sent(ids["sent"], NOW)
    digest = outbox.bundle(message("digest-sent", "digest"), [ids["d1"], ids["d2"]], NOW)
    assert digest is not None
    outbox.mark_sent(digest, NOW)
    pending_digest = outbox.bundle(message("digest-pending", "digest"), [ids["d3"]], NOW)

    assert purge_history(any_db, before=LATER)["outbox_deleted"] == 4  # sent, its digest and the two it carried
    left = {m.subject: m.status for m in outbox.list()}
    assert left == {"waiting": OutboxStatus.PENDING, "d3": OutboxStatus.BUNDLED, "digest-pending": OutboxStatus.PENDING}
    assert pending_digest in {m.id for m in outbox.list()}
