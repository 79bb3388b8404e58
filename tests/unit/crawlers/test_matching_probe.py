"""Listing titles as resellers write them, against a brand's catalog: packs, accessories, samples and
refills, other models of a line, other sizes, colours and conditions must not pass for the product."""

from __future__ import annotations

from decimal import Decimal
from functools import cache
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bench.matching import COLOURS, ITEM_TYPES, SERIES_SYLLABLES, scaled_catalog
from crawlers.extraction import Extraction, ExtractionStatus
from crawlers.matching import CatalogIndex, _best_by_title, match
from crawlers.titles import Attributes, title_attributes
from oneprice.domain.catalog import Catalog, Product
from oneprice.domain.money import Money
from oneprice.settings.loader import load_config

ROOT = Path(__file__).resolve().parents[3]
ACCEPT = Decimal("0.80")  # the demo's `crawl.matching.accept`


def product(sku: str, name: str, **fields: str) -> Product:
    return Product(sku=sku, name=name, unified_price=Money.of("199", "CNY"), **fields)


# The demo brand's catalog (outdoor gear) with a beauty line, a toothbrush line and an English one.
OWN = (
    product("LM-SR-50", "露眠 玻尿酸精华液 50ml", model="LM-SR", parent_sku="LM-SR", size="50ml"),
    product("LM-SR-100", "露眠 玻尿酸精华液 100ml", model="LM-SR", parent_sku="LM-SR", size="100ml"),
    product("LM-CR-50G", "露眠 修护面霜 50g", model="LM-CR"),
    product("LM-SH-1", "露眠 氨基酸洗发水 500ml", model="LM-SH"),
    product("LM-SH-2PK", "露眠 氨基酸洗发水 500ml 2瓶装", model="LM-SH2"),
    product("JK01-WHT", "洁康 JK01 声波电动牙刷 白色", model="JK01", color="白色"),
    product("JK01-BLK", "洁康 JK01 声波电动牙刷 黑色", model="JK01B", color="黑色"),
    product("JK01PRO", "洁康 JK01 Pro 声波电动牙刷", model="JK01PRO"),
    product("JK01-HEAD", "洁康 JK01 替换刷头 4支装", model="JK01H"),
    product("AQ-BT-BLK", "Aquaflow Insulated Water Bottle 750ml Black", model="AQ750", color="Black"),
    product("AQ-BT-WHT", "Aquaflow Insulated Water Bottle 750ml White", model="AQ750W", color="White"),
    product("AQ-EB", "Aquaflow Earbuds", model="AQEB"),
)
INDEX = CatalogIndex(Catalog(products=load_config(ROOT / "config" / "demo.yaml").catalog.products + OWN))


def matched(title: str, index: CatalogIndex = INDEX, **ids: str) -> tuple[str | None, bool]:
    """(the product a listing matched, whether it is accepted without review)."""
    got = match(Extraction(status=ExtractionStatus.NO_PRICE, title=title, **ids), index)
    if got.product_sku is not None and got.confidence < ACCEPT:
        assert got.reason, got  # a person is told why
    return got.product_sku, got.confidence >= ACCEPT


