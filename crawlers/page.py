"""What a parsed page says besides structured data: decoding, blocked/login/sold-out signals, seller, text price.

Used by `crawlers.extraction`; every helper tolerates any markup (scraped text is hostile).
"""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from decimal import Decimal
from functools import cached_property
from itertools import chain, islice
from typing import Any
from urllib.parse import urldefrag, urljoin, urlsplit

from lxml import etree
from lxml import html as lxml_html
from w3lib.encoding import html_body_declared_encoding, html_to_unicode, http_content_type_encoding

from crawlers.prices import SELLER_MAX, TITLE_MAX, clean_text, currency_code, parse_price_text
from oneprice.domain.catalog import gtin_check_digit_ok

REASON_CAPTCHA = "captcha"
REASON_ANTI_BOT = "anti_bot"
REASON_LOGIN_WALL = "login_wall"


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


def _by_first_character(pattern: str) -> str:
    """`pattern`'s alternatives, each of which begins with a plain character, grouped by that character:
    "sold out|sin stock|缺货" -> "s(?:old out|in stock)|缺货". The same matches, found faster on a long text:
    at a position the engine tries the one group of its character, not every alternative in turn."""
    groups: dict[str, list[str]] = {}
    for alternative in _top_alternatives(pattern):
        first = alternative[:1]
        if not first or first in "\\()[].^$*+?{|":
            raise ValueError(f"an alternative must begin with a plain character: {alternative!r}")
        groups.setdefault(first, []).append(alternative[1:])
    return "|".join(f"{c}(?:{'|'.join(rests)})" if len(rests) > 1 else c + rests[0] for c, rests in groups.items())


def _top_alternatives(pattern: str) -> list[str]:
    """The alternatives of `pattern` at its top level (outside groups and character classes)."""
    out: list[str] = []
    depth, start, i = 0, 0, 0
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            i += 2
            continue
        if c == "[":
            i = pattern.index("]", i + 2)
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        elif c == "|" and depth == 0:
            out.append(pattern[start:i])
            start = i + 1
        i += 1
    out.append(pattern[start:])
    return out


# -- page signals ----------------------------------------------------------------------------------

_CAPTCHA = re.compile(
    r"captcha|验证码|滑块|滑动验证|nc_(?:\d+_)?wrapper|安全验证|人机验证|verify(?:ing)? (?:that )?you are (?:a )?human"
    r"|jdjrv|man-machine|完成拼图|验证一下"  # JD's risk page: a jigsaw slider ("向右滑动完成拼图")
    r"|京东验证|risk_handler"  # JD's risk page and its address (`cfe.m.jd.com/privatedomain/risk_handler/…`)
    r"|请(?:先)?完成(?:安全|人机)?验证"  # Pinduoduo's and Xiaohongshu's check ("请完成验证后继续访问")
    r"|press (?:&(?:amp;)?|and) hold to confirm"  # PerimeterX's check (a manual's "press and hold the button" is none)
    r"|gokuprops"  # AWS WAF's challenge page (`window.gokuProps`)
    r"|_____tmd_____/punish|x5secdata=",  # Alibaba's slider check (`_PUNISH`)
    re.IGNORECASE,
)
# Alibaba's anti-bot (Taobao, Tmall, 1688, AliExpress) redirects to `/_____tmd_____/punish?x5secdata=...`, a
# slider captcha, or answers the item's address with a page whose only content is a script sending the
# visitor there (`window.location.replace("…/_____tmd_____/punish?x5secdata=…")`, `{"action": "captcha"}`).
# Other checks are served the same ways: JD sends the visitor to `cfe.m.jd.com/privatedomain/risk_handler/…`,
# Amazon's robot check posts to `/errors/validateCaptcha`, DataDome's page is a script loading its captcha from
# `geo.captcha-delivery.com`, Cloudflare's challenge page sets `window._cf_chl_opt` and AWS WAF's `gokuProps`.
# Each names the check itself, never a product page that merely protects a form (`challenge.js` of AWS WAF's
# SDK and Cloudflare's Turnstile widget are loaded by live pages too, and are not named here).
_PUNISH = re.compile(r"_____tmd_____/punish|[?&]x5secdata=|/risk_handler/|/errors/validatecaptcha", re.IGNORECASE)
_CHALLENGE_SCRIPT = re.compile(
    r"_____tmd_____/punish|[?&]x5secdata=|/risk_handler/|captcha-delivery\.com|_cf_chl_opt|gokuprops", re.IGNORECASE
)
# Words one of which every `_CHALLENGE_SCRIPT` match holds, to skip the scripts of a page that has none.
_CHALLENGE_WORDS = ("_____tmd_____", "x5secdata", "risk_handler", "captcha-delivery", "_cf_chl_opt", "gokuprops")
_ANTI_BOT = re.compile(
    r"访问受限|访问被拒绝|访问过于频繁|请求过于频繁|访问人数过多|robot check|unusual traffic|are you a robot"
    r"|you(?:.re| are) not a robot|checking (?:your browser|if the site connection is secure)"
    r"|automated (?:access|queries)"
    r"|too many requests|you have been blocked|enable javascript and cookies to continue"
    r"|needs to review the security of your connection|_cf_chl_opt"  # Cloudflare's challenge and block pages
    r"|your connection needs to be verified"  # Shopify's bot check
    r"|you don.t have permission to access|requested url was rejected"  # Akamai's and F5's "Access Denied"
    r"|incapsula incident|_incapsula_resource|sucuri website firewall",
    re.IGNORECASE,
)
# The two patterns above without IGNORECASE, for text already lowered: several times faster on a big
# page. Exact as long as the text holds none of the characters that match an ASCII letter of the
# patterns only under IGNORECASE's Unicode rules (dotted/dotless i, long s, Kelvin sign).
_MARKERS_LOWER = re.compile(_by_first_character(f"{_CAPTCHA.pattern}|{_ANTI_BOT.pattern}"))
_CASE_SPECIAL = ("\u0130", "\u0131", "\u017f", "\u212a")


