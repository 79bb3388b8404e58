"""The site's name around a page's `<title>`: the names a site goes by, and the title without them
("Trail Runner 3 – Ridgeline Outdoor" -> "Trail Runner 3", "商品-tmall.com天猫" -> "商品")."""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import urlsplit

from lxml import etree

_SITE_NAME_META = etree.XPath(
    "/html/head/meta[@property='og:site_name' or @name='og:site_name' or @name='application-name'"
    " or @name='apple-mobile-web-app-title']/@content"
)


# Separators between a page's name and its site's: spaced ("Trail Runner 3 – Ridgeline Outdoor", "Product |
# Shop"), or unspaced before a marketplace's name ("商品-京东", "商品-tmall.com天猫", "商品_淘宝网").
_SPACED_SEPARATOR = re.compile(r"\s+(?:[-–—|·•»:]|::)\s+|\s*[|｜]\s*")
_UNSPACED_SEPARATOR = re.compile(r"[-_–—]")
# Marketplaces whose name their pages write around the item's (as keys: `_site_key`), besides their hosts'.
# After an unspaced hyphen only a Chinese one counts: "商品-京东", never "Dart-Target".
_MARKETPLACE_KEYS = frozenset(
    {"京东", "京东商城", "京东jdcom", "jdcom", "天猫", "tmall", "tmallcom", "tmallcom天猫", "天猫tmallcom",
     "淘宝", "淘宝网", "taobao", "taobaocom", "苏宁易购", "当当", "当当网", "唯品会", "拼多多", "1688com",
     "阿里巴巴", "阿里巴巴1688", "walmartcom", "bestbuycom", "aliexpress", "flipkartcom", "mercadolibre",
     "mercadolivre", "bolcom", "楽天市場", "yahooショッピング", "neweggcom", "etsycom"}
)  # fmt: skip
_MARKETPLACE_SITE = re.compile(
    r"(?:amazon|ebay|lazada|shopee|rakuten)(?:com|co|ca|de|fr|es|it|jp|uk|in|cn|nl|se|pl|au|br|mx|ae|sg|my|ph|th|vn|tw)*"
)
# Amazon's titles: "Amazon.com: <item> : Sports & Outdoors", "<item> : Amazon.co.uk: Sports & Outdoors".
_AMAZON_TITLE = re.compile(
    r"^amazon\.[a-z.]{2,7}\s*:\s*(?P<a>.+?)(?:\s+:\s+[^:]{1,60})?$|^(?P<b>.+?)\s+:\s+amazon\.[a-z.]{2,7}\s*:\s*[^:]{0,60}$",
    re.IGNORECASE,
)
# JD's words after every item's name ("【行情 报价 价格 评测】") and Suning's ("【价格 图片 品牌 报价】").
_LISTING_WORDS = re.compile(r"\s*【(?:\s*(?:行情|报价|价格|评测|图片|品牌|参数|怎么样|多少钱|评价)\s*[,，、_]?)+】\s*$")
# A shop's name in brackets before the item's ("【山屿旗舰店】"), the marketplace's channel ("【京东超市】") or its name
# ("【楽天市場】").
_BRACKETED_BEFORE = re.compile(r"^\s*【(?P<name>[^【】]{1,30})】\s*")
_SHOP_NAME = re.compile(r"(?:旗舰店|专卖店|专营店|官方店|自营店|企业店|超市|自营|店)$")
_SHOP_WORDS = (
    "",
    "store",
    "shop",
    "officialstore",
    "onlinestore",
    "onlineshop",
    "官方旗舰店",
    "旗舰店",
    "官网",
    "官方商城",
)
_HOST_PREFIXES = ("www.", "m.", "shop.", "store.", "item.", "detail.", "product.")
_SECOND_LEVEL = frozenset({"co", "com", "net", "org", "ac", "gov", "ne", "or", "edu"})


def _site_key(text: str) -> str:
    """A name as compared: lower case, letters and digits only ("Ridgeline-Outdoor.com" -> "ridgelineoutdoorcom")."""
    return re.sub(r"[\W_]+", "", text.casefold())


