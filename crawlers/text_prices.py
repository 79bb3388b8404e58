"""Prices as a page's text writes them: the words around an amount that make it no price, a list price, a price
per unit, a coupon price or a "from" price, and ranges. Pure string work for the page's text readers (`crawlers.page`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from crawlers.prices import (
    INSTALMENT_TERMS,
    currency_code,
    parse_price_text,
    without_instalments,
    without_sales_counts,
)

_FROM_PRICE = re.compile(
    r"起|以上|から|\bfrom\b|\bab\b|\b[àa] partir de\b|\bdesde\b|\bvanaf\b|starting at|as low as", re.IGNORECASE
)
# A "+" written right after an amount and ending its text: the cheapest of prices that differ (Etsy's
# "$45.00+" for a listing whose variations are priced apart). "+ VAT" or "+ £3.50 delivery" says more.
# A wave dash ending it says the same in Japan, China and Korea, after the amount or after a sign written after it
# ("¥1,980～", "¥99~", "1,980円~", "99元~", "29,700원~"; search results read it so too, `crawlers.discovery`).
_PLUS_FROM = re.compile(r"\d(?:\+|\s*(?:[円元원₩]\s*)?[~～〜])\s*$")
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

# An amount with a currency sign that is no price of the product, by the words before it: a threshold
# or a discount ("orders over $35", "Spend $50", "save $5", "满99元", "立减20元"), an instalment ("4 payments
# of $37.25", "12x de R$ 25,00", "3 Raten à 16,66 €", "每期¥83"), a fee ("Shipping: $5.99", "运费：¥10"), a
# deposit ("定金 ¥100 抵 ¥150") or the value of points ("150 points ($1.50)"); or by the words after it: "$10 off",
# "$50 or more", "99元以上", "$37/mo", "¥83.25×12期", "$25 gift card", "$5.99 shipping", a presale's balance
# ("尾款¥899", paid after the deposit). "¥259 包邮" is a price shipped free, and "满99元包邮" a threshold by its
# 满. A multi-buy ("2 for $5", "3/$10") is the price of several, and an amount with a minus sign against it
# ("-¥50") or after "You save:" the discount.
_NOT_PRICE_LEAD = re.compile(
    r"(?:\b(?:over|above|spend|save|saving|savings|extra|orders?(?:\s+of)?|up\s+to"
    r"|(?:payments?|installments?|instalments?)\s+of|points?\s*\("
    r"|(?:shipping|delivery|postage|freight|handling)(?:\s+(?:fee|cost|charge|price))?"
    r"|deposit)\s*[:：]?"
    r"|(?<![\d.,])(?:[2-9]|[1-9]\d)\s*(?:for\b|/)|(?<![\w.,])[-−](?!\s)"
    # an instalment's count and words ("12x de", "3 Raten à"); the lookahead on the words' first letters spares their
    # alternatives at every other number
    rf"|\d(?<![\w.,]\d)\d?\s?(?=[xcpmir])(?:x\s?de|{INSTALMENT_TERMS})"
    r"|满|减|立减|省|返|补贴|至高|最高|每期|分期\s*[:：]?|运费\s*[:：]?|邮费\s*[:：]?|定金\s*[:：]?|尾款\s*[:：]?|抵)\s*$",
    re.IGNORECASE,
)
# A count with a bare "x" before the amount: an instalment before "R$" ("12x R$ 25,00"), as `parse_price_text` reads
# it; before any other sign it may end a product's name ("Lupe 10x", "Zoom 3x").
_BARE_INSTALMENT = re.compile(r"\d(?<![\w.,]\d)\d?\s?x\s*$", re.IGNORECASE)
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
    (`_no_price_lead`, `_NOT_PRICE_AFTER`). An instalment is cut out first, as `parse_price_text` cuts it:
    "12x de R$ 25,00 R$ 300,00" states its price."""
    text = without_instalments(text)
    m = _CURRENCY_TEXT.search(text)
    if m is None:
        return False
    return _no_price_lead(text, m.start(), m.group(0)) or _NOT_PRICE_AFTER.match(text, m.end()) is not None


