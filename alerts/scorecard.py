"""Reseller scorecard: violations, days in violation, average gap, notices sent and the response to them."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from oneprice.domain.alert import Alert, AlertStatus
from oneprice.domain.notice import Notice, NoticeStatus

SCORECARD_FIELDS = [
    "seller",
    "seller_key",
    "violations",
    "undercuts",
    "unauthorized",
    "open_now",
    "days_in_violation",
    "average_gap_percent",
    "worst_gap_percent",
    "notices_sent",
    "resolved_after_notice",
    "response_percent",
]


@dataclass(frozen=True)
class SellerScore:
    seller: str
    seller_key: str
    violations: int
    undercuts: int
    unauthorized: int
    open_now: int
    days_in_violation: Decimal
    average_gap_percent: Decimal | None
    worst_gap_percent: Decimal | None
    notices_sent: int
    resolved_after_notice: int
    response_percent: Decimal | None

    def record(self) -> dict[str, object]:
        values = {f: getattr(self, f) for f in SCORECARD_FIELDS}
        return {f: str(v) if isinstance(v, Decimal) else v for f, v in values.items()}


def _covered_days(spans: Sequence[tuple[datetime, datetime]]) -> Decimal:
    """Days covered by the union of the spans (overlapping episodes count once)."""
    total = timedelta(0)
    end: datetime | None = None
    start: datetime | None = None
    for a, b in sorted(spans):
        if end is None or a > end:
            if end is not None and start is not None:
                total += end - start
            start, end = a, b
        else:
            end = max(end, b)
    if end is not None and start is not None:
        total += end - start
    return (Decimal(total.total_seconds()) / 86400).quantize(Decimal("0.01"))


def scorecard(alerts: Sequence[Alert], notices: Sequence[Notice], now: datetime) -> list[SellerScore]:
    """One row per seller with price alerts (dismissed false positives do not count), worst first."""
    by_seller: dict[str, list[Alert]] = defaultdict(list)
    for a in alerts:
        if (
            a.status is not AlertStatus.DISMISSED
            and a.status is not AlertStatus.PENDING
            and a.rule
            in (
                "undercut",
                "unauthorized_seller",
                "drift",
            )
        ):
            by_seller[a.seller_key].append(a)
    sent: dict[str, list[Notice]] = defaultdict(list)
    for n in notices:
        if n.status is NoticeStatus.SENT:
            sent[n.seller_key].append(n)
    rows = []
    for key, episodes in by_seller.items():
        gaps = [a.gap_percent for a in episodes if a.rule == "undercut" and a.gap_percent is not None]
        noticed = {i: n.sent_at for n in sent[key] for i in n.alert_ids if n.sent_at}
        by_id = {a.id: a for a in episodes}
        answered = 0
        for i, at in noticed.items():
            done = by_id[i].resolved_at if i in by_id and by_id[i].status is AlertStatus.RESOLVED else None
            if done is not None and done >= at:
                answered += 1
        covered = [i for i in noticed if i in by_id]
        rows.append(
            SellerScore(
                seller=next((a.seller_name for a in episodes if a.seller_name), key),
                seller_key=key,
                violations=len(episodes),
                undercuts=sum(1 for a in episodes if a.rule == "undercut"),
                unauthorized=sum(1 for a in episodes if a.rule == "unauthorized_seller"),
                open_now=sum(1 for a in episodes if a.status.active),
                days_in_violation=_covered_days([(a.first_seen, a.resolved_at or now) for a in episodes]),
                average_gap_percent=(sum(gaps, Decimal(0)) / len(gaps)).quantize(Decimal("0.01")) if gaps else None,
                worst_gap_percent=max(gaps) if gaps else None,
                notices_sent=len(sent[key]),
                resolved_after_notice=answered,
                response_percent=(Decimal(answered * 100) / len(covered)).quantize(Decimal("0.1")) if covered else None,
            )
        )
    return sorted(rows, key=lambda r: (-r.days_in_violation, -r.violations, r.seller_key))
