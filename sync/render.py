"""Show sync plans and apply reports: Rich tables for people, JSON (Decimal as strings) for scripts."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from oneprice.storage import ChannelStateRepository, Database, DeadLetterRepository, JournalRepository
from sync.plan import UPDATE_KINDS, ChannelPlan, PlanAction
from sync.reading import LinkReport
from sync.report import COUNT_FIELDS, ApplyReport

if TYPE_CHECKING:
    from sync.verifier import CheckReport

_STYLE = {
    "create": "green",
    "reprice": "yellow",
    "restock": "yellow",
    "update": "yellow",
    "relink": "yellow",
    "delist": "magenta",
    "orphan": "cyan",
    "unchanged": "dim",
    "skip": "red",
}


def _change_text(action: PlanAction) -> str:
    after, before = action.after, action.before
    if action.kind == "create":
        return f"{after.price.amount} {after.price.currency}, stock {after.stock}, {after.status}"
    if not action.writes or before is None:
        return ""
    parts = []
    for field in action.changes:
        if field == "price":
            parts.append(f"price {before.price.amount} → {after.price.amount} {after.price.currency}")
        elif field == "name":
            parts.append(f"name {before.name!r} → {after.name!r}")
        else:
            parts.append(f"{field} {getattr(before, field)} → {getattr(after, field)}")
    return "; ".join(parts)


def _note(action: PlanAction) -> str:
    notes = []
    if action.kind in ("skip", "orphan"):
        notes.append(action.reason)
    if action.kind == "delist":
        notes.append("the product is inactive")
    if action.drift:
        notes.append("edited on the channel since the last push")
    if action.override:
        notes.append(action.override)
    return "; ".join(notes)


def plan_table(plan: ChannelPlan, *, show_unchanged: bool = False) -> Table:
    """One row per action (unchanged rows only when asked), with old → new values."""
    table = Table(title=f"{plan.channel} ({plan.kind}, {plan.currency})", title_justify="left")
    table.add_column("action")
    table.add_column("SKU", no_wrap=True)
    table.add_column("name")
    table.add_column("change")
    table.add_column("note")
    for action in plan.actions:
        if action.kind == "unchanged" and not show_unchanged:
            continue
        table.add_row(
            Text(action.kind, style=_STYLE[action.kind]),
            Text(action.sku),
            Text(action.after.name),
            Text(_change_text(action)),
            Text(_note(action)),
        )
    return table


def plan_summary(plan: ChannelPlan) -> str:
    kinds = ", ".join(f"{n} {k}" for k, n in plan.counts.items() if k in UPDATE_KINDS)
    text = (
        f"{plan.channel}: {plan.creates} to create, {plan.updates} to update"
        + (f" ({kinds})" if kinds else "")
        + f", {plan.unchanged} unchanged, {plan.skipped} skipped"
        + (f", {plan.orphans} orphaned" if plan.orphans else "")
        + (f", {plan.unmanaged} not in the catalog (left alone)" if plan.unmanaged else "")
    )
    if plan.paused is not None:
        text += f" — PAUSED ({plan.paused}): apply sends nothing"
    for g in plan.guards:
        text += f"\n  guard {g.name}: {g.message}"
    return text


def render_plans(plans: Sequence[ChannelPlan], console: Console | None = None, *, show_unchanged: bool = False) -> None:
    """Print, per channel, a table of the writes (and skips) the plan holds and a one-line count."""
    console = console or Console()
    if not plans:
        console.print("No enabled channels to plan.")
        return
    for plan in plans:
        if plan.writes or plan.skipped or plan.orphans or (show_unchanged and plan.actions):
            console.print(plan_table(plan, show_unchanged=show_unchanged))
        console.print(escape(plan_summary(plan)))
    writes = sum(len(p.writes) for p in plans)
    console.print(
        f"[bold]{writes} write(s) planned[/bold] across {len(plans)} channel(s)."
        if writes
        else "[bold]Everything is up to date[/bold]: nothing to write."
    )


def report_table(report: ApplyReport) -> Table:
    """Counts per channel and a total row."""
    table = Table(title="sync apply", title_justify="left")
    for name in (
        "channel",
        "created",
        "updated",
        "unchanged",
        "skipped",
        "failed",
        "verified",
        "write requests",
    ):
        table.add_column(name, justify="left" if name == "channel" else "right")
    for c in report.channels:
        table.add_row(
            Text(c.channel, style="red" if not c.ok else ""),
            *(
                str(v)
                for v in (
                    c.created,
                    c.updated,
                    c.unchanged,
                    c.skipped,
                    c.failed,
                    c.verified,
                    c.write_requests,
                )
            ),
        )
    if len(report.channels) > 1:
        totals = [str(report.total(f)) for f in COUNT_FIELDS]
        verified = str(sum(c.verified for c in report.channels))
        table.add_row(Text("total", style="bold"), *totals, verified, str(report.write_requests), style="bold")
    return table


def render_report(report: ApplyReport, console: Console | None = None) -> None:
    """Print the per-channel counts, then each channel error, failed item and skipped item."""
    console = console or Console()
    console.print(report_table(report))
    for c in report.channels:
        if c.paused:
            console.print(Text(f"{c.channel}: paused; nothing sent (oneprice sync resume {c.channel})", style="yellow"))
        for g in c.guards:
            console.print(Text(f"{c.channel}: stopped by a guard: {g}", style="red"))
        if c.recovered:
            console.print(Text(f"{c.channel}: closed {c.recovered} open action(s) of an interrupted run"))
        if c.dead_lettered:
            console.print(Text(f"{c.channel}: {c.dead_lettered} item(s) dead-lettered (oneprice sync status / retry)"))
        if c.error:
            console.print(Text(f"{c.channel}: stopped: {c.error}", style="red"))
        for f in c.failures:
            console.print(Text(f"{c.channel}: {f.action} {f.sku} failed: {f.error}", style="red"))
        for s in c.skips:
            console.print(Text(f"{c.channel}: {s.sku} skipped: {s.error}", style="yellow"))


def plan_document(plans: Sequence[ChannelPlan]) -> dict[str, Any]:
    """The plans as plain JSON data: `{"channels": [...], "writes": n}`."""
    return {
        "channels": [p.model_dump(mode="json") for p in plans],
        "writes": sum(len(p.writes) for p in plans),
    }


def report_document(report: ApplyReport) -> dict[str, Any]:
    """The report as plain JSON data, totals at the top level (`write_requests`, `created`, ..., `ok`)."""
    return report.model_dump(mode="json")


def to_json(obj: Sequence[ChannelPlan] | ApplyReport, *, indent: int | None = 2) -> str:
    """JSON text of a list of plans or an apply report; money amounts are strings ("1299.00")."""
    doc = report_document(obj) if isinstance(obj, ApplyReport) else plan_document(obj)
    return json.dumps(doc, ensure_ascii=False, indent=indent)


def plans_json(plans: Sequence[ChannelPlan]) -> str:
    """`to_json` of a list of plans (what `sync plan --format json` prints)."""
    return to_json(plans)


def apply_json(report: ApplyReport) -> str:
    """`to_json` of an apply report (what `sync apply --format json` prints)."""
    return to_json(report)


render_apply = render_report


def render_links(reports: Sequence[LinkReport], console: Console) -> None:
    """Per channel: how many SKUs were bound now or before, which are missing, which are ambiguous."""
    for r in reports:
        console.print(
            Text(
                f"{r.channel}: {len(r.linked)} linked now, {r.already} already bound, "
                f"{len(r.missing)} not on the channel (apply creates them)"
            )
        )
        for sku, ids in sorted(r.duplicates.items()):
            console.print(
                Text(f"{r.channel}: {sku} is on {len(ids)} listings ({', '.join(ids)}): not linked", style="red")
            )


def checks_json(reports: Sequence[CheckReport]) -> str:
    doc = [
        {
            "channel": r.channel,
            "checked": r.checked,
            "error": r.error,
            "missing": r.missing,
            "drift": [
                {
                    "sku": d.sku,
                    "remote_id": d.remote_id,
                    "fields": list(d.fields),
                    "live": d.live.model_dump(mode="json"),
                    "desired": d.desired.model_dump(mode="json"),
                    "edited_on_channel": d.edited_on_channel,
                }
                for d in r.drifts
            ],
        }
        for r in reports
    ]
    return json.dumps(doc, ensure_ascii=False, indent=2)


def render_checks(reports: Sequence[CheckReport], console: Console) -> None:
    """A table of drifted listings per channel, then a one-line count."""
    for r in reports:
        if r.error:
            console.print(Text(f"{r.channel}: cannot read the channel: {r.error}", style="red"))
            continue
        if r.drifts:
            table = Table(title=f"{r.channel}: drift", title_justify="left")
            for name in ("SKU", "listing", "what differs"):
                table.add_column(name)
            for d in r.drifts:
                table.add_row(Text(d.sku), Text(d.remote_id), Text(d.describe()))
            console.print(table)
        console.print(
            Text(
                f"{r.channel}: {r.checked} listing(s) checked, {len(r.drifts)} drifted, "
                f"{len(r.missing)} missing" + ("; `oneprice sync apply` reconciles them" if r.drifts else "")
            )
        )


def status_document(db: Database, channels: Sequence[str]) -> dict[str, Any]:
    """Paused state, the last apply run and the dead letters of each channel, as plain data."""
    states = ChannelStateRepository(db)
    letters = DeadLetterRepository(db).list()
    runs = JournalRepository(db).runs(limit=200)
    out: list[dict[str, Any]] = []
    for name in channels:
        state = states.get(name)
        last = next((r for r in runs if r.channel == name), None)
        out.append(
            {
                "channel": name,
                "paused": bool(state and state.paused),
                "paused_reason": state.reason if state and state.paused else None,
                "last_run": None
                if last is None
                else {
                    "id": last.id,
                    "started_at": last.started_at.isoformat(),
                    "finished_at": last.finished_at.isoformat() if last.finished_at else None,
                    "outcome": last.outcome or "running or interrupted",
                    "counts": last.counts,
                },
                "dead_letters": [
                    {
                        "sku": d.sku,
                        "action": d.action,
                        "error": d.error,
                        "attempts": d.attempts,
                        "retryable": d.retryable,
                        "last_failed_at": d.last_failed_at.isoformat(),
                    }
                    for d in letters
                    if d.channel == name
                ],
            }
        )
    return {"channels": out}


def render_status(doc: dict[str, Any], console: Console) -> None:
    table = Table(title="sync status", title_justify="left")
    for name in ("channel", "state", "last apply", "outcome", "dead letters"):
        table.add_column(name)
    for c in doc["channels"]:
        run = c["last_run"]
        state = f"paused: {c['paused_reason']}" if c["paused"] else "active"
        table.add_row(
            Text(c["channel"]),
            Text(state, style="yellow" if c["paused"] else ""),
            Text(run["started_at"] if run else "never"),
            Text(run["outcome"] if run else "-"),
            Text(str(len(c["dead_letters"])), style="red" if c["dead_letters"] else ""),
        )
    console.print(table)
    for c in doc["channels"]:
        for d in c["dead_letters"]:
            console.print(
                Text(
                    f"{c['channel']}: {d['action']} {d['sku']} after {d['attempts']} attempt(s): {d['error']}",
                    style="red",
                )
            )
    if any(c["dead_letters"] for c in doc["channels"]):
        console.print("`oneprice sync retry` sends the dead letters again.")
