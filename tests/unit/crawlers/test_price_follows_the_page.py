"""The price read follows the page's price.

A saved page read at price X, with X changed to Y wherever the page writes it as this offer's price,
must read Y: same currency and kind, and the same seller, SKU, availability and offers. A reader
stuck on another number (a recommendation's price, a constant in a script, a list price, a fee) or
on a number that equals the price only by accident keeps reading X, or reads something else.

X is changed in every form the page writes it in: "1299.00", "1,299.00", "1.299,00", "1&nbsp;299",
"1299", an amount split over elements ("34<span>.</span>…<span>50"), its minor units in script state
("129900"), in JSON numbers and strings, HTML-escaped or URL-encoded; in the price service's answer
as well when the page's price is read from one. Offers of one page at the same price (variants) change
together. A number that only looks like the price is left as it is: one inside a word or an identifier
("云锦2999", "J-p-100063517262", "50px"), a threshold written after a letter ("领满259减20券"), and a price
the offer was (struck through, "List Price: $36.49"): a page whose read price is written nowhere else is
read at a price it does not sell at. Y is below X and above every other amount the reading holds below X
(a coupon price, another offer's price), and no number on the page reads as Y.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from typing import Any

import pytest
from saved_pages import FIXTURES, FOLLOW_UP, NEUTRAL_URL, READ_AT, page, saved_text

from crawlers.extraction import Extraction, ExtractionStatus, extract
from oneprice.domain.money import CURRENCY_EXPONENTS

# -- the numbers a page writes --------------------------------------------------------------------

_SEPARATOR = r"(?:[.,\u00a0\u202f]|&nbsp;)"
_TAG = r"\s*<[^<>]*>"
_PIECES = re.compile(
    # an escape whose hex digits are no number: \u00a5, &#165;, &#x24;, %22
    r"(?P<escape>\\u[0-9a-fA-F]{4}|&#x?[0-9a-fA-F]+;|%[0-9A-Fa-f]{2})"
    # an amount whose fraction is in an element of its own: 34<span>.</span></span><span>50
    rf"|(?P<whole>\d{{1,3}}(?:(?P<group>[.,])\d{{3}})+|\d+)(?P<between>(?:{_TAG})+\s*[.,](?:{_TAG})*\s*|[.,](?:{_TAG})+\s*)(?P<fraction>\d\d)(?!\d)"
    rf"|(?P<number>\d+(?:{_SEPARATOR}\d+)*)"
)
_SEPARATORS = re.compile(rf"({_SEPARATOR})")


@dataclass(frozen=True)
class _Shape:
    """How a number is written: its grouping and decimal separators, its decimals, or in minor units."""

    group: str | None = None
    point: str | None = None
    decimals: int = 0
    minor: int = 0  # written in minor units: the amount times 10 ** minor

    def write(self, amount: Decimal) -> str:
        if self.minor:
            return str(int(amount.scaleb(self.minor)))
        needed = max(0, -int(amount.normalize().as_tuple().exponent))
        whole, _, fraction = f"{amount:.{max(self.decimals, needed)}f}".partition(".")
        if self.group:
            groups = [whole[max(0, i - 3) : i] for i in range(len(whole), 0, -3)][::-1]
            whole = self.group.join(groups)
        return whole + (f"{self.point}{fraction}" if fraction else "")


def _readings(token: str) -> Iterator[tuple[Decimal, _Shape]]:
    """What a number as written can mean: an integer grouped by one separator, or a decimal number."""
    parts = _SEPARATORS.split(token)
    digits, seps = parts[0::2], parts[1::2]
    grouped = all(len(d) == 3 for d in digits[1:]) and len(digits[0]) <= 3
    if not seps:
        yield Decimal(token), _Shape()
    elif len(set(seps)) == 1 and grouped:
        yield Decimal("".join(digits)), _Shape(group=seps[0])
    if seps and seps[-1] in ".," and len(set(seps[:-1])) <= 1 and seps[-1] not in seps[:-1]:
        if all(len(d) == 3 for d in digits[1:-1]) and (len(seps) == 1 or len(digits[0]) <= 3):
            shape = _Shape(group=seps[0] if len(seps) > 1 else None, point=seps[-1], decimals=len(digits[-1]))
            yield Decimal("".join(digits[:-1]) + "." + digits[-1]), shape


def _in_a_word(text: str, start: int, end: int) -> bool:
    """Whether the number at text[start:end] is part of a word or identifier rather than an amount.

    A currency code or sign in capitals may stand right before an amount ("RM89.00", "AED55.00"); a
    lower-case or CJK letter does not ("J-p-100063517262", "云锦2999", "领满259"), nor a letter after it ("50px").
    """
    before = text[start - 1] if start else ""
    after = text[end] if end < len(text) else ""
    if before.isalpha() and not (before.isascii() and before.isupper()):
        return True
    if before == "-" and start >= 2 and text[start - 2].isalpha():
        return True
    return after.isascii() and after.isalpha()


@dataclass(frozen=True)
class _Number:
    start: int
    end: int
    readings: tuple[tuple[Decimal, _Shape], ...]
    split: re.Match[str] | None = None  # an amount split over elements


def _numbers(text: str, minor: int) -> Iterator[_Number]:
    """Every number of `text` that may be an amount, with what it can mean (in minor units as well)."""
    for m in _PIECES.finditer(text):
        if m.group("escape") or _in_a_word(text, m.start(), m.end()):
            continue
        if m.group("whole"):
            point, group = re.sub(r"<[^<>]*>|\s", "", m.group("between")), m.group("group")
            if point in (".", ",") and point != group:
                amount = Decimal(m.group("whole").replace(group or ",", "") + "." + m.group("fraction"))
                yield _Number(m.start(), m.end(), ((amount, _Shape(point="split", decimals=2)),), m)
            continue  # not one amount: neither piece is read as one
        token = m.group("number")
        if any(_readings(token)):
            yield _number(m.start(), token, minor)
            continue
        at = m.start()  # numbers listed with commas between them: [[3,12.80],[100,11.50]]
        for piece in token.split(","):
            if not _in_a_word(text, at, at + len(piece)):
                yield _number(at, piece, minor)
            at += len(piece) + 1


def _number(start: int, token: str, minor: int) -> _Number:
    readings = tuple(_readings(token))
    if minor and token.isdigit() and len(token) > minor:
        readings += ((Decimal(token).scaleb(-minor), _Shape(minor=minor)),)
    return _Number(start, start + len(token), readings)


def _rewrite(number: _Number, shape: _Shape, amount: Decimal) -> str:
    if number.split is None:
        return shape.write(amount)
    m = number.split
    whole, fraction = f"{amount:.2f}".split(".")
    written = _Shape(group=m.group("group")).write(Decimal(whole))
    return written + m.group("between") + fraction


# A price struck through: by its element (`<del>`, `<s>`, `<strike>`), Amazon's `data-a-strike`, or its style.
_STRUCK = re.compile(
    r"<(del|s|strike)\b[^>]*>|<([a-z][\w-]*)\b[^>]*?(?:data-a-strike=\"true\"|style=\"[^\"]*line-through)[^>]*>",
    re.IGNORECASE,
)
# The words before a price that name it the price it was ("Original price was: $159.99", "List Price: $36.49").
_WAS = re.compile(r"(?:original price was|list price):?\s*(?:&#0?36;|[$£€])?\s*$", re.IGNORECASE)


def _struck(text: str) -> list[tuple[int, int]]:
    """Where `text` shows a struck-through price: each struck element from its start tag to its end tag."""
    spans = []
    for m in _STRUCK.finditer(text):
        tag = (m.group(1) or m.group(2)).lower()
        depth, at = 1, m.end()
        for t in re.finditer(rf"<(/?){tag}\b[^>]*>", text[m.end() :], re.IGNORECASE):
            depth += -1 if t.group(1) else 1
            if not depth:
                at = m.end() + t.end()
                break
        spans.append((m.start(), at))
    return spans


def _was_price(text: str, number: _Number, struck: list[tuple[int, int]]) -> bool:
    """Whether a number is a price the offer was (struck through, or labelled so), not the price it is."""
    if any(start <= number.start < end for start, end in struck):
        return True
    return _WAS.search(text, max(0, number.start - 40), number.start) is not None


def changed(text: str, old: Decimal, new: Decimal, minor: int) -> tuple[str, int]:
    """`text` with every amount written as `old` written as `new` in the same form, and how many there were.

    A price the offer was (a struck list price, "List Price: $36.49") is left as it is when it equals `old`.
    """
    out, at, count = [], 0, 0
    struck = _struck(text)
    for number in _numbers(text, minor):
        shape = next((s for value, s in number.readings if value == old), None)
        if shape is None or _was_price(text, number, struck):
            continue
        out.append(text[at : number.start] + _rewrite(number, shape, new))
        at = number.end
        count += 1
    return "".join(out) + text[at:], count


def _values(text: str, minor: int) -> set[Decimal]:
    return {value for number in _numbers(text, minor) for value, _ in number.readings}


# -- reading a page -------------------------------------------------------------------------------


def _read(body: bytes, name: str, answer: bytes | None) -> Extraction:
    url, options = READ_AT.get(name, (NEUTRAL_URL, {}))
    return extract(body, url, follow_up_body=answer, **options)


def _offers(got: Extraction) -> tuple[Extraction, ...]:
    return got.offers or (got,)


def _offer(got: Extraction, old: Decimal | None = None, new: Decimal | None = None) -> tuple[Any, ...]:
    """What an offer's reading must keep, its price `old` read as `new`."""
    price = (got.price.amount, got.price.currency) if got.price else None
    if price is not None and price[0] == old:
        price = (new, price[1])
    shipping = (got.shipping.amount, got.shipping.currency) if got.shipping else None
    return (
        got.status, got.reason, got.offer_key, price, got.price_kind, got.price_high,
        got.seller_name, got.sku, shipping,
    )  # fmt: skip


