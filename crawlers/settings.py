"""Scrapy project settings for oneprice's crawlers (`cd crawlers && scrapy crawl watch`).

The config's `crawl:` section (user agent, concurrency, delay, timeout, retries, robots.txt) wins.
"""

BOT_NAME = "oneprice"
SPIDER_MODULES = ["crawlers.spiders"]
NEWSPIDER_MODULE = "crawlers.spiders"

ITEM_PIPELINES = {"crawlers.pipelines.ObservationPipeline": 300, "crawlers.pipelines.DiscoveryPipeline": 310}
# Items of one response processed at once. Scrapy (>= 2.13) starts this many tasks for every
# response, whatever it yields; a listing page yields one item per offer, mostly one.
CONCURRENT_ITEMS = 16
# Scrapy re-reads a generator callback's source (ast) to warn about `return value` whenever its
# cache has let go of the bound method, which is for most responses; our callbacks return nothing.
WARN_ON_GENERATOR_RETURN_VALUE = False
# If-None-Match / If-Modified-Since, and 304s read from evidence (crawl.conditional_requests).
# Watch pages read in worker processes (crawl.extract_workers), closest to the engine.
# robots.txt through the proxy of its host's pages (crawl.proxies), before Scrapy's robots.txt (100).
DOWNLOADER_MIDDLEWARES = {
    "crawlers.conditional.ConditionalRequestsMiddleware": 560,
    "crawlers.offload.ExtractionOffloadMiddleware": 20,
    "crawlers.proxies.RobotsTxtProxyMiddleware": 90,
}
# AutoThrottle that counts a 304 as a healthy answer (Scrapy's only lets a 200 lower the delay).
EXTENSIONS = {"scrapy.extensions.throttle.AutoThrottle": None, "crawlers.conditional.NotModifiedAutoThrottle": 0}

# Replaced by the config's `crawl:` values when the watch spider starts.
USER_AGENT = "oneprice/0.1 (+price compliance monitor)"
ROBOTSTXT_OBEY = False
CONCURRENT_REQUESTS = 8
CONCURRENT_REQUESTS_PER_DOMAIN = 4
DOWNLOAD_DELAY = 0.0
DOWNLOAD_TIMEOUT = 20
RETRY_ENABLED = True
RETRY_TIMES = 2
# 403/429/503 are the marketplace saying "not you, not now": recorded as blocked, not hammered again.
RETRY_HTTP_CODES = [500, 502, 504, 522, 524, 408]

# Be polite by default: adapt the delay to how fast each site answers.
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0

# Listing pages are small; anything bigger is not one (and would bloat the evidence store).
DOWNLOAD_MAXSIZE = 10 * 1024 * 1024
DOWNLOAD_WARNSIZE = 3 * 1024 * 1024

DEFAULT_REQUEST_HEADERS = {
    "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
    "Accept-Language": "zh-CN,zh;q=0.9,en;q=0.8",
}

# No control ports on a long-running monitor (the telnet console, and the HTTP one of Scrapy >= 2.19).
TELNETCONSOLE_ENABLED = False
REMOTE_CONTROL_ENABLED = False
COOKIES_ENABLED = True
FEED_EXPORT_ENCODING = "utf-8"
LOG_LEVEL = "INFO"