def has_marker(text: str, lowered: str | None = None) -> bool:
    """Whether `_CAPTCHA` or `_ANTI_BOT` finds anything in `text` (same answer, less work).

    `lowered` is `text.lower()` when the caller has it already.
    """
    if any(c in text for c in _CASE_SPECIAL):
        return bool(_CAPTCHA.search(text) or _ANTI_BOT.search(text))
    return _MARKERS_LOWER.search(text.lower() if lowered is None else lowered) is not None


# Titles of block pages: Cloudflare's ("Just a moment...", "Attention Required!"), Akamai's and PerimeterX's
# ("Access Denied", "Access to this page has been denied"), Sucuri's, a rate limit's, JD's risk page.
_BLOCKED_TITLE = re.compile(
    r"^\s*(?:access denied|just a moment|attention required|403 forbidden|access to this page has been denied"
    r"|(?:429 )?too many requests|sucuri website firewall|request rejected|robot check|京东验证|安全验证|验证码)",
    re.IGNORECASE,
)
# Widgets that sit on normal pages (a review form's reCAPTCHA) say nothing about this page being blocked.
_HARMLESS_WIDGET = re.compile(r"recaptcha|hcaptcha", re.IGNORECASE)
_LOGIN_HOST = re.compile(r"^(?:login|passport|signin|account|auth)\.", re.IGNORECASE)
_LOGIN_PATH = re.compile(r"/(?:member/)?(?:login|signin|sign-in|sign_in)(?:[./?]|$)", re.IGNORECASE)
_LOGIN_TITLE = re.compile(r"登录|登陆|log ?in|sign ?in", re.IGNORECASE)
_LOGIN_FORM_WORDS = re.compile(r"登录|登陆|log ?in|sign ?in|signin", re.IGNORECASE)
# Script state that asks the visitor to log in instead of showing the goods: Pinduoduo's goods page
# answers a visitor it does not know with `window.rawData = {"store":{"initDataObj":{"needLogin":true}}}`.
# Words that only a login page or a login wall shows as its content: a page that shows no price and says them
# asks the visitor to log in (Taobao's login page at the item's address: "密码登录", "扫码登录"; Xiaohongshu's
# and Douyin's "登录后查看更多"). A shop's header says "请登录" or "Sign in" beside every price, never these.
_LOGIN_WALL_TEXT = re.compile(
    r"密码登录|扫码登录|短信登录|验证码登录|手机号登录|账号登录|登录后(?:查看|即可|继续|才能|可见)|请先登录"
    r"|(?:sign|log) ?in to (?:continue|view|see)",
    re.IGNORECASE,
)
# The title or main heading of a "page not found" page, that a shop serves with status 200 and often fills with
# other products' prices ("404 Page Not Found", "Page not found – Shop", "Oops! That page can't be found").
# A product named "Error 404 Tee" is no such page: "404" must end the words or be followed by what a 404 says.
_NOT_FOUND_HEADING = re.compile(
    r"^\s*(?:(?:error\s*)?404(?:\s*(?:error|page|not found)|\s*[-–—|:!.·]|\s*$)|not found\s*(?:$|[-–—|:!.·])"
    r"|oops!?\s*(?:that|this) page)"
    r"|\b(?:404|page) not found\s*(?:$|[-–—|:!.·,])|page (?:can.t|cannot|could not|couldn.t) be found"
    r"|seite nicht gefunden|page introuvable|página no encontrada|pagina non trovata|pagina niet gevonden"
    r"|страница не найдена|ページが見つかりません|页面不存在|页面找不到|页面未找到",
    re.IGNORECASE,
)
_LOGIN_STATE = re.compile(r"window\.rawData\s*=\s*(?=\{)")
_LOGIN_STATE_WORD = "needLogin"
STATE_MAX = 2_000_000  # characters of one script's state read at most
_STATE_TRIES = 5  # assignments decoded at most per script (each decode may read the rest of it)
_STATE_DECODER = json.JSONDecoder(parse_float=Decimal)
# Phrases saying this offer cannot be bought. `_NOT_AVAILABLE` says only "not available", which a shop also
# writes of a service ("Envío no disponible", "Spedizione non disponibile in Sardegna"): the words beside it
# can take it back (`_SERVICE_BEFORE`, `_SERVICE_AFTER`). `_GONE` says that the item's address leads to no
# page at all (a soft 404); a delisted or ended listing is sold out, as a profile reads it.
_NOT_AVAILABLE_WORDS = r"non disponibil[ei]|non disponible|no disponible|niedostępn[ya]|indisponível|indisponible"
_GONE_WORDS = (
    r"页面不存在|页面找不到|页面走丢|not a functioning page"
    r"|page you (?:requested|were looking for|are looking for) (?:does not|doesn.t) exist"
    r"|page (?:can.t|cannot|could not|couldn.t) be found"
)
_SOLD_OUT_WORDS = (
    r"售罄|已下架|已下柜|宝贝不存在|商品不存在|无货|缺货|已抢光|已售完|补货中|暂无库存|sold out|out of stock"
    r"|no longer available|currently unavailable|ausverkauft|nicht (?:mehr )?verfügbar|nicht auf lager"
    r"|nicht vorrätig|épuisé|rupture de stock|agotado|s(?<=\bs)in stock|sin existencias|esaurito|uitverkocht"
    r"|niet (?:meer )?(?:leverbaar|op voorraad)|esgotado|sem estoque|wyprzedan[ye]|brak (?:w magazynie|towaru)"
    r"|商品已失效|宝贝已失效|链接已失效|listing (?:was|has) ended|bidding has ended"  # delisted, an ended listing
    r"|tükendi|stokta yok|нет в наличии|нет на складе|товар закончился|stok habis|hết hàng|สินค้าหมด|หมดสต็อก"
    rf"|slutsåld|udsolgt|utsolgt|品切れ|在庫切れ|在庫なし|在庫がありません|売り切れ|販売終了|품절|{_NOT_AVAILABLE_WORDS}|{_GONE_WORDS}"
)
_NOT_AVAILABLE = re.compile(_NOT_AVAILABLE_WORDS, re.IGNORECASE)
_GONE = re.compile(_GONE_WORDS, re.IGNORECASE)
_SOLD_OUT = re.compile(_by_first_character(_SOLD_OUT_WORDS), re.IGNORECASE)
# `_SOLD_OUT` without IGNORECASE, for lowered text (the same answer, as for `_MARKERS_LOWER`).
# Every alternative begins with a character (the word boundary of "sin stock" is looked for behind its
# "s"), so a search skips the positions no alternative can begin at; with a `\b` first it tried every
# alternative at every position of the page, 4 times as long on a 60,000-character text. Grouped by that
# character (`_by_first_character`), a position tries only the phrases that begin with its character.
_SOLD_OUT_LOWER = re.compile(_by_first_character(_SOLD_OUT_WORDS))
# A service named before "not available" ("Envío a domicilio no disponible", "Livraison indisponible"), or a
# place or a condition after it ("no disponible en tienda", "non disponibile per la consegna"), unless the
# place is the stock ("non disponibile in magazzino").
_SERVICE_BEFORE = re.compile(
    r"\b(?:env[ií]o|spedizion[ei]|consegna|ritiro|pagamento|pago|reembolso|entrega|recogida|retiro|dostawa|wysyłka"
    r"|odbiór|płatność|livraison|retrait|paiement|shipping|delivery|pick-?up|option|opción|opzione|opção)\b[^.!?]{0,20}$",
    re.IGNORECASE,
)
_SERVICE_AFTER = re.compile(
    r"\s+(?:en|in|per|para|pela|pelo|na|no|w|dla|a|à|au|su|al|nel|nella|con|com|pour|for|to|z)\s+"
    r"(?!magazzino|magazynie|stock|almac[eé]n|estoque|voorraad)",
    re.IGNORECASE,
)
# Words beside a sold-out phrase that take it back: a back-order the shop still takes (Amazon's "Temporarily
# out of stock. Order now and we'll deliver when available.", WooCommerce's "Out of stock – available on
# backorder"), a store's standing notice about no item in particular ("Items sold out online may be available
# in store"), an urgency badge ("Almost sold out", "Order before it's sold out"), a listing filter ("Hide sold
# out items", "Sold out items are hidden") and a past state ("it was sold out last week").
_STILL_BUYABLE_AFTER = re.compile(
    r".{0,48}?(?:order now and we.ll deliver|place your order and we.ll|(?:available|offered) (?:on|for) back-?order"
    r"|can (?:still )?be back-?ordered|may be available in[\s-]stores?\b)"
    r"|\s*(?:items?|products?) (?:are )?(?:hidden|not shown|shown)\b",
    re.IGNORECASE | re.DOTALL,
)
_STILL_BUYABLE_BEFORE = re.compile(
    r"(?:\b(?:almost|nearly|before (?:it|they)(?:.s|.re| is| are)|soon be|may be|might be|was|were"
    r"|hide|show|include|exclude|without|sắp|gần|quase|casi|quasi|bijna|prawie|почти)|即将|快要|马上|もうすぐ)\s*$",
    re.IGNORECASE,
)
_FROM_PRICE = re.compile(
    r"起|以上|から|\bfrom\b|\bab\b|\b[àa] partir de\b|\bdesde\b|\bvanaf\b|starting at|as low as", re.IGNORECASE
)
# A "+" written right after an amount and ending its text: the cheapest of prices that differ (Etsy's
# "$45.00+" for a listing whose variations are priced apart). "+ VAT" or "+ £3.50 delivery" says more.
# A wave dash ending it says the same in Japan and China ("¥1,980～", "¥99~").
_PLUS_FROM = re.compile(r"\d(?:\+|\s*[~～〜])\s*$")
_PLUS_AFTER = re.compile(r"\s*([+~～〜])\s*$")
# Two amounts joined by a dash or a word, the first one's sign written between them or not ("$19.99 to $29.99",
# "19,99 € - 29,99 €", "€19,99 bis €29,99"); a discount after a price ("$129.99 -20%") is no range.
_RANGE_JOIN = r"\s*(?:[€$£¥￥元円]\s*)?(?:-|~|～|–|—|至|\bto\b|\bbis\b)\s*"
_RANGE = re.compile(rf"\d{_RANGE_JOIN}\D{{0,3}}\d(?![\d.,]*\s*%)", re.IGNORECASE)
# The rest of a range after an amount read from the page's text (" – $29.99").
_RANGE_AFTER = re.compile(rf"{_RANGE_JOIN}\D{{0,3}}\d[\d.,]{{0,12}}(?![\d.,]*\s*%)", re.IGNORECASE)
# "Was $39.99 Now $24.88" in one box, or WooCommerce's screen-reader text "Original price was: $159.99."
# before "Current price is: $129.99.". A page served without whitespace between its blocks glues "Now" to
# the amount before it ("$39.99Now $24.88"): no letter may precede it, a digit may.
_WAS_NOW = re.compile(
    r"\b(?:was|before|statt|avant|antes|prima)\b.*?(?<![^\W\d_])"
    r"(?:now|jetzt|maintenant|ahora|ora|current price is)\b\s*:?\s*(?P<now>\S.*)$",
    re.IGNORECASE | re.DOTALL,
)
_RANGE_TOP = re.compile(rf"\d{_RANGE_JOIN}(\D{{0,3}}\d[\d.,\s]{{0,15}})", re.IGNORECASE)
_STRUCK_TAGS = frozenset({"del", "s", "strike"})
# Labels of a price that only some buyers pay: after a coupon or a subsidy at checkout, or for members
# (券后, 到手价, 补贴价, 88VIP价, PLUS价). Said before the amount, they make it a coupon price.
COUPON_LABEL = re.compile(
    r"券后|领后|到手|用券|领券|补贴后|加补后|补贴价|国补|立减后|折后|优惠后"
    r"|(?i:\b(?:with|after|clip)\s+(?:a\s+)?coupon|\bcoupon\s+price|\bwith\s+(?:promo\s+)?code\b)"
)
# "PLUS" as JD writes it, not a model's "Plus"; in English a member's price by its words.
MEMBER_LABEL = re.compile(
    r"会员|新人|PLUS|88VIP|88vip|(?i:\bmembers?(?:['’]s?)?\s+(?:price|only|deal)|\bfor\s+members\b|mitgliederpreis)"
)
# A clock time or a countdown ("距结束 02:13:45"), or a date written with its year ("2024-11-11 00:00 开抢",
# "2024.11.11"): never an amount.
_CLOCK = re.compile(r"(?<![\d.,])\d{1,2}(?::\d{2}){1,2}(?![\d.,:])")
_DATE = re.compile(r"(?<![\d.,])(?:19|20)\d\d([-./])\d{1,2}\1\d{1,2}(?![\d.,])")
# An amount, not the digits of a word ("88VIP", "S24").
_AMOUNT_TOKEN = re.compile(r"(?<![A-Za-z\d])\d[\d.,]*(?![\d.,A-Za-z])")
_NOT_SHOWN = frozenset({"script", "style", "noscript", "template", "head", "title"})
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
_WORD = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+")
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
# A discount badge inside a price box ("11%", "-20 %"): glued to the price before it, "48.77" and
# "11%" would read as 48.7711.
# A Chinese discount badge ("3.5折", 35% of the list price) is the same kind of number.
_PERCENT_ONLY = re.compile(r"[-–−]?\s*\d{1,3}(?:[.,]\d+)?\s*(?:%\s*(?:off)?|折)", re.IGNORECASE)
# An amount with a currency sign that is no price of the product, by the words before it: a threshold
# or a discount ("orders over $35", "Spend $50", "save $5", "满99元", "立减20元"), an instalment ("4 payments
# of $37.25", "每期¥83"), a fee ("Shipping: $5.99", "运费：¥10"), a deposit ("定金 ¥100 抵 ¥150") or the value of
# points ("150 points ($1.50)"); or by the words after it: "$10 off", "$50 or more", "99元以上", "$37/mo",
# "¥83.25×12期", "$25 gift card", "$5.99 shipping", a presale's balance ("尾款¥899", paid after the deposit).
# "¥259 包邮" is a price shipped free, and "满99元包邮" a
# threshold by its 满. A multi-buy ("2 for $5", "3/$10") is the price of several, and an amount with a minus
# sign against it ("-¥50") or after "You save:" the discount.
_NOT_PRICE_LEAD = re.compile(
    r"(?:\b(?:over|above|spend|save|saving|savings|extra|orders?(?:\s+of)?|up\s+to"
    r"|(?:payments?|installments?|instalments?)\s+of|points?\s*\("
    r"|(?:shipping|delivery|postage|freight|handling)(?:\s+(?:fee|cost|charge|price))?"
    r"|deposit)\s*[:：]?"
    r"|(?<![\d.,])(?:[2-9]|[1-9]\d)\s*(?:for\b|/)|(?<![\w.,])[-−](?!\s)"
    r"|满|减|立减|省|返|补贴|至高|最高|每期|分期\s*[:：]?|运费\s*[:：]?|邮费\s*[:：]?|定金\s*[:：]?|尾款\s*[:：]?|抵)\s*$",
    re.IGNORECASE,
)
_NOT_PRICE_AFTER = re.compile(
    r"\s*(?:off\b|or\s+more\b|减|立减|以上|起送|(?:/|per\s+|a\s+)(?:mo|mth|month|wk|week)\b|/期"
    r"|[×xX*]\s*\d{1,2}\s*期|gift\s+card|(?:shipping|delivery|postage)\b)",
    re.IGNORECASE,
)

