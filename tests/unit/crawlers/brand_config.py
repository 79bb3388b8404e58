"""A small brand config written to a directory, for crawler tests (fixtures in conftest.py use it too)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from oneprice.settings.loader import load_config

CATALOG_CSV = """sku,name,gtin,model,unified_price
OP12-128-SLV,OnePhone 12 128GB 星光银,6901234567892,OP12-128,1299.00
OPODS-PRO-WHT,OnePods Pro 白色,4006381333931,OPODS-PRO,899.00
OW-S-BLK,OneWatch S 黑色,,OW-S,1299.00
OC65-WHT,OneCharger 65W,,,149.00
"""


def write_config(
    directory: Path,
    *,
    watch: Sequence[tuple[str, str, str]] = (),
    database_url: str | None = None,
    crawl: str = "",
) -> Path:
    """Write catalog.csv and oneprice.yaml into `directory`; `watch` is (id, url, platform) triples."""
    (directory / "catalog.csv").write_text(CATALOG_CSV, encoding="utf-8")
    lines = [
        "brand:",
        "  name: OnePhone",
        "  currency: CNY",
        "catalog:",
        "  file: catalog.csv",
        "database:",
        f"  url: {database_url or 'sqlite:///' + str(directory / 'oneprice.db')}",
        "resellers:",
        "  - id: xingchen",
        "    name: 星辰数码专营店",
        "  - id: lanhai",
        "    name: 蓝海数码旗舰店",
        "    aliases: [蓝海数码专营店, LANHAI Digital]",
        "  - id: grey-market",
        "    name: ＯｎｅＰｈｏｎｅ　折扣店",
        "    authorized: false",
    ]
    if watch:
        lines.append("watch:")
        for target_id, url, platform in watch:
            lines += [f"  - id: {target_id}", f"    url: {url}", f"    platform: {platform}"]
    if crawl:
        lines += ["crawl:", *[f"  {line}" for line in crawl.strip().splitlines()]]
    path = directory / "oneprice.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def two_variant_spider(directory: Path, target: str, url: str) -> Any:
    """A watch spider over one website target and a catalog with the 128 GB and the 256 GB phone."""
    from crawlers.spiders.watch import WatchSpider

    path = write_config(directory, watch=[(target, url, "website")])
    (directory / "catalog.csv").write_text(
        CATALOG_CSV + "OP12-256-SLV,OnePhone 12 256GB 星光银,6901234567908,OP12-256,1599.00\n", encoding="utf-8"
    )
    return WatchSpider(config=load_config(path))
