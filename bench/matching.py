"""`python -m bench matching`: precision and recall of title matching on a labelled set of listings.

The set is built from the demo catalog the way resellers rewrite titles: marketing words, spaces
dropped, the brand left out, words reordered, full-width letters, "码" after sizes (true product
known), and listings that must not match: another colour, a size or volume the brand does not make,
packs of several, other brands' products, and listings that name the product but are another
thing (an accessory, a second-hand copy, a lookalike, another model, a pack). Only titles are used
(no GTIN/SKU), the hardest case.
"""

from __future__ import annotations

import random
import time
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from bench.common import Figure
from crawlers.extraction import Extraction, ExtractionStatus
from crawlers.matching import CatalogIndex, _best_by_title, match
from crawlers.titles import listing_flags
from oneprice.domain.catalog import Catalog, Product
from oneprice.settings.loader import load_config

ROOT = Path(__file__).resolve().parents[1]
ACCEPT = Decimal("0.80")  # the default `crawl.matching.accept`
MARKETING = ["【正品】", "2026新款", "包邮", "官方授权", "现货速发", "户外", "男女同款", "顺丰", "限时特惠", "专柜同款"]
OTHER_COLOURS = ["橄榄绿", "卡其", "雾霾蓝", "酒红"]
OTHER_BRANDS = [
    "迪卡侬 冲锋衣 男 防水 三合一", "探路者 徒步鞋 防滑 42码", "骆驼 双肩包 30L 登山", "凯乐石 抓绒衣 M",
    "牧高笛 双人帐篷 三季", "黑冰 羽绒睡袋 -10℃", "Petzl 头灯 USB", "膳魔师 保温杯 500ml", "火枫 炉头 分体",
    "Black Diamond 登山杖 碳纤维 一对",
]  # fmt: skip


@dataclass(frozen=True)
class Listing:
    title: str
    truth: str | None  # the catalog SKU it is, or None when it is no product of the catalog
    kind: str  # how the title was made


def _rewrite(rng: random.Random, p: Product) -> tuple[str, str]:
    words = p.name.split()
    how = rng.choice(["marketing", "no_spaces", "no_brand", "reorder", "fullwidth", "size_suffix"])
    if how == "no_spaces":
        title = "".join(words)
    elif how == "no_brand":
        title = " ".join(words[1:])
    elif how == "reorder" and len(words) > 3:
        head, tail = words[:-2], words[-2:]
        title = " ".join([*head[:1], *tail[::-1], *head[1:]])
    elif how == "fullwidth":
        title = "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in p.name)
    elif how == "size_suffix" and p.size and not p.size.endswith(("L", "l", "ml")):
        title = p.name.replace(f" {p.size}", f" {p.size}码")
    else:
        how = "marketing"
        title = p.name
    extra = rng.sample(MARKETING, rng.randint(1, 3))
    return " ".join([extra[0], title, *extra[1:]]), how


def _negative(rng: random.Random, p: Product) -> tuple[str, str] | None:
    if p.color and rng.random() < 0.5:
        return p.name.replace(p.color, rng.choice(OTHER_COLOURS)), "other_colour"
    if p.size and p.size[0].isalpha() and not p.size.endswith("L"):
        return p.name.replace(f" {p.size}", " XXL"), "missing_size"
    if p.size and p.size.isdigit():
        return p.name.replace(f" {p.size}", " 47"), "missing_size"
    if "ml" in p.name:
        return p.name.replace("750ml", "500ml"), "other_volume"
    if not p.size and not p.color:
        return f"{p.name} 3件装", "pack_of_3"
    return None


# Listings that name the product but are another thing: an accessory for it, a second-hand copy, a lookalike,
# another model of the line, a pack. One per product, in turn, so the random rewrites above stay as they were.
OTHER_THINGS = [
    ("{name} 保护套", "accessory"),
    ("{name} 二手 95新", "second_hand"),
    ("{name} 同款", "lookalike"),
    ("{name} Pro", "other_model"),
    ("{name} *2", "pack_of_2"),
    ("{name} 买一送一", "buy_one_get_one"),
]


def labelled_set(catalog: Catalog, seed: int = 7, per_product: int = 6) -> list[Listing]:
    """Listings with their true SKU (or None), deterministic for a seed."""
    rng = random.Random(seed)
    out: list[Listing] = []
    for p in catalog.products:
        for _ in range(per_product):
            title, how = _rewrite(rng, p)
            out.append(Listing(unicodedata.normalize("NFC", title), p.sku, how))
        negative = _negative(rng, p)
        if negative is not None:
            out.append(Listing(negative[0], None, negative[1]))
    for i, p in enumerate(catalog.products):
        pattern, how = OTHER_THINGS[i % len(OTHER_THINGS)]
        out.append(Listing(unicodedata.normalize("NFC", pattern.format(name=p.name)), None, how))
    out += [Listing(t, None, "other_brand") for t in OTHER_BRANDS]
    return out


SERIES_SYLLABLES = list("岚峰云岭雪松石溪星河山海风林川谷月野泉原霞岩")
ITEM_TYPES = ["冲锋衣", "软壳衣", "抓绒衣", "羽绒服", "速干T恤", "徒步鞋", "登山鞋", "双肩包", "睡袋", "帐篷",
              "登山杖", "头灯", "保温杯", "防晒衣", "冲锋裤", "手套", "围脖", "营地椅", "炉头", "水袋"]  # fmt: skip
