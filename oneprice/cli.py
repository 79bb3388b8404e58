"""The `oneprice` command line: config, db, sync, crawl, evaluate, alerts, sandbox, demo.

Errors the user can fix print one line per problem and exit 2, without a traceback.
"""

from __future__ import annotations

import csv
import io
import json
import logging
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
import yaml

from oneprice import app as composition
from oneprice.app import console, err_console
from oneprice.domain.alert import AlertStatus
from oneprice.errors import ConfigError, OnepriceError, UserError

log = logging.getLogger(__name__)

ConfigOpt = Annotated[
    Path | None,
    typer.Option(
        "-c",
        "--config",
        help="Config file (default: $ONEPRICE_CONFIG, then config/oneprice.yaml).",
        show_default=False,
    ),
]


class Fmt(StrEnum):
    table = "table"
    json = "json"


class ListFmt(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


class StatusFilter(StrEnum):
    open = "open"
    resolved = "resolved"
    all = "all"


app = typer.Typer(
    help="oneprice: one product, one price on every channel.\n\n"
    "Sync the brand's listings to its own stores, crawl resellers, alert on undercutting.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
config_app = typer.Typer(help="Check and show the configuration.", no_args_is_help=True)
db_app = typer.Typer(help="Database schema.", no_args_is_help=True)
sync_app = typer.Typer(help="Push the catalog to the brand's own stores.", no_args_is_help=True)
alerts_app = typer.Typer(help="Alerts raised by the rules.", no_args_is_help=True)
sandbox_app = typer.Typer(help="The local marketplace emulator.", no_args_is_help=True)
app.add_typer(config_app, name="config")
app.add_typer(db_app, name="db")
app.add_typer(sync_app, name="sync")
app.add_typer(alerts_app, name="alerts")
app.add_typer(sandbox_app, name="sandbox")

_root: dict[str, Any] = {"config": None}


def _config(explicit: Path | None) -> Path | None:
    return explicit if explicit is not None else _root["config"]


@app.callback()
def root(
    config: ConfigOpt = None,
    log_level: Annotated[str, typer.Option("--log-level", envvar="ONEPRICE_LOG_LEVEL")] = "INFO",
) -> None:
    """Options here apply to every command: `oneprice -c config/demo.yaml alerts list`."""
    _root["config"] = config
    composition.setup_logging(log_level)


@config_app.command("check")
def config_check(config: ConfigOpt = None) -> None:
    """Validate the config and its catalog; print the resolved config with secrets masked.

    Example: oneprice config check -c config/demo.yaml
    """
    from oneprice.settings import masked

    loaded = composition.load(_config(config))
    doc = masked(loaded.settings)
    doc["database"]["url_resolved"] = masked_url(loaded.database_url())
    console.print(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), markup=False, highlight=False)
    console.print(
        f"OK: {loaded.path}: {len(loaded.catalog.products)} products, "
        f"{len(loaded.settings.channels)} channels, {len(loaded.settings.resellers)} resellers, "
        f"{len(loaded.settings.watch)} watch targets",
        markup=False,
    )


def masked_url(url: str) -> str:
    from oneprice.settings import mask_secret

    return mask_secret(url)


@db_app.command("upgrade")
def db_upgrade(config: ConfigOpt = None) -> None:
    """Apply database migrations (also done automatically on first use).

    Example: oneprice -c config/demo.yaml db upgrade
    """
    from oneprice.storage import Database

    loaded = composition.load(_config(config))
    db = Database.open(loaded.database_url())
    console.print(f"database {masked_url(db.url)} at revision {db.current_revision()}", markup=False)


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

    loaded = composition.load(_config(config))
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

    loaded = composition.load(_config(config))
    db = composition.open_database(loaded)
    report = apply_all(loaded, db, channel=channel)
    if fmt is Fmt.json:
        print(apply_json(report))
    else:
        render_apply(report, console)
    if not report.ok:
        raise typer.Exit(1)


@app.command("crawl")
def crawl(
    config: ConfigOpt = None,
    target: Annotated[list[str] | None, typer.Option(help="Only these watch target ids.")] = None,
) -> None:
    """Visit the watch targets with the Scrapy `watch` spider and store observations.

    Example: oneprice -c config/demo.yaml crawl --target tmall-xingguang-jacket
    """
    from oneprice.progress import crawl_with_progress

    loaded = composition.load(_config(config))
    composition.open_database(loaded)
    summary = crawl_with_progress(loaded, target_ids=target)
    console.print(summary.describe(), markup=False)


@app.command("evaluate")
def evaluate_cmd(config: ConfigOpt = None) -> None:
    """Run the alert rules over the newest observations; open, refresh and resolve alerts.

    Example: oneprice -c config/demo.yaml evaluate
    """
    from alerts.engine import evaluate
    from alerts.notify import LogNotifier

    loaded = composition.load(_config(config))
    db = composition.open_database(loaded)
    result = evaluate(loaded, db, notifiers=[LogNotifier()])
    c = result.changes
    console.print(
        f"evaluated {result.observations} observations ({result.judged} priced and matched): "
        f"{len(c.opened)} new alerts, {len(c.updated)} still open, {len(c.resolved)} resolved",
        markup=False,
    )


@alerts_app.command("list")
def alerts_list(
    config: ConfigOpt = None,
    status: Annotated[StatusFilter, typer.Option(help="open, resolved or all.")] = StatusFilter.open,
    rule: Annotated[str | None, typer.Option(help="Only this rule (undercut, unauthorized_seller).")] = None,
    fmt: Annotated[ListFmt, typer.Option("--format", help="table, json or csv.")] = ListFmt.table,
) -> None:
    """List alerts with their evidence.

    Example: oneprice -c config/demo.yaml alerts list --status open --format json
    """
    from oneprice.render import ALERT_FIELDS, alert_record, alerts_table, csv_safe
    from oneprice.storage import AlertRepository

    loaded = composition.load(_config(config))
    db = composition.open_database(loaded)
    wanted = None if status is StatusFilter.all else AlertStatus(status.value)
    alerts = AlertRepository(db).list(status=wanted, rule=rule)
    records = [alert_record(a) for a in alerts]
    if fmt is ListFmt.json:
        print(json.dumps(records, ensure_ascii=False, indent=2))
    elif fmt is ListFmt.csv:
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=ALERT_FIELDS, lineterminator="\n")
        writer.writeheader()
        for r in records:
            writer.writerow({k: csv_safe(v) for k, v in r.items()})
        sys.stdout.write(out.getvalue())
    else:
        console.print(alerts_table(alerts, loaded.catalog.by_sku()))


