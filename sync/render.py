"""Show sync plans and apply reports: Rich tables for people, JSON (Decimal as strings) for scripts."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from sync.applier import COUNT_FIELDS, ApplyReport
from sync.plan import ChannelPlan, PlanAction

_STYLE = {"create": "green", "update": "yellow", "unchanged": "dim", "skip": "red"}


def _change_text(action: PlanAction) -> str:
    after, before = action.after, action.before
    if action.kind == "create":
        return f"{after.price.amount} {after.price.currency}, stock {after.stock}, {after.status}"
    if action.kind != "update" or before is None:
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
    if action.kind == "skip":
        return action.reason
    if action.kind == "update" and "status" in action.changes and action.after.status == "inactive":
        return "delist: the product is inactive"
    return ""


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
    return (
        f"{plan.channel}: {plan.creates} to create, {plan.updates} to update, "
        f"{plan.unchanged} unchanged, {plan.skipped} skipped"
        + (f", {plan.unmanaged} not in the catalog (left alone)" if plan.unmanaged else "")
    )


def render_plans(
    plans: Sequence[ChannelPlan], console: Console | None = None, *, show_unchanged: bool = False
) -> None:
    """Print, per channel, a table of the writes (and skips) the plan holds and a one-line count."""
    console = console or Console()
    if not plans:
        console.print("No enabled channels to plan.")
        return
    for plan in plans:
        if plan.writes or plan.skipped or (show_unchanged and plan.actions):
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
    for name in ("channel", "created", "updated", "unchanged", "skipped", "failed", "write requests"):
        table.add_column(name, justify="left" if name == "channel" else "right")
    for c in report.channels:
        table.add_row(
            Text(c.channel, style="red" if not c.ok else ""),
            *(str(v) for v in (c.created, c.updated, c.unchanged, c.skipped, c.failed, c.write_requests)),
        )
    if len(report.channels) > 1:
        totals = [str(report.total(f)) for f in COUNT_FIELDS]
        table.add_row(Text("total", style="bold"), *totals, str(report.write_requests), style="bold")
    return table


def render_report(report: ApplyReport, console: Console | None = None) -> None:
    """Print the per-channel counts, then each channel error, failed item and skipped item."""
    console = console or Console()
    console.print(report_table(report))
    for c in report.channels:
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
