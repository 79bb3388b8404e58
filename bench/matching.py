"""`python -m bench matching`: precision and recall of title matching on a labelled set of listings.

The set is built from the demo catalog the way resellers rewrite titles: marketing words, spaces
dropped, the brand left out, words reordered, full-width letters, "码" after sizes (true product
known), and listings that must not match: another colour, a size or volume the brand does not make,
packs of several, other brands' products. Only titles are used (no GTIN/SKU), the hardest case.
"""

from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from bench.common import Figure
from crawlers.extraction import Extraction, ExtractionStatus
from crawlers.matching import CatalogIndex, match
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
    out += [Listing(t, None, "other_brand") for t in OTHER_BRANDS]
    return out


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
    args = {"listings": got["listings"], "positives": got["positives"], "accept": str(ACCEPT), "seed": 7}
    return figures, args