@sandbox_app.command("serve")
def sandbox_serve(
    config: ConfigOpt = None,
    host: Annotated[str, typer.Option(help="Address to bind.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port (the demo config expects 8700).")] = 8700,
) -> None:
    """Run the local marketplace (channel APIs + storefront pages) in the foreground.

    Example: oneprice -c config/demo.yaml sandbox serve --port 8700
    """
    from sandbox import Sandbox

    loaded = composition.load(_config(config) or Path("config/demo.yaml"))
    sb = Sandbox.from_config(loaded)
    console.print(f"sandbox on http://{host}:{port}/ (Ctrl-C stops)", markup=False)
    sb.serve_forever(host=host, port=port)


@app.command("demo")
def demo_cmd(config: ConfigOpt = None) -> None:
    """Start a sandbox on a free port, then sync apply, crawl and evaluate against it, and summarise.

    Example: oneprice -c config/demo.yaml demo
    """
    from oneprice.demo import run_demo

    run_demo(_config(config) or Path("config/demo.yaml"))


def main() -> None:
    """Console entry point: user errors exit 2 with one line per problem, no traceback."""
    try:
        app()
    except ConfigError as e:
        for problem in e.problems:
            err_console.print(str(problem), markup=False, highlight=False)
        sys.exit(2)
    except UserError as e:
        err_console.print(f"error: {e}", markup=False, highlight=False)
        sys.exit(2)
    except OnepriceError as e:
        log.debug("failed", exc_info=True)
        err_console.print(f"error: {e}", markup=False, highlight=False)
        sys.exit(1)


if __name__ == "__main__":
    main()
