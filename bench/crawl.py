"""`python -m bench crawl [--quick]`: end-to-end crawl speed against a bare Scrapy spider, and memory.

The sandbox serves N listing pages of ~100 KB in the demo's page shapes (structured data and
platform profiles, sellers and prices varied). Each crawl runs in a child process of its own:

- `full`: the `watch` spider as `oneprice crawl` runs it (fetch, extract, match, store with evidence);
- `bare`: a Scrapy spider that fetches the same URLs with the same settings and does nothing.

Figures: `pages_per_s` (full), `vs_bare_scrapy` = full / bare pages per second (goal >= 0.8), and
`rss_10k_vs_1k` = peak RSS of the full crawl at the large size / at the small size (goal <= 1.2).
"""

from __future__ import annotations

import csv
import json
import resource
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

from bench.common import Figure

ROOT = Path(__file__).resolve().parents[1]
SHAPES = ("jsonld", "microdata", "tmall", "pinduoduo", "youzan", "text_price")
PLATFORM_OF = {"jsonld": "taobao", "microdata": "jd", "tmall": "tmall", "pinduoduo": "pinduoduo",
               "youzan": "youzan", "text_price": "douyin"}  # fmt: skip
PAGE_BYTES = 100_000
SETTINGS = {"AUTOTHROTTLE_ENABLED": False, "CONCURRENT_REQUESTS": 16, "CONCURRENT_REQUESTS_PER_DOMAIN": 16,
            "DOWNLOAD_DELAY": 0, "RETRY_ENABLED": False, "ROBOTSTXT_OBEY": False}  # fmt: skip


def offers(n: int) -> list[Any]:
    """N offers over the demo catalog, shapes and sellers rotating; prices around the unified price."""
    from oneprice.settings.loader import load_config
    from sandbox.seed import Offer

    products = load_config(ROOT / "config" / "demo.yaml").catalog.products
    out = []
    for i in range(n):
        p = products[i % len(products)]
        shape = SHAPES[i % len(SHAPES)]
        price = (p.unified_price.amount * Decimal(90 + i % 15) / 100).quantize(Decimal("0.01"))
        out.append(
            Offer(id=f"b{i}", platform=PLATFORM_OF[shape], seller=f"店铺{i % 300}", sku=p.sku, price=price,
                  list_price=p.unified_price.amount, shape=shape)
        )  # fmt: skip
    return out


def write_config(directory: Path, base_url: str, n: int) -> Path:
    """A copy of the demo brand with N watch targets on the bench sandbox."""
    with (ROOT / "config" / "demo-catalog.csv").open(encoding="utf-8", newline="") as src:
        rows = [{**r, "channels": ""} for r in csv.DictReader(src)]  # the bench config has no channels
    with (directory / "catalog.csv").open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    lines = ["brand:", "  name: bench", "  currency: CNY", "catalog:", "  file: catalog.csv", "database:",
             f"  url: sqlite:///{directory / 'bench.db'}", "crawl:", "  retries: 0", "watch:"]  # fmt: skip
    for o in offers(n):
        lines += [f"  - id: {o.id}", f"    url: {base_url}{o.path}", f"    platform: {o.platform}"]
    path = directory / "bench.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def child(config_path: str, mode: str) -> None:
    """Run one crawl in this process and print {"seconds", "pages", "rss_kb", ...} (called in a subprocess).

    `cpu_s` is this process's CPU time, `workers_cpu_s` and `workers_rss_kb` those of its worker
    processes (`crawl.extract_workers`), once they have ended.
    """
    from oneprice.settings.loader import load_config

    config = load_config(config_path)
    start = time.perf_counter()
    if mode == "full":
        from crawlers.runner import run_crawl

        pages = run_crawl(config, settings=SETTINGS).pages
    else:
        import scrapy
        from scrapy.crawler import CrawlerProcess

        urls = [t.url for t in config.settings.watch]
        seen: list[int] = []

        class BareSpider(scrapy.Spider):
            name = "bare"

            async def start(self) -> Any:
                for url in urls:
                    yield scrapy.Request(url, callback=self.parse, dont_filter=True)

            def parse(self, response: Any, **kwargs: Any) -> None:
                seen.append(len(response.body))

        process = CrawlerProcess({**SETTINGS, "LOG_LEVEL": "WARNING", "TELNETCONSOLE_ENABLED": False})
        process.crawl(BareSpider)
        process.start()
        pages = len(seen)
    seconds = time.perf_counter() - start
    own, workers = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    print(json.dumps({"seconds": seconds, "pages": pages, "rss_kb": own.ru_maxrss,
                      "cpu_s": own.ru_utime + own.ru_stime, "workers_cpu_s": workers.ru_utime + workers.ru_stime,
                      "workers_rss_kb": workers.ru_maxrss}), flush=True)  # fmt: skip


def _measure(config: Path, mode: str) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, "-m", "bench.crawl", "child", str(config), mode],
        capture_output=True, text=True, check=False, cwd=ROOT,
    )  # fmt: skip
    if done.returncode != 0:
        raise RuntimeError(f"{mode} crawl failed:\n{done.stderr[-3000:]}")
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def run(quick: bool) -> tuple[dict[str, Figure], dict[str, Any]]:
    from oneprice.settings.loader import load_config
    from sandbox import Sandbox

    large, small = (1000, 200) if quick else (10_000, 1000)
    demo = load_config(ROOT / "config" / "demo.yaml")
    box = Sandbox(demo.settings.brand.name, demo.catalog, offers(large), {})
    box.storefront.filler = PAGE_BYTES
    results: dict[str, dict[str, float]] = {}
    with box.running(port=0) as url, tempfile.TemporaryDirectory() as tmp:
        for size in (small, large):
            folder = Path(tmp) / str(size)
            folder.mkdir()
            config = write_config(folder, url, size)
            results[f"bare_{size}"] = _measure(config, "bare")
            results[f"full_{size}"] = _measure(config, "full")
    full, bare = results[f"full_{large}"], results[f"bare_{large}"]
    full_rate = full["pages"] / full["seconds"]
    bare_rate = bare["pages"] / bare["seconds"]
    figures = {
        "pages_per_s": Figure(full_rate, bare_rate, ">= 0.8", unit="pages/s", note=f"{large} pages"),
        "vs_bare_scrapy": Figure(full_rate / bare_rate, 1.0, ">= 0.8", note="full / bare pages per second"),
        "rss_10k_vs_1k": Figure(
            full["rss_kb"], results[f"full_{small}"]["rss_kb"], "<= 1.2", unit="KiB", note=f"{large} vs {small}"
        ),
    }
    return figures, {"pages": large, "small": small, "page_bytes": PAGE_BYTES, "results": results}


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "child":
        child(sys.argv[2], sys.argv[3])
    else:
        sys.exit("usage: python -m bench crawl [--quick]")
