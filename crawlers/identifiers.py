"""Codes a page's text states for its own product: the SKU, GTIN and model by their labels ("货号：JK010-BLK",
a spec table's "EAN" row), found first in the page's source so that a page without such a label is not walked."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from typing import Any

from lxml import etree

from crawlers.markup import _text_of
from oneprice.domain.catalog import gtin_check_digit_ok

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


def stated_identifiers(tree: Any, source: str | None, foreign: Callable[[Any], bool]) -> StatedIdentifiers:
    """The SKU, GTIN and model code that the page's text states for its own product, by their labels
    (`_ID_FIELDS`): a `<th>`/`<td>` or `<dt>`/`<dd>` pair, "货号：JK010-BLK" in one element, a label's
    element and the value's element after it. `source` is the text the page was parsed from (None: the
    tree's own markup); a label whose element `foreign` says is not about this product (other products,
    reviews, the site's header) is not read. A GTIN needs its check digit; a field the page states two
    different values for (a table of variants) is None.

    A page whose source has no label right after a tag's ">" is not walked: its answer is known.
    """
    text = source if source is not None else etree.tostring(tree, encoding="unicode")
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
    for node in finder(tree)[:_ID_NODES_MAX]:
        codes = list(_stated_codes(node))
        if not codes:
            continue
        element = node.getparent()
        owner = element if node.is_text else element.getparent()
        if owner is None or foreign(owner):
            continue
        for field, code in codes:
            found[field].setdefault(code.zfill(14) if field == "gtin" else code.casefold(), code)
    return StatedIdentifiers(**{f: next(iter(v.values())) if len(v) == 1 else None for f, v in found.items()})