# The label of a list price just before an amount: the price paid is the amount after it.
_LIST_LEAD = re.compile(
    r"(?:\b(?:was|rrp|uvp|msrp|srp|mrp|m\.r\.p\.?|list(?:\s+price)?|regular(?:\s+price)?|reg\.|typical\s+price"
    r"|compare(?:\s+at)?(?:\s+price)?|original(?:\s+price)?|statt)|原价|市场价|吊牌价|专柜价|划线价|参考价|定价|门市价)"
    r"\s*[:：]?\s*$",
    re.IGNORECASE,
)


# An amount that is this product's but not what a consumer pays for one item, by the words after it or before
# it, as `_SECONDARY_WORDS` says it by class: a price per unit of measure ("($0.50/oz)", "€5,98 / kg", "11,98 €/l",
# "¥12.8/500g", Amazon's "($2.08 / Count)", Germany's Grundpreis "1 kg = 5,98 €", "Price per 100 ml:", 单价),
# or a price before tax ("£16.66 ex. VAT", "16,80 € netto", "zzgl. MwSt.", "19,99 € HT", "3,618円（税込3,980円）",
# 本体価格). It is read only where nothing else is (a weighed product's "$4.99/lb"); a price per piece
# ("/ each", "/瓶") is the item's.
_UNIT_AFTER = re.compile(
    r"\s*(?:/|per\s+)\s*(?:\d{1,4}\s*)?(?:(?:fl\.?\s*)?oz|lbs?|kg|g|mg|l|ltr|lit(?:re|er)|ml|cl|m|m2|m²|qm|sq\.?\s*ft"
    r"|ft|count|ct|stück|stk)\b|\s*/\s*(?:\d{1,4}\s*)?(?:千克|公斤|克|斤|升|毫升)"
    r"|\s*(?:[(（]\s*)?(?:(?:ex|excl|excluding|exkl|zzgl|plus)\.?\s*(?:VAT|GST|tax|MwSt|USt)\b\.?|\+\s*(?:VAT|MwSt)\b"
    r"|netto\b|HT\b|税抜|税別|(?=税込\s*\d))",
    re.IGNORECASE,
)
_UNIT_LEAD = re.compile(
    r"(?:\b(?:grundpreis|unit\s+price|base\s+price|price\s+per\s+[\w.]{1,8}(?:\s+[\w.]{1,8})?|nettopreis"
    r"|net\s+price)|单价|本体(?:価格)?|税抜価格"
    r"|\b\d{1,4}\s*(?:kg|g|l|ml|cl|oz|lb|m)\s*=)\s*[:：]?\s*\(?\s*$",
    re.IGNORECASE,
)


