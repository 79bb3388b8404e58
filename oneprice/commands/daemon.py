"""`oneprice daemon`, `oneprice runs` and `oneprice status`: unattended operation and its truth."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Annotated, Any

import typer
from rich.table import Table
from rich.text import Text

from oneprice import app as composition
from oneprice.app import console
from oneprice.commands.common import ConfigOpt, Fmt, config_file, load
from oneprice.errors import UserError


def daemon_cmd(
    config: ConfigOpt = None,
    once: Annotated[bool, typer.Option("--once", help="Run every due job once, then exit (cron).")] = False,
    wait: Annotated[bool, typer.Option("--wait", help="Wait for the lease instead of exiting.")] = False,
    http_port: Annotated[
        int | None, typer.Option("--http-port", help="Serve /healthz and /metrics on 127.0.0.1:PORT.")
    ] = None,
) -> None:
    """Run the scheduled jobs (sync, crawl + evaluate, retention) until SIGTERM/SIGINT.

    Example: oneprice -c config/demo.yaml daemon --http-port 9108
    """
    from oneprice.app import config_path
    from oneprice.daemon import Daemon, LeaseHeld
    from oneprice.health import HealthServer

    loaded = load(config)
    db = composition.open_database(loaded)
    # Edits of the config file or the catalog are picked up while it runs (a new unified price, a new
    # channel): the files are read again once they stop changing, and a version that does not load is
    # reported (an alert and the log) while the last good one keeps running.
    daemon = Daemon(loaded, db, config_path(config_file(config)).resolve(), reload_config=lambda: load(config))
    port = http_port if http_port is not None else loaded.settings.daemon.http_port
    servers: list[HealthServer] = []

    def serve_health() -> None:
        # Only once the lease is ours: a second daemon on the same config is refused for the lease,
        # not with a traceback about the port the first one serves on.
        if port is None:
            return
        try:
            health = HealthServer(db, daemon.holder, "127.0.0.1", port)
        except OSError as e:
            raise UserError(f"cannot serve /healthz and /metrics on 127.0.0.1:{port}: {e.strerror or e}") from None
        health.start()
        servers.append(health)
        console.print(f"health and metrics on {health.url}/healthz and /metrics", markup=False)

    try:
        code = daemon.run(once=once, wait=wait, started=serve_health)
    except LeaseHeld as e:
        raise UserError(str(e)) from None
    finally:
        for health in servers:
            health.stop()
    raise typer.Exit(code)


def _when(t: datetime | None) -> str:
    return t.strftime("%Y-%m-%d %H:%M:%S") if t else "-"


def runs_cmd(
    config: ConfigOpt = None,
    job: Annotated[str | None, typer.Option(help="Only this job (e.g. crawl, sync_apply:official).")] = None,
    limit: Annotated[int, typer.Option(help="How many runs, newest first.")] = 30,
    fmt: Annotated[Fmt, typer.Option("--format", help="table or json.")] = Fmt.table,
) -> None:
    """List the daemon's job runs: start, end, outcome, counts, error.

    Example: oneprice -c config/demo.yaml runs --job crawl --limit 10
    """
    from oneprice.storage.daemon import JobRepository

    db = composition.open_database(load(config), mirror=False)
    runs = JobRepository(db).runs(job=job, limit=limit)
    if fmt is Fmt.json:
        doc = [
            {
                "id": r.id,
                "job": r.job,
                "holder": r.holder,
                "started_at": r.started_at.isoformat(),
                "finished_at": r.finished_at.isoformat() if r.finished_at else None,
                "outcome": r.outcome,
                "counts": r.counts,
                "error": r.error,
            }
            for r in runs
        ]
        print(json.dumps(doc, ensure_ascii=False, indent=2))
        return
    table = Table(title="job runs (UTC)")
    for col in ("#", "job", "started", "took", "outcome", "counts", "error"):
        table.add_column(col, overflow="fold")
    for r in runs:
        took = f"{(r.finished_at - r.started_at).total_seconds():.1f}s" if r.finished_at else "-"
        style = {"ok": "green", "failed": "red", "abandoned": "yellow"}.get(r.outcome, "")
        counts = ", ".join(f"{k} {v}" for k, v in r.counts.items())
        table.add_row(str(r.id), r.job, _when(r.started_at), took, Text(r.outcome, style), counts, Text(r.error or ""))
    console.print(table)


def backlog(db: Any) -> dict[str, int]:
    """Work waiting: notifications not yet delivered, dead-lettered sync actions, listings to review."""
    from oneprice.storage.deadletters import DeadLetterRepository
    from oneprice.storage.outbox import OutboxRepository
    from oneprice.storage.reviews import ReviewRepository

    outbox = OutboxRepository(db).counts()
    return {
        "outbox_pending": outbox.get("pending", 0),
        "dead_letters": len(DeadLetterRepository(db).list()),
        "review_queue": len(ReviewRepository(db).list()),
    }


def status_cmd(
    config: ConfigOpt = None,
    fmt: Annotated[Fmt, typer.Option("--format", help="table or json.")] = Fmt.table,
) -> None:
    """Show the daemon's heartbeat, each job's next run and health, and the backlog.

    Example: oneprice -c config/demo.yaml status
    """
    from oneprice.daemon import LEASE
    from oneprice.storage.daemon import JobRepository, LeaseRepository

    db = composition.open_database(load(config), mirror=False)
    now = datetime.now(UTC)
    lease = LeaseRepository(db).get(LEASE)
    states = JobRepository(db).states()
    queue = backlog(db)
    if fmt is Fmt.json:
        doc = {
            "daemon": None
            if lease is None
            else {
                "holder": lease.holder,
                "alive": lease.alive(now),
                "heartbeat_at": lease.heartbeat_at.isoformat(),
                "expires_at": lease.expires_at.isoformat(),
            },
            "jobs": {
                name: {
                    "next_run_at": st.next_run_at.isoformat() if st.next_run_at else None,
                    "last_success_at": st.last_success_at.isoformat() if st.last_success_at else None,
                    "last_outcome": st.last_outcome,
                    "consecutive_failures": st.consecutive_failures,
                    "backoff_until": st.backoff_until.isoformat() if st.backoff_until else None,
                    "last_error": st.last_error,
                }
                for name, st in states.items()
            },
            "backlog": queue,
        }
        print(json.dumps(doc, ensure_ascii=False, indent=2))
        return
    if lease is None:
        console.print("daemon: not running (no lease)", markup=False)
    else:
        age = (now - lease.heartbeat_at).total_seconds()
        state = "running" if lease.alive(now) else "DEAD (lease expired)"
        console.print(f"daemon: {state}, {lease.holder}, last heartbeat {age:.0f}s ago", markup=False)
    table = Table(title="jobs (UTC)")
    for col in ("job", "next run", "last success", "last outcome", "failures", "backoff until", "last error"):
        table.add_column(col, overflow="fold")
    for name, st in states.items():
        table.add_row(
            name,
            _when(st.next_run_at),
            _when(st.last_success_at),
            st.last_outcome or "-",
            str(st.consecutive_failures),
            _when(st.backoff_until),
            Text(st.last_error or ""),
        )
    console.print(table)
    console.print("backlog: " + ", ".join(f"{k} {v}" for k, v in queue.items()), markup=False)


def register(app: typer.Typer) -> None:
    app.command("daemon")(daemon_cmd)
    app.command("runs")(runs_cmd)
    app.command("status")(status_cmd)
