"""Rich progress bars around the long-running steps (sync apply, crawl)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from oneprice.app import err_console
from oneprice.domain.observation import Observation
from oneprice.settings.loader import LoadedConfig


def make_progress() -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err_console,
        transient=False,
    )


def crawl_with_progress(config: LoadedConfig, target_ids: Sequence[str] | None = None) -> Any:
    """Run the `watch` spider in this process with a progress bar over the watch targets."""
    from crawlers.runner import run_crawl
    from crawlers.spiders.watch import listing_targets
    from oneprice.storage import Database
    from oneprice.storage.targets import TargetRepository

    total = len(listing_targets(config, target_ids))
    if target_ids is None:  # the spider also visits what discovery added (less any not due yet)
        total += len(TargetRepository(Database(config.database_url())).discovered())
    with make_progress() as progress:
        task = progress.add_task("crawl", total=total)

        def on_item(obs: Observation) -> None:
            progress.update(task, advance=1, description=f"crawl {obs.platform}")

        summary = run_crawl(config, target_ids=target_ids, on_item=on_item)
        done = progress.tasks[0].completed
        progress.update(task, total=max(done, 1), completed=max(done, 1))
        return summary
