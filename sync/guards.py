"""Guards over a channel plan (pure): big price jumps, mass delists, a channel that suddenly lists nothing.

A tripped guard stops that channel's apply with a clear message; `--allow NAME` overrides it.
"""

from __future__ import annotations

from decimal import Decimal

from oneprice.settings.sync import GuardSettings
from sync.plan import ChannelPlan, GuardTrip

GUARD_NAMES: tuple[str, ...] = ("price_change", "delist_share", "empty_remote")


def price_change_percent(old: Decimal, new: Decimal) -> Decimal | None:
    """Move from `old` to `new` in percent of `old`; None when `old` is zero (any move is infinite)."""
    if old == 0:
        return None
    return abs(new - old) / old * 100


def check_guards(plan: ChannelPlan, settings: GuardSettings) -> ChannelPlan:
    """The plan with `guards` set to every guard it trips under `settings`."""
    trips: list[GuardTrip] = []
    if settings.refuse_empty_remote and plan.remote_count == 0 and plan.bound_count > 0:
        trips.append(
            GuardTrip(
                name="empty_remote",
                message=(
                    f"{plan.channel}: the channel listed no products but {plan.bound_count} are bound to it; "
                    "refusing to re-create them (a wrong store URL or a failed read?). "
                    "--allow empty_remote to go on"
                ),
            )
        )
    limit = settings.max_price_change_percent
    if limit is not None:
        jumps: list[tuple[Decimal, str]] = []
        for a in plan.actions:
            if not a.writes or a.before is None or "price" not in a.changes:
                continue
            move = price_change_percent(a.before.price.amount, a.after.price.amount)
            if move is None or move > limit:
                jumps.append((move if move is not None else Decimal("Infinity"), a.sku))
        if jumps:
            worst, sku = max(jumps)
            shown = "from zero" if worst.is_infinite() else f"{worst.quantize(Decimal('0.1'))}%"
            trips.append(
                GuardTrip(
                    name="price_change",
                    message=(
                        f"{plan.channel}: {len(jumps)} price change(s) exceed {limit}% "
                        f"(largest {shown} on {sku}); --allow price_change to go on"
                    ),
                )
            )
    delists = sum(1 for a in plan.actions if a.kind == "delist")
    base = max(plan.bound_count, plan.remote_count, 1)
    if delists and Decimal(delists) / base > settings.max_delist_share:
        trips.append(
            GuardTrip(
                name="delist_share",
                message=(
                    f"{plan.channel}: {delists} of {base} listings would be delisted, more than "
                    f"{settings.max_delist_share * 100:g}%; --allow delist_share to go on"
                ),
            )
        )
    return plan.model_copy(update={"guards": tuple(trips)})