FEATURES = ["GORE-TEX", "轻量", "防水", "Pro", "Lite", "超轻", "加厚", "透气", "", ""]
COLOURS = ["曜石黑", "丹霞红", "苔绿", "冰川蓝", "沙丘黄", "岩灰", "雾白", "藏青"]
SIZES = ["S", "M", "L", "XL", "XXL"]


def scaled_catalog(n: int, seed: int = 11) -> Catalog:
    """A catalog of N products shaped like the demo's: series x type x colour x size, one brand word."""
    from oneprice.domain.money import Money

    rng = random.Random(seed)
    products: list[Product] = []
    family = 0
    while len(products) < n:
        family += 1
        series = "".join(rng.sample(SERIES_SYLLABLES, 2))
        kind, feature = rng.choice(ITEM_TYPES), rng.choice(FEATURES)
        model = f"SY-{family:05d}"
        price = Money.of(Decimal(rng.randint(59, 2999)), "CNY")
        for colour in rng.sample(COLOURS, rng.randint(1, 4)):
            for size in rng.sample(SIZES, rng.randint(1, 3)) if kind.endswith(("衣", "服", "裤", "T恤")) else [None]:
                name = " ".join(w for w in ("山屿", series, feature, kind, colour, size or "") if w)
                sku = f"{model}-{COLOURS.index(colour)}{'-' + size if size else ''}"
                products.append(Product(sku=sku, name=name, unified_price=price, model=model, parent_sku=model,
                                        color=colour, size=size))  # fmt: skip
    return Catalog(products=tuple(products[:n]))


def score(listings: list[Listing], index: CatalogIndex, accept: Decimal = ACCEPT) -> dict[str, Any]:
    """Precision and recall of accepted matches, the share sent to review, and the errors."""
    accepted = correct = review = 0
    errors: list[tuple[str, str | None, str | None]] = []
    for item in listings:
        result = match(Extraction(status=ExtractionStatus.NO_PRICE, title=item.title), index)
        if result.product_sku is None:
            if item.truth is not None:
                errors.append((item.title, item.truth, None))
            continue
        if result.confidence < accept:
            review += 1
            continue
        accepted += 1
        if result.product_sku == item.truth:
            correct += 1
        else:
            errors.append((item.title, item.truth, result.product_sku))
    positives = sum(1 for i in listings if i.truth is not None)
    return {
        "precision": correct / accepted if accepted else 1.0,
        "recall": correct / positives if positives else 1.0,
        "review_share": review / len(listings),
        "listings": len(listings),
        "positives": positives,
        "wrong_accepts": [e for e in errors if e[2] is not None],
    }


def title_speed(n: int, listings: int = 200) -> tuple[float, float]:
    """Seconds to match `listings` titles against a catalog of N products: through the catalog's word
    index (`match`), and scoring every product; the two must pick the same products."""
    index = CatalogIndex(scaled_catalog(n))
    every = labelled_set(index.catalog, per_product=1)
    titles = [i.title for i in every[:: max(1, len(every) // listings)]]
    sample = [Extraction(status=ExtractionStatus.NO_PRICE, title=t) for t in titles]
    started = time.perf_counter()
    indexed = [match(e, index) for e in sample]
    indexed_s = time.perf_counter() - started
    started = time.perf_counter()
    # A lookalike (同款) is turned away before any product is scored, on both sides.
    scanned = [
        None
        if "lookalike" in listing_flags(e.title or "")
        else _best_by_title(e, index, index.catalog.products, "title")
        for e in sample
    ]
    scanned_s = time.perf_counter() - started
    for title, a, b in zip(titles, indexed, scanned, strict=True):
        if (a.product_sku, a.alternatives) != ((b.product_sku, b.alternatives) if b else (None, ())):
            raise AssertionError(f"{title!r}: the index and scoring every product disagree")
    return indexed_s, scanned_s


def run(quick: bool) -> tuple[dict[str, Figure], dict[str, Any]]:
    catalog = load_config(ROOT / "config" / "demo.yaml").catalog
    index = CatalogIndex(catalog)
    per_product = 4 if quick else 20
    listings = labelled_set(catalog, per_product=per_product)
    got = score(listings, index)
    figures = {
        "precision": Figure(got["precision"], 1.0, ">= 0.99", note="accepted matches that are right"),
        "recall": Figure(got["recall"], 1.0, ">= 0.7", note="true listings accepted as the right SKU"),
        "review_share": Figure(got["review_share"], 1.0, "<= 0.3", note="listings left to a person"),
    }
    for title, truth, found in got["wrong_accepts"][:10]:
        print(f"wrong accept: {title!r}: truth {truth}, matched {found}")
    products = 3_000 if quick else 20_000
    indexed_s, scanned_s = title_speed(products)
    figures["title_vs_scan"] = Figure(
        indexed_s,
        scanned_s,
        "<= 0.25",
        unit="s",
        note=f"200 titles, {products:,} products: index / every product scored",
    )
    args = {"listings": got["listings"], "positives": got["positives"], "accept": str(ACCEPT), "seed": 7,
            "title_speed_products": products}  # fmt: skip
    return figures, args
