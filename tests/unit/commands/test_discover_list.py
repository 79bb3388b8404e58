"""`oneprice discover --list`: the listings found, with the price their search result showed, marked when
below the unified price of the product the crawl matched; scraped text is printed, never interpreted."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from oneprice.cli import app
from oneprice.domain import Money, Observation, ObservationStatus
from oneprice.settings import load_config
from oneprice.storage import Database, ObservationRepository
from oneprice.storage.targets import Found, TargetRepository, discovered_id

T0 = datetime(2026, 11, 20, 8, 30, tzinfo=UTC)
CHEAP = "https://item.taobao.com/item.htm?id=1"


@pytest.fixture
def config(tmp_path: Path) -> Path:
    (tmp_path / "catalog.csv").write_text("sku,name,unified_price\nJK-1,Jacket,1299.00\n", encoding="utf-8")
    (tmp_path / "c.yaml").write_text(
        f"brand: {{name: B, currency: CNY}}\ndatabase: {{url: 'sqlite:///{tmp_path / 'db.sqlite'}'}}\n"
        "catalog: {file: catalog.csv}\n",
        encoding="utf-8",
    )
    return tmp_path / "c.yaml"


def discovered(config: Path, found: list[Found], matched: dict[str, str] | None = None) -> None:
    db = Database.open(load_config(config).database_url())
    try:
        TargetRepository(db).add_discovered(found, T0)
        for url, sku in (matched or {}).items():
            ObservationRepository(db).add(
                Observation(
                    target_id=discovered_id("taobao", url), url=url, platform="taobao", observed_at=T0,
                    status=ObservationStatus.OK, price=Money.of("1000", "CNY"), product_sku=sku,
                )
            )  # fmt: skip
    finally:
        db.dispose()


def listed(config: Path, *args: str) -> str:
    result = CliRunner().invoke(app, ["-c", str(config), "discover", "--list", *args])
    assert result.exit_code == 0, result.output
    return result.output


def test_the_search_price_is_listed_and_marked_below_the_unified_price(config: Path) -> None:
    discovered(
        config,
        [
            Found("taobao", CHEAP, "JK", "s1", None, Decimal("999"), "CNY"),
            Found("taobao", "https://item.taobao.com/item.htm?id=2", "JK", "s2", None, Decimal("1188"), "CNY"),
            Found("website", "https://shop.example/p/3", "JK", "s3", None, Decimal("45.5"), None),
            Found("jd", "https://item.jd.com/4.html", "JK", "s4", None, None, None),
        ],
        matched={CHEAP: "JK-1"},
    )
    out = listed(config)
    assert "Listings found by discovery" in out
    assert "999.00 CNY ▼ below 1299.00 CNY" in out  # matched to JK-1 by the crawl
    assert "1188.00 CNY" in out and "1188.00 CNY ▼" not in out  # product not known yet: just the amount
    assert "45.5 (currency" in out  # the amount, its currency not guessed
    assert out.count("not matched yet") == 3 and "JK-1" in out
    assert "2026-11-20 08:30" in out


def test_scraped_seller_and_title_are_printed_as_text(config: Path) -> None:
    """Rich markup in a seller's name or a title is shown as written, not obeyed."""
    discovered(config, [Found("taobao", CHEAP, "[b]X[/b]", "[blink]清仓店[/blink]", None, Decimal("1"), "CNY")])
    out = listed(config)
    assert "[b]X[/b]" in out and out.count("[blink]清仓店[/blink]") == 2  # the sellers' table and the listings'
    assert "1.00 CNY" in out and CHEAP in out


def test_listings_can_be_limited_or_left_out(config: Path) -> None:
    discovered(config, [Found("jd", f"https://item.jd.com/{i}.html", None, None, None) for i in range(3)])
    assert "1 more listing(s) found; show them with --listings 3" in listed(config, "--listings", "2")
    assert "Listings found by discovery" not in listed(config, "--listings", "0")
