"""End to end through the CLI: discover -> crawl finds the demo's hidden sellers; status, extract, match."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from oneprice.settings import load_config
from oneprice.storage import Database, ObservationRepository
from sandbox import Sandbox, load_offers

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "config" / "demo.yaml"

pytestmark = pytest.mark.slow


def oneprice(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(
        [sys.executable, "-m", "oneprice", "-c", str(DEMO), *args],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert proc.returncode == 0, f"oneprice {' '.join(args)}: {proc.returncode}\n{proc.stdout}\n{proc.stderr}"
    return proc


@pytest.fixture
def env(tmp_path: Path) -> Iterator[dict[str, str]]:
    with Sandbox.from_config(load_config(DEMO)).running(port=0) as url:
        e = {k: v for k, v in os.environ.items() if not k.startswith("ONEPRICE_")}
        e.update(ONEPRICE_DATABASE_URL=f"sqlite:///{tmp_path / 'd.db'}", ONEPRICE_SANDBOX_URL=url, COLUMNS="200")
        yield e


def test_discovery_finds_the_hidden_sellers_and_the_crawl_reads_their_listings(env: dict[str, str]) -> None:
    out = oneprice("discover", env=env).stdout
    hidden = load_offers().discoverable
    unknown = {"山屿户外清仓特卖", "驴友装备折扣店"}
    assert {o.seller for o in hidden} >= unknown
    assert "3 new watch targets" in out and all(name in out for name in unknown)

    oneprice("crawl", env=env)
    db = Database.open(env["ONEPRICE_DATABASE_URL"])
    try:
        latest = ObservationRepository(db).latest_per_target()
    finally:
        db.dispose()
    seen = {(o.seller_name, o.product_sku, o.status.value, o.reseller_id) for o in latest}
    assert ("山屿户外清仓特卖", "SY-JK01-BLK-M", "ok", None) in seen
    assert ("驴友装备折扣店", "SY-BT11-42", "ok", None) in seen
    assert ("峰行户外专营店", "SY-TR12-43", "ok", "fengxing") in seen

    status = json.loads(oneprice("crawl", "status", "--format", "json", env=env).stdout)
    assert status["platforms"]["taobao"]["targets"] == 6  # five configured, one discovered
    assert {f["target"] for f in status["failing"]} == {
        "taobao-blocked-jacket",
        "jd-beiji-sleepingbag",
        "taobao-laoshan-jacket-removed",  # its address redirects to a search page
    }
    assert status["review_pending"] == 0


def test_extract_shows_candidates_and_fetches_the_price_service(env: dict[str, str]) -> None:
    url = env["ONEPRICE_SANDBOX_URL"] + "/shop/jd/item/beiji-daypack"
    data = json.loads(oneprice("extract", url, "--format", "json", env=env).stdout)
    [offer] = data["offers"]
    assert (offer["status"], offer["price"], offer["shipping"], offer["profile"]) == ("ok", "529.00", "6.00", "jd")
    assert {c["kind"] for c in data["candidates"]} == {"sale", "list"}
    saved = ROOT / "tests" / "fixtures" / "pages" / "tmall" / "detail_coupon.html"
    table = oneprice("extract", str(saved), "--url", "https://detail.tmall.com/item.htm", env=env).stdout
    assert "coupon" in table and "1199.00" in table and "1299.00 CNY" in table
    # several offers: each row names its variant, which a store may give no SKU of its own
    variants = ROOT / "tests" / "fixtures" / "pages" / "woocommerce" / "variable_no_skus.html"
    table = oneprice("extract", str(variants), "--url", "https://harbourline.invalid/p/deck-oil/", env=env).stdout
    assert "Harbourline Deck Oil 1lt" in table and "Harbourline Deck Oil 5lt" in table


def test_extract_says_where_a_listing_redirects(env: dict[str, str]) -> None:
    url = env["ONEPRICE_SANDBOX_URL"] + "/shop/taobao/item/laoshan-jacket-removed"
    data = json.loads(oneprice("extract", url, "--format", "json", env=env).stdout)
    assert "/shop/taobao/search?" in data["redirected_to"] and data["redirected_elsewhere"] is True
    table = oneprice("extract", url, env=env).stdout
    assert "redirected_elsewhere" in table and "/shop/taobao/search?" in table
    same = json.loads(oneprice("extract", env["ONEPRICE_SANDBOX_URL"] + "/shop/jd/item/beiji-daypack", "--format",
                               "json", env=env).stdout)  # fmt: skip
    assert "redirected_to" not in same


def test_extract_takes_the_currency_of_the_site_unless_told(env: dict[str, str], tmp_path: Path) -> None:
    saved = tmp_path / "page.html"
    saved.write_text('<html><body><h1>Trail jacket</h1><span class="price">$129.00</span></body></html>')

    def currency(*args: str) -> str:
        [offer] = json.loads(oneprice("extract", str(saved), *args, "--format", "json", env=env).stdout)["offers"]
        assert offer["price"] == "129.00"
        return str(offer["currency"])

    assert currency("--url", "https://www.amazon.ca/dp/B0SYJK01RM") == "CAD"
    assert currency("--url", "https://www.amazon.ca/dp/B0SYJK01RM", "--currency", "usd") == "USD"
    assert currency("--url", "https://shop.example/p/1") == "USD"  # a bare $ with CNY assumed is USD


def test_match_reads_a_csv_and_says_why_a_listing_goes_to_review(env: dict[str, str], tmp_path: Path) -> None:
    csv_file = tmp_path / "listings.csv"
    csv_file.write_text(
        "title,sku,gtin,price,url\n"
        "随便什么,,6973128600145,799,https://x.example/1\n"
        "山屿 日行 30L 双肩包,,,599,https://x.example/2\n"
        "=cmd|' /C calc'!A0,,,1,https://x.example/3\n",
        encoding="utf-8",
    )
    rows = json.loads(oneprice("match", "--listings", str(csv_file), "--format", "json", env=env).stdout)
    assert [(r["product_sku"], r["method"], r["verdict"]) for r in rows] == [
        ("SY-BT11-42", "gtin", "ok"),
        ("SY-PK22-BLK", "title", "review"),
        (None, "none", "unmatched"),
    ]
    assert "colour" in rows[1]["reason"]


def test_review_lists_the_queue_and_remembers_decisions(env: dict[str, str]) -> None:
    from datetime import UTC, datetime

    from oneprice.domain.money import Money
    from oneprice.domain.observation import Observation, ObservationStatus
    from oneprice.storage.reviews import ReviewRepository

    db = Database.open(env["ONEPRICE_DATABASE_URL"])
    try:
        queue = ReviewRepository(db)
        for key, sku in (("a", "SY-PK22-BLK"), ("b", None)):
            queue.enqueue(
                Observation(
                    target_id="amz", offer_key=key, url="https://x.example/", platform="amazon",
                    observed_at=datetime.now(UTC), status=ObservationStatus.REVIEW, price=Money.of("599", "CNY"),
                    title="山屿 日行 30L 双肩包 <b>", seller_name="=HYPERLINK()", product_sku=sku,
                    reason="title does not state the colour",
                )
            )  # fmt: skip
    finally:
        db.dispose()
    pending = json.loads(oneprice("review", "--format", "json", env=env).stdout)
    assert {(r["listing"], r["suggested_sku"]) for r in pending} == {("amz#a", "SY-PK22-BLK"), ("amz#b", None)}
    table = oneprice("review", env=env).stdout
    assert "<b>" in table and "review accept" in table  # hostile text shown as text
    oneprice("review", "accept", "amz#a", env=env)
    oneprice("review", "reject", "amz#b", env=env)
    decided = json.loads(oneprice("review", "--state", "all", "--format", "json", env=env).stdout)
    assert {(r["listing"], r["state"], r["decided_sku"]) for r in decided} == {
        ("amz#a", "accepted", "SY-PK22-BLK"),
        ("amz#b", "rejected", None),
    }
    bad = subprocess.run(
        [sys.executable, "-m", "oneprice", "-c", str(DEMO), "review", "accept", "amz#b", "--sku", "NOPE"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert bad.returncode == 2 and "not in the catalog" in bad.stderr and "Traceback" not in bad.stderr
