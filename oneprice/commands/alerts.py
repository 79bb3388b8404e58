"""`oneprice evaluate` and `oneprice alerts ...`: run the rules, list what they found."""

from __future__ import annotations

import csv
import io
import json
import sys
from enum import StrEnum
from typing import Annotated

import typer

from oneprice import app as composition
from oneprice.app import console
from oneprice.commands.common import ConfigOpt, ListFmt, load
from oneprice.domain.alert import AlertStatus

alerts_app = typer.Typer(help="Alerts raised by the rules.", no_args_is_help=True)


class StatusFilter(StrEnum):
    open = "open"
    resolved = "resolved"
    all = "all"


def evaluate_cmd(config: ConfigOpt = None) -> None:
    """Run the alert rules over the newest observations; open, refresh and resolve alerts.

    Example: oneprice -c config/demo.yaml evaluate
    """
    from alerts.engine import evaluate
    from alerts.notify import LogNotifier

    loaded = load(config)
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

    loaded = load(config)
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


def register(app: typer.Typer) -> None:
    app.command("evaluate")(evaluate_cmd)
    app.add_typer(alerts_app, name="alerts")