def _per_unit(text: str, m: re.Match[str]) -> bool:
    """Whether the amount `m` found in `text` is a price per unit of measure or before tax (`_UNIT_AFTER`,
    `_UNIT_LEAD`)."""
    return bool(_UNIT_AFTER.match(text, m.end()) or _UNIT_LEAD.search(text, max(0, m.start() - 32), m.start()))


def _after_list_price(text: str) -> str | None:
    """The text after a first amount its label calls the list price, or that is a price per unit, when another
    amount follows it ("原价¥1599 现价¥999" -> " 现价¥999", "Grundpreis: 11,98 €/l 5,99 €" -> " 5,99 €");
    None otherwise."""
    first = _CURRENCY_TEXT.search(text)
    if first is None:
        return None
    end = first.end()
    if (unit := _UNIT_AFTER.match(text, end)) is not None:
        end = unit.end()
    elif not _LIST_LEAD.search(text, max(0, first.start() - 24), first.start()) and not _per_unit(text, first):
        return None
    return text[end:].lstrip(" )") if _CURRENCY_TEXT.search(text, end) else None


def _per_unit_first(text: str) -> bool:
    """Whether the first amount with a currency sign in `text` is a price per unit of measure."""
    m = _CURRENCY_TEXT.search(text)
    return m is not None and _per_unit(text, m)


