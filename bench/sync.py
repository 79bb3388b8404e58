"""`python -m bench sync`: plan and apply a generated catalog of 100,000 SKUs to 3 sandbox WooCommerce stores.

Figures: plan time against a bare read of the same listings; write calls after 1% of prices
change against the lower bound Σ ceil(changed / batch limit); write calls when nothing changed
(0); the share of the channel's allowed rate used while apply talks to it; throttled answers.
"""

from __future__ import annotations

import itertools
import math
import multiprocessing
import random
import tempfile
from decimal import Decimal
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from adapters import create_adapter
from adapters.base import ChannelAdapter, RateFeedback
from bench.common import Figure, stopwatch
from oneprice.domain.catalog import Catalog, Product
from oneprice.domain.money import Money
from oneprice.settings.loader import LoadedConfig
from oneprice.settings.models import ChannelSettings, Settings
from oneprice.storage import Database
from sandbox import Sandbox
from sandbox.woocommerce import WooStore
from sync.governor import RateGovernor
from sync.service import apply_all, default_governor, link_all, plan_all

CHANNELS = 3
BATCH = 100
CHANGED_SHARE = 0.01
IDLE_GAP = 1.0
"""Seconds between two calls above which the engine was busy elsewhere (planning, its database)."""


def products_of(n: int, rnd: random.Random) -> list[Product]:
    return [
        Product(
            sku=f"B{i:06d}",
            name=f"Bench product {i}",
            unified_price=Money.of(Decimal(rnd.randrange(5000, 300000)) / 100, "CNY"),
            stock=rnd.randrange(0, 500),
        )
        for i in range(n)
    ]


def payload(p: Product) -> dict[str, Any]:
    return {
        "name": p.name,
        "sku": p.sku,
        "regular_price": str(p.unified_price.amount),
        "manage_stock": True,
        "stock_quantity": p.stock,
        "status": "publish",
    }


def config_for(root: Path, url: str, products: list[Product], rate: float) -> LoadedConfig:
    channels = [
        {
            "name": f"shop{i}",
            "kind": "woocommerce",
            "base_url": f"{url}/woo/shop{i}",
            "credentials": {"consumer_key": f"ck_{i}", "consumer_secret": f"cs_{i}"},
            "options": {"batch_size": BATCH, "per_page": 100},
            "rate": {"requests_per_second": rate, "burst": 1},
        }
        for i in range(CHANNELS)
    ]
    settings = Settings.model_validate(
        {"brand": {"name": "Bench"}, "catalog": {"file": "none.csv"}, "channels": channels}
    )
    return LoadedConfig(path=root / "bench.yaml", settings=settings, catalog=Catalog(products=tuple(products)))


def busy_rate_use(times: list[float], rate: float) -> float:
    """Calls per second over `rate`, counting only the stretches where calls followed each other.

    A gap longer than IDLE_GAP is time the engine spent on its own work between two phases
    (planning, writing the journal), not time it could have used the channel.
    """
    gaps = [b - a for a, b in itertools.pairwise(times) if b - a <= IDLE_GAP]
    if not gaps or sum(gaps) <= 0:
        return 0.0
    return (len(gaps) / sum(gaps)) / rate


def serve_stores(conn: Connection, products: list[Product]) -> None:
    """Child process: the sandbox with CHANNELS seeded stores, driven by commands over `conn`.

    Its own process, so the server's work does not share the interpreter lock with the engine.
    """
    stores = {f"shop{i}": WooStore(f"shop{i}", f"ck_{i}", f"cs_{i}") for i in range(CHANNELS)}
    for store in stores.values():
        store.seed_many(payload(p) for p in products)
    sandbox = Sandbox("Bench", Catalog(products=()), (), stores)
    with sandbox.running(port=0) as url:
        conn.send(url)
        while True:
            command, arg = conn.recv()
            if command == "limit":
                for store in stores.values():
                    store.limit_rate(arg, burst=5)  # the host's limit; the burst absorbs network jitter
                conn.send(None)
            elif command == "throttled":
                conn.send([s.rate_limit.throttled if s.rate_limit else 0 for s in stores.values()])
            else:
                conn.send(None)
                return


def run(quick: bool) -> tuple[dict[str, Figure], dict[str, Any]]:
    n = 3_000 if quick else 100_000
    rate = 20.0
    rnd = random.Random(20261127)
    products = products_of(n, rnd)
    parent, child = multiprocessing.get_context("fork").Pipe()
    server = multiprocessing.get_context("fork").Process(target=serve_stores, args=(child, products), daemon=True)
    server.start()
    url = parent.recv()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        config = config_for(root, url, products, rate)
        db = Database.open(f"sqlite:///{root / 'bench.db'}")
        link_all(config, db)

        # Bound for the plan: reading the same listings with the bare adapters, nothing else.
        with stopwatch() as bare:
            for ch in config.settings.channels:
                with create_adapter(ch) as adapter:
                    adapter.list_listings()
        with stopwatch() as planned:
            plans = plan_all(config, db)
        assert all(p.unchanged == n for p in plans), "seeded stores plan as unchanged"
        apply_all(config, db)  # records the pushed hashes of the linked listings

        changed = rnd.sample(range(n), max(int(n * CHANGED_SHARE), 1))
        new = list(products)
        for i in changed:
            p = new[i]
            new[i] = p.model_copy(update={"unified_price": Money.of(p.unified_price.amount * Decimal("1.05"), "CNY")})
        config2 = config_for(root, url, new, rate)
        parent.send(("limit", rate))
        parent.recv()
        governors: dict[str, RateGovernor] = {}
        build = default_governor(config2)

        def capture(ch: ChannelSettings, adapter: ChannelAdapter) -> RateFeedback:
            governor = build(ch, adapter)
            assert isinstance(governor, RateGovernor)
            governors[ch.name] = governor
            return governor

        report = apply_all(config2, db, governor_factory=capture)
        assert report.ok, [(c.channel, c.error, c.failures[:3]) for c in report.channels]
        lower_bound = CHANNELS * math.ceil(len(changed) / BATCH)
        use = min(busy_rate_use(g.stats.times, rate) for g in governors.values())
        parent.send(("throttled", None))
        throttled = sum(max(count - 1, 0) for count in parent.recv())
        again = apply_all(config2, db)
        db.dispose()
    parent.send(("stop", None))
    parent.recv()
    server.join(timeout=10)

    figures = {
        "plan_seconds": Figure(planned[0], bare[0], "<= 3", "s", f"{CHANNELS} x {n} listings; bound: bare read"),
        "writes_vs_lower_bound": Figure(
            report.write_requests, lower_bound, "== 1", "calls", f"{len(changed)} prices changed per channel"
        ),
        "writes_when_unchanged": Figure(again.write_requests, 0, "== 0", "calls"),
        "rate_use": Figure(use, 1.0, ">= 0.9", "", f"worst channel, {rate:g} calls/s allowed"),
        "throttled_after_first": Figure(throttled, 0, "== 0", "answers"),
    }
    return figures, {"skus": n, "channels": CHANNELS, "batch": BATCH, "rate": rate, "changed": len(changed)}
