"""`/healthz` and Prometheus `/metrics` for a running daemon (stdlib HTTP server, text exposition)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from oneprice.storage import Database
from oneprice.storage.daemon import JobRepository, LeaseRepository


def _escape_label(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def metrics_text(db: Database, holder: str, now: datetime) -> str:
    """Prometheus text format: daemon liveness, per-job last success, failures in a row, run outcomes."""
    lease = LeaseRepository(db).get("daemon")
    jobs = JobRepository(db)
    lines = [
        "# HELP oneprice_daemon_lease_held 1 when this process holds the live daemon lease.",
        "# TYPE oneprice_daemon_lease_held gauge",
        f"oneprice_daemon_lease_held {int(bool(lease and lease.holder == holder and lease.alive(now)))}",
        "# HELP oneprice_job_last_success_timestamp_seconds Unix time of the job's last successful run.",
        "# TYPE oneprice_job_last_success_timestamp_seconds gauge",
    ]
    states = jobs.states()
    for name, st in states.items():
        if st.last_success_at:
            lines.append(
                f'oneprice_job_last_success_timestamp_seconds{{job="{_escape_label(name)}"}} '
                f"{st.last_success_at.timestamp():.0f}"
            )
    lines += [
        "# HELP oneprice_job_consecutive_failures Failed runs in a row.",
        "# TYPE oneprice_job_consecutive_failures gauge",
    ]
    for name, st in states.items():
        lines.append(f'oneprice_job_consecutive_failures{{job="{_escape_label(name)}"}} {st.consecutive_failures}')
    lines += ["# HELP oneprice_job_runs Recent job runs by outcome.", "# TYPE oneprice_job_runs gauge"]
    tally: dict[tuple[str, str], int] = {}
    for run in jobs.runs(limit=1000):
        tally[(run.job, run.outcome)] = tally.get((run.job, run.outcome), 0) + 1
    for (job, outcome), n in sorted(tally.items()):
        lines.append(f'oneprice_job_runs{{job="{_escape_label(job)}",outcome="{outcome}"}} {n}')
    return "\n".join(lines) + "\n"


class HealthServer:
    """Serves /healthz (200 while the daemon holds a live lease, else 503) and /metrics."""

    def __init__(
        self, db: Database, holder: str, host: str, port: int, clock: Callable[[], datetime] | None = None
    ) -> None:
        self.db, self.holder = db, holder
        self.clock = clock or (lambda: datetime.now(UTC))
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                if self.path == "/healthz":
                    lease = LeaseRepository(outer.db).get("daemon")
                    ok = bool(lease and lease.holder == outer.holder and lease.alive(outer.clock()))
                    self._send(200 if ok else 503, "ok\n" if ok else "lease not held\n")
                elif self.path == "/metrics":
                    self._send(200, metrics_text(outer.db, outer.holder, outer.clock()), "text/plain; version=0.0.4")
                else:
                    self._send(404, "not found\n")

            def _send(self, status: int, body: str, ctype: str = "text/plain; charset=utf-8") -> None:
                data = body.encode()
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, format: str, *args: object) -> None:
                return

        self.httpd = ThreadingHTTPServer((host, port), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True, name="health-http")

    @property
    def url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