def _no_price_lead(text: str, start: int, amount: str) -> bool:
    """Whether the words of `text` before `start` (32 characters at most), where `amount` begins (as
    `_CURRENCY_TEXT` found it), make it no price: `_NOT_PRICE_LEAD`, or an instalment's bare "12x" before "R$"
    (`_BARE_INSTALMENT`)."""
    since = max(0, start - 32)
    if _NOT_PRICE_LEAD.search(text, since, start) is not None:
        return True
    return amount[:2].upper() == "R$" and _BARE_INSTALMENT.search(text, since, start) is not None


# An amount with a currency sign or code before or after it. A sign after digits grouped by spaces takes the
# whole number ("1 299,00 €", "1 299 ₽"), except yuan, which is never grouped so ("满299减50 349元"). A comma or a
# point that no digit follows ends the amount: "$19.99, 2 for $35" is $19.99, not 1999.2; a dash after it stands
# for no cents ("49,- €", "CHF 49.–"). A space does not go on into an instalment's count ("R$ 300 12x de R$ 25,00").
# Full-width digits go on over a full-width comma or point between them ("１，２９９円"), never against ASCII digits
# ("¥99，2件起"). The Swiss "Fr." is read only before an amount with its cents or a dash and nothing more
# ("Fr. 49.–", "Fr. 49.90"): "Fr. 13.12." is a German Friday. The signs that a word boundary starts share one
# alternative: each alternative is tried at every position of the page's text.
_SWISS_FRANCS = r"S?Fr\.(?=\s?\d[\d'’]{0,8}\.(?:\d{2}|[-–—])(?![\d.]))"
# Signs written after the amount in Poland, Czechia, Vietnam and the Nordic countries ("1 299,00 zł", "1 299 Kč",
# "1.299.000₫", "1 299 kr"): a word may not go on after them ("5 kroner" is read by no sign).
_SUFFIX_NAMES = r"(?:zł|Kč|₫|kr\.?)(?![^\W\d_])"
_CURRENCY_TEXT = re.compile(
    rf"(?:\b(?:(?:US|HK|NT|NZ|MX|MOP|CA|AU|A|C|S|R)?\$|Rs\.?|RM|Rp|{_SWISS_FRANCS})|[¥￥€£$₩₹₺₱฿]|RMB|CNY|EUR|USD|CHF)\s*\d"
    rf"(?:[\d'’]|[.,](?=\d)|\s(?=\d)(?!\d{{1,2}}\s?(?:x|{INSTALMENT_TERMS}))|(?<=[０-９])[，．](?=[０-９])){{0,15}}"
    r"(?:[.,][-–—]{1,2})?"
    rf"|\d{{1,3}}(?:\s\d{{3}})+(?:[.,]\d{{1,2}})?\s*(?:€|EUR|CHF|₽|{_SUFFIX_NAMES})"
    r"|[０-９](?:[０-９]|[，．](?=[０-９])){0,15}\s*(?:元|円|원|€|EUR|CNY|RMB|USD|CHF|₽)"
    rf"|\d[\d.,]{{0,15}}(?:(?<=[.,])[-–—]{{1,2}})?\s*(?:元|円|원|€|EUR|CNY|RMB|USD|CHF|₽|{_SUFFIX_NAMES})",
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


def _since_amount(text: str) -> str:
    """The words after the last amount: a label before another amount is not this one's."""
    ends = [m.end() for m in _AMOUNT_TOKEN.finditer(text)]
    return text[ends[-1] :] if ends else text


def _text_price(
    kind: str, amount: Decimal, symbol: str | None, text: str, after: str, default_currency: str, before: str = ""
) -> _TextPrice | None:
    currency = currency_code(symbol, default_currency) if symbol else default_currency
    if currency is None:
        return None
    raw = " ".join(text.split())
    said = without_sales_counts(raw)  # "¥99 月销1000+": the count's "+" says "more than", not "from"
    ranged = bool(_RANGE.search(said))
    if _FROM_PRICE.search(said) or _PLUS_FROM.search(said):
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
