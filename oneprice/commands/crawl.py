"""`oneprice crawl` (run the `watch` spider) and `oneprice crawl status` (coverage per platform).

`register` also mounts the other crawl-area commands: `review`, `extract`, `match`.
"""

from __future__ import annotations

import json
from collections import Counter
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table
from rich.text import Text

from oneprice import app as composition
from oneprice.app import console
from oneprice.commands.common import ConfigOpt, Fmt, load
from oneprice.domain.money import quantize
from oneprice.domain.observation import ObservationStatus

if TYPE_CHECKING:
    from oneprice.storage.targets import DiscoveredListing, TargetRepository

crawl_app = typer.Typer(
    help="Crawl resellers' listing pages (`oneprice crawl`), or see how the crawl is doing (`crawl status`).",
    invoke_without_command=True,
)

# A target whose newest visit has one of these statuses is not showing a price now.
FAILING = (ObservationStatus.BLOCKED, ObservationStatus.HTTP_ERROR, ObservationStatus.NO_PRICE)


@crawl_app.callback()
def crawl(
    ctx: typer.Context,
    config: ConfigOpt = None,
    target: Annotated[list[str] | None, typer.Option(help="Only these watch target ids.")] = None,
    workers: Annotated[
        int, typer.Option(min=1, max=64, help="Crawl processes sharing one queue (needs ONEPRICE_REDIS_URL).")
    ] = 1,
) -> None:
    """Visit the watch targets with the Scrapy `watch` spider and store observations.

    Example: oneprice -c config/demo.yaml crawl --target tmall-flagship-jacket
    Example: ONEPRICE_REDIS_URL=redis://127.0.0.1:6379/0 oneprice crawl --workers 2
    """
    if ctx.invoked_subcommand is not None:
        ctx.obj = {"config": config}
        return
    loaded = load(config)
    composition.open_database(loaded)
    if workers > 1:
        from crawlers.distributed import crawl_workers
        from crawlers.spiders.watch import listing_targets

        listing_targets(loaded, target)  # unknown ids fail before any process starts
        total, each = crawl_workers(str(loaded.path), workers, target_ids=target)
        for n, s in enumerate(each, start=1):
            console.print(f"worker {n}: {s.describe()}", markup=False)
        console.print(total.describe(), markup=False)
        return
    from oneprice.progress import crawl_with_progress

    summary = crawl_with_progress(loaded, target_ids=target)
    console.print(summary.describe(), markup=False)


@crawl_app.command("status")
def status(
    ctx: typer.Context,
    config: ConfigOpt = None,
    fmt: Annotated[Fmt, typer.Option("--format", help="table or json.")] = Fmt.table,
) -> None:
    """Coverage per platform from each target's newest visit, and the targets not showing a price.

    Example: oneprice -c config/demo.yaml crawl status --format json
    """
    from oneprice.storage import ObservationRepository
    from oneprice.storage.reviews import ReviewRepository
    from oneprice.storage.targets import TargetRepository

    loaded = load(config or (ctx.obj or {}).get("config"))
    db = composition.open_database(loaded)
    repo = TargetRepository(db)
    targets = [t for t in loaded.settings.watch if t.kind == "listing"] + repo.discovered()
    latest = ObservationRepository(db).latest_per_target([t.id for t in targets])
    waiting = [h for h in repo.health() if h.next_due_at is not None and h.failures]
    seen = {o.target_id for o in latest}
    per_platform: dict[str, Counter[str]] = {}
    for t in targets:
        per_platform.setdefault(t.platform, Counter())["targets"] += 1
        if t.id not in seen:
            per_platform[t.platform]["never_visited"] += 1
    for o in latest:
        per_platform.setdefault(o.platform, Counter())[o.status.value] += 1
    failing = [o for o in latest if o.status in FAILING]
    pending = len(ReviewRepository(db).list())
    conditional = repo.conditional_health([t.id for t in targets])
    if fmt is Fmt.json:
        out = {
            "platforms": {p: dict(c) for p, c in sorted(per_platform.items())},
            "failing": [
                {"target": o.target_id, "status": o.status.value, "reason": o.reason, "url": o.url} for o in failing
            ],
            "review_pending": pending,
            "conditional": {
                "targets_with_validators": conditional.with_validators,
                "not_modified_last_visit": conditional.not_modified_last_visit,
                "not_modified_total": conditional.not_modified_total,
            },
            "backed_off": [
                {
                    "target": h.id,
                    "failures": h.failures,
                    "next_visit": h.next_due_at.isoformat() if h.next_due_at else None,
                }
                for h in waiting
            ],
        }
        typer.echo(json.dumps(out, ensure_ascii=False, indent=2))
        return
    columns = ["targets", *[s.value for s in ObservationStatus], "never_visited"]
    table = Table(title="Coverage by platform (config and discovered targets; newest visit, offers one by one)")
    table.add_column("platform")
    for c in columns:
        table.add_column(c, justify="right")
    table.add_column("ok %", justify="right")
    for platform, counts in sorted(per_platform.items()):
        offers = sum(counts[s.value] for s in ObservationStatus)
        share = f"{100 * counts['ok'] / offers:.0f}" if offers else "-"
        table.add_row(Text(platform), *[str(counts[c]) for c in columns], share)
    console.print(table)
    if failing:
        bad = Table(title="Targets not showing a price")
        for c in ("target", "status", "reason", "url"):
            bad.add_column(c)
        for o in failing:
            bad.add_row(Text(o.target_id), o.status.value, Text(o.reason or ""), Text(o.url))
        console.print(bad)
    if waiting:
        off = Table(title="Backed off after failing visits in a row")
        for c in ("target", "failures", "last status", "reason", "next visit"):
            off.add_column(c)
        for h in waiting:
            due = h.next_due_at.strftime("%Y-%m-%d %H:%M") if h.next_due_at else ""
            off.add_row(Text(h.id), str(h.failures), h.last_status or "", Text(h.last_reason or ""), due)
        console.print(off)
    console.print(
        f"conditional requests: {conditional.with_validators} target(s) with ETag/Last-Modified; "
        f"{conditional.not_modified_last_visit} not modified at their last visit (read from evidence); "
        f"304 Not Modified {conditional.not_modified_total} time(s) in all",
        markup=False,
    )
    console.print(f"{pending} listing(s) waiting in `oneprice review`", markup=False)


