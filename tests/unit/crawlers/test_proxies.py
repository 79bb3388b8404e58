"""`crawl.proxies`: pages of a platform fetched through its proxy, the credentials never in sight."""

from __future__ import annotations

import base64
import subprocess
import sys
import threading
import urllib.request
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from scrapy import Request

from crawlers.proxies import RobotsTxtProxyMiddleware, proxy_meta
from crawlers.runner import crawl_in_subprocess
from crawlers.spiders.watch import WatchSpider
from oneprice.domain.observation import ObservationStatus
from oneprice.errors import UserError
from oneprice.settings import masked
from oneprice.settings.crawl import CrawlSettings
from oneprice.settings.loader import load_config
from oneprice.storage import Database, ObservationRepository

PASSWORD = "s3cr3t-Pw"
FAST = {"AUTOTHROTTLE_ENABLED": False}


class ForwardProxy:
    """A forward HTTP proxy on 127.0.0.1: records what it was asked and with which credentials."""

    def __init__(self) -> None:
        self.seen: list[tuple[str, str | None]] = []
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                proxy.seen.append((self.path, self.headers.get("Proxy-Authorization")))
                direct = urllib.request.build_opener(urllib.request.ProxyHandler({}))
                try:
                    with direct.open(self.path, timeout=10) as answer:
                        body, status, kind = answer.read(), answer.status, answer.headers.get("Content-Type", "")
                except urllib.error.HTTPError as e:
                    body, status, kind = e.read(), e.code, e.headers.get("Content-Type", "")
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]


@pytest.fixture
def forward_proxy() -> Iterator[ForwardProxy]:
    proxy = ForwardProxy()
    threading.Thread(target=proxy.server.serve_forever, daemon=True).start()
    yield proxy
    proxy.server.shutdown()
    proxy.server.server_close()


def test_proxy_meta_for_plain_and_rendered_requests() -> None:
    url = f"http://shop%40cn:{PASSWORD}@127.0.0.1:3128"
    assert proxy_meta(None) == {} and proxy_meta(None, rendered=True) == {}
    assert proxy_meta(url) == {"proxy": url}
    drawn = proxy_meta(url, rendered=True)
    assert drawn["playwright_context_kwargs"] == {
        "proxy": {"server": "http://127.0.0.1:3128", "username": "shop@cn", "password": PASSWORD}
    }
    assert drawn["playwright_context"].startswith("proxy-") and PASSWORD not in drawn["playwright_context"]
    assert "shop" not in drawn["playwright_context"]
    assert "username" not in proxy_meta("http://127.0.0.1:3128", rendered=True)["playwright_context_kwargs"]["proxy"]


def test_a_platform_takes_its_own_proxy_else_the_default() -> None:
    crawl = CrawlSettings.model_validate(
        {"proxies": {"taobao": "http://cn.proxy.example:8000", "*": "https://u:p@all.proxy.example:443"}}
    )
    assert crawl.proxy_for("taobao") == "http://cn.proxy.example:8000"
    assert crawl.proxy_for("amazon") == "https://u:p@all.proxy.example:443"
    assert CrawlSettings.model_validate({"proxies": {"jd": "http://p.example:1"}}).proxy_for("amazon") is None


@pytest.mark.parametrize(
    ("proxies", "message"),
    [
        ({"tmal": "http://p.example:8000"}, "unknown platform 'tmal'"),
        ({"jd": f"socks5://u:{PASSWORD}@p.example:1080"}, "proxy of 'jd' must be http(s)://"),
        ({"jd": f"http://u:{PASSWORD}@p.example"}, "proxy of 'jd' must be http(s)://"),
        ({"jd": f"http://u:{PASSWORD}@p.example:99999"}, "proxy of 'jd' must be http(s)://"),
    ],
)
def test_bad_proxies_are_named_without_their_credentials(
    tmp_path: Path, make_config: Callable[..., Path], proxies: dict[str, str], message: str
) -> None:
    lines = "\n".join(f"  {k}: {v}" for k, v in proxies.items())
    path = make_config(tmp_path, crawl=f"proxies:\n{lines}")
    with pytest.raises(UserError) as raised:
        load_config(path)
    assert message in str(raised.value) and "crawl.proxies" in str(raised.value)
    assert PASSWORD not in str(raised.value)


