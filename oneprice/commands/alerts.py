"""`oneprice evaluate`, `alerts ...`, `notify`, `notices ...`, `report`: the alerting workflow."""

from __future__ import annotations

import csv
import getpass
import io
import json
import sys
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from oneprice import app as composition
from oneprice.app import console
from oneprice.commands.common import ConfigOpt, ListFmt, load
from oneprice.domain.alert import ACTIVE_STATUSES, AlertStatus, Severity
from oneprice.errors import UserError

alerts_app = typer.Typer(
    help="Alerts raised by the rules: list, inspect, acknowledge, resolve, dismiss.", no_args_is_help=True
)
notices_app = typer.Typer(help="Violation notices to resellers, with escalation stages.", no_args_is_help=True)


class StatusFilter(StrEnum):
    open = "open"
    pending = "pending"
    acknowledged = "acknowledged"
    active = "active"
    resolved = "resolved"
    dismissed = "dismissed"
    all = "all"


def _statuses(status: StatusFilter) -> tuple[AlertStatus, ...]:
    if status is StatusFilter.all:
        return ()
    if status is StatusFilter.active:
        return tuple(sorted(ACTIVE_STATUSES))
    return (AlertStatus(status.value),)


ByOpt = Annotated[str | None, typer.Option("--by", help="Who does it (default: the login name).")]
NoteOpt = Annotated[str | None, typer.Option("--note", help="A note kept in the alert's history.")]
IdArg = Annotated[int, typer.Argument(help="The alert's number (#).")]


def _actor(by: str | None) -> str:
    if by:
        return by[:64]
    try:
        return getpass.getuser()[:64]
    except (KeyError, OSError):
        return "cli"


