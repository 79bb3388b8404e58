"""A discovered watch target keeps the price its search result showed (a lead, with its currency and
when it was seen), on every backend; migration 0011 adds it without touching the rows already there."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import text

from oneprice.domain import Money, Observation, ObservationStatus
from oneprice.domain.catalog import Catalog, Product, WatchTarget
from oneprice.storage import CatalogRepository, Database, ObservationRepository
from oneprice.storage.targets import Found, TargetRepository, discovered_id, search_lead

T0 = datetime(2026, 11, 20, 8, 30, tzinfo=UTC)
URL = "https://item.taobao.com/item.htm?id=7"


def test_the_search_price_is_stored_exactly_with_its_currency_and_when_it_was_seen(any_db: Database) -> None:
    repo = TargetRepository(any_db)
    found = Found("taobao", URL, "山屿 冲锋衣", "清仓店", None, Decimal("1099.5"), "CNY")
    assert repo.add_discovered([found], T0) == (1, 1)
    [listing] = repo.discovered_listings()
    assert (listing.id, listing.search_price, listing.search_currency) == (
        discovered_id("taobao", URL),
        Decimal("1099.5"),
        "CNY",
    )
    assert listing.search_price_seen_at == T0 and listing.discovered_at == T0
    assert (listing.product_sku, listing.unified_price, listing.below_unified) == (None, None, False)


def test_a_later_discovery_updates_the_price_and_the_time_it_was_seen(any_db: Database) -> None:
    repo = TargetRepository(any_db)
    repo.add_discovered([Found("taobao", URL, "t", "s", None, Decimal("1099"), "CNY")], T0)
    later = T0 + timedelta(days=1)
    assert repo.add_discovered([Found("taobao", URL, "t", "s", None, Decimal("999.00"), "CNY")], later) == (0, 0)
    [listing] = repo.discovered_listings()
    assert (listing.search_price, listing.search_currency, listing.search_price_seen_at) == (
        Decimal("999.00"),
        "CNY",
        later,
    )
    assert listing.discovered_at == T0  # found then; seen again since
    # Seen again showing no one price (a range, sold out): the old amount is no longer what it shows.
    latest = later + timedelta(days=1)
    repo.add_discovered([Found("taobao", URL, "t", "s", None, None, None)], latest)
    [listing] = repo.discovered_listings()
    assert (listing.search_price, listing.search_currency, listing.search_price_seen_at) == (None, None, latest)


def test_within_one_run_a_priced_result_is_not_undone_by_an_unpriced_one(any_db: Database) -> None:
    repo = TargetRepository(any_db)
    found = [
        Found("jd", URL, None, None, None, Decimal("88"), "CNY"),
        Found("jd", URL, None, None, None, None, None),  # the same listing under another keyword, as a range
    ]
    assert repo.add_discovered(found, T0) == (1, 0)
    assert [(x.search_price, x.search_currency) for x in repo.discovered_listings()] == [(Decimal("88"), "CNY")]
    repo.add_discovered(list(reversed(found)), T0 + timedelta(hours=1))
    assert [(x.search_price, x.search_currency) for x in repo.discovered_listings()] == [(Decimal("88"), "CNY")]


def test_a_configured_target_found_by_search_is_left_alone(any_db: Database) -> None:
    catalog = Catalog(products=())
    CatalogRepository(any_db).sync(catalog, (), (), (WatchTarget(id="cfg", url=URL, platform="taobao"),))
    repo = TargetRepository(any_db)
    assert repo.add_discovered([Found("taobao", URL, None, None, None, Decimal("1"), "CNY")], T0) == (0, 0)
    assert repo.discovered_listings() == []
    with any_db.engine.connect() as conn:
        row = conn.execute(text("SELECT search_price, search_currency FROM watch_targets WHERE id = 'cfg'")).one()
    assert tuple(row) == (None, None)


def _product(sku: str, price: str, currency: str = "CNY") -> Product:
    return Product.model_validate({"sku": sku, "name": sku, "unified_price": Money.of(price, currency)})


def test_a_price_below_the_unified_price_of_the_matched_product_is_marked(any_db: Database) -> None:
    CatalogRepository(any_db).sync(
        Catalog(products=(_product("JK-1", "1299.00"), _product("JK-USD", "199.00", "USD"))), (), (), ()
    )
    repo = TargetRepository(any_db)
    urls = {name: f"https://item.taobao.com/item.htm?id={name}" for name in ("cheap", "dear", "usd", "unmatched")}
    repo.add_discovered(
        [
            Found("taobao", urls["cheap"], None, None, None, Decimal("999"), "CNY"),
            Found("taobao", urls["dear"], None, None, None, Decimal("1299"), "CNY"),  # at the price: no mark
            Found("taobao", urls["usd"], None, None, None, Decimal("99"), "CNY"),  # another currency: no mark
            Found("taobao", urls["unmatched"], None, None, None, Decimal("9"), "CNY"),
        ],
        T0,
    )
    observations = ObservationRepository(any_db)
    for name, sku in (("cheap", "JK-1"), ("dear", "JK-1"), ("usd", "JK-USD")):
        target = discovered_id("taobao", urls[name])
        observations.add(_reading(target, urls[name], "OTHER-SKU"))  # an older match, since corrected
        observations.add(_reading(target, urls[name], sku, T0 + timedelta(hours=1)))
        observations.add(_reading(target, urls[name], None, T0 + timedelta(hours=2)))  # newest: matched nothing
    shown = {x.url: x for x in repo.discovered_listings()}
    assert {name: shown[u].product_sku for name, u in urls.items()} == {
        "cheap": "JK-1",
        "dear": "JK-1",
        "usd": "JK-USD",
        "unmatched": None,
    }
    assert shown[urls["cheap"]].unified_price == Money.of("1299.00", "CNY")
    assert {name: shown[u].below_unified for name, u in urls.items()} == {
        "cheap": True,
        "dear": False,
        "usd": False,
        "unmatched": False,
    }


def _reading(target: str, url: str, sku: str | None, at: datetime = T0) -> Observation:
    return Observation(
        target_id=target, url=url, platform="taobao", observed_at=at, status=ObservationStatus.OK,
        price=Money.of("1000", "CNY"), product_sku=sku,
    )  # fmt: skip


def test_listings_are_listed_most_recently_seen_first_and_can_be_limited(any_db: Database) -> None:
    repo = TargetRepository(any_db)
    for i in range(3):
        repo.add_discovered([Found("jd", f"https://item.jd.com/{i}.html", None, None, None)], T0 + timedelta(hours=i))
    repo.add_discovered([Found("jd", "https://item.jd.com/0.html", None, None, None)], T0 + timedelta(hours=5))
    assert [x.url for x in repo.discovered_listings(limit=2)] == [
        "https://item.jd.com/0.html",
        "https://item.jd.com/2.html",
    ]
    assert repo.count_discovered() == 3


@pytest.mark.parametrize(
    ("price", "currency", "kept"),
    [
        (Decimal("129.90"), "CNY", (Decimal("129.9000"), "CNY")),
        (Decimal("129.90"), "usd", (Decimal("129.9000"), "USD")),
        (Decimal("129.90"), None, (Decimal("129.9000"), None)),  # currency unknown: kept unknown, not guessed
        (Decimal("129.90"), "<b>", (Decimal("129.9000"), None)),  # no ISO 4217 code
        (Decimal("129.90"), "XXXX", (Decimal("129.9000"), None)),
        (Decimal("0.123456"), "CNY", (Decimal("0.1235"), "CNY")),  # to the column's four places
        (None, "CNY", (None, None)),
        (129.9, "CNY", (None, None)),  # a float is no money
        ("129.90<script>", "CNY", (None, None)),  # text is not a price
        (True, "CNY", (None, None)),
        (Decimal("NaN"), "CNY", (None, None)),
        (Decimal("Infinity"), "CNY", (None, None)),
        (Decimal("-3"), "CNY", (None, None)),
        (Decimal("1e14"), "CNY", (None, None)),  # does not fit NUMERIC(18,4)
        (Decimal("123456789012345"), "CNY", (None, None)),
        (Decimal("99999999999999.99"), "CNY", (Decimal("99999999999999.9900"), "CNY")),  # the largest that fits
    ],
)
def test_only_a_real_amount_is_kept_as_a_search_price(
    price: object, currency: object, kept: tuple[Decimal | None, str | None]
) -> None:
    assert search_lead(price, currency) == kept


def test_a_huge_or_foreign_price_does_not_fail_the_run(any_db: Database) -> None:
    repo = TargetRepository(any_db)
    found = [
        Found("jd", "https://item.jd.com/1.html", None, None, None, Decimal("1e30"), "CNY"),
        Found("jd", "https://item.jd.com/2.html", None, None, None, Decimal("5"), "CNY"),
    ]
    assert repo.add_discovered(found, T0) == (2, 0)
    assert {x.url: x.search_price for x in repo.discovered_listings()} == {
        "https://item.jd.com/1.html": None,
        "https://item.jd.com/2.html": Decimal("5"),
    }


# -- migration 0011 ------------------------------------------------------------------------------


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def bare_db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """An empty database, not migrated yet."""
    if request.param == "sqlite":
        db = Database(f"sqlite:///{tmp_path / 'old.db'}")
    else:
        url = os.environ.get("ONEPRICE_TEST_POSTGRES_URL")
        if not url:
            pytest.skip("ONEPRICE_TEST_POSTGRES_URL is not set: PostgreSQL storage tests skipped")
        db = Database(url)
        with db.engine.begin() as conn:  # as the any_db fixture leaves it: an empty schema
            conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
    yield db
    db.dispose()


def _downgrade(db: Database, revision: str) -> None:
    from alembic import command

    cfg = db._alembic_config()
    with db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, revision)


def _columns(db: Database) -> set[str]:
    from sqlalchemy import inspect

    return {c["name"] for c in inspect(db.engine).get_columns("watch_targets")}


def test_upgrading_to_0011_keeps_every_watch_target_and_downgrading_keeps_them_too(bare_db: Database) -> None:
    bare_db.upgrade()
    _downgrade(bare_db, "0010")  # every other branch stays at its head: a database from before 0011
    assert "search_price" not in _columns(bare_db)
    with bare_db.engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO watch_targets (id, url, platform, kind, active, source, title, seller_name, "
                "discovered_at, failures, last_status) VALUES "
                "('taobao-d-1', :url, 'taobao', 'listing', :yes, 'discovery', :title, :seller, :at, 2, 'blocked'),"
                "('cfg', 'https://shop.example/p/1', 'website', 'listing', :yes, 'config', NULL, NULL, NULL, 0, NULL)"
            ),
            {
                "url": URL,
                "yes": True,
                "title": "山屿 冲锋衣",
                "seller": "清仓店",
                "at": T0.replace(tzinfo=None) if bare_db.engine.dialect.name == "sqlite" else T0,
            },
        )

    bare_db.upgrade()
    assert {"search_price", "search_currency", "search_price_seen_at"} <= _columns(bare_db)
    repo = TargetRepository(bare_db)
    [listing] = repo.discovered_listings()
    assert (listing.id, listing.url, listing.title, listing.seller_name, listing.discovered_at) == (
        "taobao-d-1",
        URL,
        "山屿 冲锋衣",
        "清仓店",
        T0,
    )
    assert (listing.search_price, listing.search_currency, listing.search_price_seen_at) == (None, None, None)
    health = {(h.id, h.failures, h.last_status) for h in repo.health()}
    assert health == {("taobao-d-1", 2, "blocked"), ("cfg", 0, None)}
    later = T0 + timedelta(days=1)
    assert repo.add_discovered([Found("taobao", URL, None, None, None, Decimal("899"), "CNY")], later) == (0, 0)
    assert [(x.search_price, x.search_price_seen_at) for x in repo.discovered_listings()] == [(Decimal("899"), later)]

    _downgrade(bare_db, "0010")
    assert "search_price" not in _columns(bare_db)
    with bare_db.engine.connect() as conn:
        rows = conn.execute(text("SELECT id, title, failures FROM watch_targets ORDER BY id")).all()
    assert [tuple(r) for r in rows] == [("cfg", None, 0), ("taobao-d-1", "山屿 冲锋衣", 2)]
