"""Keys of `Request.meta` / `Response.meta` that the watch spider and its middlewares share."""

from __future__ import annotations

TARGET_META = "oneprice_target"  # the WatchTarget a request visits
PLATFORM_META = "oneprice_platform"  # the platform whose page profiles apply
PAGE_META = "oneprice_page"  # (url, status, body) of the page whose price a follow-up request fetches
EXTRACTION_META = "oneprice_extraction"  # the Extraction a worker process read, for the spider's parse
# No If-None-Match / If-Modified-Since: the retry after a 304 without evidence, and a page a browser renders.
UNCONDITIONAL_META = "oneprice_unconditional"