def evaluate_cmd(config: ConfigOpt = None) -> None:
    """Run the alert rules over the newest observations; open, refresh and resolve alerts.

    New alerts and resolutions are queued in the outbox; `oneprice notify` delivers them.

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
        f"{len(c.opened)} new alerts, {len(c.updated)} still open, {len(c.resolved)} resolved, "
        f"{len(c.pending)} in their grace period, {len(c.suppressed)} dismissed before",
        markup=False,
    )


@alerts_app.command("list")
def alerts_list(
    config: ConfigOpt = None,
    status: Annotated[
        StatusFilter, typer.Option(help="open, pending, acknowledged, active, resolved, dismissed or all.")
    ] = StatusFilter.open,
    rule: Annotated[
        str | None, typer.Option(help="Only this rule (undercut, unauthorized_seller, drift, ...).")
    ] = None,
    platform: Annotated[str | None, typer.Option(help="Only this platform.")] = None,
    seller: Annotated[str | None, typer.Option(help="Only this seller key (reseller id, or name:...).")] = None,
    product: Annotated[str | None, typer.Option(help="Only this SKU.")] = None,
    severity: Annotated[Severity | None, typer.Option(help="Only this severity.")] = None,
    limit: Annotated[int | None, typer.Option(min=1, help="At most this many, newest first (see --after).")] = None,
    after: Annotated[int | None, typer.Option(help="With --limit: continue below this alert number.")] = None,
    fmt: Annotated[ListFmt, typer.Option("--format", help="table, json or csv.")] = ListFmt.table,
) -> None:
    """List alerts with their evidence (oldest first; with --limit, pages newest first).

    Example: oneprice -c config/demo.yaml alerts list --status active --rule undercut --format json
    """
    from oneprice.render import ALERT_FIELDS, alert_record, alerts_table, csv_safe
    from oneprice.storage import AlertFilter, AlertRepository

    loaded = load(config)
    db = composition.open_database(loaded)
    f = AlertFilter(
        statuses=_statuses(status),
        rules=(rule,) if rule else (),
        platforms=(platform,) if platform else (),
        seller_keys=(seller,) if seller else (),
        product_skus=(product,) if product else (),
        severities=(severity,) if severity else (),
    )
    repo = AlertRepository(db)
    if limit is not None:
        page = repo.page(f, after=after, limit=limit)
        alerts = page.items
        if page.next_cursor is not None and fmt is ListFmt.table:
            console.print(f"more: --after {page.next_cursor}", markup=False)
    else:
        alerts = repo.find(f)
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


@alerts_app.command("show")
def alerts_show(alert_id: IdArg, config: ConfigOpt = None) -> None:
    """Show one alert with its evidence and the history of its states.

    Example: oneprice -c config/demo.yaml alerts show 3
    """
    from oneprice.render import alert_detail, history_table
    from oneprice.storage import AlertRepository

    db = composition.open_database(load(config))
    repo = AlertRepository(db)
    alert = repo.get(alert_id)
    if alert is None:
        raise UserError(f"no alert #{alert_id}")
    console.print(alert_detail(alert))
    console.print(history_table(repo.history(alert_id)))


@alerts_app.command("history")
def alerts_history(alert_id: IdArg, config: ConfigOpt = None) -> None:
    """Who moved an alert from which state to which, and when.

    Example: oneprice -c config/demo.yaml alerts history 3
    """
    from oneprice.render import history_table
    from oneprice.storage import AlertRepository

    repo = AlertRepository(composition.open_database(load(config)))
    if repo.get(alert_id) is None:
        raise UserError(f"no alert #{alert_id}")
    console.print(history_table(repo.history(alert_id)))


def _move(alert_id: int, to: AlertStatus, by: str | None, note: str | None, config: Path | None) -> None:
    from oneprice.storage import AlertRepository

    repo = AlertRepository(composition.open_database(load(config)))
    alert = repo.transition(alert_id, to, actor=_actor(by), now=datetime.now(UTC), note=note)
    console.print(f"alert #{alert.id} is {alert.status.value}", markup=False)


@alerts_app.command("ack")
def alerts_ack(alert_id: IdArg, config: ConfigOpt = None, by: ByOpt = None, note: NoteOpt = None) -> None:
    """Acknowledge an alert: someone is on it (it still resolves by itself when the price is back).

    Example: oneprice -c config/demo.yaml alerts ack 3 --by li.na --note "called the seller"
    """
    _move(alert_id, AlertStatus.ACKNOWLEDGED, by, note, config)


@alerts_app.command("resolve")
def alerts_resolve(alert_id: IdArg, config: ConfigOpt = None, by: ByOpt = None, note: NoteOpt = None) -> None:
    """Resolve an alert by hand.

    Example: oneprice -c config/demo.yaml alerts resolve 3 --note "listing removed"
    """
    _move(alert_id, AlertStatus.RESOLVED, by, note, config)


@alerts_app.command("dismiss")
def alerts_dismiss(
    alert_id: IdArg,
    reason: Annotated[str, typer.Option("--reason", help="Why this is a false positive (remembered).")],
    config: ConfigOpt = None,
    by: ByOpt = None,
) -> None:
    """Dismiss a false positive; the same seller and product at the same or a smaller gap stays quiet.

    Example: oneprice -c config/demo.yaml alerts dismiss 3 --reason "bundle with a gift, price is fine"
    """
    _move(alert_id, AlertStatus.DISMISSED, by, reason, config)


def notify_cmd(
    config: ConfigOpt = None,
    tag: Annotated[list[str] | None, typer.Option("--tag", help="Only routes with this tag (repeatable).")] = None,
    show: Annotated[bool, typer.Option("--show", help="Only show the outbox, send nothing.")] = False,
) -> None:
    """Deliver the outbox: due messages to their routes, digests when their period is over.

    A route that fails keeps its messages and is retried later with backoff.

    Example: oneprice -c config/demo.yaml notify
    """
    from alerts.delivery import deliver
    from oneprice.render import outbox_table
    from oneprice.storage import OutboxRepository

    loaded = load(config)
    db = composition.open_database(loaded)
    if not show:
        report = deliver(loaded.settings.alerts, db, tags=tag or ())
        console.print(
            f"{len(report.sent)} sent, {len(report.failed)} failed, {report.digests} digests made", markup=False
        )
        for item, error, retry in report.failed:
            console.print(
                f"  #{item.id} to {item.route}: {error}; next attempt {retry:%Y-%m-%d %H:%M:%S} UTC", markup=False
            )
    outbox = OutboxRepository(db)
    console.print(outbox_table(outbox.list(limit=50), outbox.counts()))


@notices_app.command("draft")
def notices_draft(
    seller: Annotated[str, typer.Argument(help="Seller key: the reseller id, or name:... for unknown sellers.")],
    config: ConfigOpt = None,
    language: Annotated[str | None, typer.Option(help="zh-CN or en (default: alerts.notices.language).")] = None,
) -> None:
    """Draft the next-stage violation notice for a seller's open alerts and print it.

    Example: oneprice -c config/demo.yaml notices draft fengxing --language en
    """
    from alerts.notices import draft, stage_name

    if language not in (None, "zh-CN", "en"):
        raise UserError(f"unknown language {language!r} (zh-CN or en)")
    loaded = load(config)
    notice = draft(loaded, composition.open_database(loaded), seller, language=language)
    stage = stage_name(loaded, notice.stage)
    who = notice.seller_name or seller
    console.print(f"notice #{notice.id} (stage {notice.stage}: {stage}) for {who!r}", markup=False)
    console.print(notice.subject, markup=False, highlight=False)
    console.print(notice.body_text, markup=False, highlight=False)
    console.print(f"send it with: oneprice notices send {notice.id}", markup=False)


@notices_app.command("send")
def notices_send(
    notice_id: Annotated[int, typer.Argument(help="The notice's number.")],
    config: ConfigOpt = None,
    to: Annotated[
        str | None, typer.Option("--to", help="E-mail address to send to (default: the reseller's contact).")
    ] = None,
) -> None:
    """Queue a drafted notice on alerts.notices.route (delivered by `oneprice notify`).

    On a mail route it goes to the reseller's `contact` address (or --to), with a blind copy to
    the route's own recipients; a platform complaint, or a seller without a contact address, goes
    to the route's recipients only.

    Example: oneprice -c config/demo.yaml notices send 1
    """
    from alerts.notices import send

    loaded = load(config)
    notice = send(loaded, composition.open_database(loaded), notice_id, to=to)
    where = f"to {notice.recipient} (blind copy to the route's recipients)" if notice.recipient else "to its recipients"
    console.print(f"notice #{notice.id} queued on route {notice.sent_via} {where}", markup=False)


def report_cmd(
    config: ConfigOpt = None,
    out: Annotated[Path, typer.Option("--out", help="Directory for the report files.")] = Path("var/report"),
    days: Annotated[int, typer.Option(help="Alerts seen in the last N days.", min=1)] = 30,
    fmt: Annotated[
        list[str] | None, typer.Option("--format", help="csv, xlsx, html (repeatable; default all).")
    ] = None,
) -> None:
    """Write alerts and the reseller scorecard as CSV and XLSX, and an HTML report with price charts.

    Example: oneprice -c config/demo.yaml report --out var/report --days 7
    """
    from alerts.reports import FORMATS, write_report

    formats = tuple(fmt or FORMATS)
    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        raise UserError(f"unknown report format {unknown[0]!r} (csv, xlsx, html)")
    if out.exists() and not out.is_dir():
        raise UserError(f"--out {out}: exists and is not a directory")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise UserError(f"--out {out}: cannot make the directory: {e.strerror or e}") from None
    loaded = load(config)
    now = datetime.now(UTC)
    paths = write_report(
        loaded, composition.open_database(loaded), out, since=now - timedelta(days=days), now=now, formats=formats
    )
    for p in paths:
        console.print(f"wrote {p}", markup=False)


def register(app: typer.Typer) -> None:
    app.command("evaluate")(evaluate_cmd)
    app.add_typer(alerts_app, name="alerts")
    app.command("notify")(notify_cmd)
    app.add_typer(notices_app, name="notices")
    app.command("report")(report_cmd)
