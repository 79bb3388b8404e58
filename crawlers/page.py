"""What a parsed page says besides structured data: decoding, blocked/login/sold-out state, title, seller, text price.

Used by `crawlers.extraction`; every helper tolerates any markup (scraped text is hostile). The words and patterns
it reads by live beside it: `page_signals`, `text_prices`, `page_sellers`, `identifiers`, `site_names`, `markup`.
"""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from decimal import Decimal
from functools import cached_property
from itertools import chain, islice
from typing import Any
from urllib.parse import urldefrag, urljoin, urlsplit

from lxml import etree
from lxml import html as lxml_html
from w3lib.encoding import html_body_declared_encoding, html_to_unicode, http_content_type_encoding

from crawlers.identifiers import StatedIdentifiers, stated_identifiers
from crawlers.markup import (
    _NOT_SHOWN,
    _OTHER_PRODUCTS_WORDS,
    _attr_words,
    _chunks,
    _closed,
    _headed_as_other_products,
    _hidden,
    _invisible,
    _text_of,
    _words,
)
from crawlers.page_sellers import page_seller
from crawlers.page_signals import (
    _ANTI_BOT,
    _BLOCKED_TITLE,
    _CAPTCHA,
    _CASE_SPECIAL,
    _CHALLENGE_SCRIPT,
    _CHALLENGE_WORDS,
    _HARMLESS_WIDGET,
    _LOGIN_FORM_WORDS,
    _LOGIN_HOST,
    _LOGIN_PATH,
    _LOGIN_STATE,
    _LOGIN_STATE_WORD,
    _LOGIN_TITLE,
    _LOGIN_WALL_TEXT,
    _NOT_FOUND_HEADING,
    _PUNISH,
    _SOLD_OUT,
    _SOLD_OUT_LOWER,
    REASON_ANTI_BOT,
    REASON_CAPTCHA,
    REASON_LOGIN_WALL,
    _unavailable,
)
from crawlers.prices import TITLE_MAX, clean_text, parse_price_text
from crawlers.site_names import _SITE_NAME_META, _site_key, site_names, without_site_name
from crawlers.text_prices import (
    _AMOUNT_TOKEN,
    _CLOCK,
    _CURRENCY_TEXT,
    _DATE,
    _LIST_LEAD,
    _NOT_PRICE_AFTER,
    _UNIT_AFTER,
    _UNIT_LEAD,
    _WAS_NOW,
    COUPON_LABEL,
    MEMBER_LABEL,
    _after_list_price,
    _glued,
    _no_price_lead,
    _per_unit_first,
    _since_amount,
    _states_no_price,
    _text_price,
    _TextPrice,
    _words_before,
)

# -- decoding and parsing --------------------------------------------------------------------------

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


_BOMS = (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)


def _decode(html: str | bytes, encoding: str | None) -> str:
    """A page's text from its bytes; `encoding` is the charset of its HTTP header, if any.

    Bytes that are valid UTF-8 (and not ASCII only) are UTF-8 whatever the header or `<meta>` says:
    GBK or Latin-1 text is almost never valid UTF-8, and a mislabelled page usually is UTF-8
    (a server's default header, a saved page that kept its old `<meta charset>`). A header that
    says UTF-8 for bytes that are not is ignored. Otherwise as Scrapy does (w3lib): BOM, then the
    HTTP charset, then `<meta charset>`; bytes no charset is named for are read as GB18030 when
    they are valid GB18030, else as UTF-8 with replacement characters.
    """
    if isinstance(html, str):
        return html
    if not html.startswith(_BOMS) and not html.isascii():
        try:
            return html.decode("utf-8")
        except UnicodeDecodeError:
            if encoding and _codec_name(encoding) == "utf-8":
                encoding = None
        if encoding is None and html_body_declared_encoding(html) is None:
            try:  # nothing names a charset: GB18030 (a superset of GBK and GB2312) when the bytes are
                return html.decode("gb18030")
            except UnicodeDecodeError:
                pass
    _, text = html_to_unicode(f"text/html; charset={encoding}" if encoding else None, html)
    return text