ACCEPTED = [
    ("【官方正品】山屿 不锈钢保温壶 750ml 旗舰店 包邮 男女同款 专柜同款 2024新款", "SY-TM35"),
    ("山屿 不锈钢保温壶 750mL 现货", "SY-TM35"),
    ("露眠 氨基酸洗发水 500ml*2", "LM-SH-2PK"),  # two bottles: the 2-pack, not the single
    ("露眠 氨基酸洗发水 2*500ml", "LM-SH-2PK"),
    ("山屿 逐风 越野跑鞋 43", "SY-TR12-43"),
    ("露眠 氨基酸洗发水 500ml x2", "LM-SH-2PK"),
    ("洁康 JK01 替换刷头 4支装", "JK01-HEAD"),  # the brand's own spare part is a product
    ("洁康JK01Pro声波电动牙刷", "JK01PRO"),
    ("洁康 JK01 Pro 声波电动牙刷 白色", "JK01PRO"),  # was a tie with the plain JK01 in white
    ("洁康 JK01 声波电动牙刷 白色 送刷头", "JK01-WHT"),  # a gift with the toothbrush
    ("洁康 JK01 声波电动牙刷 白色 赠品：2个刷头", "JK01-WHT"),
    ("山屿 远行 45L 登山背包 送防雨罩", "SY-PK21-45"),
    ("山屿 夜航 USB 充电头灯 赠头带", "SY-HL34"),
    ("山屿 冲锋衣 适用于户外登山 岚峰 GORE-TEX 曜石黑 L", "SY-JK01-BLK-L"),  # says where it is worn
    ("山屿 日行 30L 双肩包 黑色", "SY-PK22-BLK"),  # "黑色" is the catalog's "黑"
    ("Aquaflow Insulated Water Bottle 25 oz Black", "AQ-BT-BLK"),  # 25 fl oz is 739 ml
    ("Aquaflow Insulated Water Bottle 750ml Black, Brand New Never Used", "AQ-BT-BLK"),
    ("Aquaflow Earbuds with Charging Case", "AQ-EB"),
    ("Aquaflow Insulated Water Bottle 750ml Black with Straw Lid", "AQ-BT-BLK"),
    # Words of the accessory, condition and lookalike kinds used about the item itself
    ("Aquaflow Earbuds Wireless Bluetooth 5.3, Compatible with iPhone and Android", "AQ-EB"),
    ("Aquaflow Insulated Water Bottle 750ml Black, Can Be Used for Hiking", "AQ-BT-BLK"),
    ("山屿 夜航 USB 充电头灯 可替换电池", "SY-HL34"),
    ("山屿 暖眠 羽绒睡袋 -5℃ 附收纳袋", "SY-SB33"),
    ("山屿 不锈钢保温壶 750ml 未拆封", "SY-TM35"),
    ("山屿 不锈钢保温壶 750ml 旗舰店同款", "SY-TM35"),
    ("山屿 远行 45L 登山背包 大容量 max承重15kg", "SY-PK21-45"),  # a maximum load, not a Max model
    ("Aquaflow Earbuds for Running and Gym", "AQ-EB"),
]


@pytest.mark.parametrize(("title", "sku"), ACCEPTED, ids=[t for t, _ in ACCEPTED])
def test_the_product_as_resellers_write_it_is_accepted(title: str, sku: str) -> None:
    assert matched(title) == (sku, True)


# Packs written as a star, a free item, a set or in English: a pack of a single product is no match.
PACKS = [
    "山屿 不锈钢保温壶 750ml *2",
    "山屿 不锈钢保温壶 750ml 买一送一",
    "山屿 夜航 USB 充电头灯 2件套",
    "山屿 美利奴羊毛速干T恤 3件套",
    "Aquaflow Insulated Water Bottle 750ml Black Twin Pack",
    "Aquaflow Insulated Water Bottle 750ml Black 2pk",
    "露眠 玻尿酸精华液 50ml 两瓶",
    "山屿 逐风 越野跑鞋 43 *2",
    "山屿 逐风 越野跑鞋 43码*2",
]


@pytest.mark.parametrize("title", PACKS)
def test_a_pack_written_with_a_star_a_free_item_or_a_set_is_no_single_product(title: str) -> None:
    assert matched(title) == (None, False)


def test_a_count_is_read_after_a_star_before_an_amount_and_from_a_free_item() -> None:
    counts = {t: title_attributes(t, ()).counts for t in ("洗发水 500ml*2", "洗发水 2*500ml", "买一送一", "买2送1")}
    assert counts == {"洗发水 500ml*2": {2}, "洗发水 2*500ml": {2}, "买一送一": {2}, "买2送1": {3}}
    assert title_attributes("坐垫 40*30cm", ()).counts == frozenset()  # a dimension, not a count


