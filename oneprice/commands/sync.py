"""`oneprice sync ...`: plan and apply the catalog to the brand's own stores."""

from __future__ import annotations

from typing import Annotated

import typer

from oneprice import app as composition
from oneprice.app import console
from oneprice.commands.common import ConfigOpt, Fmt, load

sync_app = typer.Typer(help="Push the catalog to the brand's own stores.", no_args_is_help=True)


@sync_app.command("plan")
def sync_plan(
    config: ConfigOpt = None,
    channel: Annotated[str | None, typer.Option(help="Only this channel.")] = None,
    fmt: Annotated[Fmt, typer.Option("--format", help="table or json.")] = Fmt.table,
) -> None:
    """Show per channel what apply would create, update (old -> new) or leave; writes nothing.

    Example: oneprice -c config/demo.yaml sync plan --channel official
    """
    from sync.render import plans_json, render_plans
    from sync.service import plan_all

    loaded = load(config)
    db = composition.open_database(loaded)
    plans = plan_all(loaded, db, channel=channel)
    if fmt is Fmt.json:
        print(plans_json(plans))
    else:
        render_plans(plans, console)


@sync_app.command("apply")
def sync_apply(
    config: ConfigOpt = None,
    channel: Annotated[str | None, typer.Option(help="Only this channel.")] = None,
    fmt: Annotated[Fmt, typer.Option("--format", help="table or json.")] = Fmt.table,
) -> None:
    """Push price, stock and status to the brand's own stores and journal every item.

    Example: oneprice -c config/demo.yaml sync apply --format json
    """
    from sync.render import apply_json, render_apply
    from sync.service import apply_all

    loaded = load(config)
    db = composition.open_database(loaded)
    report = apply_all(loaded, db, channel=channel)
    if fmt is Fmt.json:
        print(apply_json(report))
    else:
        render_apply(report, console)
    if not report.ok:
        raise typer.Exit(1)
