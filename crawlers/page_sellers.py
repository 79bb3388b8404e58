"""The seller a page names when nothing better does: the first element named for it (`seller`, `shopName` ...)
with a short text, without its label ("Sold by", "店铺：") and what it says about the seller (a rating, followers)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from lxml import etree

from crawlers.markup import (
    _HEADINGS,
    _OTHER_PRODUCTS_WORDS,
    _attr_words,
    _headed_as_other_products,
    _invisible,
    _text_of,
    _words,
)
from crawlers.prices import SELLER_MAX, clean_text

# A button or link of a seller block, not its name: "Visit store" named as the seller would be an unknown seller.
_NOT_A_SELLER_NAME = re.compile(
    r"\s*(?:(?:visit|view|go to|enter)\s+(?:the\s+)?(?:store|shop|seller)|contact\s+(?:the\s+)?(?:seller|us|store)"
    r"|follow|chat(?:\s+now)?|ask a question|see all|more|store|shop|seller"
    r"|(?:become|register as|sell)\s+(?:a\s+)?(?:seller|on\b.{0,40})|seller\s+(?:center|centre|central|portal|login)"
    r"|(?:#\s*\d{1,3}\s+)?(?:best|top)[\s-]?sellers?"
    r"|进店逛逛|进入店铺|进店|关注店铺|关注|收藏店铺|联系客服|联系卖家|客服|店铺|卖家)\s*[>›»]?\s*$",
    re.IGNORECASE,
)
_SELLER_NAMES = ("shopname", "storename", "sellername", "merchantname", "vendorname", "soldby")
_SELLER_LABEL = re.compile(
    r"^\s*(?:(?:店铺|卖家|商家)(?:名称|名)?|ships from and sold by|sold and shipped by|sold (?:&|and) fulfilled by"
    r"|sold by|seller|verkauf durch|verkäufer|vendu par|vendido por|vendido y enviado por|vendedor|venduto da"
    r"|verkocht door|販売元|販売者)\s*[:：]?\s*",
    re.IGNORECASE,
)
# A label that says who sells, standing alone before the seller's link (`_labelled_link`): "Sold by", "Vendido por",
# or a shorter word with its colon ("Seller:", "店铺：").
_SELLER_LABEL_ONLY = re.compile(
    r"\s*(?:ships from and sold by|sold and shipped by|sold by|verkauf durch|vendu par|vendido por|venduto da"
    r"|verkocht door|(?:店铺|卖家|商家|seller|vendor|vendedor|verkäufer|販売元|販売者)\s*[:：])\s*[:：]?\s*$",
    re.IGNORECASE,
)
# What a seller block shows after the shop's name, about the seller and not its name: a rating ("98.5% positive",
# "好评率 99%", "4.8 ★"), a count of ratings ("(1,234)"), followers ("粉丝 12万", "12.3K followers") or who ships
# ("and Fulfilled by Amazon."). Each alternative is anchored at the end and bounded.
_SELLER_TAIL = re.compile(
    r"\s*(?:[·|•,–-]\s*)?(?:"
    r"\(?\d{1,3}(?:[.,]\d{1,2})?\s*%\s*(?:positive(?:\s+(?:feedback|ratings?|reviews?))?|好评率?)?\)?"
    r"|(?:好评率?|positive(?:\s+feedback)?)\s*[:：]?\s*\d{1,3}(?:[.,]\d{1,2})?\s*%"
    r"|\(\s*\d[\d,.]{0,12}\s*(?:ratings?|reviews?)?\s*\)"
    r"|(?:粉丝|关注|followers?|fans)\s*[:：]?\s*\d[\d.,]{0,12}\s*[万千wWkKmM]?\+?"
    r"|\d[\d.,]{0,12}\s*[万千wWkKmM]?\+?\s*(?:粉丝|人关注|followers?|fans)"
    r"|\d(?:[.,]\d{1,2})?\s*(?:★|☆|stars?|/\s*5(?:\.0)?)"
    r"|(?:and|&)\s+(?:fulfilled|shipped|delivered|dispatched)\s+by\s+[^\n]{1,80}"
    r"|(?:已售|销量|月销)\s*[:：]?\s*\d[\d.,]{0,12}\s*[万千wW]?\+?\s*(?:件|笔)?"
    r"|\d{1,2}\s*(?:yrs?|years?)"
    r")\s*$",
    re.IGNORECASE,
)
# Parts of a seller block that are about the seller, not its name: a badge ("Official", "Top Rated"), its
# rating or score, its followers, a follow button.
_SELLER_ASIDE_WORDS = frozenset(
    {"badge", "badges", "icon", "tag", "tags", "rating", "ratings", "score", "stars", "star", "level", "fans",
     "followers", "follow", "feedback", "positive", "count", "verified"}
)  # fmt: skip
# A block that lists other sellers' offers of the product ("Other sellers on Amazon", Walmart's "More seller
# options", 其他卖家): their sellers are not this offer's.
_OTHER_OFFERS_WORDS = frozenset({"sellers", "offers", "seller", "offer", "merchants", "vendors"})
_OTHER_OFFERS_HEADING = re.compile(
    r"other sellers|more (?:seller|buying) (?:options|choices)|compare (?:other )?offers|other offers"
    r"|其他卖家|其他商家",
    re.IGNORECASE,
)
_SELLER_NAME_PART = frozenset({"name", "nick", "nickname", "title"})
_NOT_SELLER_NAME_WORDS = frozenset({"delivery", "shipping", "rating", "ratings", "feedback", "score", "chat", "follow"})


def _of_other_offers(el: Any, words: set[str]) -> bool:
    """A block of other products (`_OTHER_PRODUCTS_WORDS`, "You may also like"), of other sellers' offers
    of this product (`other-sellers`, a block headed "Other sellers on Amazon"), a badge that ranks the
    product ("best-seller", "top-seller"), or the site's navigation and footer, whose "seller" links are the
    marketplace's ("Seller Center", "Become a seller")."""
    if words & _OTHER_PRODUCTS_WORDS or _headed_as_other_products(el):
        return True
    if el.tag in ("nav", "footer") or ("seller" in words and words & {"best", "top"}):
        return True
    if el.tag == "header" and not any(up.tag in ("main", "article", "section") for up in el.iterancestors()):
        return True  # the site's header; a product's own <header> inside <main> or <article> holds its shop
    if words & _OTHER_OFFERS_WORDS and words & {"other", "more", "additional", "alternative"}:
        return True
    first = next((c for c in el.iterchildren() if isinstance(c.tag, str)), None) if len(el) else None
    if first is None or first.tag not in _HEADINGS:
        return False
    return _OTHER_OFFERS_HEADING.search(first.text_content()[:80]) is not None


