"""ObservationPipeline: items -> observations with evidence, stats by status, a signal per observation."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from scrapy.exceptions import NotConfigured
from scrapy.signalmanager import SignalManager
from scrapy.utils.test import get_crawler

from crawlers.items import ListingItem
from crawlers.pipelines import ObservationPipeline, observation_recorded
from oneprice.domain.money import Money
from oneprice.domain.observation import Observation, ObservationStatus
from oneprice.settings.loader import load_config
from oneprice.storage import Database, ObservationRepository

NOW = datetime(2024, 6, 1, 8, 0, tzinfo=UTC)


class FakeSink:
    def __init__(self) -> None:
        self.added: list[tuple[Observation, bytes | None, str]] = []

    def add(self, obs: Observation, evidence: bytes | None = None, content_type: str = "text/html") -> int:
        self.added.append((obs, evidence, content_type))
        return len(self.added)


class FakeStats:
    def __init__(self) -> None:
        self.values: dict[str, int] = {}

    def inc_value(self, key: str, count: int = 1, start: int = 0) -> None:
        self.values[key] = self.values.get(key, start) + count


def item(status: ObservationStatus, **kw: Any) -> ListingItem:
    return ListingItem(
        target_id="tb-opods", url="https://item.taobao.com/item.htm?id=1", platform="taobao", observed_at=NOW,
        status=status, **kw,
    )  # fmt: skip


def test_items_become_observations_with_evidence_and_counts() -> None:
    sink, stats = FakeSink(), FakeStats()
    seen: list[Observation] = []
    signals = SignalManager()
    signals.connect(lambda observation, **_: seen.append(observation), signal=observation_recorded, weak=False)
    pipeline = ObservationPipeline(sink, stats=stats, signals=signals)  # type: ignore[arg-type]

    ok = item(
        ObservationStatus.OK, price=Decimal("799.00"), currency="CNY", product_sku="OPODS-PRO-WHT",
        seller_name="蓝海数码专营店", reseller_id="lanhai", confidence=Decimal("0.60"),
        evidence=b"<html>ok</html>", content_type="text/html; charset=gbk",
    )  # fmt: skip
    blocked = item(ObservationStatus.BLOCKED, reason="captcha", evidence=b"<html>captcha</html>")
    failed = item(ObservationStatus.HTTP_ERROR, reason="timeout")
    for it in (ok, blocked, failed):
        assert pipeline.process_item(it) is it

    obs, evidence, content_type = sink.added[0]
    assert obs.status is ObservationStatus.OK and obs.price == Money.of("799.00", "CNY")
    assert (obs.product_sku, obs.reseller_id, obs.observed_at) == ("OPODS-PRO-WHT", "lanhai", NOW)
    assert (evidence, content_type) == (b"<html>ok</html>", "text/html; charset=gbk")
    assert sink.added[1][1] == b"<html>captcha</html>"
    assert sink.added[2][1] is None
    assert (ok.observation_id, ok.evidence) == (1, None)  # stored, and dropped from the item
    assert stats.values == {
        "oneprice/observations": 3,
        "oneprice/observations/ok": 1,
        "oneprice/observations/blocked": 1,
        "oneprice/observations/http_error": 1,
        "oneprice/evidence_bytes": len(b"<html>ok</html>") + len(b"<html>captcha</html>"),
    }
    assert [o.id for o in seen] == [1, 2, 3]
    assert [o.status for o in seen] == [
        ObservationStatus.OK,
        ObservationStatus.BLOCKED,
        ObservationStatus.HTTP_ERROR,
    ]


def test_unmatched_keeps_the_price_it_read() -> None:
    sink = FakeSink()
    ObservationPipeline(sink).process_item(
        item(ObservationStatus.UNMATCHED, reason="no_catalog_match", price=Decimal("5"), currency="CNY")
    )
    assert sink.added[0][0].price == Money.of("5", "CNY")


def test_evidence_is_not_kept_when_the_config_says_so() -> None:
    sink = FakeSink()
    ObservationPipeline(sink, keep_evidence=False).process_item(item(ObservationStatus.OK, evidence=b"page"))
    assert sink.added[0][1] is None


def test_other_items_pass_through() -> None:
    sink = FakeSink()
    assert ObservationPipeline(sink).process_item({"x": 1}) == {"x": 1}
    assert sink.added == []


def test_from_crawler_writes_to_the_configured_database(tmp_path: Path, make_config: Callable[..., Path]) -> None:
    db_url = f"sqlite:///{tmp_path / 'crawl.db'}"
    path = make_config(tmp_path, database_url=db_url)
    crawler = get_crawler(settings_dict={"ONEPRICE_CONFIG": str(path)})
    pipeline = ObservationPipeline.from_crawler(crawler)
    pipeline.process_item(item(ObservationStatus.BLOCKED, reason="captcha", evidence=b"<html>captcha</html>"))
    pipeline.close_spider()

    db = Database.open(load_config(path).database_url())
    repo = ObservationRepository(db)
    (obs,) = repo.for_target("tb-opods")
    assert obs.status is ObservationStatus.BLOCKED and obs.evidence_sha256
    assert repo.evidence(obs.evidence_sha256) == ("text/html", b"<html>captcha</html>")
    assert crawler.stats.get_value("oneprice/observations/blocked") == 1
    db.dispose()


def test_from_crawler_without_config_is_not_configured(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("ONEPRICE_CONFIG", raising=False)
    monkeypatch.setattr("crawlers.config._PROJECT_ROOT", tmp_path)
    with pytest.raises(NotConfigured):
        ObservationPipeline.from_crawler(get_crawler())
