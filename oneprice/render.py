"""Terminal and export rendering of alerts. Scraped text goes in as rich.Text, never as markup."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import IO, Any

from rich.table import Table
from rich.text import Text

from oneprice.domain.alert import Alert, AlertEvent
from oneprice.domain.catalog import Product
from oneprice.domain.outbox import OutboxItem

ALERT_FIELDS = [
    "id",
    "rule",
    "status",
    "severity",
    "product_sku",
    "seller",
    "seller_key",
    "reseller_id",
    "platform",
    "observed_price",
    "unified_price",
    "currency",
    "gap_percent",
    "message",
    "url",
    "evidence_observation_id",
    "first_seen",
    "last_seen",
    "resolved_at",
]


def alert_record(a: Alert) -> dict[str, Any]:
    """A flat, JSON-ready view of an alert (money as strings, times ISO 8601 UTC)."""
    record = {
        "id": a.id,
        "rule": a.rule,
        "status": a.status.value,
        "severity": a.severity.value,
        "product_sku": a.product_sku,
        "seller": a.seller_name,
        "seller_key": a.seller_key,
        "reseller_id": a.reseller_id,
        "platform": a.platform,
        "observed_price": str(a.observed_price.amount) if a.observed_price else None,
        "unified_price": str(a.unified_price.amount),
        "currency": a.unified_price.currency,
        "gap_percent": str(a.gap_percent) if a.gap_percent is not None else None,
        "message": a.message,
        "url": a.url,
        "evidence_observation_id": a.observation_id,
        "first_seen": a.first_seen.isoformat(),
        "last_seen": a.last_seen.isoformat(),
        "resolved_at": a.resolved_at.isoformat() if a.resolved_at else None,
    }
    return record


# The fields of `alert_record` that hold an exact decimal number written as text.
ALERT_AMOUNTS = frozenset({"observed_price", "unified_price", "gap_percent"})


def alert_values(a: Alert) -> list[Any]:
    """`alert_record` in ALERT_FIELDS order with its amounts as Decimal, for a spreadsheet's number cells."""
    record = alert_record(a)
    return [Decimal(record[f]) if f in ALERT_AMOUNTS and record[f] is not None else record[f] for f in ALERT_FIELDS]


