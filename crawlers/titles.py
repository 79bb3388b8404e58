"""Listing titles against catalog products: normalised text, attributes, fuzzy similarity (rapidfuzz).

Attributes are what tells variants apart and what resellers get wrong on purpose: size
(M, XL, 42), volume (750ml, 30L), count (一对, 2只装, pack of 3) and colour (the catalog's own
colour names). A title that states a different value than the product is a conflict, whatever
the similarity says.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from rapidfuzz import fuzz

from oneprice.domain.catalog import Product

_PUNCT = re.compile(r"[\s\-_/|,，。、·•:：;；!！?？()（）\[\]【】<>《》\"'“”‘’+*~]+")
_CJK = re.compile(r"[\u3400-\u9fff]")
_VOLUME = re.compile(r"(\d+(?:\.\d+)?)\s*(ml|毫升|l|升)(?![a-z])", re.IGNORECASE)
_PACKED = "只装|件装|支装|个装|双装|根装|条装|瓶装|盒装|袋装|罐装"  # "3只装": three of the item in one listing
_COUNT = re.compile(
    # "x2", "pack of 3"; not a dimension's "40 x 30 cm"
    r"(?:pack of|set of|(?<!\d)(?<!\d\s)x)\s*(\d{1,3})\b(?!\s*(?:cm|mm|m|in|inch|厘米|毫米|米)\b)"
    # "×3": a count after a times sign (a star is gone with the punctuation), before a unit word or at the end
    r"|×\s*(\d{1,3})(?=\s*(?:瓶|支|只|个|件|双|根|条|盒|袋|罐|pcs|pack)|\s|$)"
    # "2瓶" ("500ml*2瓶"), not "2支" alone: "40支" is a cotton's yarn count
    rf"|(\d{{1,3}})\s*(?:{_PACKED}|瓶|罐|pcs|pack|count|ct)(?![a-z])"
    rf"|([一两二三四五六七八九十]\s*(?:{_PACKED})|一对|两支|双支|单支|单只|单根)",
    re.IGNORECASE,
)
_APPAREL_SIZES = ("xxxl", "xxl", "xl", "xs", "s", "m", "l", "3xl", "2xl")
# Words after a number that make it no size: a yarn count ("40支"), a price ("39元"), a measure or a count.
# Not the first character of a word after a size ("42 包邮", "42 天猫", "42 米色", "42 支撑").
_NOT_SIZE_UNIT = (
    r"(?:cm|mm|kg|g|ml|l|oz|in|inch|w|v|mah|gb|eur|usd)\b"
    "|支(?![持撑架])|元(?!旦)|度(?!假)|寸|英寸|厘米|毫米|千克|克|斤|毫升|件装|瓶|袋装|盒装|罐"
)
# Shoe sizes 34-48 and their halves ("42.5码"); not a number of a dimension ("30x40cm", "42cm").
_SIZE_WORD = re.compile(
    r"(?<![a-z0-9])(xxxl|xxl|3xl|2xl|xl|xs|s|m|l)(?![a-z0-9])"
    rf"|(?<![\d.x×])((?:3[4-9]|4[0-8])(?:\.5)?)(?:码|号)?(?![\d.a-z×]|\s*[x×]\s*\d|\s*(?:{_NOT_SIZE_UNIT}))"
)
# Counts written in words: a pair of poles, a single one. Not "一双": one pair of shoes is one item.
_PAIR = {"一对": 2, "两支": 2, "双支": 2, "单支": 1, "单只": 1, "单根": 1}
_NUMERALS = {"一": 1, "两": 2, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}


def normalize_title(text: str) -> str:
    """NFKC, case-folded, punctuation to single spaces, CJK characters kept."""
    return " ".join(_PUNCT.sub(" ", unicodedata.normalize("NFKC", text).casefold()).split())


def _compact(text: str) -> str:
    return text.replace(" ", "")


@dataclass(frozen=True)
class Attributes:
    """Variant attributes stated in a text; empty sets mean "not stated"."""

    sizes: frozenset[str] = frozenset()
    volumes_ml: frozenset[int] = frozenset()
    counts: frozenset[int] = frozenset()
    colours: frozenset[str] = frozenset()


def _volumes(text: str) -> set[int]:
    out = set()
    for amount, unit in _VOLUME.findall(text):
        factor = 1 if unit.lower() in ("ml", "毫升") else 1000
        out.add(int(Decimal(amount) * factor))  # not float: 2.01 L * 1000 would be 2009 ml
    return out


def _counts(text: str) -> set[int]:
    """How many of the item a text says it sells together ("2只装", "pack of 3", "单支": 1)."""
    out = set()
    for x, star, digits, word in _COUNT.findall(text):
        if x or star or digits:
            value = int(x or star or digits)
        else:
            value = _PAIR.get(word) or _NUMERALS.get(word[:1], 0)
        if value > 0:
            out.add(value)
    return out


def _sizes(text: str) -> set[str]:
    stripped = _VOLUME.sub(" ", text)  # "30L" is a volume, not size L
    return {(a or b).lower() for a, b in _SIZE_WORD.findall(stripped)}


def title_attributes(title: str, colours: Iterable[str]) -> Attributes:
    """The attributes a listing title states (colours from the catalog's own vocabulary)."""
    text = normalize_title(title)
    compact = _compact(text)
    found_colours = {c for c in colours if c and _compact(normalize_title(c)) in compact}
    # A longer colour name hides the shorter one inside it ("曜石黑" contains "黑").
    found_colours = {c for c in found_colours if not any(c != o and c in o for o in found_colours)}
    return Attributes(
        frozenset(_sizes(text)), frozenset(_volumes(text)), frozenset(_counts(text)), frozenset(found_colours)
    )


def product_attributes(product: Product) -> Attributes:
    """A product's attributes from its columns and its name."""
    name = normalize_title(product.name)
    sizes = set()
    if product.size:
        size = normalize_title(product.size)
        if not _VOLUME.fullmatch(size):
            sizes.add(size)
    volumes = _volumes(name) | (_volumes(normalize_title(product.size)) if product.size else set())
    colours = {product.color} if product.color else set()
    return Attributes(frozenset(sizes), frozenset(volumes), frozenset(_counts(name)), frozenset(colours))


def conflicts(listing: Attributes, product: Attributes) -> list[str]:
    """Attributes the listing states with a value the product does not have."""
    out = []
    if listing.sizes and product.sizes and not listing.sizes & product.sizes:
        out.append("size")
    if listing.volumes_ml and product.volumes_ml and not listing.volumes_ml & product.volumes_ml:
        out.append("volume")
    if listing.counts - (product.counts or {1}):
        out.append("count")  # "2只装" of a single item, "pack of 3" of a pair, "单支" of a pair
    if listing.colours and product.colours and not listing.colours & product.colours:
        out.append("colour")
    return out


def confirmed(listing: Attributes, product: Attributes) -> list[str]:
    """Attributes the product has that the listing states with the same value."""
    out = []
    if product.sizes and listing.sizes & product.sizes:
        out.append("size")
    if product.colours and listing.colours & product.colours:
        out.append("colour")
    if product.volumes_ml and listing.volumes_ml & product.volumes_ml:
        out.append("volume")
    return out


def unstated(listing: Attributes, product: Attributes) -> list[str]:
    """Variant attributes the product has and the listing does not state at all."""
    out = []
    if product.sizes and not listing.sizes:
        out.append("size")
    if product.colours and not listing.colours:
        out.append("colour")
    return out


@dataclass(frozen=True)
class TitleText:
    """A title or product name in the forms the similarity reads, computed once."""

    normalized: str
    compact: str  # normalized, without spaces: what "contains" and the alignment look at
    words: tuple[str, ...]  # the words of a product name, each counted by `word_weight`
    weight: int  # the sum of the words' weights

    @classmethod
    def of(cls, text: str) -> TitleText:
        normalized = normalize_title(text)
        again = normalize_title(normalized)  # what `coverage` compared before (idempotent for nearly all text)
        words = tuple(again.split())
        return cls(normalized, _compact(again), words, sum(word_weight(w) for w in words))


def coverage(listing_title: str, product_name: str) -> float:
    """0..1: the share of the product name's words (by characters) that the listing title contains."""
    listing, name = TitleText.of(listing_title), TitleText.of(product_name)
    return covered(listing, name, sum(word_weight(w) for w in name.words if w in listing.compact))


def covered(listing: TitleText, name: TitleText, contained: int) -> float:
    """The coverage of `name` by `listing` when the weight of its words the listing contains is `contained`."""
    if not listing.compact or not name.weight:
        return 0.0
    return contained / name.weight


def word_weight(word: str) -> int:
    """A CJK character says about as much as a short Latin word: count it twice."""
    return sum(2 if _CJK.match(ch) else 1 for ch in word)


COVERAGE_SHARE, ALIGNMENT_SHARE = 0.7, 0.3  # of the similarity; the alignment is at most 1


def similarity(listing_title: str, product_name: str) -> float:
    """0..1: how well a listing title names a product, robust to marketing words and missing spaces.

    Mostly coverage of the product name's words (a reseller adds words, rarely drops them), plus a
    fuzzy character alignment (rapidfuzz) for spelling variants.
    """
    listing, name = TitleText.of(listing_title), TitleText.of(product_name)
    return similarity_of(listing, name, sum(word_weight(w) for w in name.words if w in listing.compact))


def similarity_of(listing: TitleText, name: TitleText, contained: int) -> float:
    """`similarity` of prepared texts, given the weight of the name's words the listing contains."""
    if not listing.normalized or not name.normalized:
        return 0.0
    aligned = fuzz.partial_ratio(_compact(name.normalized), _compact(listing.normalized)) / 100.0
    return COVERAGE_SHARE * covered(listing, name, contained) + ALIGNMENT_SHARE * aligned


def similarity_bound(listing: TitleText, name: TitleText, contained: int) -> float:
    """An upper bound of `similarity_of` that needs no alignment (which is at most 1)."""
    if not listing.normalized or not name.normalized:
        return 0.0
    return COVERAGE_SHARE * covered(listing, name, contained) + ALIGNMENT_SHARE