def _states_no_price(text: str) -> bool:
    """Whether the first amount with a currency sign in `text` is no price by the words around it
    (`_NOT_PRICE_LEAD`, `_NOT_PRICE_AFTER`)."""
    m = _CURRENCY_TEXT.search(text)
    if m is None:
        return False
    lead = _NOT_PRICE_LEAD.search(text, max(0, m.start() - 32), m.start())
    return lead is not None or _NOT_PRICE_AFTER.match(text, m.end()) is not None


# An amount with a currency sign or code before or after it. A sign after digits grouped by spaces takes the
# whole number ("1 299,00 €"), except yuan, which is never grouped so ("满299减50 349元"). A comma or a point
# that no digit follows ends the amount: "$19.99, 2 for $35" is $19.99, not 1999.2.
_CURRENCY_TEXT = re.compile(
    r"(?:\b(?:US|HK|NT|NZ|MX|CA|AU|A|C|S|R)?\$|[¥￥€£$₩₹]|RMB|CNY|EUR|USD|CHF|\bRs\.?)\s*\d(?:[\d'’]|[.,\s](?=\d)){0,15}"
    r"|\d{1,3}(?:\s\d{3})+(?:[.,]\d{1,2})?\s*(?:€|EUR|CHF)"
    r"|\d[\d.,]{0,15}\s*(?:元|円|원|€|EUR|CNY|RMB|USD|CHF)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class _TextPrice:
    amount: Decimal
    currency: str
    raw: str
    kind: str  # a key of CONFIDENCE
    ranged: bool
    currency_guessed: bool
    high: Decimal | None = None  # top of a range
    coupon: bool = False  # labelled as a price for some buyers only (COUPON_LABEL, MEMBER_LABEL)
    # Another amount that a price box like this one shows (`_Page._peer_amount`): which one is paid is a guess.
    rival: Decimal | None = None


def _attr_words(el: Any) -> str:
    return f"{el.get('class') or ''} {el.get('id') or ''}"


def _words(el: Any) -> set[str]:
    """'J_StrPrice old-price' -> {'j', 'str', 'price', 'old'}."""
    return {w.lower() for w in _WORD.findall(_attr_words(el))}


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


def _text_of(el: Any, hide: Callable[[Any], bool] = _invisible) -> str:
    return " ".join("".join(_chunks(el, hide)).split())


_GROUPED_FORM = etree.XPath("boolean(//form[contains(concat(' ', normalize-space(@class), ' '), ' grouped_form ')])")


_SITE_NAME_META = etree.XPath(
    "/html/head/meta[@property='og:site_name' or @name='og:site_name' or @name='application-name'"
    " or @name='apple-mobile-web-app-title']/@content"
)


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
        """The first element named for the seller (`seller`, `shopName` ...) with a short text, its label
        ("Sold by", "店铺：", "Vendido por") taken off; blocks about the seller's delivery or rating
        (Lazada's `module_seller_delivery`) are not its name."""
        walk = etree.iterwalk(self.body, events=("start",))
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
                el = self._seller_name_in(el)
            text = _text_of(el, _seller_aside_hider(el)) or el.get("title") or ""
            text = _seller_name_only(text)
            if text and len(text) <= SELLER_MAX and not _NOT_A_SELLER_NAME.match(text):
                return clean_text(text, SELLER_MAX)
        return None

    @staticmethod
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

    @cached_property
    def stated_identifiers(self) -> StatedIdentifiers:
        """The SKU, GTIN and model code that the page's text states for its own product, by their labels
        (`_ID_FIELDS`): a `<th>`/`<td>` or `<dt>`/`<dd>` pair, "货号：JK010-BLK" in one element, a label's
        element and the value's element after it. Text in blocks of other products, reviews and questions,
        the site's header, navigation and footer, and variant pickers is not this product's. A GTIN needs
        its check digit; a field the page states two different values for (a table of variants) is None.

        A page whose source has no label right after a tag's ">" is not walked: its answer is known.
        """
        text = self.source.text if self.source is not None else etree.tostring(self.tree, encoding="unicode")
        found_labels = [(m.start(), m.group("label")) for m in islice(_ID_LABEL_SOURCE.finditer(text), 200)]
        if not text.isascii():
            found_labels += _prefixed_model_labels(text)
        places = _label_places(text, found_labels)
        if not places:
            return StatedIdentifiers()
        key = tuple(sorted((place, tuple(sorted(labels))) for place, labels in places.items()))
        finder = _LABEL_FINDERS.get(key)
        if finder is None:
            try:
                finder = _label_finder(key)
            except etree.XPathSyntaxError:  # a tag's name XPath does not take: looked for in any text
                finder = _label_finder(((("text", "*"), tuple(sorted(set().union(*places.values())))),))
            if len(_LABEL_FINDERS) > 256:
                _LABEL_FINDERS.clear()
            _LABEL_FINDERS[key] = finder
        found: dict[str, dict[str, str]] = {"sku": {}, "gtin": {}, "model": {}}
        for node in finder(self.tree)[:_ID_NODES_MAX]:
            codes = list(_stated_codes(node))
            if not codes:
                continue
            element = node.getparent()
            owner = element if node.is_text else element.getparent()
            if owner is None or self._not_this_products_code(owner):
                continue
            for field, code in codes:
                found[field].setdefault(code.zfill(14) if field == "gtin" else code.casefold(), code)
        return StatedIdentifiers(**{f: next(iter(v.values())) if len(v) == 1 else None for f, v in found.items()})

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
                if _NOT_PRICE_LEAD.search(lead) or _NOT_PRICE_AFTER.match(after):
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


def _words_before(text: str) -> str:
    """The last words of `text`, spaces collapsed and a clock or countdown left out, for the label of an amount
    in a later piece: "补贴领后价" over "距结束 02:13:45" over "¥699" still labels it."""
    tail = text[-64:]
    if ":" in tail:
        tail = _CLOCK.sub(" ", tail)
    return " ".join(tail.split())[-16:]


# The end of a piece of text that a currency sign ends, and the start of one a sign after an amount starts.
_SIGN_END = re.compile(r"(?:[¥￥€£$₩₹]|\b(?:RMB|CNY|EUR|USD|CHF))\s*$")
_SUFFIX_SIGNS = "元円원€"
# The last characters of text that an amount in the next piece can go on: digits, a decimal point, a sign,
# the last letter of a currency code, a space.
_GLUE_ENDS = frozenset(".,¥￥€£$₩₹BYRDFbyrdf \t\n\r\xa0")


def _glued(pieces: list[str]) -> Iterator[str]:
    """Pieces of text in reading order, with an amount that elements of its own draw joined into one piece:
    its sign, digits and cents each in a span ("<span>¥</span><span>99</span><span>.00</span>", cents set as a
    superscript "$149<sup>99</sup>", "<span>99</span><span>元</span>"). A browser shows them as one amount."""
    held = ""
    for piece in pieces:
        if held:
            last = held[-1]
            if (last in _GLUE_ENDS or last.isdigit()) and _continues_amount(held, piece):
                held += piece
                continue
            yield held
        held = piece
    if held:
        yield held


def _continues_amount(held: str, piece: str) -> bool:
    """Whether `piece` goes on with an amount that the text `held` before it ends with."""
    first = piece.lstrip()[:1]
    if not first:  # a space between the sign and the digits, or the digits and the sign
        return held[-1:].isdigit() or _SIGN_END.search(held[-8:]) is not None
    if first.isdigit():
        return _SIGN_END.search(held[-8:]) is not None or (held[-1:] in ".," and held[-2:-1].isdigit())
    if first in ".,":
        return held[-1:].isdigit() and piece[:1] == first and (len(piece) == 1 or piece[1:2].isdigit())
    return first in _SUFFIX_SIGNS and held.rstrip()[-1:].isdigit()


_PRICE_NAMED = etree.XPath(
    "descendant-or-self::*[contains(translate(@class, 'PRICE', 'price'), 'price')"
    " or contains(translate(@id, 'PRICE', 'price'), 'price')]"
)


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


def _says_sold_out(text: str, sold_out: re.Pattern[str]) -> bool:
    """Whether a sold-out phrase in `text` is not taken back by the words beside it (`_unavailable`)."""
    return _unavailable(text, sold_out) is not None


def _unavailable(text: str, sold_out: re.Pattern[str]) -> str | None:
    """The word for the first sold-out phrase in `text` that the words beside it do not take back
    (`_STILL_BUYABLE_AFTER`, `_STILL_BUYABLE_BEFORE`, and for "not available" alone a service named beside it):
    "gone" when it says the page has no item (`_GONE`), "sold_out" for any other; None when there is none."""
    for m in sold_out.finditer(text):
        start, end = m.start(), m.end()
        if _STILL_BUYABLE_AFTER.match(text, end) is not None or _STILL_BUYABLE_BEFORE.search(
            text, max(0, start - 24), start
        ):
            continue
        said = m.group(0)
        if _NOT_AVAILABLE.fullmatch(said) and (
            _SERVICE_BEFORE.search(text, max(0, start - 40), start) or _SERVICE_AFTER.match(text, end)
        ):
            continue
        return "gone" if _GONE.fullmatch(said) else "sold_out"
    return None


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


def _since_amount(text: str) -> str:
    """The words after the last amount: a label before another amount is not this one's."""
    ends = [m.end() for m in _AMOUNT_TOKEN.finditer(text)]
    return text[ends[-1] :] if ends else text


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


def _text_price(
    kind: str, amount: Decimal, symbol: str | None, text: str, after: str, default_currency: str, before: str = ""
) -> _TextPrice | None:
    currency = currency_code(symbol, default_currency) if symbol else default_currency
    if currency is None:
        return None
    raw = " ".join(text.split())
    ranged = bool(_RANGE.search(raw))
    if _FROM_PRICE.search(raw) or _PLUS_FROM.search(raw):
        ranged = True
    elif m := _PLUS_AFTER.match(after):
        raw, ranged = f"{raw}{m.group(1)}", True
    elif kind == "text:currency" and (rest := _range_rest(raw, text, after, amount)):
        raw, ranged = rest, True  # the text after it, struck prices left out
    elif m := _FROM_PRICE.search(after.strip()[:8]):
        raw, ranged = f"{raw} {m.group(0)}", True
    elif m := _FROM_PRICE.search(before.strip()[-12:]):
        raw, ranged = f"{m.group(0)} {raw}", True
    high = _range_top(raw, amount)
    return _TextPrice(amount, currency, raw, kind, ranged, currency_guessed=symbol is None, high=high)


def _range_rest(raw: str, text: str, after: str, low: Decimal) -> str | None:
    """`raw` with the rest of a range that the text after it writes (" – $29.99", " to $29.99"), when its top
    is above `low`; None otherwise."""
    m = _RANGE_AFTER.match(after)
    if m is None:
        return None
    joint = " " if text[-1:].isspace() or m.group(0)[:1].isspace() else ""
    ranged = f"{raw}{joint}{m.group(0).strip()}"
    return ranged if _range_top(ranged, low) is not None else None


def _range_top(raw: str, low: Decimal) -> Decimal | None:
    """The top of a range written as text ("¥128.00-168.00" -> 168.00), when it is above `low`."""
    m = _RANGE_TOP.search(raw)
    if m is None:
        return None
    top, _ = parse_price_text(m.group(1))
    return top if top is not None and top > low else None


# -- identifiers stated in the page's text ---------------------------------------------------------

# Labels of this product's codes in a specification table or a "label: value" line, by the field they fill.
# The brand's article number (货号, 品番, Artikelnummer) is a SKU; a model or part number is the model. A
# marketplace's own number for the listing (JD's 商品编号, Suning's and Dangdang's 商品编码, Rakuten's 商品番号,
# Amazon's ASIN, eBay's item number) names no product of the brand and is not read.
_SKU_LABELS = r"sku|货号|商品货号|款号|品番|artikelnummer|artikel-nr\.?|art\.-nr\.?"
_MODEL_LABELS = (
    r"item model number|model number|model no\.?|model #|model|mpn|manufacturer part number|part number"
    r"|manufacturer reference|modellnummer|modelnummer|herstellernummer|herstellerreferenz|référence du fabricant"
    r"|numero modello articolo|número de modelo del producto|(?:メーカー)?型番|(?:产品|商品|规格)?型号"
)
_GTIN_LABELS = (
    r"gtin(?:-?1[234]|-?8)?|ean(?:-?13|-?8)?|upc(?:-?a)?|jan(?:コード)?|isbn(?:-?13)?|(?:商品)?条形码|(?:商品)?条码"
)
_ID_FIELDS = (("gtin", _GTIN_LABELS), ("sku", _SKU_LABELS), ("model", _MODEL_LABELS))
# A label at the start of a text node, as the page's source writes it: right after a tag's ">". The lookahead on
# the labels' first characters spares the alternatives at the many ">" no label follows (a tenth of the time on a
# 100 KB page). A Chinese model's label may have the brand before it ("Apple型号"): the source is searched for
# 型号 itself (`_PREFIXED_MODEL_LABEL`); 适用型号 and the like name other products.
_ID_LABEL_SOURCE = re.compile(
    rf">[\s\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]*(?=[SsMmEeUuGgJjIiPpAaHhRrNn货款品型条商产规メ])(?P<label>{_GTIN_LABELS}|{_SKU_LABELS}|{_MODEL_LABELS})(?![A-Za-z])",
    re.IGNORECASE,
)
_PREFIXED_MODEL_LABEL = "型号"
_ID_LINE = re.compile(
    rf"^(?P<label>{_GTIN_LABELS}|{_SKU_LABELS}|{_MODEL_LABELS}|[^:：\s]{{1,12}}型号)\s*(?:(?P<colon>[:：])|$)",
    re.IGNORECASE,
)
_ID_FIELD_OF = [(field, re.compile(rf"^(?:{labels})$", re.IGNORECASE)) for field, labels in _ID_FIELDS]
_OTHER_PRODUCTS_MODEL = re.compile(r"适用|兼容|支持|匹配|对应|配套")
_BIDI_MARKS = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]")
# Where a value written after its label ends: a list separator, or the next "label:" on the same line.
_VALUE_END = re.compile(r"\s*[,;，；|｜]|\s+[^\s:：]{1,24}[:：]")
# What pages write where a code is not known: "Does not apply" (eBay's item specifics), "N/A", "无".
_NO_CODE = re.compile(
    r"(?:n/?a|none|null|nil|unknown|-+|—|/|无|暂无|其他|其它|不详|见详情|详见.*|does not apply|not applicable"
    r"|nicht zutreffend|entfällt|k\.?\s?a\.?|non applicabile|no aplica|non applicable|unbranded|see description)\.?",
    re.IGNORECASE,
)
_SKU_VALUE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._/-]{0,63}")
_ID_NODES_MAX = 60  # text nodes holding a label read at most
_ID_VALUE_MAX = 64


