"""The pure sync planner: desired listings from the catalog against the channel's listings.

No I/O: the same inputs always give the same plan (`oneprice sync plan` prints it).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from oneprice.domain.catalog import Product
from oneprice.domain.listing import ListingState, RemoteListing
from oneprice.settings.models import ChannelSettings
from sync.plan import ActionKind, ChannelPlan, PlanAction

# The fields sync manages, in the order they are reported.
MANAGED_FIELDS: tuple[str, ...] = ("sku", "name", "price", "stock", "status")


def listed_on(product: Product, channel: str) -> bool:
    """A product is listed on every channel unless its `channels` names some."""
    return not product.channels or channel in product.channels


def desired_state(product: Product) -> ListingState:
    """The listing the catalog asks for: unified price, stock and status of the product."""
    return ListingState(
        sku=product.sku,
        name=product.name,
        price=product.unified_price,
        stock=product.stock,
        status=product.status,
    )


def changed_fields(before: ListingState, after: ListingState) -> tuple[str, ...]:
    return tuple(f for f in MANAGED_FIELDS if getattr(before, f) != getattr(after, f))


def _describe(before: ListingState, after: ListingState, fields: Sequence[str]) -> str:
    parts = []
    for f in fields:
        old, new = getattr(before, f), getattr(after, f)
        if f == "price":
            parts.append(f"price {old.amount} → {new.amount} {new.currency}")
        elif f == "name":
            parts.append("name changed")
        else:
            parts.append(f"{f} {old} → {new}")
    return ", ".join(parts)


def plan_channel(
    channel: ChannelSettings, products: Sequence[Product], remote: Mapping[str, RemoteListing]
) -> ChannelPlan:
    """One action per catalog product listed on `channel`, matched to `remote` by SKU.

    - missing on the channel and active: create; missing and inactive: nothing to do
    - present and different (name, price, stock, status, or SKU when matched by binding): update
    - present and equal: unchanged
    - product currency differs from the channel's: skip (conversion is not supported yet)

    Inactive products that are on the channel are updated to inactive (delisted), never deleted.
    Listings whose SKU is not planned are counted as `unmanaged` and left alone.
    """
    actions: list[PlanAction] = []
    for product in products:
        if not listed_on(product, channel.name):
            continue
        found = remote.get(product.sku)
        if found is None and product.status != "active":
            continue
        after = desired_state(product)
        before = found.state if found else None
        remote_id = found.remote_id if found else None
        if product.currency != channel.currency:
            reason = (
                f"currency mismatch: {product.sku} is priced in {product.currency}, channel "
                f"{channel.name!r} sells in {channel.currency}; conversion is not supported yet"
            )
            actions.append(_action(channel, "skip", before, after, remote_id, reason))
        elif before is None:
            actions.append(
                _action(channel, "create", None, after, None, "missing on the channel", MANAGED_FIELDS[1:])
            )
        else:
            fields = changed_fields(before, after)
            if not fields:
                actions.append(_action(channel, "unchanged", before, after, remote_id, "up to date"))
            else:
                reason = _describe(before, after, fields)
                if "status" in fields and after.status == "inactive":
                    reason = f"product is inactive: delist ({reason})"
                actions.append(_action(channel, "update", before, after, remote_id, reason, fields))
    listed = {p.sku for p in products if listed_on(p, channel.name)}
    unmanaged = sum(1 for sku in remote if sku not in listed)
    return ChannelPlan(
        channel=channel.name,
        kind=channel.kind,
        currency=channel.currency,
        actions=tuple(actions),
        unmanaged=unmanaged,
    )


def _action(
    channel: ChannelSettings,
    kind: ActionKind,
    before: ListingState | None,
    after: ListingState,
    remote_id: str | None,
    reason: str,
    changes: Sequence[str] = (),
) -> PlanAction:
    return PlanAction(
        channel=channel.name,
        sku=after.sku,
        kind=kind,
        before=before,
        after=after,
        remote_id=remote_id,
        reason=reason,
        changes=tuple(changes),
    )
