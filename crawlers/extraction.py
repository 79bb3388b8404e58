"""Read one listing page: is it blocked, which price does it show, who sells it, which product it is.

Pure: a page (bytes or text) in, an `Extraction` out; nothing a page contains makes `extract` raise.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from functools import cached_property
from typing import Any, Literal
from urllib.parse import urlsplit

from lxml import etree
from lxml import html as lxml_html
from pydantic import BaseModel, ConfigDict, Field, model_validator
from w3lib.encoding import html_to_unicode

from crawlers.prices import (
    RAW_PRICE_MAX,
    SELLER_MAX,
    TITLE_MAX,
    clean_text,
    currency_code,
    parse_price_text,
)
from crawlers.structured import ProductFound, read_products
from oneprice.domain.money import Money, check_currency

log = logging.getLogger(__name__)

Method = Literal["json-ld", "microdata", "rdfa", "opengraph", "text"]


class ExtractionStatus(StrEnum):
    OK = "ok"
    BLOCKED = "blocked"  # HTTP 403/429/503, captcha, anti-bot or login page: never a price
    NO_PRICE = "no_price"  # read, but no price on it (`reason` says why)


# HTTP answers that mean "you may not see this page now", whatever the body says.
BLOCKED_STATUSES = frozenset({403, 429, 503})

REASON_CAPTCHA = "captcha"
REASON_ANTI_BOT = "anti_bot"
REASON_LOGIN_WALL = "login_wall"
REASON_SOLD_OUT = "sold_out"
REASON_NO_PRICE = "no_price_found"
REASON_EMPTY = "empty_page"
REASON_UNREADABLE = "unreadable_page"

# How much a price read by each method can be trusted; structured data states its price on purpose.
CONFIDENCE: dict[str, Decimal] = {
    "json-ld": Decimal("0.95"),
    "microdata": Decimal("0.90"),
    "rdfa": Decimal("0.90"),
    "opengraph": Decimal("0.80"),
    "text:itemprop": Decimal("0.70"),
    "text:price-element": Decimal("0.60"),
    "text:currency": Decimal("0.40"),
}
RANGE_PENALTY = Decimal("0.15")  # a "from" price or the low end of a range
GUESSED_CURRENCY_PENALTY = Decimal("0.10")


class Extraction(BaseModel):
    """What one page showed. `price` is set only when status is OK.

    >>> extract("<span class='price'>¥1,299.00 起</span>", "https://shop.example/p/1").price
    Money(amount=Decimal('1299.00'), currency='CNY')
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    status: ExtractionStatus
    reason: str | None = None
    price: Money | None = None
    raw_price: str | None = None  # the price as the page wrote it (keeps "起" / ranges)
    method: Method | None = None
    confidence: Decimal = Field(default=Decimal(0), ge=0, le=1)
    title: str | None = None
    seller_name: str | None = None
    sku: str | None = None
    gtin: str | None = None
    model: str | None = None

    @model_validator(mode="after")
    def _price_only_when_ok(self) -> Extraction:
        if self.status is not ExtractionStatus.OK and self.price is not None:
            raise ValueError(f"a {self.status} extraction cannot carry a price")
        return self


def extract(
    html: str | bytes,
    url: str,
    *,
    status: int = 200,
    encoding: str | None = None,
    default_currency: str = "CNY",
) -> Extraction:
    """Read a listing page. Blocked detection runs first; structured data is preferred to text.

    `encoding` is the charset from the HTTP header when `html` is bytes (the page's own
    declaration is used otherwise); `default_currency` is assumed when a price names none.
    """
    default_currency = check_currency(default_currency)
    if status in BLOCKED_STATUSES:
        return Extraction(status=ExtractionStatus.BLOCKED, reason=f"http_{status}")
    try:
        return _extract(html, url, status, encoding, default_currency)
    except Exception:  # a page must never stop the crawl; the traceback goes to the log
        log.exception("%s: page could not be read", url)
        return Extraction(status=ExtractionStatus.NO_PRICE, reason=REASON_UNREADABLE)


