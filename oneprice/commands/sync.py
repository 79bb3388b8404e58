"""`oneprice sync ...`: link, plan, apply, check, status, retry, pause and resume the brand's own stores."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from oneprice import app as composition
from oneprice.app import console
from oneprice.commands.common import ConfigOpt, Fmt, load
from oneprice.errors import UserError

sync_app = typer.Typer(help="Push the catalog to the brand's own stores.", no_args_is_help=True)

ChannelOpt = Annotated[str | None, typer.Option(help="Only this channel.")]
FmtOpt = Annotated[Fmt, typer.Option("--format", help="table or json.")]
AllowOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--allow",
        help="Let a tripped guard pass: price_change, delist_share or empty_remote (repeatable).",
    ),
]


def _allowed(allow: list[str] | None) -> frozenset[str]:
    from sync.guards import GUARD_NAMES

    names = frozenset(allow or ())
    unknown = sorted(names - set(GUARD_NAMES))
    if unknown:
        raise UserError(f"--allow: unknown guard {', '.join(unknown)} (known: {', '.join(GUARD_NAMES)})")
    return names


@sync_app.command("plan")
def sync_plan(
    config: ConfigOpt = None,
    channel: ChannelOpt = None,
    fmt: FmtOpt = Fmt.table,
    out: Annotated[
        Path | None, typer.Option("--out", help="Save the plan (fingerprinted) for `sync apply FILE`.")
    ] = None,
) -> None:
    """Show per channel what apply would create, reprice, restock, delist or leave; writes nothing.

    Example: oneprice -c config/demo.yaml sync plan --channel official --out plan.json
    """
    from sync.planfile import write_plan_file
    from sync.render import plans_json, render_plans
    from sync.service import plan_all

    if out is not None and not out.parent.is_dir():
        raise UserError(f"--out {out}: no directory {out.parent}")  # before reading every channel
    if out is not None and out.is_dir():
        raise UserError(f"--out {out}: is a directory; name the plan file")
    loaded = load(config)
    db = composition.open_database(loaded)
    plans = plan_all(loaded, db, channel=channel)
    if out is not None:
        try:
            write_plan_file(out, plans)
        except OSError as e:
            raise UserError(f"--out {out}: cannot write the plan: {e.strerror or e}") from None
    if fmt is Fmt.json:
        print(plans_json(plans))
    else:
        render_plans(plans, console)
        if out is not None:
            console.print(f"Plan saved to {out}; apply it with `oneprice sync apply {out}`.", markup=False)


@sync_app.command("apply")
def sync_apply(
    plan_file: Annotated[
        Path | None, typer.Argument(help="A plan saved by `sync plan --out`; refused if its basis changed.")
    ] = None,
    config: ConfigOpt = None,
    channel: ChannelOpt = None,
    fmt: FmtOpt = Fmt.table,
    allow: AllowOpt = None,
) -> None:
    """Plan and push price, stock and status to the brand's own stores; journal and verify every item.

    Example: oneprice -c config/demo.yaml sync apply plan.json --allow price_change
    """
    from sync.planfile import read_plan_file
    from sync.render import apply_json, render_apply
    from sync.service import ApplyOptions, apply_all

    loaded = load(config)
    expected = read_plan_file(plan_file) if plan_file is not None else None
    db = composition.open_database(loaded)
    options = ApplyOptions(allow=_allowed(allow), expected=expected)
    report = apply_all(loaded, db, channel=channel, options=options)
    if fmt is Fmt.json:
        print(apply_json(report))
    else:
        render_apply(report, console)
    if not report.ok:
        raise typer.Exit(1)


@sync_app.command("link")
def sync_link(config: ConfigOpt = None, channel: ChannelOpt = None, fmt: FmtOpt = Fmt.table) -> None:
    """Bind listings already on each channel to catalog SKUs, so apply creates no duplicates.

    SKUs found on several listings are reported, never guessed. Example:
    oneprice -c config/demo.yaml sync link --channel outlet
    """
    from sync.render import render_links
    from sync.service import link_all

    loaded = load(config)
    db = composition.open_database(loaded)
    reports = link_all(loaded, db, channel=channel)
    if fmt is Fmt.json:
        doc = [
            {
                "channel": r.channel,
                "linked": [{"sku": s, "remote_id": i} for s, i in r.linked],
                "already_bound": r.already,
                "missing": r.missing,
                "duplicates": {s: list(ids) for s, ids in r.duplicates.items()},
            }
            for r in reports
        ]
        print(json.dumps(doc, ensure_ascii=False, indent=2))
    else:
        render_links(reports, console)
    if any(r.duplicates for r in reports):
        raise typer.Exit(1)


@sync_app.command("check")
def sync_check(config: ConfigOpt = None, channel: ChannelOpt = None, fmt: FmtOpt = Fmt.table) -> None:
    """Read each channel back; report listings whose price/stock/status drifted; store drift alerts.

    `sync apply` reconciles what it finds. Example: oneprice -c config/demo.yaml sync check
    """
    from alerts.engine import recorder
    from sync.render import checks_json, render_checks
    from sync.verifier import check_all

    loaded = load(config)
    db = composition.open_database(loaded)
    reports = check_all(loaded, db, channel=channel, record=recorder(loaded, db))
    if fmt is Fmt.json:
        print(checks_json(reports))
    else:
        render_checks(reports, console)
    if any(r.drifts or r.error for r in reports):
        raise typer.Exit(1)


@sync_app.command("status")
def sync_status(config: ConfigOpt = None, channel: ChannelOpt = None, fmt: FmtOpt = Fmt.table) -> None:
    """Show per channel: paused or not, the last apply, and the dead-letter list.

    Example: oneprice -c config/demo.yaml sync status --format json
    """
    from sync.render import render_status, status_document
    from sync.service import select_channels

    loaded = load(config)
    names = [c.name for c in select_channels(loaded, channel)]
    db = composition.open_database(loaded)
    doc = status_document(db, names)
    if fmt is Fmt.json:
        print(json.dumps(doc, ensure_ascii=False, indent=2))
    else:
        render_status(doc, console)


@sync_app.command("retry")
def sync_retry(
    config: ConfigOpt = None, channel: ChannelOpt = None, fmt: FmtOpt = Fmt.table, allow: AllowOpt = None
) -> None:
    """Send the dead-lettered items again (planned afresh from the live channel).

    Example: oneprice -c config/demo.yaml sync retry --channel official
    """
    from sync.render import apply_json, render_apply
    from sync.service import ApplyOptions, retry_all

    loaded = load(config)
    db = composition.open_database(loaded)
    report = retry_all(loaded, db, channel=channel, options=ApplyOptions(allow=_allowed(allow)))
    if fmt is Fmt.json:
        print(apply_json(report))
    elif not report.channels:
        console.print("No dead letters: nothing to retry.")
    else:
        render_apply(report, console)
    if not report.ok:
        raise typer.Exit(1)


@sync_app.command("pause")
def sync_pause(
    name: Annotated[str, typer.Argument(help="The channel to pause.")],
    config: ConfigOpt = None,
    reason: Annotated[str, typer.Option(help="Why (shown in plan, apply and status).")] = "paused by an operator",
) -> None:
    """Stop sending writes to one channel until `sync resume`; plan and check still work.

    Example: oneprice -c config/demo.yaml sync pause outlet --reason "stock take"
    """
    from oneprice.storage import ChannelStateRepository
    from sync.service import select_channels

    loaded = load(config)
    select_channels(loaded, name)
    db = composition.open_database(loaded)
    ChannelStateRepository(db).set_paused(name, True, reason)
    console.print(f"{name}: paused ({reason}).", markup=False)


@sync_app.command("resume")
def sync_resume(name: Annotated[str, typer.Argument(help="The channel to resume.")], config: ConfigOpt = None) -> None:
    """Let `sync apply` write to a paused channel again.

    Example: oneprice -c config/demo.yaml sync resume outlet
    """
    from oneprice.storage import ChannelStateRepository
    from sync.service import select_channels

    loaded = load(config)
    select_channels(loaded, name)
    db = composition.open_database(loaded)
    ChannelStateRepository(db).set_paused(name, False)
    console.print(f"{name}: resumed.", markup=False)