def reading(got: Extraction, old: Decimal | None = None, new: Decimal | None = None) -> tuple[Any, ...]:
    return (_offer(got, old, new), len(got.offers), tuple(_offer(o, old, new) for o in got.offers))


@cache
def _saved(name: str) -> Extraction:
    answer = FOLLOW_UP.get(name)
    return _read(page(name), name, page(answer) if answer else None)


# -- the changed page -----------------------------------------------------------------------------

_FACTORS = (Decimal("0.97"), Decimal("0.93"), Decimal("0.89"), Decimal("0.87"), Decimal("0.83"))
_SHARES = (Decimal("0.5"), Decimal("0.7"), Decimal("0.3"))


def _texts(name: str) -> tuple[tuple[str, str], tuple[str, str] | None]:
    answer = FOLLOW_UP.get(name)
    return saved_text(name), ((page(answer).decode("utf-8"), "utf-8") if answer else None)


def new_price(name: str, old: Decimal, minor: int) -> Decimal | None:
    """An amount below `old`, above every other amount the page's reading holds below it, that no number
    on the page (or its answer) reads as, with as many decimals as `old` needs (none for "799")."""
    got = _saved(name)
    held = {c.amount for o in _offers(got) for c in o.candidates} | {o.price_high for o in _offers(got)}
    floor = max((a for a in held if a is not None and a < old), default=Decimal(0))
    (text, _), answer = _texts(name)
    taken = _values(text, minor) | (_values(answer[0], minor) if answer else set())
    unit = Decimal(1) if old == old.to_integral_value() else Decimal(1).scaleb(-minor)
    near = (floor + (old - floor) * share for share in _SHARES)  # when `floor` is close to `old`
    for new in (*(old * factor for factor in _FACTORS), *near):
        new = new.quantize(unit)
        if floor < new < old and new not in taken:
            return new.quantize(Decimal(1).scaleb(-minor))
    return None


