"""`python -m bench detect`: alert detection over 1,000,000 observations vs one SQL query.

10,000 products and 2,000 sellers; the observations are 200,000 listing pages crawled five
times each. `detect` is what `oneprice evaluate` does before it writes episodes: read the
newest observation of every watch target and run every rule (undercut with its tolerances,
unauthorized seller, drift over the price history, coverage gaps). The bound is one SQL query
that does the undercut comparison over the same newest observations on the same database.
Both must find the same undercuts. SQLite always; PostgreSQL in its own schema when reachable.

After the bulk load, and before either side is timed, the database gathers its statistics
(`ANALYZE` on SQLite, `VACUUM ANALYZE` on PostgreSQL), as a database that has run for a while
has them: a table loaded a moment ago has no planner statistics, and on PostgreSQL no visibility
map, so no index-only scan. Both sides run on the same settled table.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, insert, text

from bench.common import Figure, stopwatch
from oneprice.domain.catalog import Catalog, Product, Reseller, WatchTarget
from oneprice.domain.money import Money
from oneprice.settings.loader import LoadedConfig
from oneprice.settings.models import Settings
from oneprice.storage import Database
from oneprice.storage.tables import ObservationRow, ProductRow

POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
SCHEMA = "bench_detect"
PLATFORMS = ("tmall", "jd", "taobao", "pinduoduo", "douyin")
LINES = {"apparel": "5", "gear": "10", "footwear": "5", "packs": "8"}
T0 = datetime(2026, 11, 1, tzinfo=UTC)

# The baseline: newest observation per target, joined to its product, compared with the floor
# unified × (1 − tolerance%) of its product line; a range by its top, a "from" price (a range with
# no top) not at all, as the undercut rule judges them. Amounts are compared as stored on each backend.
BASELINE = """
SELECT count(*) FROM observations o
JOIN (SELECT target_id, max(id) AS id FROM observations GROUP BY target_id) n ON n.id = o.id
JOIN products p ON p.sku = o.product_sku
JOIN bench_tolerance t ON t.product_line = p.product_line
WHERE o.status = 'ok' AND o.currency = p.currency
  AND CASE WHEN o.price_kind = 'range' THEN o.price_high ELSE o.price END * 100 < p.unified_price * (100 - t.percent)