@pytest.mark.parametrize(
    ("title", "sizes", "counts"),
    [
        ("越野跑鞋 43 *2", {"43"}, {2}),
        ("越野跑鞋 42.5 * 2", {"42.5"}, {2}),
        ("越野跑鞋 43码*2", {"43"}, {2}),
        ("速干T恤 M *2", {"m"}, {2}),
        ("坐垫 40 *30cm", {"40"}, set()),
        ("地垫 40 *3m", {"40"}, set()),
        ("坐垫 30*40cm", set(), set()),
    ],
)
def test_a_star_after_a_size_is_a_count_and_before_a_measure_a_dimension(
    title: str, sizes: set[str], counts: set[int]
) -> None:
    """ "43 *2" is two pairs of size 43 (it had been the single shoe); "40 *30cm" stays a dimension."""
    got = title_attributes(title, ())
    assert (got.sizes, got.counts) == (sizes, counts)


ACCESSORIES = [
    "山屿 不锈钢保温壶 750ml 保护套",
    "山屿 不锈钢保温壶 750ml 替换杯盖",
    "适用于山屿不锈钢保温壶750ml 杯套",
    "山屿 夜航 USB 充电头灯 充电器",
    "山屿 夜航 USB 充电头灯 头带 配件",
    "山屿碳纤维登山杖 杖尖 保护套 配件",
    "洁康 JK01 声波电动牙刷 白色 保护套",
    "适用于洁康JK01电动牙刷 替换刷头",  # another maker's heads, made to fit
    "Replacement Lid for Aquaflow Insulated Water Bottle 750ml",
    "Carrying Case Compatible with Aquaflow Insulated Water Bottle 750ml",
    "Silicone Case for Aquaflow Earbuds",
]


@pytest.mark.parametrize("title", ACCESSORIES)
def test_an_accessory_for_the_product_is_not_the_product(title: str) -> None:
    assert matched(title) == (None, False)


# A part named in a title is the accessory sold alone or a feature of the item: a person decides.
PARTS = [
    ("山屿踏云中帮防水徒步鞋 42码 鞋带", "SY-BT11-42"),
    ("山屿 远行 45L 登山背包 防雨罩", "SY-PK21-45"),
    ("洁康 JK01 声波电动牙刷 白色 软毛刷头", "JK01-WHT"),
    ("山屿 夜航 USB 充电头灯 Type-C充电线", "SY-HL34"),
    ("Aquaflow Earbuds Ear Tips", "AQ-EB"),
    ("山屿 栖云 双人三季帐篷 专用地布", "SY-TN32"),
]


@pytest.mark.parametrize(("title", "sku"), PARTS, ids=[t for t, _ in PARTS])
def test_a_part_named_in_the_title_goes_to_review(title: str, sku: str) -> None:
    assert matched(title) == (sku, False)


SAMPLES_AND_REFILLS = [
    "露眠 玻尿酸精华液 替换装 50ml",
    "露眠 玻尿酸精华液 补充装",
    "露眠 玻尿酸精华液 小样",
    "露眠 玻尿酸精华液 试用装 5ml",
    "Aquaflow Insulated Water Bottle Travel Size Black",
    "Aquaflow Insulated Water Bottle Mini Black",
]


@pytest.mark.parametrize("title", SAMPLES_AND_REFILLS)
def test_a_sample_or_a_refill_is_another_product(title: str) -> None:
    assert matched(title) == (None, False)


OTHER_MODELS = [
    "洁康 JK01 Max 声波电动牙刷 白色",
    "洁康 JK01 二代 声波电动牙刷 白色",
    "洁康 JK01 第二代 声波电动牙刷 白色",
    "洁康 JK01 Gen 2 声波电动牙刷 白色",
    "洁康 JK010 声波电动牙刷 白色",  # another model code with the product's inside it
    "山屿 夜航 Pro USB 充电头灯",
    "山屿 夜航2代 USB 充电头灯",
    "山屿 岚峰 GORE-TEX 冲锋衣 曜石黑 L码 二代",
    "Aquaflow Earbuds Pro",
]


@pytest.mark.parametrize("title", OTHER_MODELS)
def test_another_model_of_the_line_is_not_the_product(title: str) -> None:
    assert matched(title) == (None, False)