def _extract(html: str | bytes, url: str, status: int, encoding: str | None, currency: str) -> Extraction:
    text = _decode(html, encoding)
    tree = _parse(text)
    if tree is None:
        head = text[:200_000]
        for pattern, reason in ((_CAPTCHA, REASON_CAPTCHA), (_ANTI_BOT, REASON_ANTI_BOT)):
            if pattern.search(head):
                return Extraction(status=ExtractionStatus.BLOCKED, reason=reason)
        return Extraction(
            status=ExtractionStatus.NO_PRICE, reason=f"http_{status}" if status >= 400 else REASON_EMPTY
        )
    page = _Page(tree, url)
    blocked = page.blocked_reason()
    if blocked:
        return Extraction(status=ExtractionStatus.BLOCKED, reason=blocked, title=page.title)
    if status >= 400:
        return Extraction(status=ExtractionStatus.NO_PRICE, reason=f"http_{status}", title=page.title)

    products = read_products(tree, url, currency)
    priced = next((p for p in products if p.best_offer() is not None), None)
    described = priced or (products[0] if len(products) == 1 else None)
    og = next((p for p in products if p.method == "opengraph"), None)
    fields: dict[str, Any] = {
        "title": (described and described.name) or (og and og.name) or page.h1 or page.title,
        "seller_name": (described and described.seller) or page.seller,
        "sku": described.sku if described else None,
        "gtin": described.gtin if described else None,
        "model": described.model if described else None,
    }
    if priced is not None:
        return _structured_result(priced, fields)
    if any(p.sold_out for p in products) or page.sold_out:
        return Extraction(status=ExtractionStatus.NO_PRICE, reason=REASON_SOLD_OUT, **fields)
    found = page.text_price(currency)
    if found is None:
        return Extraction(status=ExtractionStatus.NO_PRICE, reason=REASON_NO_PRICE, **fields)
    confidence = CONFIDENCE[found.kind]
    if found.ranged:
        confidence -= RANGE_PENALTY
    if found.currency_guessed:
        confidence -= GUESSED_CURRENCY_PENALTY
    return Extraction(
        status=ExtractionStatus.OK,
        price=Money.of(found.amount, found.currency),
        raw_price=clean_text(found.raw, RAW_PRICE_MAX),
        method="text",
        confidence=max(confidence, Decimal("0.05")),
        **fields,
    )


def _structured_result(product: ProductFound, fields: dict[str, Any]) -> Extraction:
    offer = product.best_offer()
    assert offer is not None
    confidence = CONFIDENCE[product.method]
    if offer.aggregate:
        confidence -= RANGE_PENALTY
    if offer.currency_guessed:
        confidence -= GUESSED_CURRENCY_PENALTY
    return Extraction(
        status=ExtractionStatus.OK,
        price=Money.of(offer.amount, offer.currency),
        raw_price=clean_text(offer.raw, RAW_PRICE_MAX),
        method=product.method,
        confidence=confidence,
        **fields,
    )


# -- decoding and parsing --------------------------------------------------------------------------

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _decode(html: str | bytes, encoding: str | None) -> str:
    if isinstance(html, str):
        return html
    # w3lib is what Scrapy uses: BOM, then the HTTP charset, then <meta charset>, then detection.
    _, text = html_to_unicode(f"text/html; charset={encoding}" if encoding else None, html)
    return text


def _parse(text: str) -> lxml_html.HtmlElement | None:
    cleaned = _CONTROL.sub("", text)
    if not cleaned.strip():
        return None
    try:
        parser = lxml_html.HTMLParser(encoding="utf-8")
        return lxml_html.document_fromstring(cleaned.encode("utf-8", "replace"), parser=parser)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError):
        return None


# -- page signals ----------------------------------------------------------------------------------