@dataclass(frozen=True)
class StatedIdentifiers:
    """The SKU, GTIN and model code the page's text states for its own product (None: none, or two that differ)."""

    sku: str | None = None
    gtin: str | None = None
    model: str | None = None


# Where a label right after a ">" sits in the parsed page: the text of the element whose start tag the ">" closes,
# or the text after an empty element (`<br>EAN:`). The tag's name narrows the search.
_TAG_BEFORE = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]{0,30})(?=[\s/>])")
_VOID_TAGS = frozenset({"br", "hr", "img", "input", "wbr", "meta", "link", "source", "area", "col", "embed"})
_Place = tuple[str, str]  # ("text" or "tail", a tag's name, or "*" for any text)


def _label_places(text: str, found: Iterable[tuple[int, str]]) -> dict[_Place, set[str]]:
    """The places (`_Place`) that labels found in the source (the position of the ">" before each) point to,
    each with the labels found there."""
    places: dict[_Place, set[str]] = {}
    for at, label in found:
        if "'" in label:
            continue
        start = text.rfind("<", max(0, at - 2000), at)
        tag = _TAG_BEFORE.match(text, start) if start >= 0 else None
        name = tag.group(2).lower() if tag is not None else ""
        if tag is None or tag.group(1):
            # After a comment, a declaration or an end tag: the parser may have moved the text after another
            # element than the one the source ends there (`<p><div>…</div></p>SKU:`), so any text is searched.
            place = ("text", "*")
        else:
            place = ("tail" if name in _VOID_TAGS else "text", name)
        places.setdefault(place, set()).add(label)
    return places