# What starts a formula in a spreadsheet program, after any spaces: the signs and their full-width
# forms (which some programs fold to ASCII).
_FORMULA_START = ("=", "+", "-", "@", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def csv_safe(value: Any) -> Any:
    """Keep spreadsheet programs from running scraped text as a formula: a leading `'` on text that
    could start one (a sign, after spaces too, or a leading tab or line break)."""
    if isinstance(value, str) and (value[:1] in ("\t", "\r", "\n") or value.lstrip()[:1] in _FORMULA_START):
        return "'" + value
    return value


def write_xlsx(target: str | IO[bytes], sheets: Mapping[str, tuple[Sequence[str], Iterable[Sequence[Any]]]]) -> None:
    """An XLSX workbook of one sheet per entry (title -> header, rows), written as it streams.

    A Decimal is a number cell shown with its own decimal places, so a spreadsheet can sum and sort
    prices (a spreadsheet number holds 15 significant digits, more than any price or percentage has);
    text that could start a formula is defused.
    """
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    wb = Workbook(write_only=True)
    for title, (header, rows) in sheets.items():
        ws = wb.create_sheet(title[:31])
        ws.append(list(header))
        for row in rows:
            cells: list[Any] = []
            for value in row:
                if isinstance(value, Decimal) and value.is_finite():
                    cell = WriteOnlyCell(ws, value=value)
                    places = max(0, -int(value.as_tuple().exponent))
                    cell.number_format = "#,##0" + ("." + "0" * places if places else "")
                    cells.append(cell)
                elif isinstance(value, str):
                    cells.append(csv_safe(value))
                else:
                    cells.append(value)
            ws.append(cells)
    wb.save(target)


_SEVERITY_STYLE = {"critical": "bold red", "warning": "yellow", "info": "cyan"}


def alerts_table(alerts: Sequence[Alert], products: Mapping[str, Product], title: str = "Alerts") -> Table:
    table = Table(title=title)
    for col in (
        "#",
        "rule",
        "severity",
        "product",
        "seller",
        "platform",
        "price",
        "unified",
        "gap %",
        "last seen",
    ):
        table.add_column(col, overflow="fold")
    for a in alerts:
        product = products.get(a.product_sku)
        table.add_row(
            str(a.id),
            a.rule,
            Text(a.severity.value, style=_SEVERITY_STYLE.get(a.severity.value, "")),
            Text(f"{a.product_sku} {product.name if product else ''}".strip()),
            Text(a.seller_name or a.seller_key),
            a.platform,
            str(a.observed_price.amount) if a.observed_price else "-",
            str(a.unified_price.amount),
            str(a.gap_percent) if a.gap_percent is not None else "-",
            a.last_seen.strftime("%Y-%m-%d %H:%M"),
        )
    return table


def summary_tables(alerts: Sequence[Alert], products: Mapping[str, Product], worst: int = 5) -> list[Table]:
    """Alerts by seller, and the worst undercuts: what a brand manager looks at first."""
    by_seller: dict[str, Counter[str]] = defaultdict(Counter)
    names: dict[str, str] = {}
    for a in alerts:
        by_seller[a.seller_key][a.rule] += 1
        names[a.seller_key] = a.seller_name or a.seller_key
    sellers = Table(title="Open alerts by seller")
    for col in ("seller", "known reseller", "undercut", "unauthorized_seller", "total"):
        sellers.add_column(col)
    for key, counts in sorted(by_seller.items(), key=lambda kv: (-sum(kv[1].values()), kv[0])):
        sellers.add_row(
            Text(names[key]),
            "no" if key.startswith("name:") else key,
            str(counts["undercut"]),
            str(counts["unauthorized_seller"]),
            str(sum(counts.values())),
        )
    undercuts = sorted(
        (a for a in alerts if a.rule == "undercut" and a.gap_percent is not None),
        key=lambda a: a.gap_percent or 0,
        reverse=True,
    )[:worst]
    return [sellers, alerts_table(undercuts, products, title=f"Worst {worst} undercuts")]


def alert_detail(a: Alert) -> Table:
    """One alert as a two-column table; scraped values as plain Text."""
    table = Table(title=f"Alert #{a.id}", show_header=False)
    table.add_column("field", style="bold")
    table.add_column("value", overflow="fold")
    for name, value in alert_record(a).items():
        table.add_row(name, Text("" if value is None else str(value)))
    table.add_row("observations", str(a.observations))
    table.add_row("repeat offences before", str(a.repeat))
    if a.note:
        table.add_row("note", Text(a.note))
    return table


def history_table(events: Sequence[AlertEvent]) -> Table:
    table = Table(title="History")
    for col in ("when (UTC)", "who", "from", "to", "note"):
        table.add_column(col, overflow="fold")
    for e in events:
        table.add_row(
            e.at.strftime("%Y-%m-%d %H:%M:%S"),
            Text(e.actor),
            e.from_status.value if e.from_status else "-",
            e.to_status.value,
            Text(e.note or ""),
        )
    return table


def _next_attempt(i: OutboxItem) -> str:
    if i.status.value != "pending":
        return "-"
    if i.mode == "digest":
        return "with the next digest"
    return i.next_attempt_at.strftime("%Y-%m-%d %H:%M:%S")


def outbox_table(items: Sequence[OutboxItem], counts: Mapping[str, int]) -> Table:
    summary = ", ".join(f"{n} {status}" for status, n in sorted(counts.items())) or "empty"
    table = Table(title=f"Outbox: {summary}")
    for col in ("#", "route", "kind", "mode", "status", "attempts", "next attempt", "subject", "last error"):
        table.add_column(col, overflow="fold")
    for i in items:
        table.add_row(
            str(i.id),
            i.route,
            i.kind,
            i.mode,
            i.status.value,
            str(i.attempts),
            _next_attempt(i),
            Text(i.subject),
            Text(i.last_error or ""),
        )
    return table