# Listings found that `discover` shows by default (a search run can find thousands).
LISTINGS_SHOWN = 50


def discover(
    config: ConfigOpt = None,
    list_only: Annotated[bool, typer.Option("--list", help="Only list what earlier runs found.")] = False,
    everyone: Annotated[bool, typer.Option("--all-sellers", help="List known sellers too.")] = False,
    listings: Annotated[
        int, typer.Option(min=0, help="Listings found to show, most recently seen first (0: none).")
    ] = LISTINGS_SHOWN,
) -> None:
    """Search each platform for the brand's keywords and products; new listings become watch targets.

    Sellers the reseller list does not know are listed as unknown sellers; once the next
    `oneprice crawl` visits their listings, their observations carry the seller's name. The
    listings found are listed with the price their search result showed (a lead: the crawl reads
    the listing's own page), marked when it is below the unified price of the listing's product.

    Example: oneprice -c config/demo.yaml discover
    Example: oneprice -c config/demo.yaml discover --list --listings 200
    """
    from crawlers.runner import run_discovery
    from oneprice.storage.targets import TargetRepository

    loaded = load(config)
    db = composition.open_database(loaded)
    if not list_only:
        console.print(run_discovery(loaded).describe(), markup=False)
    repo = TargetRepository(db)
    sellers = repo.sellers(unknown_only=not everyone)
    table = Table(title="Sellers found by discovery" + ("" if everyone else " that the reseller list does not know"))
    for c in ("platform", "seller", "reseller", "listings", "first seen", "example"):
        table.add_column(c)
    for seller in sellers:
        table.add_row(
            seller.platform, Text(seller.name), seller.reseller_id or "unknown", str(seller.listings),
            seller.first_seen.strftime("%Y-%m-%d %H:%M"), Text(seller.example_url or ""),
        )  # fmt: skip
    console.print(table)
    if listings:
        _print_listings(repo, listings)


def search_price_text(listing: DiscoveredListing) -> str:
    """A listing's search price as shown: "1099.00 CNY", "1099 (currency unknown)", or "-"."""
    if listing.search_price is None:
        return "-"
    if listing.search_currency is None:
        return f"{listing.search_price.normalize():f} (currency unknown)"
    return f"{quantize(listing.search_price, listing.search_currency)} {listing.search_currency}"


def _print_listings(repo: TargetRepository, limit: int) -> None:
    shown = repo.discovered_listings(limit=limit)
    total = repo.count_discovered()
    table = Table(title="Listings found by discovery, with the price their search result showed (a lead)")
    for c in ("platform", "seller", "title", "search price", "seen", "product"):
        table.add_column(c)
    table.add_column("url", overflow="fold")  # the address in full: it is what to open
    for listing in shown:
        price = Text(search_price_text(listing))
        if listing.below_unified and listing.unified_price is not None:
            price.append(f" ▼ below {listing.unified_price}", style="bold red")
        seen = listing.search_price_seen_at or listing.discovered_at
        table.add_row(
            Text(listing.platform), Text(listing.seller_name or ""), Text(listing.title or ""), price,
            seen.strftime("%Y-%m-%d %H:%M") if seen else "", Text(listing.product_sku or "not matched yet"),
            Text(listing.url),
        )  # fmt: skip
    console.print(table)
    if total > len(shown):
        console.print(f"{total - len(shown)} more listing(s) found; show them with --listings {total}", markup=False)


def register(app: typer.Typer) -> None:
    from oneprice.commands import extract, review

    app.add_typer(crawl_app, name="crawl")
    app.command("discover")(discover)
    review.register(app)
    extract.register(app)