def _prefixed_model_labels(text: str) -> list[tuple[int, str]]:
    """(the position of the ">" before it, "型号") of each 型号 that a text starts with, a brand's or a word's name
    before it or not ("Apple型号", "产品型号"): the source is searched for 型号 itself."""
    found: list[tuple[int, str]] = []
    at = text.find(_PREFIXED_MODEL_LABEL)
    while at >= 0 and len(found) < 50:
        gt = text.rfind(">", max(0, at - 40), at)
        if gt >= 0 and _PREFIX_BEFORE_MODEL.fullmatch(text, gt + 1, at):
            found.append((gt, _PREFIXED_MODEL_LABEL))
        at = text.find(_PREFIXED_MODEL_LABEL, at + 2)
    return found


_PREFIX_BEFORE_MODEL = re.compile(r"[\s\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]*[^<>:：\s]{0,12}")


def _label_finder(places: tuple[tuple[_Place, tuple[str, ...]], ...]) -> etree.XPath:
    """An XPath finding the body's text nodes at `places` that contain one of their labels (as the source writes
    them): `th/text()` for a label after `<th>`, the text after a `<br>` for one after `<br>`."""
    parts = []
    for (kind, tag), spellings in places:
        tests = " or ".join(f"contains(., '{s}')" for s in spellings)
        if tag == "*":
            parts.append(f"/html/body/descendant::text()[{tests}]")
        elif kind == "text":
            parts.append(f"/html/body/descendant-or-self::{tag}/text()[{tests}]")
        else:
            parts.append(f"/html/body/descendant::{tag}/following-sibling::node()[1][self::text()][{tests}]")
    return etree.XPath(" | ".join(parts))