_CAPTCHA = re.compile(
    r"captcha|验证码|滑块|滑动验证|nc_(?:\d+_)?wrapper|安全验证|人机验证|verify you are (?:a )?human",
    re.IGNORECASE,
)
_ANTI_BOT = re.compile(
    r"访问受限|访问被拒绝|访问过于频繁|请求过于频繁|robot check|unusual traffic|are you a robot|not a robot"
    r"|checking your browser|automated (?:access|queries)",
    re.IGNORECASE,
)
_BLOCKED_TITLE = re.compile(
    r"^\s*(?:access denied|just a moment|attention required|403 forbidden)", re.IGNORECASE
)
# Widgets that sit on normal pages (a review form's reCAPTCHA) say nothing about this page being blocked.
_HARMLESS_WIDGET = re.compile(r"recaptcha|hcaptcha", re.IGNORECASE)
_LOGIN_HOST = re.compile(r"^(?:login|passport|signin|account|auth)\.", re.IGNORECASE)
_LOGIN_PATH = re.compile(r"/(?:member/)?(?:login|signin|sign-in|sign_in)(?:[./?]|$)", re.IGNORECASE)
_LOGIN_TITLE = re.compile(r"登录|登陆|log ?in|sign ?in", re.IGNORECASE)
_SOLD_OUT = re.compile(
    r"售罄|已下架|已下柜|宝贝不存在|商品不存在|无货|缺货|已抢光|sold out|out of stock|no longer available"
    r"|currently unavailable|ausverkauft|nicht (?:mehr )?verfügbar|épuisé|agotado",
    re.IGNORECASE,
)
_FROM_PRICE = re.compile(r"起|以上|\bfrom\b|\bab\b|à partir de|starting at", re.IGNORECASE)
_RANGE = re.compile(r"\d\s*(?:-|~|–|—|至)\s*\D{0,3}\d")
_STRUCK_TAGS = frozenset({"del", "s", "strike"})
_NOT_SHOWN = frozenset({"script", "style", "noscript", "template", "head", "title"})
# Words in class/id names (split at -, _ and camelCase) that mark a price nobody pays today.
_NOT_SELLING_WORDS = frozenset(
    {"old", "was", "orig", "origin", "original", "market", "list", "del", "strike", "strikethrough",
     "before", "regular", "compare", "crossed", "msrp", "rrp", "yuanjia"}
)  # fmt: skip
_WORD = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+")
_SELLER_NAMES = ("shopname", "storename", "sellername", "merchantname", "vendorname")
_SELLER_LABEL = re.compile(
    r"^\s*(?:店铺|卖家|商家|sold by|seller|verkauf durch|vendu par)\s*[:：]?\s*", re.IGNORECASE
)
_CURRENCY_TEXT = re.compile(
    r"(?:[¥￥€£$]|RMB|CNY|EUR|USD)\s*\d[\d.,\s]{0,15}|\d[\d.,]{0,15}\s*(?:元|€|EUR|CNY|RMB)", re.IGNORECASE
)


@dataclass(frozen=True)
class _TextPrice:
    amount: Decimal
    currency: str
    raw: str
    kind: str  # a key of CONFIDENCE
    ranged: bool
    currency_guessed: bool


def _attr_words(el: Any) -> str:
    return f"{el.get('class') or ''} {el.get('id') or ''}"


def _words(el: Any) -> set[str]:
    """'J_StrPrice old-price' -> {'j', 'str', 'price', 'old'}."""
    return {w.lower() for w in _WORD.findall(_attr_words(el))}


def _chunks(root: Any, hide: Callable[[Any], bool]) -> list[str]:
    """Text pieces under `root` in reading order, skipping every subtree for which `hide` is true."""
    out: list[str] = []
    depth = 0
    for event, el in etree.iterwalk(root, events=("start", "end")):
        if event == "start":
            if depth or not isinstance(el.tag, str) or hide(el):
                depth += 1
            elif el.text:
                out.append(el.text)
        else:
            if depth:
                depth -= 1
            if not depth and el is not root and el.tail:
                out.append(el.tail)
    return out


def _invisible(el: Any) -> bool:
    return str(el.tag).lower() in _NOT_SHOWN


def _not_selling(el: Any) -> bool:
    return _invisible(el) or str(el.tag).lower() in _STRUCK_TAGS or bool(_words(el) & _NOT_SELLING_WORDS)


def _text_of(el: Any, hide: Callable[[Any], bool] = _invisible) -> str:
    return " ".join("".join(_chunks(el, hide)).split())