def test_a_title_without_the_products_model_word_or_code_goes_to_review() -> None:
    pro_only = CatalogIndex(Catalog(products=(product("JK01PRO", "洁康 JK01 Pro 声波电动牙刷 白色", color="白色"),)))
    assert matched("洁康 JK01 声波电动牙刷 白色", pro_only) == ("JK01PRO", False)
    assert matched("洁康 JK01 Pro 声波电动牙刷 白色", pro_only) == ("JK01PRO", True)
    coded = CatalogIndex(Catalog(products=(product("JK01-WHT", "洁康 JK01 声波电动牙刷 白色", color="白色"),)))
    assert matched("洁康声波电动牙刷白色", coded) == ("JK01-WHT", False)


def test_a_refill_product_is_not_accepted_for_a_title_that_does_not_say_refill() -> None:
    refill = product("LM-SR-R", "露眠 玻尿酸 深层补水 保湿 精华液 50ml 补充装")
    refill_only = CatalogIndex(Catalog(products=(refill,)))
    assert matched("露眠 玻尿酸 深层补水 保湿 精华液 50ml", refill_only) == ("LM-SR-R", False)
    assert matched("露眠 玻尿酸 深层补水 保湿 精华液 50ml 补充装", refill_only) == ("LM-SR-R", True)


SIZES = [
    ("露眠 修护面霜 100g", None),
    ("露眠 修护面霜 100克", None),
    ("Aquaflow Insulated Water Bottle 17 oz Black", "AQ-EB"),  # review at most, never the 750 ml bottle
]


@pytest.mark.parametrize(("title", "review_at_most"), SIZES)
def test_another_weight_or_an_ounce_volume_is_another_product(title: str, review_at_most: str | None) -> None:
    sku, accepted = matched(title)
    assert not accepted
    assert sku in (None, review_at_most)


def test_amounts_in_grams_and_ounces() -> None:
    cream = title_attributes("面霜 1.7 oz", ())
    assert 50 in cream.volumes_ml and 48 in cream.weights_g
    assert title_attributes("洗面奶 100克", ()).weights_g == {100}
    assert title_attributes("水杯 16.9 fl oz", ()).weights_g == frozenset()
    assert 500 in title_attributes("水杯 16.9 fl oz", ()).volumes_ml


SECOND_HAND = [
    "山屿 不锈钢保温壶 750ml 二手 95新",
    "山屿 夜航 USB 充电头灯 二手",
    "洁康 JK01 声波电动牙刷 白色 9成新",
    "Aquaflow Insulated Water Bottle 750ml Black (Renewed)",
    "Aquaflow Insulated Water Bottle 750ml Black - Used - Like New",
    "Aquaflow Insulated Water Bottle 750ml Black Open Box",
]


@pytest.mark.parametrize("title", SECOND_HAND)
def test_a_second_hand_listing_goes_to_review(title: str) -> None:
    sku, accepted = matched(title)
    assert sku is not None and not accepted


def test_a_second_hand_listing_goes_to_review_even_by_gtin() -> None:
    got = match(
        Extraction(status=ExtractionStatus.NO_PRICE, gtin="6973128600015", title="山屿岚峰冲锋衣 曜石黑 M 二手 9成新"),
        INDEX,
    )
    assert (got.product_sku, got.method) == ("SY-JK01-BLK-M", "gtin")
    assert got.confidence < ACCEPT and got.reason == "the title sells it second-hand"


SETS = [
    "山屿 不锈钢保温壶 750ml 礼盒装",
    "山屿 不锈钢保温壶 750ml 组合装",
    "露眠 氨基酸洗发水 500ml 套装",
    "Aquaflow Insulated Water Bottle 750ml Black Bundle",
]


@pytest.mark.parametrize("title", SETS)
def test_a_set_the_title_does_not_count_goes_to_review(title: str) -> None:
    sku, accepted = matched(title)
    assert sku is not None and not accepted