def decode_page(body: bytes, content_type: str | None) -> str:
    """`_decode` with the charset of a Content-Type header ("text/html; charset=gbk")."""
    return _decode(body, http_content_type_encoding(content_type) if content_type else None)


def _codec_name(encoding: str) -> str | None:
    try:
        return codecs.lookup(encoding).name
    except LookupError:
        return None


def _parse(text: str) -> lxml_html.HtmlElement | None:
    return _parse_source(text)[0]


def _parse_source(text: str) -> tuple[lxml_html.HtmlElement | None, PageSource]:
    """The parsed page and the source text it was parsed from."""
    cleaned = _CONTROL.sub("", text)
    source = PageSource(cleaned)
    if not cleaned.strip():
        return None, source
    try:
        parser = lxml_html.HTMLParser(encoding="utf-8")
        return lxml_html.document_fromstring(cleaned.encode("utf-8", "replace"), parser=parser), source
    except (etree.ParserError, etree.XMLSyntaxError, ValueError):
        return None, source


# Character references that can stand for a character of a name ([A-Za-z0-9_-]): numeric ones and
# the three named ones of HTML5 whose text has such a character (&lowbar; &UnderBar; &fjlig;).
_NAME_REFERENCE = re.compile(r"&(?:#|lowbar|underbar|fjlig)", re.IGNORECASE)
_NAME = re.compile(r"[A-Za-z0-9_-]+")


