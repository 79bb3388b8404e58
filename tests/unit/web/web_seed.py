"""Dashboard test data, built through the repositories: ten days of readings of the demo brand,
the alerts they raise, a sync history, and sellers whose names and titles are hostile HTML."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from oneprice.domain.alert import AlertStatus, Severity, Violation
from oneprice.domain.money import Money
from oneprice.domain.observation import Observation, ObservationStatus, seller_key
from oneprice.settings.loader import LoadedConfig, load_config
from oneprice.storage import (
    AlertRepository,
    CatalogRepository,
    ChannelStateRepository,
    Database,
    DeadLetterRepository,
    JournalRepository,
    ObservationRepository,
)
from oneprice.storage.reviews import ReviewRepository
from oneprice.storage.users import Role, UserRepository
from oneprice.web.security import hash_password

ROOT = Path(__file__).resolve().parents[3]
HOSTILE_SELLER = "<script>alert(1)</script>"
HOSTILE_TITLE = "<img src=x onerror=alert(1)>"
PASSWORD = "correct horse battery"
# Relative to today, so the overview's 30-day trend always shows the data.
NOW = datetime.now(UTC).replace(hour=9, minute=0, second=0, microsecond=0)

# (platform, reseller id or None, seller name, sku, title, price per day (None: not crawled that day))
LISTINGS: list[tuple[str, str | None, str, str, str, list[str | None]]] = [
    (
        "tmall",
        "fengxing",
        "峰行户外专营店",
        "SY-JK01-BLK-M",
        "山屿 岚峰 GORE-TEX 冲锋衣 曜石黑 M 正品",
        ["1299", "1299", "1249", "1199", "1199", "1149", "1099", "1099", "1049", "1099"],
    ),
    ("tmall", "shanyu-flagship", "山屿户外官方旗舰店", "SY-JK01-BLK-L", "山屿 岚峰 冲锋衣 L 官方", ["1299"] * 10),
    (
        "jd",
        "beiji",
        "北极星运动旗舰店",
        "SY-PK21-45",
        "山屿 远行 45L 登山背包",
        ["1099", "1099", "1099", "1049", "1099", "1099", "1099", "1099", "1099", "1099"],
    ),
    (
        "taobao",
        "yunduan",
        "云端登山用品",
        "SY-DN02-BLU-M",
        "山屿 云栖 轻量羽绒服 湖蓝 M",
        [None, "899", "899", "849", "829", "799", "799", "799", "789", "799"],
    ),
    (
        "taobao",
        None,
        HOSTILE_SELLER,
        "SY-BT11-42",
        HOSTILE_TITLE,
        [None, None, None, "699", "649", "649", "599", "599", "599", "599"],
    ),
    (
        "pinduoduo",
        "tianya",
        "天涯户外折扣店",
        "SY-FL03-GRY-M",
        "山屿 暖岩 抓绒衣 岩灰 M 清仓",
        ["399", "379", "359", "359", "339", "339", "339", "329", "329", "319"],
    ),
    (
        "douyin",
        "xishan",
        "西山户外",
        "SY-TR12-42",
        "山屿 逐风 越野跑鞋 42 直播间",
        ["659", "659", "629", "659", "659", "659", "659", "659", "659", "659"],
    ),
    (
        "jd",
        "haibin",
        "海滨运动专营店",
        "SY-PK22-GRN",
        "山屿 日行 30L 双肩包 苔绿",
        ["599", "599", "579", "579", "569", "569", "599", "599", "599", "599"],
    ),
    (
        "pinduoduo",
        None,
        "好运户外百货",
        "SY-JK01-RED-M",
        "冲锋衣 丹霞红 M 山屿同款",
        [None, None, None, None, None, "999", "989", "979", "979", "969"],
    ),
]
UNAUTHORIZED = {"tianya"}
AUTHORIZED_PLATFORMS = {
    "fengxing": {"tmall", "jd"},
    "beiji": {"jd"},
    "yunduan": {"taobao", "pinduoduo"},
    "xishan": {"douyin"},
    "haibin": {"jd"},
    "shanyu-flagship": {"tmall"},
}


@dataclass
class Seeded:
    config: LoadedConfig
    hostile_alert_id: int = 0
    first_alert_id: int = 0
    alert_ids: list[int] = field(default_factory=list)


def demo_config() -> LoadedConfig:
    from adapters import channel_validators

    return load_config(ROOT / "config" / "demo.yaml", channel_validators=channel_validators())


def evidence_page(title: str, seller: str, price: str) -> bytes:
    """A marketplace page as captured, with the kind of script a hostile page carries."""
    from html import escape

    return (
        "<!doctype html><html><head><meta charset='utf-8'><title>listing</title>"
        "<script>document.title='pwned';parent.document.body.innerHTML='pwned'</script></head>"
        f"<body><h1>{escape(title)}</h1><p class='seller'>{escape(seller)}</p>"
        f"<p class='price'>¥{price}</p><img src=x onerror=\"document.body.innerHTML='pwned'\">"
        "</body></html>"
    ).encode()


def add_user(db: Database, username: str, role: Role, language: str = "en") -> None:
    UserRepository(db).add(username, hash_password(PASSWORD), role, language=language, display_name=username.title())


def seed(db: Database, *, days: int = 10, now: datetime = NOW) -> Seeded:
    config = demo_config()
    s = config.settings
    CatalogRepository(db).sync(config.catalog, s.channels, s.resellers, s.watch)
    products = config.catalog.by_sku()
    observations, alerts = ObservationRepository(db), AlertRepository(db)
    seeded = Seeded(config)
    start = now - timedelta(days=days - 1)
    for day in range(days):
        at = start + timedelta(days=day)
        violations: list[Violation] = []
        cleared: list[tuple[str, str, str, str]] = []
        for platform, rid, name, sku, title, prices in LISTINGS:
            price = prices[day] if day < len(prices) else prices[-1]
            if price is None:
                continue
            amount = Decimal(price)
            obs = Observation(
                target_id=f"{platform}-{sku}-{rid or 'x'}",
                url=f"http://127.0.0.1:8700/shop/{platform}/item/{sku.lower()}",
                platform=platform,
                observed_at=at,
                status=ObservationStatus.OK,
                price=Money.of(amount, "CNY"),
                raw_price=f"¥{price}",
                method="json-ld",
                confidence=Decimal("0.95"),
                seller_name=name,
                reseller_id=rid,
                product_sku=sku,
                title=title,
            )
            oid = observations.add(obs, evidence=evidence_page(title, name, price))
            unified = products[sku].unified_price
            key = seller_key(rid, name)
            gap = ((unified.amount - amount) * 100 / unified.amount).quantize(Decimal("0.01"))
            base = {
                "product_sku": sku,
                "seller_key": key,
                "seller_name": name,
                "reseller_id": rid,
                "platform": platform,
                "unified_price": unified,
                "observed_price": Money.of(amount, "CNY"),
                "url": obs.url,
                "observation_id": oid,
                "observed_at": at,
            }
            if amount < unified.amount * Decimal("0.95"):
                violations.append(
                    Violation(
                        rule="undercut",
                        gap_percent=gap,
                        severity=Severity.CRITICAL if gap >= 15 else Severity.WARNING,
                        message=f"{name} sells {sku} at ¥{price} on {platform}, {gap}% below ¥{unified.amount}",
                        **base,
                    )
                )
            else:
                cleared.append(("undercut", sku, key, platform))
            if rid is None or rid in UNAUTHORIZED or platform not in AUTHORIZED_PLATFORMS.get(rid, {platform}):
                violations.append(
                    Violation(
                        rule="unauthorized_seller",
                        gap_percent=None,
                        severity=Severity.WARNING,
                        message=f"{name} is not authorized to sell on {platform}",
                        **base,
                    )
                )
        changes = alerts.apply(violations, cleared, at)
        for a in changes.opened:
            seeded.alert_ids.append(a.id)
            if a.seller_name == HOSTILE_SELLER and a.rule == "undercut":
                seeded.hostile_alert_id = a.id
    seeded.first_alert_id = min(seeded.alert_ids)
    # A listing matched with too little confidence waits in the review queue.
    reviews = ReviewRepository(db)
    for target, title, seller, sku, confidence in (
        ("jd-maybe-pack", HOSTILE_TITLE + " 45L 背包", HOSTILE_SELLER, "SY-PK21-45", "0.55"),
        ("taobao-gloves", "户外手套 山屿风格 <b>爆款</b>", "杂货铺", None, "0.30"),
    ):
        review = Observation(
            target_id=target, url=f"http://127.0.0.1:8700/shop/x/item/{target}", platform=target.split("-")[0],
            observed_at=now, status=ObservationStatus.REVIEW, price=Money.of("1050", "CNY"), seller_name=seller,
            product_sku=sku, title=title, confidence=Decimal(confidence), reason="title match below threshold",
        )  # fmt: skip
        reviews.enqueue(review, observations.add(review, evidence=evidence_page(title, seller, "1050")))
    # A sync history: two runs, a dead letter, a paused channel.
    journal = JournalRepository(db)
    run = journal.start_run("apply", "official")
    journal.finish_run(run, "ok", {"created": 3, "updated": 5, "unchanged": 40})
    run = journal.start_run("apply", "outlet")
    journal.finish_run(run, "partial", {"updated": 2, "failed": 1, "drift": 1})
    DeadLetterRepository(db).put(
        "outlet", "SY-BT11-43", "update", "400 invalid regular_price", retryable=False, attempts=3, run_id=run
    )
    ChannelStateRepository(db).set_paused("outlet", True, "dead letters waiting")
    drift = Violation(
        rule="own_channel_drift", product_sku="SY-TS05", seller_key="official", seller_name="official",
        reseller_id=None, platform="website", unified_price=Money.of("199", "CNY"),
        observed_price=Money.of("179", "CNY"), gap_percent=Decimal("10.05"), severity=Severity.WARNING,
        message="official shows SY-TS05 at ¥179.00, the catalog says ¥199.00", url="http://127.0.0.1:8700/woo/official",
        observation_id=None, observed_at=now,
    )  # fmt: skip
    alerts.apply([drift], [], now)
    if len(seeded.alert_ids) > 1:
        alerts.transition(seeded.alert_ids[1], AlertStatus.ACKNOWLEDGED, actor="li.wei", now=now, note="已联系经销商")
    return seeded
