"""Counts before a measure word in a title ("2双", "2副", "2盒", "2对") and a shoe size written against a star and a
small count ("跑鞋 43*2"); dimensions, yarn counts and a discount's terms stay no count."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from crawlers.extraction import Extraction, ExtractionStatus
from crawlers.matching import CatalogIndex, match
from crawlers.titles import title_attributes
from oneprice.settings.loader import load_config

ROOT = Path(__file__).resolve().parents[3]
INDEX = CatalogIndex(load_config(ROOT / "config" / "demo.yaml").catalog)
ACCEPT = Decimal("0.80")


@pytest.mark.parametrize(
    ("title", "counts"),
    [
        ("跑鞋 2双", {2}),
        ("跑鞋 两双", {2}),
        ("手套 2副", {2}),
        ("面膜 2盒", {2}),
        ("面膜 三盒", {3}),
        ("牙刷 2支", {2}),
        ("牙刷 12支", {12}),
        ("杯子 2只", {2}),
        ("T恤 2件", {2}),
        ("毛巾 2条", {2}),
        ("登山杖 2对", {4}),  # two pairs: "一对" is two poles
        ("登山杖 1对", {2}),
        ("袜子 5双装", {5}),  # as before
        ("T恤 3件套", {3}),
        ("跑鞋 43*2双", {2}),
    ],
)
def test_a_number_before_a_measure_word_is_a_count(title: str, counts: set[int]) -> None:
    assert title_attributes(title, ()).counts == counts


@pytest.mark.parametrize(
    "title",
    [
        "纯棉 40支 T恤",  # a cotton's yarn count
        "精梳棉 16支棉 T恤",
        "满2件9折 T恤",  # a discount's terms
        "第2件半价 T恤",
        "T恤 2件9折",
        "T恤 2件起",
        "拍2件 T恤",
        "运动裤 3条纹",  # stripes
        "三只松鼠 坚果",  # a brand
        "跑鞋 一双",  # one pair of shoes is one item
        "双人帐篷 2人",
    ],
)
def test_words_that_are_no_count(title: str) -> None:
    assert title_attributes(title, ()).counts == frozenset()


@pytest.mark.parametrize(
    ("title", "sizes", "counts"),
    [
        ("越野跑鞋 43*2", {"43"}, {2}),  # two pairs of size 43: it had been the single pair
        ("越野跑鞋 42.5*3", {"42.5"}, {3}),
        ("running shoes 43*2", {"43"}, {2}),
        ("羊毛袜 38*10", {"38"}, {10}),
        ("越野跑鞋 43*20", {"43"}, set()),  # numbers of like size: a dimension
        ("越野跑鞋 43*2cm", {"43"}, set()),  # a measure follows
        ("越野跑鞋 43*2*3", {"43"}, set()),  # three numbers: a dimension
        ("收纳盒 43*2", {"43"}, set()),  # nothing worn: left as it was
        ("衣架 40*2", {"40"}, set()),
        ("洗衣液 40*2", {"40"}, set()),
        ("收纳盒 30*40cm", set(), set()),
    ],
)
def test_a_size_against_a_star_and_a_small_count_is_a_count_in_a_title_about_something_worn(
    title: str, sizes: set[str], counts: set[int]
) -> None:
    got = title_attributes(title, ())
    assert (got.sizes, got.counts) == (sizes, counts)


def _matched(title: str) -> tuple[str | None, bool]:
    got = match(Extraction(status=ExtractionStatus.NO_PRICE, title=title), INDEX)
    return got.product_sku, got.confidence >= ACCEPT


@pytest.mark.parametrize("title", ["山屿 逐风 越野跑鞋 43*2", "山屿 逐风 越野跑鞋 43码 2双", "山屿 碳纤维登山杖 2对"])
def test_two_pairs_are_no_single_product(title: str) -> None:
    """Each had been accepted as the single pair (SY-TR12-43) or the pair of poles (SY-GR31)."""
    assert _matched(title) == (None, False)


@pytest.mark.parametrize(
    ("title", "sku"),
    [("山屿 逐风 越野跑鞋 43", "SY-TR12-43"), ("山屿 逐风 越野跑鞋 43码 1双", "SY-TR12-43")],
)
def test_one_pair_still_matches(title: str, sku: str) -> None:
    assert _matched(title) == (sku, True)


def test_one_pair_of_poles_is_the_pair() -> None:
    """ "1对" is two poles, as "一对" is: the pair of poles, not excluded (the missing word "一对" costs similarity)."""
    assert _matched("山屿 碳纤维登山杖 1对")[0] == "SY-GR31"
