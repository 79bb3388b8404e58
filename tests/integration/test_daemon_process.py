"""The daemon in real processes against the sandbox, on a compressed schedule, with a fault injected.

Checks: jobs run and alerts appear; a failing channel does not stop the others and raises one
alert; a second instance is refused; SIGTERM mid-crawl exits 0 with nothing left running; a
SIGKILLed daemon's lease is taken over by the next one.
"""

from __future__ import annotations

import json
import signal
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from daemon_harness import DEMO, FAST_DAEMON, cli, demo_document, free_port, start, wait_for, write_config

from oneprice.settings import load_config
from sandbox import Sandbox

pytestmark = pytest.mark.slow


def runs(cfg: Path, env: dict[str, str]) -> list[dict[str, Any]]:
    out = cli(cfg, env, "runs", "--format", "json", "--limit", "500")
    assert out.returncode == 0, out.stderr
    return list(json.loads(out.stdout))


@pytest.fixture
def setup(tmp_path: Path) -> Iterator[tuple[Path, dict[str, str]]]:
    sandbox = Sandbox.from_config(load_config(DEMO))
    with sandbox.running(port=0) as url:
        doc = demo_document()
        broken = dict(doc["channels"][0])
        broken.update(name="broken", base_url=url + "/woo/no-such-store")
        doc["channels"].append(broken)  # fault: every push to this channel fails
        doc["daemon"] = {
            **FAST_DAEMON,
            "failure_alert_after": 2,
            "sync_apply": {"every": "3s"},
            "crawl": {"every": "2s"},
        }
        cfg = tmp_path / "daemon.yaml"
        yield cfg, write_config(doc, cfg, tmp_path / "daemon.db", url)


def test_daemon_lifecycle(setup: tuple[Path, dict[str, str]], tmp_path: Path) -> None:
    cfg, env = setup
    port = free_port()
    first = start(cfg, env, tmp_path / "a.log", "--http-port", str(port))
    try:

        def progressed() -> bool:
            rs = runs(cfg, env)
            ok = {r["job"] for r in rs if r["outcome"] == "ok"}
            broken = [r for r in rs if r["job"] == "sync_apply:broken" and r["outcome"] == "failed"]
            return {"crawl", "sync_apply:official"} <= ok and len(broken) >= 2

        wait_for("jobs to run and the broken channel to fail twice", progressed)

        second = cli(cfg, env, "daemon")
        assert second.returncode == 2
        assert "another daemon is running" in second.stderr and "Traceback" not in second.stderr

        health = urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5)
        assert health.status == 200
        metrics = urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5).read().decode()
        assert 'oneprice_job_runs{job="crawl",outcome="ok"}' in metrics
        assert "oneprice_daemon_lease_held 1" in metrics

        alerts = json.loads(cli(cfg, env, "alerts", "list", "--format", "json").stdout)
        rules = {a["rule"] for a in alerts}
        assert {"undercut", "unauthorized_seller", "job_failing"} <= rules
        failing = [a["seller_key"] for a in alerts if a["rule"] == "job_failing"]
        # The broken channel fails its apply and, once it has failed twice with backoff, its check.
        assert "sync_apply:broken" in failing and set(failing) <= {"sync_apply:broken", "sync_check:broken"}

        status = json.loads(cli(cfg, env, "status", "--format", "json").stdout)
        assert status["daemon"]["alive"] is True
        assert status["jobs"]["sync_apply:broken"]["consecutive_failures"] >= 2
        assert status["jobs"]["crawl"]["last_outcome"] in ("ok", None) or status["jobs"]["crawl"]["last_success_at"]

        # SIGTERM while a crawl is running
        wait_for(
            "a crawl in progress",
            lambda: any(r["job"] == "crawl" and r["outcome"] == "running" for r in runs(cfg, env)),
        )
        first.send_signal(signal.SIGTERM)
        assert first.wait(timeout=30) == 0
    finally:
        if first.poll() is None:
            first.kill()
    after = runs(cfg, env)
    assert not [r for r in after if r["outcome"] == "running"]
    assert json.loads(cli(cfg, env, "status", "--format", "json").stdout)["daemon"] is None  # lease released

    # a daemon killed outright keeps its lease until it expires; the next one waits and takes over
    killed = start(cfg, env, tmp_path / "c.log")
    wait_for(
        "the new daemon to hold the lease",
        lambda: (json.loads(cli(cfg, env, "status", "--format", "json").stdout)["daemon"] or {}).get("alive") is True,
    )
    killed.send_signal(signal.SIGKILL)
    killed.wait(timeout=10)
    refused = cli(cfg, env, "daemon")
    assert refused.returncode == 2
    heir = start(cfg, env, tmp_path / "d.log", "--wait")
    try:
        wait_for(
            "the heir to take over",
            lambda: (
                (json.loads(cli(cfg, env, "status", "--format", "json").stdout)["daemon"] or {})
                .get("holder", "")
                .endswith(f":{heir.pid}")
            ),
        )
        heir.send_signal(signal.SIGINT)
        assert heir.wait(timeout=30) == 0
    finally:
        if heir.poll() is None:
            heir.kill()
    assert not [r for r in runs(cfg, env) if r["outcome"] == "running"]


