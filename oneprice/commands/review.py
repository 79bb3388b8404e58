"""`oneprice review`: listings matched with too little confidence wait here for a person's decision.

A decision (accept as a SKU, or reject) is remembered for the listing: later visits of it are
matched by the decision, and an accepted listing's observations may alert from then on.
"""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.table import Table
from rich.text import Text

from oneprice import app as composition
from oneprice.app import console
from oneprice.commands.common import ConfigOpt, Fmt, load
from oneprice.domain.review import ListingReview, ReviewState
from oneprice.errors import UserError

review_app = typer.Typer(
    help="The review queue: listings whose product is a guess. `oneprice review` lists what waits.",
    invoke_without_command=True,
)
KeyArg = Annotated[str, typer.Argument(help="The listing key shown by `oneprice review`.")]


def _row(r: ListingReview) -> dict[str, object]:
    return {
        "listing": r.listing_key,
        "state": r.state.value,
        "platform": r.platform,
        "seller": r.seller_name,
        "title": r.title,
        "price": str(r.price.amount) if r.price else None,
        "currency": r.price.currency if r.price else None,
        "suggested_sku": r.suggested_sku,
        "confidence": str(r.confidence),
        "reason": r.reason,
        "decided_sku": r.decided_sku,
        "url": r.url,
    }


@review_app.callback()
def review(
    ctx: typer.Context,
    config: ConfigOpt = None,
    state: Annotated[str, typer.Option(help="pending, accepted, rejected or all.")] = "pending",
    fmt: Annotated[Fmt, typer.Option("--format", help="table or json.")] = Fmt.table,
) -> None:
    """List the review queue (pending listings by default).

    Example: oneprice -c config/demo.yaml review --state all --format json
    """
    ctx.obj = {"config": config}
    if ctx.invoked_subcommand is not None:
        return
    from oneprice.storage.reviews import ReviewRepository

    if state not in ("all", *[s.value for s in ReviewState]):
        raise UserError(f"unknown review state {state!r} (pending, accepted, rejected or all)")
    db = composition.open_database(load(config), mirror=False)
    rows = ReviewRepository(db).list(None if state == "all" else ReviewState(state))
    if fmt is Fmt.json:
        typer.echo(json.dumps([_row(r) for r in rows], ensure_ascii=False, indent=2))
        return
    table = Table(title=f"Review queue ({state})")
    for c in ("listing", "platform", "seller", "title", "price", "suggested", "confidence", "why"):
        table.add_column(c)
    for r in rows:
        price = f"{r.price.amount} {r.price.currency}" if r.price else ""
        table.add_row(
            Text(r.listing_key),
            r.platform,
            Text(r.seller_name or ""),
            Text(r.title or ""),
            price,
            Text(r.decided_sku or r.suggested_sku or ""),
            str(r.confidence),
            Text(r.reason or ""),
        )
    console.print(table)
    if state == "pending" and rows:
        console.print(
            "decide with: oneprice review accept LISTING --sku SKU  |  oneprice review reject LISTING",
            markup=False,
        )


def _decide(ctx: typer.Context, config: ConfigOpt, key: str, state: ReviewState, sku: str | None) -> None:
    from oneprice.storage.reviews import ReviewRepository

    loaded = load(config or (ctx.obj or {}).get("config"))
    if sku is not None and sku not in loaded.catalog.by_sku():
        raise UserError(f"SKU {sku!r} is not in the catalog")
    db = composition.open_database(loaded, mirror=False)
    decided = ReviewRepository(db).decide(key, state, sku)
    what = f"accepted as {decided.decided_sku}" if state is ReviewState.ACCEPTED else "rejected"
    console.print(f"{decided.listing_key}: {what}; the next crawl applies it", markup=False)


@review_app.command("accept")
def accept(
    ctx: typer.Context,
    key: KeyArg,
    sku: Annotated[str | None, typer.Option(help="The product it is (default: the suggested SKU).")] = None,
    config: ConfigOpt = None,
) -> None:
    """Confirm which product a listing is; its observations may alert from the next crawl on.

    Example: oneprice review accept tb-opods --sku OPODS-PRO-WHT
    """
    if sku is None:
        from oneprice.storage.reviews import ReviewRepository

        db = composition.open_database(load(config or (ctx.obj or {}).get("config")), mirror=False)
        found = ReviewRepository(db).get(key)
        sku = found.suggested_sku if found else None
        if sku is None:
            raise UserError(f"{key}: no suggested SKU; pass --sku")
    _decide(ctx, config, key, ReviewState.ACCEPTED, sku)


@review_app.command("reject")
def reject(ctx: typer.Context, key: KeyArg, config: ConfigOpt = None) -> None:
    """Say a listing is none of the catalog's products; it never alerts.

    Example: oneprice review reject amazon-offers#Some Seller
    """
    _decide(ctx, config, key, ReviewState.REJECTED, None)


def register(app: typer.Typer) -> None:
    app.add_typer(review_app, name="review")