def test_the_printed_config_masks_proxy_credentials(tmp_path: Path, make_config: Callable[..., Path]) -> None:
    path = make_config(tmp_path, crawl=f"proxies:\n  '*': http://user:{PASSWORD}@10.0.0.9:3128")
    shown = str(masked(load_config(path).settings))
    assert PASSWORD not in shown and "user:" not in shown and "http://***@10.0.0.9:3128" in shown


def test_watch_requests_of_a_proxied_platform_carry_the_proxy(tmp_path: Path, make_config: Callable[..., Path]) -> None:
    path = make_config(
        tmp_path,
        watch=[
            ("tb", "https://item.taobao.com/item.htm?id=1", "taobao"),
            ("am", "https://www.amazon.com/dp/B0", "amazon"),
        ],
        crawl=f"proxies:\n  taobao: http://u:{PASSWORD}@127.0.0.1:3128",
    )
    requests = {r.meta["oneprice_target"]: r for r in WatchSpider(config=load_config(path)).start_requests()}
    assert requests["tb"].meta["proxy"] == f"http://u:{PASSWORD}@127.0.0.1:3128"
    assert "proxy" not in requests["am"].meta


@pytest.mark.slow
def test_a_crawl_fetches_the_proxied_platform_through_its_proxy_and_logs_no_credentials(
    tmp_path: Path, site: str, make_config: Callable[..., Path], forward_proxy: ForwardProxy
) -> None:
    proxy_url = f"http://crawler:{PASSWORD}@127.0.0.1:{forward_proxy.port}"
    path = make_config(
        tmp_path,
        watch=[
            ("shop-op12", f"{site}/shop/jsonld_product.html", "website"),
            ("tb-gbk", f"{site}/taobao/gbk_listing.html", "taobao"),
        ],
        crawl=f"retries: 0\ntimeout: 10\nproxies:\n  website: {proxy_url}",
    )
    summary = crawl_in_subprocess(str(path), settings=FAST, timeout=120)
    assert summary.pages == 2
    # Only the website's page went through the proxy, with the credentials as Basic auth.
    expected_auth = "Basic " + base64.b64encode(f"crawler:{PASSWORD}".encode()).decode()
    assert forward_proxy.seen == [(f"{site}/shop/jsonld_product.html", expected_auth)]
    db = Database.open(load_config(path).database_url())
    try:
        latest = {o.target_id: o for o in ObservationRepository(db).latest_per_target()}
    finally:
        db.dispose()
    assert latest["shop-op12"].status is ObservationStatus.OK
    assert latest["tb-gbk"].status is ObservationStatus.REVIEW  # read as without a proxy
    # The crawl's own log, at its most talkative, never shows the password.
    command = [sys.executable, "-m", "crawlers.runner", str(path), "--log-level", "DEBUG"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    assert PASSWORD not in done.stdout + done.stderr
    assert len(forward_proxy.seen) == 2


def test_robots_txt_goes_through_the_proxy_of_its_hosts_pages() -> None:
    middleware = RobotsTxtProxyMiddleware()
    proxy = f"http://u:{PASSWORD}@127.0.0.1:3128"
    page = Request("https://item.taobao.com/item.htm?id=1", meta={"proxy": proxy})
    middleware.process_request(page)
    robots = Request("https://item.taobao.com/robots.txt", meta={"dont_obey_robotstxt": True})
    middleware.process_request(robots)
    assert robots.meta["proxy"] == proxy
    # Another host's robots.txt, and a page that merely is called robots.txt, go as they were.
    elsewhere = Request("https://www.amazon.com/robots.txt", meta={"dont_obey_robotstxt": True})
    middleware.process_request(elsewhere)
    assert "proxy" not in elsewhere.meta
    plain = Request("https://item.taobao.com/robots.txt")
    middleware.process_request(plain)
    assert "proxy" not in plain.meta


def test_the_robots_txt_middleware_runs_before_scrapys() -> None:
    from scrapy.settings import Settings

    settings = Settings()
    settings.setmodule("crawlers.settings")
    order = settings.getwithbase("DOWNLOADER_MIDDLEWARES")
    ours = order["crawlers.proxies.RobotsTxtProxyMiddleware"]
    assert ours < order["scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware"]