def test_the_discover_job_searches_the_marketplaces_in_a_child_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from oneprice.jobs import JobContext, build_jobs, discover_job
    from oneprice.storage import Database
    from oneprice.storage.targets import TargetRepository

    with Sandbox.from_config(load_config(DEMO)).running(port=0) as url:
        monkeypatch.setenv("ONEPRICE_SANDBOX_URL", url)
        monkeypatch.setenv("ONEPRICE_DATABASE_URL", f"sqlite:///{tmp_path / 'discover.db'}")
        config = load_config(DEMO)
        names = [j.name for j in build_jobs(config)]
        assert names.index("discover") + 1 == names.index("crawl")  # in a --once run, search, then crawl
        db = Database.open(config.database_url())
        try:
            counts = discover_job(JobContext(config=config, config_path=DEMO, db=db))
            # The sandbox hides three listings only search finds, two of them from sellers nobody knows.
            assert counts["new_targets"] >= 3 and counts["new_unknown_sellers"] >= 2, counts
            assert counts["search_pages_not_shown"] == 0 and counts["pages"] > 0
            assert {"qingcang-jacket", "lvyou-boots", "fengxing-runners"} <= {
                t.url.rsplit("/", 1)[1] for t in TargetRepository(db).discovered()
            }
        finally:
            db.dispose()
    without = demo_document()
    without["crawl"]["discovery"]["search"] = {}
    path = tmp_path / "nosearch.yaml"
    write_config(without, path, tmp_path / "nosearch.db", "http://127.0.0.1:9")
    assert "discover" not in [j.name for j in build_jobs(load_config(path))]


def test_a_running_daemon_reads_an_edited_catalog_and_reloads_on_sighup(tmp_path: Path) -> None:
    doc = demo_document()
    catalog = tmp_path / "catalog.csv"
    catalog.write_text(Path(doc["catalog"]["file"]).read_text(encoding="utf-8"), encoding="utf-8")
    doc["catalog"]["file"] = str(catalog)
    doc["daemon"] = {**FAST_DAEMON, "crawl": {"every": "1h"}, "sync_apply": {"every": "1h"}}
    cfg = tmp_path / "reload.yaml"
    env = write_config(doc, cfg, tmp_path / "reload.db", "http://127.0.0.1:9")
    log = tmp_path / "reload.log"
    daemon = start(cfg, env, log)
    try:
        wait_for("the daemon to run", lambda: bool(runs(cfg, env)))
        lines = catalog.read_text(encoding="utf-8").splitlines()
        row = next(line for line in lines if line.startswith("SY-JK01-RED-L,"))
        fields = row.split(",")
        fields[0], fields[3], fields[6] = "SY-JK01-RED-XL", "", "XL"  # a new size, with no GTIN yet
        new = ",".join(fields)
        catalog.write_text("\n".join([*lines, new]) + "\n", encoding="utf-8")
        wait_for("the edited catalog to be read", lambda: "configuration reloaded" in log.read_text(), timeout=60)
        assert f"{len(lines)} products" in log.read_text()  # the rows before, less the header, and the new one
        daemon.send_signal(signal.SIGHUP)
        wait_for("SIGHUP to reload", lambda: log.read_text().count("configuration reloaded") == 2, timeout=60)
        daemon.send_signal(signal.SIGTERM)
        assert daemon.wait(timeout=30) == 0
    finally:
        if daemon.poll() is None:
            daemon.kill()
    assert "not reloaded" not in log.read_text()