_LABEL_FINDERS: dict[tuple[tuple[_Place, tuple[str, ...]], ...], etree.XPath] = {}


def _stated_value(text: str) -> str | None:
    """The value written after a label, up to where the line or the list it is in goes on with something else."""
    text = _BIDI_MARKS.sub("", text).strip().lstrip(":：").strip()
    text = text.split("\n", 1)[0]
    if (end := _VALUE_END.search(text)) is not None:
        text = text[: end.start()]
    text = " ".join(text.split()).rstrip(".")
    if not 0 < len(text) <= _ID_VALUE_MAX or _NO_CODE.fullmatch(text) or ":" in text or "：" in text:
        return None  # no code, or another label with its value ("SKU: AB-12" after an empty model cell)
    return text


def _checked_identifier(field: str, value: str) -> str | None:
    """`value` as the code of `field` when it can be one: a GTIN with a right check digit, a SKU as a catalog
    writes one, a model code of a few words; each with a digit ("Size", "Classic" are no codes)."""
    if field == "gtin":
        digits = re.sub(r"[\s-]", "", value)
        return digits if digits.isdigit() and gtin_check_digit_ok(digits) else None
    if not any(c.isdigit() for c in value):
        return None
    if field == "sku":
        return value if _SKU_VALUE.fullmatch(value) else None
    return value if len(value) <= 40 and len(value.split()) <= 4 and re.search(r"[A-Za-z0-9]", value) else None


def _field_of(label: str) -> str | None:
    label = label.strip()
    if label.endswith("型号") and _OTHER_PRODUCTS_MODEL.search(label):
        return None  # 适用型号: the models an accessory fits
    named = next((field for field, pattern in _ID_FIELD_OF if pattern.match(label)), None)
    return named or ("model" if label.endswith("型号") else None)


def _value_within(element: Any, label: str) -> str | None:
    """The value an element writes after its label in an inner element: WooCommerce's `<span class="sku_wrapper">SKU:
    <span class="sku">RL-TR3-42</span></span>`, `<p>Model: <b>X200</b></p>`."""
    if not len(element):
        return None
    whole = _BIDI_MARKS.sub("", _text_of(element)[:300]).strip()
    m = _ID_LINE.match(whole)
    if m is None or m.group("label") != label or not m.group("colon"):
        return None
    return _stated_value(whole[m.end() :])


def _value_beside(holder: Any, label_text: str) -> str | None:
    """The value of a label that an element holds alone: the text after it, or the element after it (a `<td>`
    after a `<th>`, a `<dd>` after a `<dt>`, the second `<span>` of an `<li>`), climbing from an inner
    element whose parent says nothing more than the label (eBay's item specifics wrap each side in divs)."""
    for _ in range(4):
        tail = _BIDI_MARKS.sub("", holder.tail or "").strip().lstrip(":：").strip()
        if tail:
            return tail
        following = holder.getnext()
        while following is not None and not isinstance(following.tag, str):
            following = following.getnext()
        if following is not None:
            tag = str(holder.tag).lower()
            if (tag in ("th", "td") and following.tag != "td") or (tag == "dt" and following.tag != "dd"):
                return None  # a table's header row ("SKU | Size"), not a label beside its value
            return _text_of(following)[:200]
        parent = holder.getparent()
        if parent is None or _BIDI_MARKS.sub("", _text_of(parent)).strip(" :：") != label_text:
            return None
        holder = parent
    return None


def _stated_codes(node: Any) -> Iterator[tuple[str, str]]:
    """(field, code) of the label a text node starts with, its value read where the page writes it: after the
    label, in the element's inner elements ("SKU: <span class='sku'>…</span>"), or beside the element when the
    label is all its text (`_value_beside`). Nothing when the node starts with no label or its value is no code."""
    element = node.getparent()
    read = _label_line(node)
    if read is None or element is None or (field := _field_of(read[0])) is None:
        return
    label, value = read
    if value is None and " ".join(_BIDI_MARKS.sub("", str(node)[:600]).split()).rstrip(" :：") == label:
        value = _value_within(element, label) if node.is_text else None
        if value is None:
            beside = _value_beside(element, label) if node.is_text else _value_after_tail(element)
            value = _stated_value(beside) if beside else None
    if value and (code := _checked_identifier(field, value)) is not None:
        yield field, code


def _label_line(node: Any) -> tuple[str, str | None] | None:
    """(label, the value written after it, or None when nothing is) of a text node that starts with a label, read
    as a browser shows it: whitespace collapsed ("SKU:\n  ABC-123" is one line), direction marks left out."""
    line = " ".join(_BIDI_MARKS.sub("", str(node)[:600]).split())
    m = _ID_LINE.match(line)
    if m is None:
        return None
    rest = line[m.end() :].strip()
    if rest and not m.group("colon"):
        return None  # "Model X200 is lighter": a sentence, no label
    return m.group("label"), _stated_value(rest) if rest else None


def _value_after_tail(element: Any) -> str | None:
    """The value of a label written as the text after `element` (a `<br>`), in the element after that text."""
    following = element.getnext()
    return _text_of(following)[:200] if following is not None and isinstance(following.tag, str) else None


# -- the site's name around a page's <title> -------------------------------------------------------

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
