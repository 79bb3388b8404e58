"""Checks that need the whole configuration and its catalog at once.

Each finding names what a typo would otherwise silently turn off: an override for a SKU the
catalog does not have, a promotion on a platform spelt wrong (the alerts it should quiet go
out), a tolerance for a product line nobody sells, a notices route that does not exist; or
what a slip would turn upside down: a promotion's floor_price above a product's unified price.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from oneprice.domain.catalog import PLATFORMS, Catalog
from oneprice.settings.alerts import PromotionSettings
from oneprice.settings.models import Settings

Loc = tuple[str | int, ...]
Add = Callable[[Loc, str], None]

# Every alert rule by name: the per-observation rules (alerts/rules), the target rule
# `coverage_gap` and the sync check's `own_channel_drift`.
RULE_NAMES = ("undercut", "unauthorized_seller", "drift", "coverage_gap", "own_channel_drift")


def _known(values: Iterable[str]) -> str:
    listed = sorted(set(values))
    return ", ".join(listed) if listed else "none"


def _check_names(add: Add, loc: Loc, values: Sequence[str], allowed: set[str], what: str, shown: str) -> None:
    for i, value in enumerate(values):
        if value not in allowed:
            add((*loc, i), f"unknown {what} {value!r} (known: {shown})")


def _covers(first: PromotionSettings, later: PromotionSettings) -> bool:
    """Whether every listing `later` applies to is also one `first` applies to."""
    return all(
        not wide or (bool(narrow) and set(narrow) <= set(wide))
        for wide, narrow in (
            (first.platforms, later.platforms),
            (first.products, later.products),
            (first.product_lines, later.product_lines),
        )
    )


def _hides(other: PromotionSettings, promo: PromotionSettings, *, listed_first: bool) -> bool:
    """Whether `other` sanctions a floor at or below `promo`'s on every listing and moment `promo` covers.

    Overlapping promotions each sanction their floor and the lowest applies (the first listed of
    equal floors), so such a promotion never applies. Floors of different kinds (a percentage and an
    amount) compare differently per product and are not judged here.
    """
    if not (other.start <= promo.start and promo.end <= other.end and _covers(other, promo)):
        return False
    if other.floor_percent is not None and promo.floor_percent is not None:
        lower, equal = other.floor_percent > promo.floor_percent, other.floor_percent == promo.floor_percent
    elif other.floor_price is not None and promo.floor_price is not None:
        lower, equal = other.floor_price < promo.floor_price, other.floor_price == promo.floor_price
    else:
        return False
    return lower or (equal and listed_first)


def _floor_text(promo: PromotionSettings) -> str:
    if promo.floor_percent is not None:
        return f"a floor {promo.floor_percent}% below the unified price"
    return f"floor_price {promo.floor_price}"


def _check_floor_price(add: Add, loc: Loc, promo: PromotionSettings, catalog: Catalog) -> None:
    """A promotion's `floor_price` above a covered product's unified price: during the promotion the
    product at its own unified price would be an undercut, the opposite of what a promotion sanctions."""
    floor = promo.floor_price
    if floor is None:
        return
    above = sorted(
        (
            p
            for p in catalog.products
            if (not promo.products or p.sku in promo.products)
            and (not promo.product_lines or (p.product_line is not None and p.product_line in promo.product_lines))
            and floor > p.unified_price.amount
        ),
        key=lambda p: (p.unified_price.amount, p.sku),
    )
    if not above:
        return
    shown = ", ".join(f"{p.sku} ({p.unified_price})" for p in above[:3])
    more = f" and {len(above) - 3} more" if len(above) > 3 else ""
    # The floor is an amount in each covered product's currency: name it when there is only one.
    currencies = {p.unified_price.currency for p in above}
    currency = f" {above[0].unified_price.currency}" if len(currencies) == 1 else ""
    add(
        loc,
        f"promotion {promo.name!r}: floor_price {floor}{currency} is above the unified price of {shown}{more}; "
        "during the promotion a price at the unified price would be an undercut: lower the floor, use "
        "floor_percent, or limit the promotion with products or product_lines",
    )


def check_settings(settings: Settings, catalog: Catalog | None, add: Add) -> None:
    """Report references that point nowhere. `catalog` None: the catalog did not load, skip SKU checks."""
    from oneprice.settings.loader import price_problem

    platforms = set(PLATFORMS)
    shown_platforms = ", ".join(PLATFORMS)
    skus = set(catalog.by_sku()) if catalog is not None else None
    lines = {p.product_line for p in catalog.products if p.product_line} if catalog is not None else None
    resellers = {r.id for r in settings.resellers}

    def sku_ok(loc: Loc, sku: str) -> None:
        if skus is not None and sku not in skus:
            add(loc, f"no product {sku!r} in the catalog")

    def lines_ok(loc: Loc, values: Sequence[str]) -> None:
        if lines is not None:
            _check_names(add, loc, values, lines, "product line", _known(lines))

    for i, ch in enumerate(settings.channels):
        for sku, override in ch.overrides.items():
            sku_ok(("channels", i, "overrides", sku), sku)
            why = price_problem(str(override.price), ch.currency)
            if why is not None and "decimal places" in why:
                add(("channels", i, "overrides", sku, "price"), why)

    if lines is not None:
        for line in settings.policy.product_lines:
            if line not in lines:
                add(("policy", "product_lines", line), f"unknown product line {line!r} (known: {_known(lines)})")

    a = settings.alerts
    for i, promo in enumerate(a.promotions):
        loc: Loc = ("alerts", "promotions", i)
        _check_names(add, (*loc, "platforms"), promo.platforms, platforms, "platform", shown_platforms)
        for j, sku in enumerate(promo.products):
            sku_ok((*loc, "products", j), sku)
        lines_ok((*loc, "product_lines"), promo.product_lines)
        for k, other in enumerate(a.promotions):
            if k != i and _hides(other, promo, listed_first=k < i):
                add(
                    loc,
                    f"{promo.name!r} never applies: {other.name!r} (alerts.promotions[{k}]) covers every listing "
                    f"it covers for all of its window ({promo.start.isoformat()} to {promo.end.isoformat()}) with "
                    f"{_floor_text(other)}, where this one sets {_floor_text(promo)}, and the lowest floor applies: "
                    "lower this one's floor, change the dates, or remove it",
                )
                break
    if catalog is not None:
        for i, promo in enumerate(a.promotions):
            _check_floor_price(add, ("alerts", "promotions", i, "floor_price"), promo, catalog)
    seen: dict[str, int] = {}
    for i, promo in enumerate(a.promotions):
        if promo.name in seen:
            first = seen[promo.name]
            add(("alerts", "promotions", i, "name"), f"duplicate name {promo.name!r} (also promotions[{first}])")
        seen.setdefault(promo.name, i)

    for i, o in enumerate(a.overrides):
        loc = ("alerts", "overrides", i)
        if o.rule is not None and o.rule not in RULE_NAMES:
            add((*loc, "rule"), f"unknown rule {o.rule!r} (known: {', '.join(RULE_NAMES)})")
        if o.platform is not None and o.platform not in platforms:
            add((*loc, "platform"), f"unknown platform {o.platform!r} (known: {shown_platforms})")
        if o.product is not None:
            sku_ok((*loc, "product"), o.product)
        if o.product_line is not None and lines is not None and o.product_line not in lines:
            add((*loc, "product_line"), f"unknown product line {o.product_line!r} (known: {_known(lines)})")
        if o.seller is not None and not o.seller.startswith("name:") and o.seller not in resellers:
            add((*loc, "seller"), f"no reseller {o.seller!r} (a reseller id, or name:<seller name>)")

    route_names: dict[str, int] = {}
    for i, route in enumerate(a.routes):
        loc = ("alerts", "routes", i)
        if route.name in route_names:
            add((*loc, "name"), f"duplicate name {route.name!r} (also routes[{route_names[route.name]}])")
        route_names.setdefault(route.name, i)
        _check_names(add, (*loc, "platforms"), route.platforms, platforms, "platform", shown_platforms)
        _check_names(add, (*loc, "rules"), route.rules, set(RULE_NAMES), "rule", ", ".join(RULE_NAMES))
        lines_ok((*loc, "product_lines"), route.product_lines)
        url = route.url.get_secret_value()
        if "://" not in url:
            add((*loc, "url"), "not an Apprise URL (scheme://...; log:// is the built-in log)")

    notices = a.notices
    if notices.route is not None and notices.route not in route_names:
        add(("alerts", "notices", "route"), f"no route {notices.route!r} (routes: {_known(route_names)})")


def check_templates_dir(directory: Path, add: Add) -> None:
    """The notices template directory exists, and every template in it is UTF-8 Jinja."""
    loc: Loc = ("alerts", "notices", "templates")
    if not directory.is_dir():
        add(loc, f"no such directory: {directory}")
        return
    from jinja2 import Environment, TemplateSyntaxError

    env = Environment(autoescape=True)  # only parsed here, never rendered
    for template in sorted(directory.iterdir()):
        if template.suffix not in (".txt", ".html") or not template.is_file():
            continue
        try:
            env.parse(template.read_text(encoding="utf-8"), name=template.name, filename=str(template))
        except UnicodeDecodeError:
            add(loc, f"{template}: not UTF-8 text; save it as UTF-8")
        except TemplateSyntaxError as e:
            add(loc, f"{template}:{e.lineno}: template syntax error: {e.message}")
        except OSError as e:
            add(loc, f"{template}: cannot read: {e.strerror or e}")


def check_route_urls(settings: Settings, add: Add) -> None:
    """Every route URL is one Apprise can use (slow: loads Apprise's plugins; `config check` runs it)."""
    import logging

    from oneprice.settings.secrets import mask_secret

    routes = [(i, r) for i, r in enumerate(settings.alerts.routes) if not r.url.get_secret_value().startswith("log://")]
    if not routes:
        return
    import apprise

    level = logging.getLogger("apprise").level
    logging.getLogger("apprise").setLevel(logging.CRITICAL)  # its own messages echo the URL
    try:
        for i, route in routes:
            url = route.url.get_secret_value()
            if "://" in url and not apprise.Apprise().add(url):
                add(
                    ("alerts", "routes", i, "url"),
                    f"not a usable Apprise URL ({mask_secret(url)}): unknown scheme, or a required part is missing",
                )
    finally:
        logging.getLogger("apprise").setLevel(level)
