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
