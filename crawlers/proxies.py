"""Fetching through a proxy (`crawl.proxies`, per platform or "*"): what a request carries for it.

A plain request carries `meta["proxy"]`; Scrapy's HttpProxyMiddleware moves the URL's credentials
into a Proxy-Authorization header (sent to the proxy, never to the site) and leaves them out of
every log line. A page a browser renders (`crawl.render`) is fetched by a browser context of its
own per proxy, which scrapy-playwright creates once with Playwright's `proxy` option.
"""

from __future__ import annotations

import hashlib
from typing import Any
from urllib.parse import unquote, urlsplit


def proxy_meta(url: str | None, *, rendered: bool = False) -> dict[str, Any]:
    """Request meta that sends a request through the proxy `url` (none for a direct request)."""
    if url is None:
        return {}
    if not rendered:
        return {"proxy": url}
    parts = urlsplit(url)
    proxy: dict[str, str] = {"server": f"{parts.scheme}://{parts.hostname}:{parts.port}"}
    if parts.username:
        proxy["username"] = unquote(parts.username)
        proxy["password"] = unquote(parts.password or "")
    # One browser context per proxy (a context's proxy is fixed); its name, which scrapy-playwright
    # logs, is a digest, never the address or credentials.
    name = "proxy-" + hashlib.sha256(url.encode("utf-8")).hexdigest()[:12]
    return {"playwright_context": name, "playwright_context_kwargs": {"proxy": proxy}}


class RobotsTxtProxyMiddleware:
    """Fetches a site's robots.txt through the proxy its pages go through.

    Scrapy's RobotsTxtMiddleware asks for robots.txt with a request of its own, which carries no
    proxy: with `obey_robots_txt` on it would go to the site directly, from the address the proxy
    is there to keep out of sight. Placed before it, this middleware notes the proxy of each host's
    pages and gives it to that host's robots.txt request.
    """

    def __init__(self) -> None:
        self._by_host: dict[str, str] = {}

    def process_request(self, request: Any, spider: Any = None) -> None:
        parts = urlsplit(request.url)
        host = f"{parts.scheme}://{parts.netloc}"
        proxy = request.meta.get("proxy")
        if proxy:
            self._by_host.setdefault(host, proxy)
        elif request.meta.get("dont_obey_robotstxt") and parts.path == "/robots.txt" and host in self._by_host:
            request.meta["proxy"] = self._by_host[host]