def site_names(names: Iterable[str | None], url: str) -> frozenset[str]:
    """Keys (`_site_key`) of the names a site goes by: those it states (`og:site_name`, `application-name`)
    and its host's ("ridgeline-outdoor.com": "ridgelineoutdoor", "ridgelineoutdoorcom"), with a shop word or
    none after them ("Ridgeline Outdoor Store")."""
    keys = {k for n in names if n and len(k := _site_key(n[:80])) >= 2}
    host = (urlsplit(url).hostname or "").lower() if "//" in url else ""
    for prefix in _HOST_PREFIXES:
        host = host.removeprefix(prefix)
    labels = host.split(".")
    if len(labels) >= 2:
        stem = labels[:-1]
        if len(stem) >= 2 and stem[-1] in _SECOND_LEVEL:
            stem = stem[:-1]
        if stem and len(stem[-1]) >= 3:
            keys |= {_site_key(stem[-1]), _site_key(".".join(labels[len(stem) - 1 :]))}
    return frozenset(k + word for k in keys for word in _SHOP_WORDS)


def _names_site(segment: str, keys: frozenset[str], spaced: bool) -> bool:
    """Whether a segment of a title is the site's name: a marketplace's anywhere, the site's own after a
    spaced separator only (an unspaced hyphen is part of many products' names: "X-Pro")."""
    key = _site_key(segment)
    if not spaced:
        return key in _MARKETPLACE_KEYS and _CJK_CHARACTER.search(key) is not None
    return bool(key) and (key in keys or key in _MARKETPLACE_KEYS or _MARKETPLACE_SITE.fullmatch(key) is not None)


def _keeps_a_name(rest: str) -> bool:
    """Whether what is left of a title still names something: three letters or digits, or two CJK characters."""
    return len(re.findall(r"[^\W_]", rest)) >= 3 or len(_CJK_CHARACTER.findall(rest)) >= 2


_CJK_CHARACTER = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")


def without_site_name(title: str, keys: frozenset[str]) -> str:
    """A page's `<title>` without the site's name before or after the item's name: "Trail Runner 3 – Ridgeline
    Outdoor" -> "Trail Runner 3", "【山屿旗舰店】山屿冲锋衣-tmall.com天猫" -> "山屿冲锋衣", "Amazon.com: Tent :
    Sports & Outdoors" -> "Tent". Only a segment that is the site's (`keys`, `site_names`) or a marketplace's
    name is cut, and never when too little would be left: a product's name with " - " in it stays whole."""
    if (m := _AMAZON_TITLE.match(title)) is not None and _keeps_a_name(named := m.group("a") or m.group("b")):
        return named.strip()
    for _ in range(3):
        shorter = _cut_site_name(title, keys)
        if shorter == title:
            break
        title = shorter
    return title


def _cut_site_name(title: str, keys: frozenset[str]) -> str:
    """`title` with one of: JD's or Suning's words after the name, the site's name after it or before it,
    a shop's name in brackets before it; the title itself when none is there or too little would be left."""
    if (m := _LISTING_WORDS.search(title)) is not None and _keeps_a_name(title[: m.start()]):
        return title[: m.start()].rstrip()
    spaced = list(_SPACED_SEPARATOR.finditer(title))
    if spaced:
        last, first = spaced[-1], spaced[0]
        if _names_site(title[last.end() :], keys, spaced=True) and _keeps_a_name(title[: last.start()]):
            return title[: last.start()].rstrip()
        if _names_site(title[: first.start()], keys, spaced=True) and _keeps_a_name(title[first.end() :]):
            return title[first.end() :].lstrip()
    unspaced = list(_UNSPACED_SEPARATOR.finditer(title))
    if unspaced:
        last = unspaced[-1]
        if _names_site(title[last.end() :], keys, spaced=False) and _keeps_a_name(title[: last.start()]):
            return title[: last.start()].rstrip()
    if (m := _BRACKETED_BEFORE.match(title)) is not None and _keeps_a_name(title[m.end() :]):
        named = m.group("name")
        if _SHOP_NAME.search(named) or _names_site(named, keys, spaced=True):
            return title[m.end() :]
    return title
