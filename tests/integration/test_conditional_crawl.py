"""Conditional requests end to end: the demo crawled twice against the sandbox, on 127.0.0.1.

The second crawl sends If-None-Match / If-Modified-Since, the sandbox answers 304 Not Modified,
and every unchanged page is read again from its evidence: same prices, new observation times,
far fewer bytes. A page that changed is read fresh; a page whose evidence was pruned is asked
again without validators.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from crawlers.runner import CrawlSummary, crawl_in_subprocess
from oneprice.domain.observation import Observation
from oneprice.settings import load_config
from oneprice.storage import Database, ObservationRepository
from oneprice.storage.retention import purge_observations
from oneprice.storage.targets import TargetRepository
from sandbox import Sandbox
from sandbox.server import Request, Response

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "config" / "demo.yaml"

pytestmark = pytest.mark.slow


@dataclass(frozen=True)
class Served:
    path: str
    status: int
    size: int
    conditional: bool


@dataclass
class Site:
    sandbox: Sandbox
    env: dict[str, str]
    served: list[Served]

    def crawl(self) -> tuple[CrawlSummary, list[Served]]:
        start = len(self.served)
        summary = crawl_in_subprocess(str(DEMO), self.env, timeout=240)
        return summary, self.served[start:]

    def latest(self) -> dict[str, list[Observation]]:
        db = Database.open(self.env["ONEPRICE_DATABASE_URL"])
        try:
            out: dict[str, list[Observation]] = {}
            for o in ObservationRepository(db).latest_per_target():
                out.setdefault(o.target_id, []).append(o)
            return out
        finally:
            db.dispose()


@pytest.fixture
def site(tmp_path: Path) -> Iterator[Site]:
    box = Sandbox.from_config(load_config(DEMO))
    served: list[Served] = []
    dispatch = box.router.dispatch

    def counting(request: Request) -> Response:
        response = dispatch(request)
        conditional = request.header("If-None-Match") is not None or request.header("If-Modified-Since") is not None
        served.append(Served(request.path, response.status, len(response.body), conditional))
        return response

    box.router.dispatch = counting  # type: ignore[method-assign]
    with box.running(port=0) as url:
        env = {k: v for k, v in os.environ.items() if not k.startswith("ONEPRICE_")}
        env.update(ONEPRICE_DATABASE_URL=f"sqlite:///{tmp_path / 'c.db'}", ONEPRICE_SANDBOX_URL=url)
        yield Site(box, env, served)


def pages(served: list[Served]) -> list[Served]:
    """Listing page answers (not robots.txt, not the price service, not a removed listing's redirect)."""
    return [s for s in served if "/item/" in s.path and not 300 <= s.status < 304]


def reading(obs: list[Observation]) -> list[tuple[object, ...]]:
    return [(o.status, o.price, o.product_sku, o.reseller_id, o.seller_name, o.offer_key) for o in obs]


def test_the_second_crawl_reads_unchanged_pages_from_evidence(site: Site) -> None:
    first, served1 = site.crawl()
    before = site.latest()
    second, served2 = site.crawl()
    after = site.latest()

    assert second.by_status == first.by_status and second.pages == first.pages
    not_modified = [s for s in pages(served2) if s.status == 304]
    # Every page read as a listing page last time was asked and was not modified; the captcha
    # page (blocked) keeps no validators and is fetched in full.
    assert len(not_modified) == len(pages(served2)) - 1 >= 15
    assert all(s.conditional for s in not_modified)
    assert not any(s.conditional for s in served1)
    bytes1, bytes2 = sum(s.size for s in pages(served1)), sum(s.size for s in pages(served2))
    assert bytes2 < bytes1 / 10, (bytes1, bytes2)

    assert set(after) == set(before)
    for target, obs in after.items():
        assert reading(obs) == reading(before[target]), target
        assert all(o.observed_at > b.observed_at for o, b in zip(obs, before[target], strict=True))
        assert [o.evidence_sha256 for o in obs] == [b.evidence_sha256 for b in before[target]]

    status = subprocess.run(
        [sys.executable, "-m", "oneprice", "-c", str(DEMO), "crawl", "status", "--format", "json"],
        cwd=ROOT, env=site.env, capture_output=True, text=True, timeout=120, check=True,
    )  # fmt: skip
    conditional = json.loads(status.stdout)["conditional"]
    assert conditional == {
        "targets_with_validators": len(not_modified),
        "not_modified_last_visit": len(not_modified),
        "not_modified_total": len(not_modified),
    }


def test_a_page_that_changed_after_a_304_cycle_is_read_fresh(site: Site) -> None:
    site.crawl()
    site.crawl()  # all unchanged: 304s
    offers = site.sandbox.storefront.offers
    jacket = offers[("tmall", "flagship-jacket")]
    daypack = offers[("jd", "beiji-daypack")]  # JD: the page has no price; the price service says it
    assert jacket.price is not None and daypack.price is not None
    offers[("tmall", "flagship-jacket")] = jacket.model_copy(update={"price": jacket.price - Decimal("100")})
    offers[("jd", "beiji-daypack")] = daypack.model_copy(update={"price": Decimal("499.00")})
    before = site.latest()

    _, served = site.crawl()
    after = site.latest()
    answers = {s.path: s.status for s in pages(served)}
    assert answers["/shop/tmall/item/flagship-jacket"] == 200
    [changed] = after["tmall-flagship-jacket"]
    assert changed.price is not None and changed.price.amount == jacket.price - Decimal("100")
    assert changed.evidence_sha256 != before["tmall-flagship-jacket"][0].evidence_sha256
    # The JD page itself did not change (304), but its price is asked again and read fresh.
    assert answers["/shop/jd/item/beiji-daypack"] == 304
    [daypack_now] = after["jd-beiji-daypack"]
    assert daypack_now.price is not None and daypack_now.price.amount == Decimal("499.00")
    unchanged = [p for p, status in answers.items() if status == 304]
    assert len(unchanged) >= 15

    # The changed page's new validators are kept: the next crawl finds it unchanged again.
    _, served = site.crawl()
    assert {s.path: s.status for s in pages(served)}["/shop/tmall/item/flagship-jacket"] == 304
    [again] = site.latest()["tmall-flagship-jacket"]
    assert again.price == changed.price and again.evidence_sha256 == changed.evidence_sha256


def test_a_304_without_its_evidence_page_is_asked_again_without_validators(site: Site) -> None:
    site.crawl()
    db = Database.open(site.env["ONEPRICE_DATABASE_URL"])
    try:
        # Retention drops every observation and then every page nothing cites; validators stay.
        purged = purge_observations(db, before=datetime.now(UTC) + timedelta(days=1))
        assert purged["evidence_deleted"] >= 15
        assert len(TargetRepository(db).page_validators()) >= 15
    finally:
        db.dispose()

    summary, served = site.crawl()
    assert summary.pages >= 15
    listing = pages(served)
    asked = [s for s in listing if s.conditional]
    assert asked and all(s.status == 304 for s in asked)
    for s in asked:  # each is followed by a plain request that gets the page
        assert [(x.status, x.conditional) for x in listing if x.path == s.path] == [(304, True), (200, False)]
    latest = site.latest()
    for obs in latest.values():
        assert all(o.evidence_sha256 for o in obs)
    db = Database.open(site.env["ONEPRICE_DATABASE_URL"])
    try:
        repo, evidence = TargetRepository(db), ObservationRepository(db)
        validators = repo.page_validators()
        assert len(validators) == len(asked)
        assert all(evidence.evidence(v.evidence_sha256) is not None for v in validators.values())
    finally:
        db.dispose()

    _, served = site.crawl()  # and the validators work again
    assert sum(s.status == 304 for s in pages(served)) == len(asked)
