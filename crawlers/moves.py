"""Whether a listing's address, after the redirects a fetch followed, still shows the listing watched.

Marketplaces send a visitor of a removed or replaced listing somewhere else: JD to its home page, a
store to its catalogue or to another product, a marketplace to a newer listing. The page found there
is not the watched listing, and its prices (the home page's recommendations, another product's) must
not be read as the listing's. A redirect that keeps the listing is common too and changes nothing:
http to https, `www.`, a Taobao item shown on Tmall (`item.taobao.com/item.htm?id=N` to
`detail.tmall.com/item.htm?id=N`), Amazon's and eBay's title words added to the path, tracking
parameters dropped, a locale prefix added.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlsplit

# Query parameters that name the item (Taobao/Tmall `id`, Pinduoduo `goods_id`, Weidian `itemID`,
# Shopify `variant`, eBay `var`, ...); other parameters (tracking, affiliate ids) may come and go.
_ITEM_PARAMS = re.compile(
    r"^(?:id|item_?id|goods_?id|sku_?id|offer_?id|product_?id|spu_?id|num_iid|variant|var|asin|alias)$",
    re.IGNORECASE,
)
# An item number in the path: JD's /100012043978.html, eBay's /itm/…/123456789012, AliExpress,
# Lazada's -i3456789012-s17654321098, 1688, Vipshop, Walmart, Dangdang, Suning.
_PATH_NUMBER = re.compile(r"(?<![0-9])[0-9]{6,20}(?![0-9])")
_ASIN = re.compile(r"/(?:dp|gp/product|gp/aw/d)/([A-Za-z0-9]{10})(?![A-Za-z0-9])")
# Second-level labels under which a country's domains are registered (example.co.uk, example.com.au).
_SECOND_LEVEL = frozenset({"co", "com", "net", "org", "gov", "edu", "ac", "ne", "or"})


def item_tokens(url: str) -> frozenset[str]:
    """The item numbers an address names: id-like query values, long numbers in its path, an ASIN."""
    parts = urlsplit(url)
    tokens = set(_PATH_NUMBER.findall(parts.path))
    tokens.update(m.upper() for m in _ASIN.findall(parts.path))
    for key, value in parse_qsl(parts.query, keep_blank_values=False):
        if _ITEM_PARAMS.match(key) and value.strip():
            tokens.add(value.strip().upper() if key.lower() == "asin" else value.strip())
    return frozenset(tokens)


def moved_elsewhere(original: str, final: str) -> bool:
    """Whether the redirects from `original` ended on another listing, or on no listing.

    An address naming an item number keeps the listing when the final address names the same one
    (any of them: a tracking id may be dropped). An address naming none (a store's
    `/products/<handle>`) keeps it on the same site with the same last path segment.
    """
    if original == final:
        return False
    try:
        before, after = urlsplit(original), urlsplit(final)
        wanted = item_tokens(original)
        if wanted:
            return not wanted & item_tokens(final)
        return _site(before.hostname) != _site(after.hostname) or _last_segment(before.path) != _last_segment(
            after.path
        )
    except ValueError:  # an address no URL can be made of
        return True


def _site(host: str | None) -> str:
    labels = (host or "").rstrip(".").lower().split(".")
    keep = 3 if len(labels) >= 3 and len(labels[-1]) == 2 and labels[-2] in _SECOND_LEVEL else 2
    return ".".join(labels[-keep:])


def _last_segment(path: str) -> str:
    return path.rstrip("/").rsplit("/", 1)[-1].lower()
