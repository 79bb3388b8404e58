"""Listing titles -> catalog products: attributes, fuzzy similarity, variants told apart, review when unsure."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from crawlers.extraction import Extraction, ExtractionStatus
from crawlers.matching import CatalogIndex, match
from crawlers.titles import Attributes, conflicts, similarity, title_attributes
from oneprice.settings.loader import load_config

ROOT = Path(__file__).resolve().parents[3]
INDEX = CatalogIndex(load_config(ROOT / "config" / "demo.yaml").catalog)
ACCEPT = Decimal("0.80")


def listing(title: str, **ids: str) -> Extraction:
    return Extraction(status=ExtractionStatus.NO_PRICE, title=title, **ids)


# (title, identifiers, expected sku (None: no match), accepted without review)
CASES = [
    ("【正品】山屿岚峰GORE-TEX冲锋衣 曜石黑 L码 男女款", {}, "SY-JK01-BLK-L", True),
    ("山屿 岚峰 冲锋衣 丹霞红 M 户外防风防水", {}, "SY-JK01-RED-M", False),  # drops "GORE-TEX"
    ("山屿踏云中帮防水徒步鞋 42码", {}, "SY-BT11-42", True),
    ("山屿 夜航 USB 充电头灯 露营", {}, "SY-HL34", True),
    ("山屿 不锈钢保温壶 750ml 户外", {}, "SY-TM35", True),
    ("山屿碳纤维登山杖 一对装", {}, "SY-GR31", True),
    ("山屿 日行 30L 双肩包 黑", {"model": "SY-PK22"}, "SY-PK22-BLK", True),
    ("山屿日行30L双肩包 苔绿 徒步", {"model": "SY-PK22"}, "SY-PK22-GRN", True),
    ("山屿 岚峰 GORE-TEX 冲锋衣", {"sku": "SY-JK01"}, "SY-JK01-BLK-L", False),  # variant not stated
    ("山屿 日行 30L 双肩包", {"model": "SY-PK22"}, "SY-PK22-BLK", False),  # colour not stated
    ("山屿 岚峰 冲锋衣 丹霞红", {}, "SY-JK01-RED-L", False),  # size not stated: a tie
    ("山屿 岚峰 冲锋衣 丹霞红 XL", {}, None, False),  # there is no XL
    ("山屿 不锈钢保温壶 500ml", {}, None, False),  # another volume
    ("山屿 美利奴羊毛速干T恤 3件装", {}, None, False),  # a pack of three is not one T-shirt
    ("Anker 充电宝 20000mAh", {}, None, False),
    ("户外 冲锋衣 男 防水 透气", {}, None, False),  # another brand's generic jacket
]


@pytest.mark.parametrize(("title", "ids", "sku", "accepted"), CASES, ids=[c[0] for c in CASES])
def test_title_match(title: str, ids: dict[str, str], sku: str | None, accepted: bool) -> None:
    got = match(listing(title, **ids), INDEX)
    assert got.product_sku == sku, got
    assert (got.confidence >= ACCEPT) is accepted, got
    if sku is not None and not accepted:
        assert got.reason  # says why a person has to look


def test_identifiers_still_win_over_the_title() -> None:
    got = match(listing("完全不同的标题", gtin="6973128600145"), INDEX)
    assert (got.product_sku, got.method, got.confidence) == ("SY-BT11-42", "gtin", Decimal("1.00"))


# (title, sizes, volumes in ml, counts, colours)
ATTRIBUTES = [
    ("冲锋衣 曜石黑 XL码", {"xl"}, set(), set(), {"曜石黑"}),
    ("日行 30L 双肩包 黑", set(), {30000}, set(), {"黑"}),
    ("保温壶 750ml 2只装", set(), {750}, {2}, set()),
    ("户外水壶 2.01L", set(), {2010}, set(), set()),
    # counts: poles by 根, bottles after a star, in words, a single one, Amazon's "Count"
    ("登山杖 2根装", set(), set(), {2}, set()),
    ("矿泉水 500ML*2瓶", set(), {500}, {2}, set()),
    ("保温杯 两只装", set(), set(), {2}, set()),
    ("登山杖 单支", set(), set(), {1}, set()),
    ("Trail Bars 12 Count", set(), set(), {12}, set()),
    ("徒步鞋 一双 41码", {"41"}, set(), set(), set()),  # one pair of shoes is one item
    # sizes: a half size; not a dimension, a yarn count or a price
    ("越野跑鞋 42.5码", {"42.5"}, set(), set(), set()),
    ("速干毛巾 30x40cm", set(), set(), set(), set()),
    ("坐垫 40 x 30 cm", set(), set(), set(), set()),
    ("速干T恤 精梳棉 40支 M", {"m"}, set(), set(), set()),
    ("徒步鞋 到手价39元", set(), set(), set(), set()),
    ("徒步鞋42包邮 天猫正品", {"42"}, set(), set(), set()),  # exactly: 2.01 as a float times 1000 is 2009.99…
    ("bottle 8.19 l", set(), {8190}, set(), set()),
    ("Trail poles, pack of 3", set(), set(), {3}, set()),
    ("登山杖 一对", set(), set(), {2}, set()),
    ("徒步鞋 42码", {"42"}, set(), set(), set()),
    ("<script>alert(1)</script>", set(), set(), set(), set()),
]


@pytest.mark.parametrize(("title", "sizes", "volumes", "counts", "colours"), ATTRIBUTES)
def test_title_attributes(title: str, sizes: set[str], volumes: set[int], counts: set[int], colours: set[str]) -> None:
    got = title_attributes(title, INDEX.colours)
    assert got == Attributes(frozenset(sizes), frozenset(volumes), frozenset(counts), frozenset(colours))


def test_a_single_pole_conflicts_with_a_pair_and_a_single_item_with_nothing() -> None:
    pair = Attributes(counts=frozenset({2}))
    assert conflicts(title_attributes("登山杖 单支", INDEX.colours), pair) == ["count"]
    assert conflicts(title_attributes("登山杖 单支", INDEX.colours), Attributes()) == []
    assert conflicts(title_attributes("头灯 2只装", INDEX.colours), Attributes()) == ["count"]
    assert conflicts(title_attributes("登山杖 一对", INDEX.colours), pair) == []


def test_conflicts_name_the_attribute() -> None:
    listing_attrs = title_attributes("保温壶 500ml 黑", INDEX.colours)
    product_attrs = Attributes(volumes_ml=frozenset({750}), colours=frozenset({"苔绿"}))
    assert conflicts(listing_attrs, product_attrs) == ["volume", "colour"]


def test_similarity_ignores_spacing_case_and_marketing_words() -> None:
    assert similarity("【新品】山屿日行30L双肩包苔绿", "山屿 日行 30L 双肩包 苔绿") > 0.95
    assert similarity("SHANYU trail tee", "Shanyu Trail Tee") == 1.0
    assert similarity("完全无关的商品", "山屿 日行 30L 双肩包 苔绿") < 0.3
    assert similarity("", "x") == 0.0
