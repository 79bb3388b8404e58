"""Shared pieces of the daemon's process tests: a config beside a running sandbox, the CLI and the
daemon in child processes, and waiting for something to happen."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "config" / "demo.yaml"

# A compressed schedule: leases, heartbeats and backoffs in seconds instead of minutes.
FAST_DAEMON: dict[str, Any] = {
    "lease_seconds": "4s",
    "heartbeat_seconds": "1s",
    "poll_seconds": "200ms",
    "shutdown_grace_seconds": "10s",
    "backoff_initial": "1s",
    "backoff_max": "2s",
    "retention": {"enabled": False},
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def demo_document() -> dict[str, Any]:
    """The demo config as a document, its relative paths made absolute so it can be written anywhere."""
    doc: dict[str, Any] = yaml.safe_load(DEMO.read_text(encoding="utf-8"))
    doc["catalog"]["file"] = str(ROOT / "config" / doc["catalog"]["file"])
    doc["alerts"]["notices"]["templates"] = str(ROOT / "config" / doc["alerts"]["notices"]["templates"])
    return doc


def write_config(doc: dict[str, Any], path: Path, database: Path, sandbox_url: str) -> dict[str, str]:
    """Write `doc` to `path`; the environment for processes using it (no ONEPRICE_ variable of ours)."""
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("ONEPRICE_")}
    env.update(ONEPRICE_DATABASE_URL=f"sqlite:///{database}", ONEPRICE_SANDBOX_URL=sandbox_url)
    return env


def cli(cfg: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "oneprice", "-c", str(cfg), *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def start(cfg: Path, env: dict[str, str], log: Path, *args: str) -> subprocess.Popen[str]:
    """`oneprice daemon` in a child process, its output in `log`."""
    with log.open("w") as handle:
        return subprocess.Popen(
            [sys.executable, "-m", "oneprice", "-c", str(cfg), "daemon", *args],
            cwd=ROOT,
            env=env,
            stdout=handle,
            stderr=subprocess.STDOUT,
            text=True,
        )


def wait_for(what: str, check: Callable[[], bool], timeout: float = 300) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.3)
    raise AssertionError(f"timed out waiting for {what}")
