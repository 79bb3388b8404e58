"""`oneprice demo`: the whole cycle against a sandbox on a free port, with a summary at the end."""

from __future__ import annotations

import logging
import os
from pathlib import Path

from rich.rule import Rule

from oneprice import app as composition
from oneprice.app import console
from oneprice.domain.alert import AlertStatus
from oneprice.progress import crawl_with_progress, make_progress
from oneprice.render import summary_tables
from oneprice.storage import AlertRepository
from oneprice.storage.bindings import BindingRepository

SANDBOX_ENV = "ONEPRICE_SANDBOX_URL"


def run_demo(config_file: Path) -> None:
    """Start the sandbox, point the config at it, then sync apply -> crawl -> evaluate."""
    from alerts.engine import evaluate
    from alerts.notify import LogNotifier
    from sandbox import Sandbox
    from sync.render import render_apply
    from sync.service import apply_all

    # The sandbox logs every request it answers; in the demo that is noise around the summary.
    logging.getLogger("sandbox").setLevel(logging.WARNING)
    seed = composition.load(config_file)
    sandbox = Sandbox.from_config(seed)
    with sandbox.running(port=0) as url:
        previous = os.environ.get(SANDBOX_ENV)
        os.environ[SANDBOX_ENV] = url  # the demo config's URLs are ${ONEPRICE_SANDBOX_URL:-...}
        try:
            config = composition.load(config_file)
            db = composition.open_database(config)
            # Each run starts a new sandbox with empty stores: the remote ids an earlier run bound name
            # products of a sandbox that is gone, and would stop the sync at its empty-store guard.
            bindings = BindingRepository(db)
            for channel in config.settings.channels:
                bindings.forget_channel(channel.name)
            console.print(Rule(f"oneprice demo: {config.settings.brand.name} against the sandbox at {url}"))

            console.print(Rule("1. sync: push the unified prices to the brand's own stores"))
            with make_progress() as progress:
                task = progress.add_task("sync", total=None)

                def advance(channel: str, done: int, total: int) -> None:
                    progress.update(task, completed=done, total=total, description=f"sync {channel}")

                report = apply_all(config, db, progress=advance)
            render_apply(report, console)

            console.print(Rule("2. crawl: visit resellers' listing pages"))
            summary = crawl_with_progress(config)
            console.print(summary.describe(), markup=False)

            console.print(Rule("3. evaluate: undercut and unauthorized-seller rules"))
            result = evaluate(config, db, notifiers=[LogNotifier()])
            c = result.changes
            console.print(
                f"{len(c.opened)} new alerts, {len(c.updated)} still open, {len(c.resolved)} resolved",
                markup=False,
            )
        finally:
            if previous is None:
                os.environ.pop(SANDBOX_ENV, None)
            else:
                os.environ[SANDBOX_ENV] = previous

    open_alerts = AlertRepository(db).list(status=AlertStatus.OPEN)
    console.print(Rule("summary"))
    for table in summary_tables(open_alerts, config.catalog.by_sku()):
        console.print(table)
    console.print(
        f"{len(open_alerts)} open alerts in {composition.masked_database(config)}; "
        f"list them with: oneprice -c {config_file} alerts list",
        markup=False,
    )
