"""The daemon in real processes, the way a long-running installation meets faults.

A second daemon on the same config (and so the same /healthz port) is refused for the lease, not
with a traceback about the port; a daemon killed outright (SIGKILL, OOM killer) takes its crawler
with it instead of leaving it crawling next to the next daemon's; the heir takes over, the dead
daemon's crawl is recorded abandoned, and nothing is stored twice.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from daemon_harness import DEMO, FAST_DAEMON, cli, demo_document, free_port, start, wait_for, write_config

from oneprice.settings import load_config
from sandbox import Sandbox

pytestmark = pytest.mark.slow


@pytest.fixture
def setup(tmp_path: Path) -> Iterator[tuple[Path, dict[str, str], Path]]:
    sandbox = Sandbox.from_config(load_config(DEMO))
    with sandbox.running(port=0) as url:
        doc = demo_document()
        for channel in doc["channels"][1:]:
            channel["enabled"] = False
        # a paced crawl (seconds between pages, as on real marketplaces), still running when killed
        doc["crawl"].update(download_delay=2, concurrency=2, per_domain_concurrency=2)
        doc["daemon"] = {
            **FAST_DAEMON,
            "sync_apply": {"enabled": False},
            "sync_check": {"every": "2s"},
            "discover": {"enabled": False},
            "crawl": {"every": "2s"},
            "deliver": {"every": "1s"},
            "http_port": free_port(),
        }
        cfg, db = tmp_path / "soak.yaml", tmp_path / "soak.db"
        yield cfg, write_config(doc, cfg, db, url), db


def runs(db: Path) -> list[dict[str, Any]]:
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=30) as conn:
            rows = conn.execute("SELECT job, holder, outcome FROM job_runs ORDER BY id").fetchall()
    except sqlite3.OperationalError:  # not created and migrated yet
        return []
    return [{"job": job, "holder": who, "outcome": outcome} for job, who, outcome in rows]


def holder(db: Path) -> str:
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=30) as conn:
        row = conn.execute("SELECT holder FROM leases WHERE name = 'daemon'").fetchone()
    return str(row[0]) if row else ""


WANTED = {("sync_check:official", "ok"), ("crawl", "running")}


def observations(db: Path) -> int:
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=30) as conn:
        return int(conn.execute("SELECT COUNT(*) FROM observations").fetchone()[0])


def crawler_of(pid: int) -> int | None:
    """The `python -m crawlers.runner` child of process `pid`, if it has one."""
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid and b"crawlers.runner" in cmdline:
            return int(entry.name)
    return None


def gone(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return True
    return state in ("Z", "X")  # exited, waiting to be reaped by init


@pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="reads /proc; the crawler's parent-death signal is Linux"
)
def test_restarts_and_kills_over_a_long_run(setup: tuple[Path, dict[str, str], Path], tmp_path: Path) -> None:
    cfg, env, db = setup
    targets = yaml.safe_load(cfg.read_text(encoding="utf-8"))["watch"]
    first = start(cfg, env, tmp_path / "a.log")
    crawler: int | None = None
    try:
        wait_for(
            "a sync check and a crawl in progress",
            lambda: (
                {("sync_check:official", "ok"), ("crawl", "running")} <= {(r["job"], r["outcome"]) for r in runs(db)}
            ),
        )
        # the configured /healthz port is taken by the first daemon: the second hears about the lease
        second = cli(cfg, env, "daemon")
        assert second.returncode == 2, second.stderr
        assert "another daemon is running" in second.stderr
        assert "Traceback" not in second.stderr and "Address already in use" not in second.stderr

        wait_for("the crawler process", lambda: crawler_of(first.pid) is not None, timeout=30)
        crawler = crawler_of(first.pid)
        assert crawler is not None
        wait_for("the crawl's first pages", lambda: observations(db) > 0, timeout=60)
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
        # the kernel tells the crawler its daemon died (SIGTERM): it ends the pages in flight and
        # exits, instead of crawling on next to the next daemon's crawl
        wait_for("the crawler to stop", lambda: gone(crawler), timeout=120)
        assert observations(db) < len(targets)
    finally:
        if first.poll() is None:
            first.kill()
        if crawler is not None and not gone(crawler):
            os.killpg(crawler, signal.SIGKILL)  # it leads its process group (its extraction workers)

    heir = start(cfg, env, tmp_path / "b.log", "--wait")
    try:
        wait_for("the heir to take over", lambda: holder(db).endswith(f":{heir.pid}"))
        heir.send_signal(signal.SIGTERM)
        assert heir.wait(timeout=60) == 0
    finally:
        if heir.poll() is None:
            heir.kill()
    after = runs(db)
    assert not [r for r in after if r["outcome"] == "running"]
    killed = [r for r in after if r["job"] == "crawl" and r["holder"].endswith(f":{first.pid}")]
    assert killed and killed[-1]["outcome"] == "abandoned"
    assert holder(db) == ""  # released on SIGTERM

    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        twice = conn.execute(
            "SELECT visit, offer_key, COUNT(*) FROM observations WHERE visit IS NOT NULL"
            " GROUP BY visit, offer_key HAVING COUNT(*) > 1"
        ).fetchall()
    assert twice == []