class _Page:
    """Lazily computed views of one parsed page."""

    def __init__(self, tree: Any, url: str) -> None:
        self.tree = tree
        self.url = url
        self.body = tree.find("body") if tree.find("body") is not None else tree

    @cached_property
    def title(self) -> str | None:
        el = self.tree.find(".//title")
        return clean_text(el.text_content(), TITLE_MAX) if el is not None else None

    @cached_property
    def h1(self) -> str | None:
        el = self.body.find(".//h1")
        return clean_text(_text_of(el), TITLE_MAX) if el is not None else None

    @cached_property
    def visible_text(self) -> str:
        return " ".join(" ".join(_chunks(self.body, _invisible)).split())

    def blocked_reason(self) -> str | None:
        title = self.title or ""
        if _BLOCKED_TITLE.search(title):
            return REASON_ANTI_BOT
        attrs = []
        for el in self.tree.iter():
            if not isinstance(el.tag, str):
                continue
            words = _attr_words(el)
            if el.tag in ("iframe", "form"):
                words += f" {el.get('src') or ''} {el.get('action') or ''}"
            if words.strip() and not _HARMLESS_WIDGET.search(words):
                attrs.append(words)
        haystack = "\n".join([title, self.visible_text[:200_000], *attrs])
        if _CAPTCHA.search(haystack):
            return REASON_CAPTCHA
        if _ANTI_BOT.search(haystack):
            return REASON_ANTI_BOT
        parts = urlsplit(self.url)
        if _LOGIN_HOST.match(parts.hostname or "") or _LOGIN_PATH.search(parts.path):
            return REASON_LOGIN_WALL
        has_password = bool(
            self.tree.xpath("boolean(//input[translate(@type,'PASWORD','pasword')='password'])")
        )
        if has_password and _LOGIN_TITLE.search(title):
            return REASON_LOGIN_WALL
        return None

    @cached_property
    def sold_out(self) -> bool:
        return bool(_SOLD_OUT.search(self.visible_text))

    @cached_property
    def seller(self) -> str | None:
        for el in self.body.iter():
            if not isinstance(el.tag, str):
                continue
            joined = _attr_words(el).lower().replace("-", "").replace("_", "")
            if "seller" not in _words(el) and not any(name in joined for name in _SELLER_NAMES):
                continue
            text = _text_of(el) or el.get("title") or ""
            text = _SELLER_LABEL.sub("", text)
            if text and len(text) <= SELLER_MAX:
                return clean_text(text, SELLER_MAX)
        return None

    def text_price(self, default_currency: str) -> _TextPrice | None:
        """The shelf price shown as text: itemprop=price, then price-named elements, then currency text."""
        for kind, elements in (
            ("text:itemprop", self.tree.xpath("//body//*[@itemprop='price']")),
            ("text:price-element", [el for el in self.body.iter() if _is_price_element(el)]),
        ):
            found = self._from_elements(kind, elements[:300], default_currency)
            if found is not None:
                return found
        return self._from_currency_text(default_currency)

    def _from_elements(self, kind: str, elements: list[Any], default_currency: str) -> _TextPrice | None:
        readable: list[tuple[Any, str, Decimal, str | None]] = []
        for el in elements:
            if any(_not_selling(a) for a in el.iterancestors()):
                continue
            text = (
                el.get("content")
                if kind == "text:itemprop" and el.get("content")
                else _text_of(el, _not_selling)
            )
            if not text or len(text) > 80:
                continue
            amount, symbol = parse_price_text(text)
            if amount is not None:
                readable.append((el, text, amount, symbol))
        if not readable:
            return None
        el, text, amount, symbol = readable[0]
        # A price box often wraps a tighter element with the same amount: its text is the cleaner record.
        for inner, inner_text, inner_amount, inner_symbol in readable[1:]:
            if inner_amount == amount and el in inner.iterancestors():
                el, text, symbol = inner, inner_text, inner_symbol or symbol
        if symbol is None and el.getparent() is not None:
            symbol = parse_price_text(_text_of(el.getparent(), _not_selling)[:80])[1]
        return _text_price(kind, amount, symbol, text, _after(el), default_currency)

    def _from_currency_text(self, default_currency: str) -> _TextPrice | None:
        for chunk in _chunks(self.body, _not_selling):
            for m in _CURRENCY_TEXT.finditer(chunk):
                amount, symbol = parse_price_text(m.group(0))
                if amount is not None and symbol is not None:
                    return _text_price(
                        "text:currency",
                        amount,
                        symbol,
                        m.group(0),
                        chunk[m.end() : m.end() + 12],
                        default_currency,
                    )
        return None


def _is_price_element(el: Any) -> bool:
    if not isinstance(el.tag, str) or _invisible(el):
        return False
    return "price" in _attr_words(el).lower() and not _words(el) & _NOT_SELLING_WORDS


def _after(el: Any) -> str:
    """The text right after an element (where "起" or "from" often sits)."""
    following = el.tail or ""
    nxt = el.getnext()
    if nxt is not None and isinstance(nxt.tag, str):
        following += " " + (nxt.text or "")
    return following[:20]


def _text_price(
    kind: str, amount: Decimal, symbol: str | None, text: str, after: str, default_currency: str
) -> _TextPrice | None:
    currency = currency_code(symbol, default_currency) if symbol else default_currency
    if currency is None:
        return None
    raw = " ".join(text.split())
    ranged = bool(_RANGE.search(raw))
    if _FROM_PRICE.search(raw):
        ranged = True
    elif m := _FROM_PRICE.search(after.strip()[:8]):
        raw, ranged = f"{raw} {m.group(0)}", True
    return _TextPrice(amount, currency, raw, kind, ranged, currency_guessed=symbol is None)
