"""A page with a violation in progress is revisited sooner (crawl.hot_revisit_after)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from crawlers.spiders.watch import WatchSpider
from oneprice.domain import Money, Observation, ObservationStatus, Severity, Violation
from oneprice.settings.loader import load_config
from oneprice.storage import AlertRepository, CatalogRepository, Database, ObservationRepository
from oneprice.storage.targets import TargetRepository

WATCH = [
    ("tb-hot", "https://item.taobao.com/item.htm?id=1", "taobao"),
    ("tb-calm", "https://item.taobao.com/item.htm?id=2", "taobao"),
]


def test_hot_target_is_due_again_while_the_calm_one_waits(tmp_path: Path, make_config: Callable[..., Path]) -> None:
    config = load_config(make_config(tmp_path, watch=WATCH, crawl="revisit_after: 6h\nhot_revisit_after: 30m"))
    db = Database.open(config.database_url())
    s = config.settings
    CatalogRepository(db).sync(config.catalog, s.channels, s.resellers, s.watch)
    hour_ago = datetime.now(UTC) - timedelta(hours=1)
    targets = TargetRepository(db)
    for target_id, _, _ in WATCH:
        targets.record_visit(target_id, "ok", None, hour_ago)
    obs_id = ObservationRepository(db).add(
        Observation(
            target_id="tb-hot",
            url=WATCH[0][1],
            platform="taobao",
            observed_at=hour_ago,
            status=ObservationStatus.OK,
            price=Money.of("2999", "CNY"),
            seller_name="路人甲",
            product_sku=config.catalog.products[0].sku,
        )
    )
    product = config.catalog.products[0]
    AlertRepository(db).apply(
        [
            Violation(
                rule="undercut",
                product_sku=product.sku,
                seller_key="name:路人甲",
                seller_name="路人甲",
                reseller_id=None,
                platform="taobao",
                unified_price=product.unified_price,
                observed_price=Money.of("2999", "CNY"),
                gap_percent=Decimal("10.00"),
                severity=Severity.WARNING,
                message="below",
                url=WATCH[0][1],
                observation_id=obs_id,
                observed_at=hour_ago,
            )
        ],
        [],
        hour_ago,
    )
    db.dispose()
    spider = WatchSpider(config=config)
    spider.load_decisions()
    assert spider.not_due == {"tb-calm"}  # visited an hour ago, due after 6h; the hot one after 30m
