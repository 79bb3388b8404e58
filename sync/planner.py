"""The pure sync planner: desired listings (catalog + overrides) against bindings and the channel's listings.

No I/O: the same inputs always give the same plan (`oneprice sync plan` prints it).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from adapters.base import Capabilities
from oneprice.domain.catalog import Product
from oneprice.domain.listing import ListingState, RemoteListing
from oneprice.domain.money import Money
from oneprice.settings.models import ChannelSettings
from oneprice.storage import Binding
from sync.plan import ActionKind, ChannelPlan, PlanAction

# The fields sync manages, in the order they are reported.
MANAGED_FIELDS: tuple[str, ...] = ("sku", "name", "price", "stock", "status")


def listed_on(product: Product, channel: str) -> bool:
    """A product is listed on every channel unless its `channels` names some."""
    return not product.channels or channel in product.channels


def desired_state(product: Product, channel: ChannelSettings | None = None) -> ListingState:
    """The listing the catalog asks for: unified price (or the channel's override), stock and status."""
    price = product.unified_price
    override = channel.overrides.get(product.sku) if channel is not None else None
    if override is not None and channel is not None:
        price = Money.of(override.price, channel.currency)
    return ListingState(
        sku=product.sku,
        name=product.name,
        price=price,
        stock=product.stock,
        status=product.status,
    )


def fit_to_channel(desired: ListingState, live: ListingState | None, capabilities: Capabilities | None) -> ListingState:
    """The desired state as this channel can hold it: fields it cannot write keep their live value,
    and where inactive means "no stock" an inactive product is asked for quantity 0."""
    if capabilities is None:
        return desired
    if capabilities.inactive_is_zero_stock and desired.status == "inactive":
        desired = desired.model_copy(update={"stock": 0})
    if live is None:
        return desired
    keep = {f: getattr(live, f) for f in MANAGED_FIELDS if f not in capabilities.writable_fields}
    return desired.model_copy(update=keep) if keep else desired


def changed_fields(before: ListingState, after: ListingState) -> tuple[str, ...]:
    return tuple(f for f in MANAGED_FIELDS if getattr(before, f) != getattr(after, f))


def update_kind(before: ListingState, after: ListingState, fields: Sequence[str]) -> ActionKind:
    """Name a write to an existing listing by what it changes."""
    if "status" in fields and after.status == "inactive":
        return "delist"
    if "sku" in fields:
        return "relink"
    if tuple(fields) == ("price",):
        return "reprice"
    if tuple(fields) == ("stock",):
        return "restock"
    return "update"


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
    channel: ChannelSettings,
    products: Sequence[Product],
    remote: Mapping[str, RemoteListing],
    bindings: Mapping[str, Binding] | None = None,
    *,
    duplicates: Mapping[str, Sequence[str]] | None = None,
    remote_count: int | None = None,
    capabilities: Capabilities | None = None,
    sends_today: Mapping[str, int] | None = None,
) -> ChannelPlan:
    """One action per catalog product listed on `channel`, matched to `remote` by SKU.

    - missing on the channel and active: create; missing and inactive: nothing to do
    - present and different: reprice (price only), restock (stock only), delist (to
      inactive), relink (the bound listing carries another SKU), update (several fields)
    - present and equal: unchanged
    - priced in another currency than the channel's, with no override: skip
    - SKU on several listings (`duplicates`, SKU -> remote ids) and no binding picks one: skip
    - a binding whose product left the catalog (or this channel) while its listing is
      still there: orphan, reported and left alone

    Only the fields the channel can write (`capabilities.writable_fields`) are compared.
    Where the channel caps writes per listing and day (`capabilities.revisions_per_day`), a
    change to a listing that spent them (`sends_today`, SKU -> write calls since 00:00 UTC) is a
    skip that says when it can go.
    `drift` marks a listing whose live state is neither the desired state nor what
    oneprice last pushed (the binding's hash): someone edited it on the channel.
    """
    bindings = bindings or {}
    duplicates = duplicates or {}
    actions: list[PlanAction] = []
    for product in products:
        if not listed_on(product, channel.name):
            continue
        found = remote.get(product.sku)
        after = fit_to_channel(desired_state(product, channel), found.state if found else None, capabilities)
        override = channel.overrides.get(product.sku)
        note = f"override: {override.reason}" if override else None
        if product.sku in duplicates and found is None:
            ids = duplicates[product.sku]
            reason = f"SKU {product.sku} is on {len(ids)} listings ({', '.join(ids)}); resolve on the channel"
            actions.append(_action(channel, "skip", None, after, None, reason, override=note))
            continue
        if found is None and product.status != "active":
            continue
        before = found.state if found else None
        remote_id = found.remote_id if found else None
        if override is None and product.currency != channel.currency:
            reason = (
                f"currency mismatch: {product.sku} is priced in {product.currency}, channel "
                f"{channel.name!r} sells in {channel.currency}; set overrides.{product.sku} on the channel"
            )
            actions.append(_action(channel, "skip", before, after, remote_id, reason))
        elif before is None:
            binding = bindings.get(product.sku)
            reason = "missing on the channel"
            if binding is not None:
                reason = f"bound listing {binding.remote_id} is gone from the channel"
            actions.append(_action(channel, "create", None, after, None, reason, MANAGED_FIELDS[1:], override=note))
        else:
            fields = changed_fields(before, after)
            if not fields:
                actions.append(_action(channel, "unchanged", before, after, remote_id, "up to date", override=note))
                continue
            binding = bindings.get(product.sku)
            drift = binding is not None and binding.last_hash is not None and binding.last_hash != before.fingerprint()
            kind = update_kind(before, after, fields)
            reason = _describe(before, after, fields)
            spent = _revisions_spent(capabilities, sends_today, product.sku)
            if spent is not None:
                reason = f"{spent}; held back: {reason}"
                actions.append(_action(channel, "skip", before, after, remote_id, reason, fields, override=note))
                continue
            if kind == "delist":
                reason = f"product is inactive: delist ({reason})"
            if drift:
                reason = f"changed on the channel since the last push: {reason}"
            actions.append(_action(channel, kind, before, after, remote_id, reason, fields, override=note, drift=drift))
    listed = {p.sku for p in products if listed_on(p, channel.name)}
    by_id = {r.remote_id: r for r in remote.values()}
    for sku, binding in sorted(bindings.items()):
        listing = by_id.get(binding.remote_id)
        if sku in listed or listing is None or listing.state.sku in listed:
            continue
        actions.append(
            _action(
                channel,
                "orphan",
                listing.state,
                listing.state,
                listing.remote_id,
                f"bound to {sku}, which is no longer in the catalog for this channel; left alone",
            )
        )
    unmanaged = sum(1 for sku in remote if sku not in listed)
    return ChannelPlan(
        channel=channel.name,
        kind=channel.kind,
        currency=channel.currency,
        actions=tuple(actions),
        unmanaged=unmanaged,
        remote_count=len(remote) if remote_count is None else remote_count,
        bound_count=len(bindings),
    )


def _revisions_spent(capabilities: Capabilities | None, sends_today: Mapping[str, int] | None, sku: str) -> str | None:
    """Why `sku` may not be written again today, or None while its daily revisions last."""
    limit = capabilities.revisions_per_day if capabilities is not None else None
    if limit is None or sends_today is None:
        return None
    used = sends_today.get(sku, 0)
    if used < limit:
        return None
    return f"revision budget spent: {used} of {limit} writes to this listing today (UTC); planned again after 00:00 UTC"


def _action(
    channel: ChannelSettings,
    kind: ActionKind,
    before: ListingState | None,
    after: ListingState,
    remote_id: str | None,
    reason: str,
    changes: Sequence[str] = (),
    *,
    override: str | None = None,
    drift: bool = False,
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
        override=override,
        drift=drift,
    )