def _labelled_link(el: Any) -> Any:
    """The link that a bare seller label introduces, in a block no class names: `<p>Sold by <a>Acme</a></p>`,
    `<span>Sold by:</span> <a>Acme</a>` (marketplace plugins and themes write the shop's link so)."""
    text = el.text
    if not text or len(text) > 40 or not _SELLER_LABEL_ONLY.match(text):
        return None
    if len(el):
        first = el[0]
        return first if first.tag == "a" else None
    after = el.getnext()
    return after if after is not None and after.tag == "a" and not (el.tail or "").strip() else None


def _seller_aside_hider(root: Any) -> Callable[[Any], bool]:
    """Hide, inside a seller block, what is about the seller and not its name (`_SELLER_ASIDE_WORDS`)."""

    def hide(el: Any) -> bool:
        return _invisible(el) or (el is not root and bool(_words(el) & _SELLER_ASIDE_WORDS))

    return hide


def _seller_name_only(text: str) -> str:
    """A seller block's text without its label ("Sold by", "店铺：") and what follows the name (`_SELLER_TAIL`)."""
    text = _SELLER_LABEL.sub("", text[: SELLER_MAX * 2])
    for _ in range(3):  # "Acme (1,234) 98.5% positive": a count and a rating
        shorter = _SELLER_TAIL.sub("", text, count=1)
        if shorter == text or not shorter:
            break
        text = shorter
    return text


def page_seller(body: Any) -> str | None:
    """The first element named for the seller (`seller`, `shopName` ...) with a short text, its label
    ("Sold by", "店铺：", "Vendido por") taken off; blocks about the seller's delivery or rating
    (Lazada's `module_seller_delivery`) are not its name."""
    walk = etree.iterwalk(body, events=("start",))
    for _, el in walk:
        if not isinstance(el.tag, str):
            continue
        words = _words(el)
        if _of_other_offers(el, words):
            walk.skip_subtree()  # a recommended product's shop, another seller's offer
            continue
        joined = _attr_words(el).lower().replace("-", "").replace("_", "")
        if "seller" not in words and not any(name in joined for name in _SELLER_NAMES):
            if (link := _labelled_link(el)) is None:
                continue
            el = link
        elif words & _NOT_SELLER_NAME_WORDS:
            continue
        else:
            el = _seller_name_in(el)
        text = _text_of(el, _seller_aside_hider(el)) or el.get("title") or ""
        text = _seller_name_only(text)
        if text and len(text) <= SELLER_MAX and not _NOT_A_SELLER_NAME.match(text):
            return clean_text(text, SELLER_MAX)
    return None


def _seller_name_in(el: Any) -> Any:
    """A seller block's own name element (`.seller-info .name`, `.shop-name-box .shop-name-text`)
    when the block also shows its sales, followers or score ("已售1.2万", "粉丝 3.4万"); else the block."""
    if len(el) == 0:
        return el
    whole = _text_of(el)
    for inner in el.iterdescendants():
        if isinstance(inner.tag, str) and _words(inner) & _SELLER_NAME_PART:
            text = _seller_name_only(_text_of(inner))  # a heading that only says "Sold by" is no name
            if text and text != whole:
                return inner
    return el
