"""`oneprice crawl`: run the Scrapy `watch` spider over the watch targets."""

from __future__ import annotations

from typing import Annotated

import typer

from oneprice import app as composition
from oneprice.app import console
from oneprice.commands.common import ConfigOpt, load


def crawl(
    config: ConfigOpt = None,
    target: Annotated[list[str] | None, typer.Option(help="Only these watch target ids.")] = None,
) -> None:
    """Visit the watch targets with the Scrapy `watch` spider and store observations.

    Example: oneprice -c config/demo.yaml crawl --target tmall-flagship-jacket
    """
    from oneprice.progress import crawl_with_progress

    loaded = load(config)
    composition.open_database(loaded)
    summary = crawl_with_progress(loaded, target_ids=target)
    console.print(summary.describe(), markup=False)


def register(app: typer.Typer) -> None:
    app.command("crawl")(crawl)
