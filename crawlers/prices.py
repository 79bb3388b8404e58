"""Small text helpers shared by the extractors: hostile-text cleaning, amounts, currency symbols.

Amounts are Decimal from start to end; a float never appears.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from decimal import Decimal, InvalidOperation
from urllib.parse import urlsplit

from price_parser import Price

from oneprice.domain.money import CURRENCY_EXPONENTS

# Above this a "price" is a phone number, an order id or a parsing accident.
MAX_AMOUNT = Decimal(100_000_000)

TITLE_MAX = 300
SELLER_MAX = 120
IDENTIFIER_MAX = 128
RAW_PRICE_MAX = 120

_WHITESPACE = re.compile(r"\s+")
# Signs that the currencies of several countries write, each currency with its country's country-code
# domain. The sign means the currency of the site's country when it writes that sign (a .se shop's "kr"
# is SEK, a .ca shop's "$" CAD), else the brand's when it is one of them, else the first one listed.
# Vanity domains (.co, .ai, .tv, .nu: used far beyond their countries) are not listed; a country known by
# its second-level domain only is listed by it (Colombia's .com.co).
_SHARED_SIGNS: dict[str, dict[str, str]] = {
    "$": {
        "USD": "us",
        "CAD": "ca",
        "AUD": "au",
        "NZD": "nz",
        "HKD": "hk",
        "TWD": "tw",
        "SGD": "sg",
        "MXN": "mx",
        "ARS": "ar",
        "CLP": "cl",
        "UYU": "uy",
        "COP": "com.co",
        "MOP": "mo",
    },
    "¥": {"CNY": "cn", "JPY": "jp"},  # "￥" is the same sign (NFKC)
    "kr": {"SEK": "se", "NOK": "no", "DKK": "dk", "ISK": "is"},  # "kr." too
    "rs": {"INR": "in", "PKR": "pk", "LKR": "lk", "NPR": "np"},  # "Rs.", and "₨" (NFKC: "Rs")
}
# Shared signs that name none of their currencies on a site known to price in another one (`reading_site`): a
# Korean or Polish shop's "kr" is no krona.
_OWN_COUNTRY_SIGNS = frozenset({"kr"})
_SYMBOLS = {
    "€": "EUR",
    "£": "GBP",
    "元": "CNY",
    "rmb": "CNY",
    "人民币": "CNY",
    "us$": "USD",
    "hk$": "HKD",
    "nt$": "TWD",
    "a$": "AUD",
    "au$": "AUD",
    "c$": "CAD",
    "ca$": "CAD",
    "s$": "SGD",
    "r$": "BRL",
    "円": "JPY",
    "₩": "KRW",
    "₹": "INR",
    "₽": "RUB",
    "zł": "PLN",
    "kč": "CZK",
    "dkr": "DKK",
    "nkr": "NOK",
    "skr": "SEK",
    "rm": "MYR",
    "₱": "PHP",
    "₫": "VND",
    "฿": "THB",
    "₺": "TRY",
    "₴": "UAH",
    "₪": "ILS",
    "fr.": "CHF",  # Swiss shelf prices: "Fr. 49.–"
    "sfr.": "CHF",
    "원": "KRW",
    "руб": "RUB",
    "руб.": "RUB",
    "грн": "UAH",
    "грн.": "UAH",
    "ft": "HUF",
    "tl": "TRY",
    "đ": "VND",
    "rp": "IDR",
    "nz$": "NZD",
    "mx$": "MXN",
    "mop$": "MOP",
    "r": "ZAR",  # South Africa's "R 1 299,00", read as a sign only on a site pricing in rand (`parse_price_text`)
    "lei": "RON",
    "лв": "BGN",
    "лв.": "BGN",
    # Arabic signs (price-parser does not know them: `_ARABIC_SIGN`)
    "ر.س": "SAR",
    "د.إ": "AED",
    "ج.م": "EGP",
    "د.ك": "KWD",
    "ر.ق": "QAR",
    "د.ب": "BHD",
    "ر.ع.": "OMR",
}


# The currency a marketplace's site shows its prices in, by the end of its host name (longest first).
_SITE_CURRENCIES = {
    "amazon.com": "USD", "amazon.ca": "CAD", "amazon.com.mx": "MXN", "amazon.co.uk": "GBP",
    "amazon.de": "EUR", "amazon.fr": "EUR", "amazon.it": "EUR", "amazon.es": "EUR", "amazon.nl": "EUR",
    "amazon.co.jp": "JPY", "amazon.com.au": "AUD", "amazon.sg": "SGD", "amazon.in": "INR", "amazon.cn": "CNY",
    "amazon.com.br": "BRL", "amazon.com.be": "EUR", "amazon.ie": "EUR", "amazon.pl": "PLN", "amazon.se": "SEK",
    "amazon.ae": "AED", "amazon.sa": "SAR", "amazon.eg": "EGP", "amazon.com.tr": "TRY",
    "ebay.com": "USD", "ebay.ca": "CAD", "ebay.co.uk": "GBP", "ebay.de": "EUR", "ebay.fr": "EUR",
    "ebay.it": "EUR", "ebay.es": "EUR", "ebay.com.au": "AUD", "ebay.com.hk": "HKD",
    "ebay.at": "EUR", "ebay.ie": "EUR", "ebay.nl": "EUR", "ebay.ch": "CHF", "ebay.pl": "PLN",
    "taobao.com": "CNY", "tmall.com": "CNY", "tmall.hk": "CNY", "jd.com": "CNY", "jd.hk": "CNY",
    "yangkeduo.com": "CNY", "pinduoduo.com": "CNY", "youzan.com": "CNY", "douyin.com": "CNY",
    "jinritemai.com": "CNY", "snssdk.com": "CNY", "kwaixiaodian.com": "CNY", "1688.com": "CNY", "vip.com": "CNY",
    "suning.com": "CNY", "dangdang.com": "CNY", "xiaohongshu.com": "CNY", "weidian.com": "CNY", "koudaitong.com": "CNY",
    "amazon.co.za": "ZAR", "ebay.com.sg": "SGD", "ebay.com.my": "MYR", "ebay.ph": "PHP", "ebay.be": "EUR",
    "walmart.com": "USD", "target.com": "USD", "aliexpress.ru": "RUB", "mercadolivre.com.br": "BRL",
    "mercadolibre.com.ar": "ARS", "mercadolibre.com.mx": "MXN", "mercadolibre.cl": "CLP", "mercadolibre.com.co": "COP",
    "mercadolibre.com.uy": "UYU", "mercadolibre.com.pe": "PEN", "mercadolibre.com.ec": "USD",
    "bol.com": "EUR", "otto.de": "EUR", "takealot.com": "ZAR",
    "naver.com": "KRW", "coupang.com": "KRW", "myntra.com": "INR", "flipkart.com": "INR", "tokopedia.com": "IDR",
    "tiki.vn": "VND", "hktvmall.com": "HKD", "thebase.in": "JPY", "base.shop": "JPY", "base.ec": "JPY",
    "shopselect.net": "JPY", "jp.mercari.com": "JPY", "mercari-shops.com": "JPY", "mercari.com": "USD",
    "lazada.com.my": "MYR", "lazada.com.ph": "PHP", "lazada.co.th": "THB", "lazada.co.id": "IDR", "lazada.vn": "VND",
    "lazada.sg": "SGD",
    "shopee.com.my": "MYR", "shopee.ph": "PHP", "shopee.co.th": "THB", "shopee.co.id": "IDR", "shopee.vn": "VND",
    "shopee.com.br": "BRL", "shopee.sg": "SGD", "shopee.tw": "TWD", "shopee.com.mx": "MXN", "shopee.com.co": "COP",
    "shopee.cl": "CLP",
    "zalando.de": "EUR", "zalando.fr": "EUR", "zalando.it": "EUR", "zalando.es": "EUR", "zalando.nl": "EUR",
    "zalando.be": "EUR", "zalando.at": "EUR", "zalando.ie": "EUR", "zalando.fi": "EUR", "zalando.pt": "EUR",
    "zalando.sk": "EUR", "zalando.si": "EUR", "zalando.lt": "EUR", "zalando.lv": "EUR", "zalando.ee": "EUR",
    "zalando.hr": "EUR", "zalando.co.uk": "GBP", "zalando.pl": "PLN", "zalando.se": "SEK", "zalando.dk": "DKK",
    "zalando.no": "NOK", "zalando.ch": "CHF", "zalando.cz": "CZK", "zalando.ro": "RON",
}  # fmt: skip
# A site on the country-code domain of a country whose currency writes a shared sign prices in that currency, and so
# does one on the domain of Brazil, South Africa (whose "R" is read on its sites only), Poland, Czechia, Turkey, Korea
# and South-East Asia: there a price that names no currency is in it, "kr" names no krona, and structured data
# stating another currency for the amount drawn with the country's own sign is wrong (`extract`). Other countries'
# domains are not read: a ".de" shop's "€" says all.
_COUNTRY_CURRENCIES = {
    **{domain: code for currencies in _SHARED_SIGNS.values() for code, domain in currencies.items()},
    "br": "BRL", "za": "ZAR", "pl": "PLN", "cz": "CZK", "tr": "TRY", "kr": "KRW", "vn": "VND", "my": "MYR",
    "id": "IDR", "ph": "PHP", "th": "THB",
}  # fmt: skip
# The currency of the site whose page `extract` is reading with `site_currency_first` (`reading_site`): a shared sign
# means it when it writes that sign, whatever other currency `currency_code` is given.
_READING_SITE: ContextVar[str | None] = ContextVar("reading_site", default=None)


def host_and_parents(url: str | None) -> Iterator[str]:
    """The host of a URL, then each domain above it: www.amazon.co.uk, amazon.co.uk, co.uk, uk."""
    host = (urlsplit(url or "").hostname or "").rstrip(".").lower()
    while host:
        yield host
        host = host.partition(".")[2]


def site_currency(url: str | None) -> str | None:
    """The currency a site prices in, or None when its address does not say.

    A known marketplace's ("https://www.amazon.co.uk/dp/…" -> GBP), else that of the country whose
    country-code domain the site is on, for the countries whose currency writes a sign that others
    share (`_SHARED_SIGNS`): "https://shop.example.se/…" -> SEK, so that its "1 299 kr" is not NOK,
    and a few more (`_COUNTRY_CURRENCIES`: ".com.br" -> BRL, ".co.za" -> ZAR). Other countries'
    domains are not read: a ".de" shop's "€" says all. With `site_currency_first`,
    `extract` reads the page in this currency instead of the brand's: the shared signs mean it, and a
    price that names no currency at all is taken to be in it (and marked as guessed).
    """
    hosts = list(host_and_parents(url))
    found = next((_SITE_CURRENCIES[h] for h in hosts if h in _SITE_CURRENCIES), None)
    # the country's second-level domain (".com.co") before its own (".co", a vanity domain: not listed)
    return found or next((_COUNTRY_CURRENCIES[h] for h in hosts[-2:] if h in _COUNTRY_CURRENCIES), None)


@contextmanager
def reading_site(currency: str | None) -> Iterator[None]:
    """Read a page of a site that prices in `currency` (`site_currency`; None: a site not known, or one the
    caller's currency goes before): within, a shared sign is that currency when it writes the sign, whatever
    default `currency_code` is given, "kr" names no krona unless it is one, and "R" is rand when it is rand.

    >>> with reading_site(site_currency("https://jp.mercari.com/item/m1")):
    ...     currency_code("¥", "USD")
    'JPY'
    """
    token = _READING_SITE.set(currency)
    try:
        yield
    finally:
        _READING_SITE.reset(token)


def clean_text(value: object, limit: int) -> str | None:
    """Scraped text made safe to keep: control/format characters dropped, whitespace collapsed, capped.

    The result is still untrusted text; it is never interpreted here and must be escaped when shown.
    """
    if value is None or isinstance(value, bool):
        return None
    if not isinstance(value, str):
        value = str(value)
    kept = "".join(
        " " if ch.isspace() else ch
        for ch in value
        if ch.isspace() or unicodedata.category(ch) not in ("Cc", "Cf", "Cs")
    )
    text = _WHITESPACE.sub(" ", kept).strip()
    return text[:limit].rstrip() or None


def currency_code(symbol: str | None, default_currency: str) -> str | None:
    """ISO 4217 code for a symbol or code seen on a page; None when it names no currency we know.

    A code or a sign of one currency ("EUR", "€", "C$") is that currency. A sign several write
    (`_SHARED_SIGNS`: `$`, `¥`, `kr`, `Rs`) is the currency of the site being read (`reading_site`) when
    that is one of them, else `default_currency` when that is (the brand's currency, or the site's: see
    `site_currency`), else the first listed: `¥` is CNY unless the site or the brand works in JPY, a bare
    `$` USD, `kr` SEK, `Rs` INR. `kr` on a site known to price in another currency names none.
    """
    if symbol is None:
        return None
    text = unicodedata.normalize("NFKC", symbol).strip()
    key = text.casefold()
    sign = key.rstrip(".")
    shared = _SHARED_SIGNS.get(sign)
    if shared is not None:
        site = _READING_SITE.get()
        if site in shared:
            return site
        if default_currency in shared:
            return default_currency
        return None if site is not None and sign in _OWN_COUNTRY_SIGNS else next(iter(shared))
    if key in _SYMBOLS:
        return _SYMBOLS[key]
    upper = text.upper()
    return upper if upper in CURRENCY_EXPONENTS else None


def may_mean(symbol: str, code: str) -> bool:
    """Whether a sign or code written on a page can stand for the currency `code`: "$" for USD, CAD or ARS
    (`_SHARED_SIGNS`), "€" or "EUR" for EUR only."""
    sign = unicodedata.normalize("NFKC", symbol).strip().casefold().rstrip(".")
    shared = _SHARED_SIGNS.get(sign)
    return code in shared if shared is not None else currency_code(symbol, code) == code


def sane_amount(value: Decimal | None) -> Decimal | None:
    """The amount if it can be a shelf price (finite, above zero, below MAX_AMOUNT), else None."""
    if value is None or not value.is_finite() or value <= 0 or value >= MAX_AMOUNT:
        return None
    return value


def amount_of(value: object) -> Decimal | None:
    """A structured-data price (Decimal, int or text such as "1299.00" or "1,299") as a sane Decimal."""
    if isinstance(value, bool):
        return None
    if isinstance(value, Decimal):
        return sane_amount(value)
    if isinstance(value, int):
        return sane_amount(Decimal(value))
    if not isinstance(value, str):
        return None
    text = _TYPESET_APOSTROPHE.sub("'", value.strip()[:64])
    try:
        # schema.org prices use "." as the decimal separator: read them literally when we can.
        return sane_amount(Decimal(text))
    except InvalidOperation:
        pass
    return sane_amount(Price.fromstring(text).amount)


# "US $29.99", "C $39.99", "AU $54.95" (eBay): the dollar's country written before the sign, with a space;
# "CDN$ 39.99" (Amazon.ca's older pages) is the Canadian dollar too, not the "N$" price-parser sees in it.
_DOLLAR_PREFIX = re.compile(r"^\s*(US|CA?|AU?|NZ|HK|NT|S)\s+\$", re.IGNORECASE)
_CDN_DOLLAR = re.compile(r"\bCDN\s?\$", re.IGNORECASE)
# South Africa's rand sign against an amount ("R1 299,00", "R 49.99"): not a letter's end or a size ("205/55 R16").
_RAND = re.compile(r"(?<![\w/])R(?=\s?[0-9])")
# The Gulf's and Egypt's currency signs in Arabic ("1,299 ر.س"), which price-parser reads as no currency at all.
_ARABIC_SIGN = re.compile(r"ر\.ع\.|ر\.س|د\.إ|ج\.م|د\.ك|ر\.ق|د\.ب")
# A number as prices write it: digits grouped by thousands (",", ".", "'" or a space), decimals after.
_NUMBER = re.compile(r"[0-9]{1,3}(?:[,.'\s][0-9]{3})+(?:[.,][0-9]{1,2})?(?![0-9])|[0-9]+(?:[.,][0-9]+)?")
# What makes a number no price: a count after it ("2件", "3瓶装", "50%", "8折", "2 pcs"), or a
# discount's terms or a sales, review or favourites count before it ("满299减50", "第2件", "月销", "销量",
# "已售", "评价", "收藏", "Sold").
_COUNT_AFTER = re.compile(r"\s*(?:件|个|只|瓶|盒|双|套|袋|包|支|条|片|人|%|折|pcs\b|x\b|×)", re.IGNORECASE)
_TERMS_BEFORE = re.compile(
    r"(?:满|减|第|买|送|每|销量?|已售|付款|评价|评论|好评|收藏|库存|\b(?:buy|get|any|sold))\s*[:：]?\s*$", re.IGNORECASE
)
# A number that names no amount by the word written against it, before a currency sign: a size or a model
# ("256GB", "500ml", "iPhone 15 Pro", "第3代"), a rating ("4.8分"), a date or an event ("11月11日", "618大促",
# "双11"), or the count of a multi-buy ("2 for $5", "3/$10").
_WORD_AFTER = re.compile(r"\s?[^\W\d_](?<![元円원起])|\s?/\s?[^\s\d]")
_WORD_BEFORE = re.compile(r"[A-Za-z双]$")
# A shopping festival's date written bare before the sign in a price box: "618 ¥99", "11.11 ¥99", "12.12 RM99"
# (Singles' Day, Double 12, JD's 618). Only these few shapes: any other bare number there is taken for a price
# whose sign was drawn apart ("128.00-168.00 ¥268.00").
_EVENT_DAY = re.compile(r"618|6\.18|1111|11\.11|1212|12\.12")
# An instalment written with its count and the amount of one payment: "12x de R$ 24,92", "12x R$ 24,92",
# "12 cuotas sin interés de $ 2.499", "4 interest-free payments of $12.50", "3 Raten à 16,66 €". The amount
# is a share of the price, never the price: the phrase is cut out before the amounts are read.
# The words between an instalment's count and the amount of one payment, other than "x de" and "x" ("cuotas sin
# interés de", "payments of", "Raten à"); the page's text readers take an amount after them for no price either
# (`crawlers.text_prices`).
INSTALMENT_TERMS = (
    r"(?:x\s)?(?:cuotas|parcelas|mensualidades|pagos)(?:\s(?:sin|sem)\s(?:inter[eé]s(?:es)?|juros))?\sde"
    r"|(?:interest[- ]free\s)?(?:payments|installments|instalments)\sof|(?:monatliche\s)?raten\s(?:à|a|zu|von)"
)
_INSTALMENT = re.compile(
    rf"(?<![0-9.,])[0-9]{{1,2}}\s?(?:x\s?de|x(?=\s?R\$)|{INSTALMENT_TERMS})"
    r"\s?[^\s0-9]{0,4}\s?[0-9]{1,3}(?:[,.'][0-9]{3})*(?:[.,][0-9]{1,2})?(?![0-9])",
    re.IGNORECASE,
)
# Full-width digits ("￥１，２９９", "１２９９．００円"), which price-parser stops at: read as ASCII, with the
# full-width comma and point between them. Not a comma or point against ASCII digits: "¥99，2件起" is a sentence.
_FULL_WIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
_FULL_WIDTH_SEPARATOR = re.compile(r"(?<=[０-９])(?:，(?=[０-９]{3}(?![０-９]))|．(?=[０-９]))")
# Digits a space apart, where price-parser reads one number grouped by spaces ("1 299,00 €").
_SPACED_DIGITS = re.compile(r"(?<=[0-9])\s+(?=[0-9]{3}(?![0-9]))")
# A sales or review count after a number: "200件已售", "200+人付款", "1,200 sold", "35 reviews".
_SOLD_AFTER = re.compile(
    r"\+?\s*(?:sold|bought|reviews?|ratings?|已售|已购|人|笔|条|评价|评论|好评|收藏)", re.IGNORECASE
)
# A sales, review or favourites count beside a price: "月销1000+", "已售2万+", "评价 5000+", "好评1000+",
# "Sold 1,000+", "10万+人付款", "2000+条评价", "1000+ sold". Its "+" says "more than", never a "from" price
# ("$45.00+"), and its number no amount (`without_sales_counts`).
_COUNT_NUMBER = r"[0-9][0-9,.]*\s?(?:万|千|w|k)?"
_SALES_COUNT = re.compile(
    r"(?:月销量?|月售|总销量|销量|已售|已拼|已抢|已购|付款|累计评价|评价|评论|好评|收藏|人气|库存|\bsold\b)\s*[:：]?\s*"
    rf"{_COUNT_NUMBER}\s?(?:[+＋~～]|以上|多)?(?:\s?(?:件|笔|单|人|条))?"
    rf"|(?<![0-9.,$¥￥€£])(?<![$¥￥€£]\s){_COUNT_NUMBER}\s?[+＋]\s?(?:件|笔|单|条)?\s?"
    r"(?:人付款|人已买|人已购|人购买|人收藏|人评价|人好评|已售|已购|已拼|评价|评论|好评|收藏|人|sold|bought|reviews?|ratings?)",
    re.IGNORECASE,
)
# Signs of currencies that never group digits with spaces: yuan and yen.
_UNSPACED_SIGNS = ("¥", "￥", "元", "円", "RMB", "CNY", "JPY")
# The digits a space-grouped number starts with, up to the space.
_NUMBER_TAIL = re.compile(r"[0-9]{1,3}$")
# 万 (ten thousand) after a number: "¥12.9万" is 129,000 yuan, not 12.90.
_WAN = re.compile(r"([0-9]{1,9}(?:\.[0-9]{1,4})?)\s*万")
# Swiss prices group thousands with an apostrophe, typeset as ’ (U+2019) or ʼ (U+02BC) as often as "'":
# "CHF 1’299.50". price-parser knows only "'", and read the others as the end of the number (CHF 1).
_TYPESET_APOSTROPHE = re.compile(r"(?<=\d)[\u2019\u02bc](?=\d{3}(?!\d))")


def parse_price_text(text: str) -> tuple[Decimal | None, str | None]:
    """(amount, currency symbol or code as written) read from free text such as "¥1,299.00 起"."""
    text = text[:200]
    if not text.isascii():
        text = _FULL_WIDTH_SEPARATOR.sub(lambda m: "," if m.group(0) == "，" else ".", text)
        text = text.translate(_FULL_WIDTH_DIGITS)
    text = _CDN_DOLLAR.sub("C$", _DOLLAR_PREFIX.sub(lambda m: m.group(1) + "$", text))
    text = _INSTALMENT.sub(" | ", text)
    text = _TYPESET_APOSTROPHE.sub("'", text)
    if "万" in text:
        text = _WAN.sub(_wan_amount, text)
    if _SPACED_DIGITS.search(text) is not None:
        text = _SPACED_DIGITS.sub(lambda m: _spaced_digits(text, m), text)
    price = Price.fromstring(text)
    symbol = price.currency
    if symbol is None and "元" in text:
        symbol = "元"
    elif symbol is None and (arabic := _ARABIC_SIGN.search(text)) is not None:
        symbol = arabic.group(0)
    amount = price.amount
    if symbol is None and _READING_SITE.get() == "ZAR" and (rand := _RAND.search(text)) is not None:
        symbol = rand.group(0)  # "R 1 299,00" on a South African site; elsewhere an "R" is no sign ("R16")
    numbers = list(_NUMBER.finditer(text))
    if len(numbers) < 2:
        return sane_amount(amount), symbol
    if symbol is not None and (beside := _beside_sign(text, symbol, numbers)) is not None:
        amount = Price.fromstring(beside).amount
    elif not (gap := text[numbers[0].end() : numbers[1].start()]).strip() or (gap.strip() == "," and gap[-1].isspace()):
        # Two numbers a space apart that are no one number grouped by spaces ("1 299,00"): price-parser
        # joins them, "¥99 2件起购" (a minimum order below the price) read as 992, "$149 99 sold" as 14999;
        # a comma and a space part them too ("$24.99, 3 colours" had been 2499.3).
        amount = Price.fromstring(text[: numbers[0].end()]).amount
    return sane_amount(amount), symbol


def _spaced_digits(text: str, m: re.Match[str]) -> str:
    """The space between two groups of digits, kept where it may group one number ("1 299,00 €") and
    turned into a divider where it parts two: a yuan or yen price (never grouped by spaces), a count
    after it ("¥99 200件已售" is ¥99 with 200 sold, not 99,200) or a discount's terms before it
    ("满299减50 349元" is 349 yuan, not 50,349)."""
    digits = _NUMBER_TAIL.search(text, 0, m.start())
    if (
        any(sign in text for sign in _UNSPACED_SIGNS)
        or _COUNT_AFTER.match(text, m.end() + 3)
        or _SOLD_AFTER.match(text, m.end() + 3)
        or (digits is not None and _TERMS_BEFORE.search(text, 0, digits.start()))
    ):
        return " | "
    return m.group(0)


def _wan_amount(m: re.Match[str]) -> str:
    return format((Decimal(m.group(1)) * 10_000).normalize(), "f")


def _beside_sign(text: str, symbol: str, numbers: list[re.Match[str]]) -> str | None:
    """The amount written against the currency sign ("<sign><amount>" or "<amount><sign>") when every
    number before it is a count or a condition, not a price: "2件¥99" (two pieces), "满299减50 ¥349"
    (a discount's terms), "月销1万+ ¥99" (sales). price-parser takes the first number. None otherwise:
    then the first number is the price, also when its sign was drawn apart ("128.00-168.00 ¥268.00").

    A number closer to the sign wins: one written against it over one a space away; two equally
    close ("35€99", a price with its cents after the euro sign) are left to price-parser.
    """
    at = text.find(symbol)
    if at < 0:
        return None
    end = at + len(symbol)
    before = next((n for n in reversed(numbers) if n.end() <= at), None)
    after = next((n for n in numbers if n.start() >= end), None)
    gap_before = at - before.end() if before is not None and not text[before.end() : at].strip() else None
    gap_after = after.start() - end if after is not None and not text[end : after.start()].strip() else None
    if before is not None and gap_before is not None and (gap_after is None or gap_before < gap_after):
        chosen, beside = before, text[before.start() : end]
    elif after is not None and gap_after is not None and (gap_before is None or gap_after < gap_before):
        chosen, beside = after, text[at : after.end()]
    else:
        return None
    earlier = [n for n in numbers if n.end() <= chosen.start()]
    return beside if earlier and all(_no_price(text, n) for n in earlier) else None


def _no_price(text: str, number: re.Match[str]) -> bool:
    """Whether a number in price text is a count or a discount's terms ("2件", "满299", "Buy 2"), or names
    no amount at all: a size, a model, a rating, a date or a festival ("256GB", "iPhone 15 Pro", "4.8分", "双11",
    "11月11日", "618")."""
    return bool(
        _COUNT_AFTER.match(text, number.end())
        or _TERMS_BEFORE.search(text, 0, number.start())
        or _WORD_AFTER.match(text, number.end())
        or _WORD_BEFORE.search(text, 0, number.start())
        or _event_day(text, number)
        or _SOLD_AFTER.match(text, number.end())
    )


def _event_day(text: str, number: re.Match[str]) -> bool:
    """Whether a number is a festival's date ("618", "11.11") standing alone: not "2024.11.11", "11.11.2024"."""
    return (
        _EVENT_DAY.fullmatch(number.group(0)) is not None
        and text[number.start() - 1 : number.start()] not in (".", "-", "/")
        and text[number.end() : number.end() + 1] not in (".", "-", "/")
    )


def without_instalments(text: str) -> str:
    """Price text without the instalments written in it ("12x de R$ 25,00", "3 Raten à 16,66 €"), as
    `parse_price_text` reads it: an instalment's amount is never the price."""
    return _INSTALMENT.sub(" | ", text)


def without_sales_counts(text: str) -> str:
    """Price text without the sales, review and favourites counts written beside the price, for telling
    one price from a range or a "from" price: "¥99 月销1000+" and "¥99 评价 5000+" are one price, not
    "from" ¥99 as their closing "+" would say ("$45.00+")."""
    return " ".join(_SALES_COUNT.sub(" ", text).split())


def written_currency(text: str | None, default_currency: str) -> str | None:
    """The currency a price written as text names by its sign or code ("£49.00" -> GBP), or None.

    For structured data that states an amount with its sign but no `priceCurrency`.
    """
    if not text:
        return None
    _, symbol = parse_price_text(text)
    return currency_code(symbol, default_currency) if symbol else None