def _cases() -> list[tuple[str, Decimal]]:
    names = sorted(p.relative_to(FIXTURES).as_posix() for p in FIXTURES.rglob("*.html"))
    cases = []
    for name in names:
        got = _saved(name)
        if got.status is ExtractionStatus.OK:
            cases.extend((name, amount) for amount in sorted({o.price.amount for o in _offers(got) if o.price}))
    return cases


CASES = _cases()


_FORMS = [
    ('<span class="a-offscreen">¥1,199.00</span>', "1199.00", "1163.00", '<span class="a-offscreen">¥1,163.00</span>'),
    ("<b>1.299,00&nbsp;€</b>", "1299.00", "1260.00", "<b>1.260,00&nbsp;€</b>"),
    ("<b>1&nbsp;299&nbsp;kr</b>", "1299.00", "1260.00", "<b>1&nbsp;260&nbsp;kr</b>"),
    ('1.249<i class="d">,</i></b><b class="f">90', "1249.90", "1212.40", '1.212<i class="d">,</i></b><b class="f">40'),
    ('{"p":1280,"t":"12.8","at":[[3,12.80]]}', "12.80", "12.42", '{"p":1242,"t":"12.42","at":[[3,12.42]]}'),
    ("%22price%22%3A%22129.00%22", "129.00", "125.00", "%22price%22%3A%22125.00%22"),
    ("&#36;59.00 \\u00a559", "59.00", "57.00", "&#36;57.00 \\u00a557"),
    ("¥259 领满259减20券 SKU-259 259px", "259.00", "251.00", "¥251 领满259减20券 SKU-259 259px"),
    ("<s>$36.49</s> List Price: $36.49 <b>$36.49", "36.49", "35.40", "<s>$36.49</s> List Price: $36.49 <b>$35.40"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "old", "new", "expected"), _FORMS)
def test_the_price_is_changed_where_the_page_writes_it_as_this_price(
    text: str, old: str, new: str, expected: str
) -> None:
    assert changed(text, Decimal(old), Decimal(new), 2)[0] == expected


@pytest.mark.parametrize(("name", "old"), CASES, ids=[f"{name}:{old}" for name, old in CASES])
def test_the_price_read_follows_the_page(name: str, old: Decimal) -> None:
    got = _saved(name)
    assert got.price is not None
    minor = CURRENCY_EXPONENTS[got.price.currency]
    new = new_price(name, old, minor)
    assert new is not None, f"no amount below {old} is free on the page"
    (text, charset), answer = _texts(name)
    body, count = changed(text, old, new, minor)
    answer_body, answer_count = changed(answer[0], old, new, minor) if answer else (None, 0)
    assert count + answer_count, f"{old} is written nowhere on the page"
    again = _read(body.encode(charset), name, answer_body.encode("utf-8") if answer_body is not None else None)
    assert reading(again) == reading(got, old, new)