"""


def seller_of(target: int, products: int, sellers: int) -> int:
    """One target per (product, seller): the engine keeps one episode per such key."""
    return (target // products + (target % products) * 13) % sellers


def build_config(root: Path, products: int, sellers: int, targets: int, rnd: random.Random) -> LoadedConfig:
    lines = list(LINES)
    catalog = Catalog(
        products=tuple(
            Product(
                sku=f"P{i:05d}",
                name=f"Product {i}",
                unified_price=Money.of(rnd.randrange(50, 3000), "CNY"),
                product_line=lines[i % len(lines)],
            )
            for i in range(products)
        )
    )
    resellers = []
    for i in range(sellers):
        kind = i % 10
        resellers.append(
            Reseller(
                id=f"s{i:04d}",
                name=f"Seller {i}",
                authorized=kind != 0,  # one seller in ten is a known grey-market seller
                platforms=() if kind == 1 else tuple(rnd.sample(PLATFORMS, 2)),
            )
        )
    watch = []
    for i in range(targets):
        seller = resellers[seller_of(i, products, sellers)]
        # Sellers mostly list on the platforms they are authorized for; 2% stray elsewhere.
        home = seller.platforms or PLATFORMS
        platform = rnd.choice(PLATFORMS) if rnd.random() < 0.02 else rnd.choice(home)
        watch.append(WatchTarget(id=f"w{i:06d}", url=f"http://127.0.0.1:1/item/{i}", platform=platform))
    settings = Settings.model_validate(
        {
            "brand": {"name": "Bench", "currency": "CNY"},
            "catalog": {"file": "catalog.csv"},
            "policy": {
                "tolerance": {"percent": "5"},
                "product_lines": {k: {"percent": v} for k, v in LINES.items()},
            },
            "resellers": [r.model_dump() for r in resellers],
            "watch": [w.model_dump() for w in watch],
        }
    )
    return LoadedConfig(path=root / "bench.yaml", settings=settings, catalog=catalog)


def fill(db: Database, config: LoadedConfig, per_target: int, rnd: random.Random) -> int:
    """Store `per_target` observations of every target: mostly in line, some cuts, some blocked."""
    s = config.settings
    products = config.catalog.products
    now = datetime.now(UTC)
    rows: list[dict[str, Any]] = []
    total = 0
    with db.engine.begin() as conn:
        # The products as CatalogRepository mirrors them (the baseline joins this table).
        conn.execute(
            insert(ProductRow),
            [
                {
                    "sku": p.sku,
                    "name": p.name,
                    "product_line": p.product_line,
                    "unified_price": p.unified_price.amount,
                    "currency": p.unified_price.currency,
                    "stock": 0,
                    "status": "active",
                    "channels": [],
                    "updated_at": now,
                }
                for p in products
            ],
        )
        conn.execute(text("CREATE TABLE bench_tolerance (product_line VARCHAR(64) PRIMARY KEY, percent INTEGER)"))
        conn.execute(
            text("INSERT INTO bench_tolerance VALUES (:l, :p)"),
            [{"l": k, "p": int(v)} for k, v in LINES.items()],
        )
        for round_ in range(per_target):
            for i, target in enumerate(s.watch):
                product = products[i % len(products)]
                seller = s.resellers[seller_of(i, len(products), len(s.resellers))]
                # A market mostly in line: 4% undercut, 4% just below the unified price, 2% blocked.
                draw = rnd.random()
                factor = 100 if draw < 0.90 else 98 if draw < 0.94 else rnd.choice((92, 85, 70))
                blocked = rnd.random() < 0.02
                price = (product.unified_price.amount * factor / 100).quantize(Decimal("0.01"))
                rows.append(
                    {
                        "target_id": target.id,
                        "url": target.url,
                        "platform": target.platform,
                        "observed_at": T0 + timedelta(hours=round_ * 6),
                        "status": "blocked" if blocked else "ok",
                        "price": None if blocked else price,
                        "currency": None if blocked else "CNY",
                        "confidence": Decimal(1),
                        "seller_name": seller.name,
                        "seller_key": seller.id,
                        "reseller_id": seller.id,
                        "product_sku": None if blocked else product.sku,
                    }
                )
                if len(rows) >= 20_000:
                    conn.execute(insert(ObservationRow), rows)
                    total += len(rows)
                    rows.clear()
        if rows:
            conn.execute(insert(ObservationRow), rows)
            total += len(rows)
    settle(db)
    return total


def settle(db: Database) -> None:
    """Statistics (and on PostgreSQL the visibility map) as a database in use has them."""
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        if db.engine.dialect.name == "sqlite":
            conn.execute(text("ANALYZE"))
        else:  # only the tables of the bench's schema (a bare VACUUM walks the whole database)
            conn.execute(text("VACUUM ANALYZE observations, products, bench_tolerance"))


def measure(db: Database, config: LoadedConfig, repeat: int) -> tuple[float, float, int, int]:
    """(detect seconds, SQL seconds, undercuts found by each): best of `repeat` runs."""
    from alerts.engine import detect

    detect_times, sql_times = [], []
    found = expected = 0
    for _ in range(repeat):
        with stopwatch() as t:
            violations = detect(config, db, now=T0 + timedelta(days=30)).violations
        detect_times.append(t[0])
        found = sum(1 for v in violations if v.rule == "undercut")
        with stopwatch() as t, db.engine.connect() as conn:
            expected = int(conn.execute(text(BASELINE)).scalar_one())
        sql_times.append(t[0])
    return min(detect_times), min(sql_times), found, expected


def postgres_db() -> Database | None:
    try:
        admin = create_engine(POSTGRES)
        with admin.begin() as conn:
            conn.execute(text(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE"))
            conn.execute(text(f"CREATE SCHEMA {SCHEMA}"))
        admin.dispose()
    except Exception as e:  # any failure means: no PostgreSQL here
        print(f"PostgreSQL not reachable ({e.__class__.__name__}); skipping detect_vs_sql_postgres")
        return None
    return Database.open(f"{POSTGRES}?options=-csearch_path%3D{SCHEMA}")


def run(quick: bool) -> tuple[dict[str, Figure], dict[str, Any]]:
    products, sellers = 10_000, 2_000
    targets, per_target = (20_000, 5) if quick else (200_000, 5)
    repeat = 3
    root = Path("var/bench/detect")
    root.mkdir(parents=True, exist_ok=True)
    config = build_config(root, products, sellers, targets, random.Random(7))
    figures: dict[str, Figure] = {}
    backends: list[tuple[str, Database | None]] = []
    sqlite_file = root / "detect.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{sqlite_file}{suffix}").unlink(missing_ok=True)
    backends.append(("sqlite", Database.open(f"sqlite:///{sqlite_file}")))
    backends.append(("postgres", postgres_db()))
    args: dict[str, Any] = {"products": products, "sellers": sellers, "targets": targets, "per_target": per_target}
    for name, db in backends:
        if db is None:
            continue
        try:
            observations = fill(db, config, per_target, random.Random(11))
            detect_s, sql_s, found, expected = measure(db, config, repeat)
            if found != expected:
                raise AssertionError(f"{name}: detect found {found} undercuts, the SQL query {expected}")
            figures[f"detect_vs_sql_{name}"] = Figure(
                detect_s, sql_s, "<= 2", "s", f"{observations} observations, {found} undercuts, best of {repeat}"
            )
            args[f"{name}_observations"] = observations
        finally:
            if name == "postgres":
                with db.engine.begin() as conn:
                    conn.execute(text(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE"))
            db.dispose()
    return figures, args