class PageSource:
    """The text a page was parsed from, to rule out cheaply what the parsed page cannot contain.

    Every attribute value of the parsed page is a piece of the source with its character
    references replaced, and every attribute name is a piece of it in lower case. So an id,
    a class or any other attribute value made only of [A-Za-z0-9_-] that the source does not
    contain is on no element, unless a reference could have written one of its characters;
    an attribute name that the lowered source does not contain is on no element. A search
    over the whole tree for such an element can then be skipped: its answer is known.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.references = _NAME_REFERENCE.search(text) is not None

    @cached_property
    def lowered(self) -> str:
        return self.text.lower()

    def may_have_value(self, value: str) -> bool:
        """False only when no attribute of the parsed page can contain `value`."""
        return self.references or not _NAME.fullmatch(value) or value in self.text

    def may_have_word(self, value: str) -> bool:
        """Like `may_have_value`, for a value compared without regard to ASCII case."""
        return self.references or not _NAME.fullmatch(value) or value.lower() in self.lowered

    def may_have_attribute(self, name: str) -> bool:
        """False only when no element of the parsed page has an attribute named `name` (lower case)."""
        return name.lower() in self.lowered


# -- what a page's elements say about a price and this offer ---------------------------------------

_STRUCK_TAGS = frozenset({"del", "s", "strike"})
# Words in class/id names (split at -, _ and camelCase) that mark a price nobody pays today.
_NOT_SELLING_WORDS = frozenset(
    {"old", "was", "orig", "origin", "original", "market", "list", "del", "strike", "strikethrough",
     "through", "before", "compare", "crossed", "msrp", "rrp", "yuanjia", "oldprice", "wasprice", "listprice",
     "strikeout", "striked", "strikethru", "previous", "prev", "mrp"}
)  # fmt: skip
# Words of a price that is this product's but not what a consumer pays for one item, read only when a
# page shows no other: the net price beside the gross one (B2B shops), the price per kg or litre, a
# monthly instalment, and "regular", which is the struck price on some themes and the only price on
# others (Shopify's `price--regular`).
_SECONDARY_WORDS = frozenset(
    {"net", "netto", "exvat", "excl", "excluding", "exgst", "extax", "unit", "per", "installment",
     "instalment", "monthly", "regular"}
)  # fmt: skip


# Words of blocks whose amounts are conditions, not the shelf price, for the last-resort scan of text
# with a currency sign (a price-named element there is read before that scan).
_NOT_SHELF_WORDS = frozenset(
    {"promotion", "promo", "coupon", "freight", "shipping", "delivery", "postage", "header", "footer", "topbar",
     "installment", "instalment", "usp"}
)  # fmt: skip
# Words of blocks whose text is not the shop's word about this offer: buyers' reviews, comments and questions
# ("上周还无货", "was out of stock for weeks") and a listing's filters ("Hide sold out items").
_NOT_ABOUT_THE_OFFER_WORDS = frozenset(
    {"review", "reviews", "comment", "comments", "pinglun", "question", "questions", "answers", "testimonial",
     "testimonials", "filter", "filters", "facet", "facets"}
)  # fmt: skip
# Words of a variant picker: "L 已抢光" on one size says nothing about the size chosen.
_OPTION_WORDS = frozenset({"sku", "size", "sizes", "option", "options", "variant", "variants", "swatch", "swatches"})
# A discount badge inside a price box ("11%", "-20 %"): glued to the price before it, "48.77" and
# "11%" would read as 48.7711.
# A Chinese discount badge ("3.5折", 35% of the list price) is the same kind of number.
_PERCENT_ONLY = re.compile(r"[-–−]?\s*\d{1,3}(?:[.,]\d+)?\s*(?:%\s*(?:off)?|折)", re.IGNORECASE)


def _not_selling(el: Any) -> bool:
    if _invisible(el) or str(el.tag).lower() in _STRUCK_TAGS or bool(_words(el) & _NOT_SELLING_WORDS):
        return True
    return _struck_by_style(el)


def _struck_by_style(el: Any) -> bool:
    """Struck through by its own inline style (`text-decoration: line-through`), as `<s>` would be."""
    style = el.get("style")
    return bool(style) and "line-through" in style.lower()


def _not_price_text(el: Any) -> bool:
    """Not part of the price a price box shows: a price nobody pays, or a percentage badge."""
    if _not_selling(el):
        return True
    text = el.text
    return (
        bool(text)
        and len(el) == 0
        and ("%" in text or "折" in text)
        and _PERCENT_ONLY.fullmatch(text.strip()) is not None
    )


_GROUPED_FORM = etree.XPath("boolean(//form[contains(concat(' ', normalize-space(@class), ' '), ' grouped_form ')])")


class _Page:
    """Lazily computed views of one parsed page."""

    def __init__(self, tree: Any, url: str, source: PageSource | None = None) -> None:
        self.tree = tree
        self.url = url
        self.source = source
        self.body = tree.find("body") if tree.find("body") is not None else tree

    @cached_property
    def may_be_grouped(self) -> bool:
        """Whether the page sells a group of products side by side (WooCommerce's `form.grouped_form`)."""
        if self.source is not None and not self.source.may_have_value("grouped_form"):
            return False
        return bool(_GROUPED_FORM(self.tree))

    @cached_property
    def title(self) -> str | None:
        el = self.tree.find(".//title")
        return clean_text(el.text_content(), TITLE_MAX) if el is not None else None

    @cached_property
    def site_keys(self) -> frozenset[str]:
        """The names this page's site goes by (`site_names`): its `og:site_name`, `application-name`, host."""
        return site_names((str(v) for v in _SITE_NAME_META(self.tree)[:4]), self.url)

    @cached_property
    def item_title(self) -> str | None:
        """The `<title>` without the site's name around the item's (`without_site_name`)."""
        return without_site_name(self.title, self.site_keys) if self.title else None

    @cached_property
    def h1(self) -> str | None:
        """The first main heading that is shown and says something: a heading in a closed dialog ("Sign in",
        a newsletter pop-up) or an empty one (a theme's placeholder) is not the product's name, nor the site's
        name that a theme sets as a heading in its header (`<h1 class="site-title"><a href="/">Shop</a></h1>`)."""
        for el in islice(self.body.iter("h1"), 20):
            if any(_closed(up) for up in chain((el,), el.iterancestors())):
                continue
            if (text := clean_text(_text_of(el), TITLE_MAX)) and not self._site_heading(el, text):
                return text
        return None

    def _site_heading(self, el: Any, text: str) -> bool:
        """Whether a main heading names the site, not the page: the site's name, or a heading in the site's
        header or navigation (a `<header>` outside the page's `<main>`, `<article>` or `<section>`)."""
        if _site_key(text) in self.site_keys:
            return True
        for up in el.iterancestors():
            if up.tag == "nav":
                return True
            if up.tag == "header" and not any(a.tag in ("main", "article", "section") for a in up.iterancestors()):
                return True
        return False

    @cached_property
    def visible_text(self) -> str:
        return " ".join(" ".join(_chunks(self.body, _invisible)).split())

    def marked_in_text(self) -> bool:
        """Whether the title or the text shown (closed dialogs left out) names a captcha or anti-bot check."""
        shown = " ".join([self.title or "", _text_of(self.body, _hidden)[:200_000]])
        return bool(_CAPTCHA.search(shown) or _ANTI_BOT.search(shown))

    def blocked_reason(self, markers: bool = True) -> str | None:
        """Why the page is a block/captcha/login page, or None; `markers` False skips the text scan."""
        title = self.title or ""
        if _BLOCKED_TITLE.search(title):
            return REASON_CAPTCHA if _CAPTCHA.search(title) else REASON_ANTI_BOT
        if _PUNISH.search(self.url):
            return REASON_CAPTCHA
        if markers and (reason := self._marker_reason(title)):
            return reason
        parts = urlsplit(self.url)
        if _LOGIN_HOST.match(parts.hostname or "") or _LOGIN_PATH.search(parts.path):
            return REASON_LOGIN_WALL
        has_password = (self.source is None or self.source.may_have_word("password")) and bool(
            self.tree.xpath("boolean(//input[translate(@type,'PASWORD','pasword')='password'])")
        )
        if has_password and _LOGIN_TITLE.search(title):
            return REASON_LOGIN_WALL
        if self._state_asks_login():
            return REASON_LOGIN_WALL
        return None

    def _state_asks_login(self) -> bool:
        """Whether the page's script state says "log in first" and holds no goods (Pinduoduo's `needLogin`)."""
        if self.source is not None and _LOGIN_STATE_WORD not in self.source.text:
            return False
        scripts = (t for script in self.tree.iter("script") if _LOGIN_STATE_WORD in (t := script.text or ""))
        return any(_asks_login(state) for state in assigned_values(scripts, _LOGIN_STATE))

    def _marker_reason(self, title: str) -> str | None:
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
        if _CAPTCHA.search(haystack) or self._script_sends_to_punish():
            return REASON_CAPTCHA
        if _ANTI_BOT.search(haystack):
            return REASON_ANTI_BOT
        return None

    def _script_sends_to_punish(self) -> bool:
        """Whether a script of the page names a bot check's page (`_CHALLENGE_SCRIPT`)."""
        if self.source is not None and not any(word in self.source.lowered for word in _CHALLENGE_WORDS):
            return False
        return any(_CHALLENGE_SCRIPT.search(script.text or "") for script in self.tree.iter("script"))

    def has_login_form(self) -> bool:
        """Whether the page holds a form with a password field that logs in (its action or words say so).

        Many product pages carry such a form in a header dropdown, so this tells only why a page
        that shows no price shows none (a login page served for the item's address).
        """
        if self.source is not None and not self.source.may_have_word("password"):
            return False
        for form in self.tree.iter("form"):
            if not form.xpath("boolean(.//input[translate(@type,'PASWORD','pasword')='password'])"):
                continue
            said = " ".join([form.get("action") or "", form.get("name") or "", _attr_words(form), _text_of(form)])
            if _LOGIN_FORM_WORDS.search(said):
                return True
        return False

    @property
    def not_found(self) -> bool:
        """Whether the page's title or main heading says the page was not found (`_NOT_FOUND_HEADING`)."""
        return any(_NOT_FOUND_HEADING.search(said[:200]) for said in (self.title, self.h1) if said)

    def asks_login_in_text(self) -> bool:
        """Whether the text shown (closed dialogs left out) asks the visitor to log in (`_LOGIN_WALL_TEXT`)."""
        return _LOGIN_WALL_TEXT.search(_text_of(self.body, _hidden)[:200_000]) is not None

    @property
    def sold_out(self) -> bool:
        """Whether the text about this offer says it cannot be bought (`unavailable`)."""
        return self.unavailable is not None

    @cached_property
    def unavailable(self) -> str | None:
        """Whether the text about this offer says it cannot be bought: "sold_out", or "gone" when it says the
        page has no item (a soft 404, a delisted listing); None otherwise. Variant pickers, other products,
        reviews and listing filters are left out: "L 已抢光" on one size, a sold-out badge on a related product,
        a review's "it was out of stock for weeks"."""
        source = self.source
        if source is not None and "&" not in source.text and not any(c in source.text for c in _CASE_SPECIAL):
            if not _SOLD_OUT_LOWER.search(source.lowered):
                return None  # no reference could write the words, and the source has none of them
        text = " ".join(" ".join(_chunks(self.body, self._not_this_offer)).split())
        if any(c in text for c in _CASE_SPECIAL):
            return _unavailable(text, _SOLD_OUT)
        return _unavailable(text.lower(), _SOLD_OUT_LOWER)

    def _not_this_offer(self, el: Any) -> bool:
        """Text that is not about the offer of this page: not shown, a variant picker, or other products."""
        if _hidden(el) or str(el.tag).lower() in ("select", "option"):
            return True
        if _words(el) & _NOT_ABOUT_THE_OFFER_WORDS and not _holds_the_product(el):
            return True
        return _option_item(el) or _choice_label(el) or _badge_not_shown(el) or self._other_product(el)

    def _not_shelf_text(self, el: Any) -> bool:
        """Text where an amount with a currency sign is not this product's price: a price nobody pays,
        other products, the site's header, navigation and footer ("Free shipping over $50"), and
        promotion, coupon and delivery lines ("至高补贴500元")."""
        if _not_selling(el) or self._other_product(el) or str(el.tag).lower() in ("header", "footer", "nav"):
            return True
        return bool(_words(el) & _NOT_SHELF_WORDS)

    def _other_product(self, el: Any) -> bool:
        """A block of other products (related, recommended; by its class or id, or by the heading it opens
        with: "You may also like", "猜你喜欢") or a link to another page (a product tile)."""
        if _words(el) & _OTHER_PRODUCTS_WORDS or _headed_as_other_products(el):
            return True
        if str(el.tag).lower() != "a":
            return False
        href = (el.get("href") or "").strip()
        if not href or href.startswith("#") or href.lower().startswith("javascript:"):
            return False
        try:
            return urldefrag(urljoin(self.url, href))[0] != urldefrag(self.url)[0]
        except ValueError:  # "http://[x/": an address that cannot be this page's
            return True

    @cached_property
    def seller(self) -> str | None:
        """The seller the page names (`crawlers.page_sellers.page_seller`)."""
        return page_seller(self.body)

    @cached_property
    def stated_identifiers(self) -> StatedIdentifiers:
        """The SKU, GTIN and model code the page's text states for its own product (`crawlers.identifiers`);
        labels outside what the page says of its own product (`_not_this_products_code`) are not read."""
        source = self.source.text if self.source is not None else None
        return stated_identifiers(self.tree, source, self._not_this_products_code)

    def _not_this_products_code(self, el: Any) -> bool:
        """Whether a label's element is outside what the page says of its own product: not shown, in a block
        of other products (or a link to another page), of reviews or questions, a variant picker, or the
        site's header, navigation and footer."""
        for a in chain((el,), el.iterancestors()):
            tag = str(a.tag).lower()
            if tag in _NOT_SHOWN or tag in ("select", "option", "nav", "footer"):
                return True
            if tag == "header" and not any(up.tag in ("main", "article", "section") for up in a.iterancestors()):
                return True
            words = _words(a)
            if words & _OTHER_PRODUCTS_WORDS or _headed_as_other_products(a):
                return True
            if words & _NOT_ABOUT_THE_OFFER_WORDS and not _holds_the_product(a):
                return True
            if (tag == "a" and self._other_product(a)) or (words & _OPTION_WORDS and _option_item(a)):
                return True
        return False

    def text_price(self, default_currency: str) -> _TextPrice | None:
        """The shelf price shown as text: itemprop=price, then price-named elements, then currency text;
        a price labelled for some buyers only (`_TextPrice.coupon`) when none of them finds another."""
        couponed: _TextPrice | None = None
        for kind, elements in (("text:itemprop", self._itemprop_prices), ("text:price-element", self._price_elements)):
            found = self._from_elements(kind, elements()[:300], default_currency)
            if found is not None and not found.coupon:
                return found
            couponed = couponed or found
        found = self._from_currency_text(default_currency)
        return found if found is not None and not found.coupon else couponed or found

    def _itemprop_prices(self) -> list[Any]:
        if self.source is not None and not self.source.may_have_attribute("itemprop"):
            return []
        return list(self.tree.xpath("//body//*[@itemprop='price']"))

    def _price_elements(self) -> list[Any]:
        """The elements of the body, in document order, that `_is_price_element` accepts."""
        if self.source is not None and not self.source.may_have_word("price"):
            return []
        # "price" in the lowered class or id: ASCII case is all that can differ (no other character
        # lowers to one of p, r, i, c, e followed by the next), so XPath narrows the walk exactly.
        return [el for el in _PRICE_NAMED(self.body) if _is_price_element(el)]

    def _from_elements(self, kind: str, elements: list[Any], default_currency: str) -> _TextPrice | None:
        """The first readable price element that is not a secondary price (`_SECONDARY_WORDS`), else the
        first secondary one; elements in blocks of other products are never read."""
        readable: list[tuple[Any, str, Decimal, str | None]] = []
        secondary: list[tuple[Any, str, Decimal, str | None]] = []
        couponed: list[tuple[Any, str, Decimal, str | None]] = []
        for el in elements:
            if any(_not_selling(a) for a in el.iterancestors()):
                continue
            if self._other_product(el) or any(self._other_product(a) for a in el.iterancestors()):
                continue
            if kind == "text:itemprop" and el.get("content"):
                text = el.get("content")
            else:
                text = _text_of(el, _price_text_hider(el))
            if not text or len(text) > 80:
                continue
            if m := _WAS_NOW.search(text):
                text = m.group("now")  # "Was $39.99 Now $24.88" in one box, the labels in screen-reader text
            elif listed := _after_list_price(text):
                text = listed  # "原价¥1599 现价¥999", "Regular price $199.00 Sale price $149.00"
            if ":" in text:
                text = " ".join(_CLOCK.sub(" ", text).split())
            if _DATE.search(text):
                text = " ".join(_DATE.sub(" ", text).split())
            if _states_no_price(text):
                continue  # "or 4 payments of $37.25", "Shipping: $5.99", "定金 ¥100" in a price-named element
            amount, symbol = parse_price_text(text)
            if amount is not None:
                minor = _secondary(el) or any(_secondary(a) for a in el.iterancestors()) or _per_unit_first(text)
                tier = couponed if _coupon_labelled(el, text) else secondary if minor else readable
                tier.append((el, text, amount, symbol))
        coupon = not readable and not secondary and bool(couponed)
        readable = readable or secondary or couponed
        if not readable:
            return None
        el, text, amount, symbol = readable[0]
        rival = _peer_amount(readable, el, amount)
        before = _before(el)
        # A price box often wraps a tighter element with the same amount: its text is the cleaner record,
        # and what the box says before it ("From") still counts.
        for inner, inner_text, inner_amount, inner_symbol in readable[1:]:
            if inner_amount == amount and el in inner.iterancestors():
                at = text.find(inner_text)
                before = f"{before} {text[:at]}" if at > 0 else _before(inner)
                el, text, symbol = inner, inner_text, inner_symbol or symbol
        if symbol is None and el.getparent() is not None:
            symbol = parse_price_text(_text_of(el.getparent(), _not_price_text)[:80])[1]
        found = _text_price(kind, amount, symbol, text, _after(el), default_currency, before)
        if found is not None and rival is not None:
            found = replace(found, rival=rival)
        return replace(found, coupon=True) if found is not None and coupon else found

    def _from_currency_text(self, default_currency: str) -> _TextPrice | None:
        """The first amount with a currency sign in the text shown; one labelled for some buyers only
        (COUPON_LABEL, MEMBER_LABEL in the words before it) only when there is no other."""
        couponed: _TextPrice | None = None
        listed: _TextPrice | None = None  # an amount labelled as the list price ("原价¥1599", "Was $199")
        per_unit: _TextPrice | None = None  # a price per unit of measure ("$0.50/oz", "Grundpreis: 11,98 €/l")
        since = ""  # the text since the last amount
        for chunk in _glued(_chunks(self.body, self._not_shelf_text)):
            at = 0
            for m in _CURRENCY_TEXT.finditer(chunk):
                amount, symbol = parse_price_text(m.group(0))
                if amount is None or symbol is None:
                    continue
                after = chunk[m.end() : m.end() + 16]
                lead = (_words_before(since) + " " + chunk[at : m.start()])[-32:]
                if _no_price_lead(lead, len(lead), m.group(0)) or _NOT_PRICE_AFTER.match(after):
                    since, at = "", m.end()  # "Free shipping on orders over $35", "$37.25/mo", "运费：¥10"
                    continue
                found = _text_price("text:currency", amount, symbol, m.group(0), after, default_currency, lead[-16:])
                if found is not None and (_UNIT_AFTER.match(after) or _UNIT_LEAD.search(lead)):
                    per_unit = per_unit or found
                    since, at = "", m.end()
                    continue
                lead = lead[-16:]
                if found is not None and _LIST_LEAD.search(lead):
                    listed = listed or found  # the price after it is the one paid; alone it is read as before
                elif found is None or not (COUPON_LABEL.search(lead) or MEMBER_LABEL.search(lead)):
                    return found
                else:
                    couponed = couponed or replace(found, coupon=True)
                since, at = "", m.end()
            rest = chunk[at:]
            if rest and not rest.isspace():
                since = f"{since} {rest}"[-64:]
        return listed or couponed or per_unit


def _peer_amount(readable: list[tuple[Any, str, Decimal, str | None]], first: Any, amount: Decimal) -> Decimal | None:
    """Another amount shown by a price box just like the first one read (the same tag and the same class, neither
    inside the other): `<div class="price">¥99</div><div class="price">¥199</div>` says nothing of which one a
    buyer pays. A box of the same amount (a sticky bar repeating the price) or of another kind (a "was" price,
    a per-unit or a net price, told apart by its class) is no rival."""
    tag, classes = first.tag, (first.get("class") or "").split()
    for el, _, other, _ in readable[1:]:
        if other == amount or el.tag != tag or (el.get("class") or "").split() != classes:
            continue
        if first in el.iterancestors() or el in first.iterancestors():
            continue
        return other
    return None


_PRICE_NAMED = etree.XPath(
    "descendant-or-self::*[contains(translate(@class, 'PRICE', 'price'), 'price')"
    " or contains(translate(@id, 'PRICE', 'price'), 'price')]"
)


STATE_MAX = 2_000_000  # characters of one script's state read at most
_STATE_TRIES = 5  # assignments decoded at most per script (each decode may read the rest of it)
_STATE_DECODER = json.JSONDecoder(parse_float=Decimal)


def assigned_values(scripts: Iterable[str], assignment: re.Pattern[str]) -> Iterator[Any]:
    """The JSON values scripts assign (`window.rawData = {...}; more();`), in order, read safely.

    `assignment` ends where the value starts; the value is decoded from there (numbers with a
    fraction as Decimal), so statements after it do not matter. At most STATE_MAX characters of a
    script and _STATE_TRIES assignments in it are read; a value that is not JSON is passed over.
    """
    for script in scripts:
        text = script[:STATE_MAX]
        for tries, m in enumerate(assignment.finditer(text)):
            if tries == _STATE_TRIES:
                break
            try:
                value, _ = _STATE_DECODER.raw_decode(text, m.end())
            except (ValueError, RecursionError):
                continue
            yield value


def _asks_login(state: Any) -> bool:
    """`{"store": {"initDataObj": {"needLogin": true}}}` with no goods anywhere the goods page keeps them."""
    store = dig(state, "store")
    init = dig(store, "initDataObj")
    if not isinstance(init, dict) or init.get("needLogin") is not True:
        return False
    ssr = dig(store, "data", "ssrData")
    places = (init, store, ssr, dig(ssr, "storeInfo"), state)
    return not any(isinstance(dig(place, "goods"), dict) for place in places)


def dig(value: Any, *keys: str) -> Any:
    """`value[k1][k2]...` of parsed JSON, None where a step is missing or not an object."""
    for key in keys:
        value = value.get(key) if isinstance(value, dict) else None
    return value


def _holds_the_product(el: Any) -> bool:
    """Whether a block holds the page's own product (its main heading): a wrapper whose class names reviews or
    filters ("has-reviews" on the body, "product-with-reviews" around the product) is no block of reviews."""
    return str(el.tag).lower() in ("html", "body", "main") or el.find(".//h1") is not None


def _is_price_element(el: Any) -> bool:
    if not isinstance(el.tag, str) or _invisible(el):
        return False
    return "price" in _attr_words(el).lower() and not _words(el) & _NOT_SELLING_WORDS


def _option_item(el: Any) -> bool:
    """One choice of a variant picker: option words in its class or id, and a sibling of the same tag
    sharing a class with it (`span.size-item` beside `span.size-item.size-item-soldout`). A block that
    merely holds the SKU and the stock line (Magento's `product-info-stock-sku`) is not one."""
    if not _words(el) & _OPTION_WORDS:
        return False
    classes = set((el.get("class") or "").split())
    parent = el.getparent()
    if not classes or parent is None:
        return False
    return any(
        sib is not el and sib.tag == el.tag and classes & set((sib.get("class") or "").split()) for sib in parent
    )


def _choice_label(el: Any) -> bool:
    """The label of one choice of a radio picker, as an `<option>` is of a select: the input before it or in it
    is a radio button (Dawn's "L Variant sold out or unavailable" pill, BigCommerce's `form-option`)."""
    if str(el.tag).lower() != "label":
        return False
    prev = el.getprevious()
    inputs = chain([prev] if prev is not None and str(prev.tag).lower() == "input" else [], el.iter("input"))
    return any((i.get("type") or "").strip().lower() == "radio" for i in islice(inputs, 3))


def _badge_not_shown(el: Any) -> bool:
    """A state badge a theme prints in every box of its block and shows by the block's modifier: Shopify's
    Dawn (`price__badge-sold-out`) and Debut (`price__badge--sold-out`) print "Sale" and "Sold out" in every
    `price` box, and show "Sold out" only in a `price--sold-out` one. Elsewhere the stylesheet hides it."""
    classes = el.get("class")
    if not classes or "__badge-" not in classes:
        return False
    for name in classes.split():
        block, badge, state = name.partition("__badge-")
        state = state.lstrip("-")
        if not badge or not block or not state:
            continue
        box = next((a for a in el.iterancestors() if block in (a.get("class") or "").split()), None)
        return box is not None and f"{block}--{state}" not in (box.get("class") or "").split()
    return False


def _coupon_labelled(el: Any, text: str) -> bool:
    """Whether a coupon or member label is said before the amount: in the element's own text, right
    before it, or right before one of the two price boxes around it ("补贴领后价" above "¥699")."""
    first = _AMOUNT_TOKEN.search(text)
    said = [text[: first.start()] if first else text, _since_amount(_before(el))]
    boxes = 0
    for a in el.iterancestors():
        if boxes == 2 or not isinstance(a.tag, str):
            break
        if _is_price_element(a):
            said.append(_since_amount(_before(a)))
            boxes += 1
    lead = " ".join(said)
    return bool(COUPON_LABEL.search(lead) or MEMBER_LABEL.search(lead))


def _price_text_hider(own: Any) -> Callable[[Any], bool]:
    """What `_not_price_text` hides in `own`'s text, and the secondary prices inside it (not `own` itself)."""

    def hide(el: Any) -> bool:
        return (el is not own and _secondary(el)) or _not_price_text(el)

    return hide


def _secondary(el: Any) -> bool:
    return isinstance(el.tag, str) and bool(_words(el) & _SECONDARY_WORDS)


def _before(el: Any) -> str:
    """The text right before an element: its previous sibling's (a "From" or "As low as" label)."""
    prev = el.getprevious()
    if prev is None:
        parent = el.getparent()
        return (parent.text or "")[-20:] if parent is not None else ""
    if not isinstance(prev.tag, str) or _invisible(prev):
        return (prev.tail or "")[-20:]
    return f"{_text_of(prev)} {prev.tail or ''}"[-20:]


def _after(el: Any) -> str:
    """The text right after an element (where "起" or "from" often sits)."""
    following = el.tail or ""
    nxt = el.getnext()
    if nxt is not None and isinstance(nxt.tag, str):
        following += " " + (nxt.text or "")
    return following[:20]