LOOKALIKES = [
    "山屿 不锈钢保温壶 同款 750ml",
    "山屿同款 冲锋衣 曜石黑 L",
    "山屿踏云中帮防水徒步鞋 42 同款",
    "洁康 JK01 声波电动牙刷 平替 白色",
]


@pytest.mark.parametrize("title", LOOKALIKES)
def test_a_lookalike_is_no_match(title: str) -> None:
    assert matched(title) == (None, False)


def test_another_colour_name_is_not_read_as_the_catalogs_colour_inside_it() -> None:
    white_bag = (product("SY-PK22-WHT", "山屿 日行 30L 双肩包 白", model="SY-PK22W", color="白"),)
    index = CatalogIndex(Catalog(products=INDEX.catalog.products + white_bag))
    assert matched("山屿 日行 30L 双肩包 白", index) == ("SY-PK22-WHT", True)
    # Off-white holds "白" but is not the white bag: a person decides.
    assert matched("山屿 日行 30L 双肩包 米白", index) == ("SY-PK22-WHT", False)
    # A colour the line is not made in is no match, not the black bag in review.
    assert matched("山屿 日行 30L 双肩包 酒红") == (None, False)
    # The generic name of the catalog's own colour: the right jacket, for a person to confirm.
    assert matched("山屿 岚峰 GORE-TEX 冲锋衣 黑色 L") == ("SY-JK01-BLK-L", False)


def test_what_a_title_says_about_the_listing_as_a_whole() -> None:
    def said(title: str) -> Attributes:
        return title_attributes(title, INDEX.colours, INDEX.brands)

    assert said("山屿 夜航 头灯 带充电器").kinds == frozenset()
    assert said("适用于洁康JK01 刷头").kinds == {"compatible"}
    assert said("洁康JK01 刷头").flags == {"part:刷头"}
    assert said("头灯 头带 配件").kinds == {"配件"}  # the "带" of "头带" gives nothing
    assert said("JK01 ProMax 迷你").tiers == {"pro", "max", "mini"}
    assert said("JK01 第三代").tiers == {"gen3"}
    assert said("2024新款 全新").flags == frozenset()
    assert said("男女同款 专柜同款 明星同款").flags == frozenset()
    assert said("大牌同款 冲锋衣").flags == {"lookalike"}


def test_a_model_code_given_by_the_page_need_not_be_in_the_title() -> None:
    family = tuple(
        product(f"JK01-{c}", f"洁康 JK01 声波电动牙刷 {colour}", model="JK01", color=colour)
        for c, colour in (("WHT", "白色"), ("BLK", "黑色"))
    )
    index = CatalogIndex(Catalog(products=family))
    assert matched("洁康 声波电动牙刷 白色", index, model="JK01") == ("JK01-WHT", True)
    assert matched("洁康 声波电动牙刷 白色", index) == ("JK01-WHT", False)


@cache
def scaled() -> CatalogIndex:
    return CatalogIndex(scaled_catalog(400))


extra_words = st.sampled_from(
    ["山屿", *SERIES_SYLLABLES[:6], *ITEM_TYPES[:6], *COLOURS[:4], "Pro", "Max", "二代", "配件", "刷头", "小样",
     "二手", "礼盒装", "黑色", "米白", "M", "XL", "750ml", "100g", "25 oz", "*2", "买一送一", "送", "适用于山屿"]
)  # fmt: skip


@settings(max_examples=120, deadline=None)
@given(st.lists(extra_words, min_size=1, max_size=8), st.sampled_from(["", " "]))
def test_the_word_index_still_finds_what_scoring_every_product_finds(parts: list[str], sep: str) -> None:
    idx = scaled()
    title = Extraction(status=ExtractionStatus.NO_PRICE, title=sep.join(parts))
    indexed = _best_by_title(title, idx, None, "title")
    scanned = _best_by_title(title, idx, idx.catalog.products, "title")
    assert (indexed and (indexed.product_sku, indexed.confidence, indexed.alternatives)) == (
        scanned and (scanned.product_sku, scanned.confidence, scanned.alternatives)
    )
