"""Multi-offer pages, follow-up price requests and the review queue, through the spider and storage."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from scrapy.http import HtmlResponse, Request, TextResponse

from crawlers.items import ListingItem
from crawlers.pipelines import ObservationPipeline
from crawlers.spiders.watch import PAGE_META, WatchSpider
from oneprice.domain.observation import Observation, ObservationStatus
from oneprice.domain.review import Decision, ReviewState
from oneprice.errors import UserError
from oneprice.settings.loader import LoadedConfig, load_config
from oneprice.storage import Database, ObservationRepository
from oneprice.storage.reviews import ReviewRepository

PAGES = Path(__file__).resolve().parents[2] / "fixtures" / "pages"


@pytest.fixture
def spider_config(tmp_path: Path, make_config: Callable[..., Path]) -> LoadedConfig:
    return load_config(
        make_config(
            tmp_path,
            watch=[
                ("tb-opods", "https://item.taobao.com/item.htm?id=1", "taobao"),
                ("jd-item", "https://item.jd.com/555610491.html", "jd"),
                ("amz", "https://www.amazon.cn/gp/offer-listing/B0", "amazon"),
            ],
        )
    )


def request_for(spider: WatchSpider, target: str) -> Request:
    return next(r for r in spider.start_requests() if r.meta["oneprice_target"] == target)


def respond(request: Request, name: str) -> HtmlResponse:
    body = (PAGES / name).read_bytes()
    return HtmlResponse(request.url, body=body, headers={"Content-Type": "text/html"}, request=request)


def test_jd_page_asks_for_its_price_then_records_one_observation(spider_config: LoadedConfig) -> None:
    spider = WatchSpider(config=spider_config)
    out = list(spider.parse(respond(request_for(spider, "jd-item"), "jd/item_price_api.html")))
    assert len(out) == 1 and isinstance(out[0], Request)
    follow = out[0]
    assert follow.url == "https://item.jd.com/shop/jd/prices/mgets?skuIds=J_555610491"
    assert follow.meta["oneprice_target"] == "jd-item" and PAGE_META in follow.meta
    answer = TextResponse(
        follow.url, body=(PAGES / "jd/prices_mgets.json").read_bytes(), request=follow, encoding="utf-8"
    )
    items = list(spider.parse_follow_up(answer))
    assert len(items) == 1
    item = items[0]
    assert isinstance(item, ListingItem)
    assert (item.price, item.price_kind, item.shipping, item.method) == (
        Decimal("529.00"), "sale", Decimal("6.00"), "profile:jd",
    )  # fmt: skip
    assert item.url == "https://item.jd.com/555610491.html"  # the page, not the price service
    assert item.evidence is not None and b"product-intro" in item.evidence


def test_offer_listing_gives_one_item_per_seller_in_one_visit(spider_config: LoadedConfig) -> None:
    spider = WatchSpider(config=spider_config)
    items = list(spider.parse(respond(request_for(spider, "amz"), "amazon/offer_listing.html")))
    assert [(i.seller_name, i.price, i.offer_key) for i in items] == [  # type: ignore[union-attr]
        ("高原行者户外", Decimal("149.00"), "高原行者户外"),
        ("山屿官方旗舰店", Decimal("169.00"), "山屿官方旗舰店"),
    ]
    assert len({i.visit for i in items}) == 1  # type: ignore[union-attr]


def test_decisions_are_applied_to_later_visits(spider_config: LoadedConfig) -> None:
    spider = WatchSpider(config=spider_config)
    request = request_for(spider, "tb-opods")
    first = next(iter(spider.parse(respond(request, "taobao/gbk_listing.html"))))
    assert isinstance(first, ListingItem) and first.status is ObservationStatus.REVIEW

    spider.decisions = {"tb-opods": Decision(state=ReviewState.ACCEPTED, sku="OPODS-PRO-WHT")}
    accepted = next(iter(spider.parse(respond(request, "taobao/gbk_listing.html"))))
    assert isinstance(accepted, ListingItem)
    assert (accepted.status, accepted.product_sku, accepted.match_method) == (
        ObservationStatus.OK, "OPODS-PRO-WHT", "review",
    )  # fmt: skip

    spider.decisions = {"tb-opods": Decision(state=ReviewState.REJECTED)}
    rejected = next(iter(spider.parse(respond(request, "taobao/gbk_listing.html"))))
    assert isinstance(rejected, ListingItem)
    assert (rejected.status, rejected.reason, rejected.product_sku) == (
        ObservationStatus.UNMATCHED, "rejected_in_review", None,
    )  # fmt: skip


def test_review_observations_are_queued_and_decisions_are_kept(spider_config: LoadedConfig) -> None:
    db = Database.open(spider_config.database_url())
    try:
        pipeline = ObservationPipeline(ObservationRepository(db), reviews=ReviewRepository(db))
        spider = WatchSpider(config=spider_config)
        item = next(iter(spider.parse(respond(request_for(spider, "tb-opods"), "taobao/gbk_listing.html"))))
        pipeline.process_item(item)
        reviews = ReviewRepository(db)
        [queued] = reviews.list()
        assert (queued.listing_key, queued.suggested_sku, queued.state) == (
            "tb-opods", "OPODS-PRO-WHT", ReviewState.PENDING,
        )  # fmt: skip
        assert queued.price is not None and queued.price.amount == Decimal("799.00")
        reviews.decide("tb-opods", ReviewState.ACCEPTED, "OPODS-PRO-WHT")
        pipeline.process_item(item)  # seen again: the decision stays
        assert reviews.list() == [] and reviews.decisions()["tb-opods"].sku == "OPODS-PRO-WHT"
        with pytest.raises(UserError):
            reviews.decide("nope", ReviewState.REJECTED)
        with pytest.raises(UserError):
            reviews.decide("tb-opods", ReviewState.ACCEPTED)
        spider.load_decisions()
        assert spider.decisions["tb-opods"].state is ReviewState.ACCEPTED
    finally:
        db.dispose()


def test_latest_per_target_returns_every_offer_of_the_newest_visit(tmp_path: Path) -> None:
    db = Database.open(f"sqlite:///{tmp_path / 'o.db'}")
    try:
        repo = ObservationRepository(db)
        now = datetime.now(UTC)

        def obs(target: str, key: str, visit: str | None) -> Observation:
            return Observation(
                target_id=target, url="https://x.example/", platform="amazon", observed_at=now,
                status=ObservationStatus.OK, offer_key=key, visit=visit,
            )  # fmt: skip

        for o in [obs("a", "s1", "v1"), obs("a", "s2", "v1"), obs("a", "s1", "v2"), obs("a", "s3", "v2")]:
            repo.add(o)
        repo.add(obs("b", "", None))
        repo.add(obs("b", "", None))
        latest = repo.latest_per_target()
        assert [(o.target_id, o.offer_key, o.visit) for o in latest] == [
            ("a", "s1", "v2"), ("a", "s3", "v2"), ("b", "", None),
        ]  # fmt: skip
        assert repo.latest_per_target(["b"])[0].id == 6
    finally:
        db.dispose()
