"""A parsed page's text as a browser shows it: text pieces in reading order, hidden parts left out, class words.

Shared by the page readers (`crawlers.page`, `crawlers.page_sellers`, `crawlers.identifiers`); any markup is read.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from lxml import etree

_NOT_SHOWN = frozenset({"script", "style", "noscript", "template", "head", "title"})

_WORD = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+")


def _attr_words(el: Any) -> str:
    return f"{el.get('class') or ''} {el.get('id') or ''}"


def _words(el: Any) -> set[str]:
    """'J_StrPrice old-price' -> {'j', 'str', 'price', 'old'}."""
    return {w.lower() for w in _WORD.findall(_attr_words(el))}


# Words of a block that shows other products (related, recommended, "guess you like", a shop's
# best sellers): their prices and stock are not this page's.
_OTHER_PRODUCTS_WORDS = frozenset(
    {"related", "recommend", "recommended", "recommendation", "recommendations", "recom", "similar", "upsell",
     "upsells", "crosssell", "tuijian", "guess", "recently", "viewed"}
)  # fmt: skip
# The heading of a block of other products, when no class or id says so.
_OTHER_PRODUCTS_HEADING = re.compile(
    r"you (?:may|might) (?:also )?like|customers (?:also|who)|related (?:products|items)|recently viewed"
    r"|similar (?:products|items)|frequently bought|also bought|also viewed|more from this|complete the look"
    r"|猜你喜欢|看了又看|买了又买|为你推荐|相关推荐|热销推荐|店铺推荐|同类推荐|人气推荐|大家都在买|相关商品|推荐商品|看过的人还看了",
    re.IGNORECASE,
)
_HEADINGS = frozenset({"h2", "h3", "h4", "h5", "h6"})


def _headed_as_other_products(el: Any) -> bool:
    """Whether a block opens with a heading that names other products ("You may also like")."""
    first = next((c for c in el.iterchildren() if isinstance(c.tag, str)), None) if len(el) else None
    if first is None or first.tag not in _HEADINGS:
        return False
    return _OTHER_PRODUCTS_HEADING.search(first.text_content()[:80]) is not None


_CENTS = re.compile(r"\s*\d\d\s*$")
_BLOCKS = frozenset(
    {"address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt", "fieldset", "figcaption", "figure",
     "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "nav", "ol", "p", "pre",
     "section", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul"}
)  # fmt: skip


def _chunks(root: Any, hide: Callable[[Any], bool]) -> list[str]:
    """Text pieces under `root` in reading order, skipping every subtree for which `hide` is true.

    A block (a paragraph, a line break, a table cell) is set apart by a space, as a browser sets it on
    a line of its own: `<div>¥99</div><div>2件起购</div>` reads "¥99 2件起购", not "¥992件起购".
    """
    out: list[str] = []
    depth = 0
    for event, el in etree.iterwalk(root, events=("start", "end")):
        if event == "start":
            if depth or not isinstance(el.tag, str) or hide(el):
                depth += 1
                continue
            if el.tag in _BLOCKS and el is not root:
                out.append(" ")
            if el.text:
                text = el.text
                if el.tag == "sup" and out and out[-1][-1:].isdigit() and _CENTS.match(text):
                    text = "." + text.strip()  # cents set as a superscript: "$149<sup>99</sup>" is $149.99
                out.append(text)
        else:
            if depth:
                depth -= 1
                if depth:
                    continue
            elif el.tag in _BLOCKS and el is not root:
                out.append(" ")
            if el is not root and el.tail:
                out.append(el.tail)
    return out


def _invisible(el: Any) -> bool:
    return str(el.tag).lower() in _NOT_SHOWN


def _hidden(el: Any) -> bool:
    """Not shown, or hidden by its own `hidden` attribute or a `display: none` style (a closed dialog)."""
    if _invisible(el) or el.get("hidden") is not None:
        return True
    style = el.get("style")
    return bool(style) and "display:none" in style.replace(" ", "").lower()


def _closed(el: Any) -> bool:
    """Hidden (`_hidden`) or a `<dialog>` that is not open: a pop-up the visitor has not opened."""
    return _hidden(el) or (el.tag == "dialog" and el.get("open") is None)


def _text_of(el: Any, hide: Callable[[Any], bool] = _invisible) -> str:
    return " ".join("".join(_chunks(el, hide)).split())
