"""The same page served in another byte-level form reads the same.

Sites serve one product page minified or pretty-printed, with its script state written compact or
indented, with CRLF line ends, with a BOM, or in GB18030 instead of UTF-8. Each saved page is read
as saved and in each of these forms; the price, its currency and kind, the seller, the SKU, whether
it can be bought and every offer must come out the same.

Every form keeps what a buyer sees: whitespace is collapsed only where a browser collapses it (never
inside `<pre>`, `<textarea>`, `<script>` or `<style>`, and between two inline elements it stays a
space), script state is re-serialized only where it is JSON, with every number written as it was,
and a page in another charset declares it.
"""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Callable
from functools import cache
from typing import Any

import pytest
from saved_pages import FIXTURES, FOLLOW_UP, NEUTRAL_URL, READ_AT, page, saved_text

from crawlers.extraction import Extraction, extract

# -- reading a page --------------------------------------------------------------------------------


def _offer(got: Extraction) -> tuple[Any, ...]:
    price = (got.price.amount, got.price.currency) if got.price else None
    return (got.status, got.reason, got.offer_key, price, got.price_kind, got.price_high, got.seller_name, got.sku)


def reading(got: Extraction) -> tuple[Any, ...]:
    """What a reading must keep whatever the form of the page: its offer and each of its offers."""
    return (_offer(got), got.follow_up, tuple(_offer(o) for o in got.offers))


def _read(body: bytes, name: str, answer: str | None) -> Extraction:
    url, options = READ_AT.get(name, (NEUTRAL_URL, {}))
    return extract(body, url, follow_up_body=page(answer) if answer else None, **options)


@cache
def _as_saved(name: str, answer: str | None) -> tuple[Any, ...]:
    return reading(_read(page(name), name, answer))


# -- the page's charset ---------------------------------------------------------------------------

_CHARSET = re.compile(r"(<meta\b[^>]*?\bcharset\s*=\s*[\"']?)([\w-]+)", re.IGNORECASE)
_HEAD = re.compile(r"<head\b[^>]*>", re.IGNORECASE)


def _declaring(text: str, charset: str) -> str:
    """`text` whose `<meta>` charset is `charset` (one added at the head when it declares none)."""
    declared, n = _CHARSET.subn(lambda m: m.group(1) + charset, text)
    if n:
        return declared
    return _HEAD.sub(lambda m: f'{m.group(0)}<meta charset="{charset}">', text, count=1)


# -- JSON in scripts, re-serialized ----------------------------------------------------------------

_SCRIPT = re.compile(r"(<script\b(?:[^>\"']|\"[^\"]*\"|'[^']*')*>)(.*?)(</script\s*>)", re.IGNORECASE | re.DOTALL)
# Where a script may hold a JSON value: a string or comment (passed over), or an object or array after `=`
# (not `==`, `!=`, `<=`, `>=` or `=>`), `(`, `,` or `:` (an assignment, an argument, a member's value).
_SCRIPT_PART = re.compile(
    r"\"(?:\\.|[^\"\\])*\"|'(?:\\.|[^'\\])*'|`(?:\\.|[^`\\])*`|//[^\n]*|/\*.*?\*/"
    r"|(?:(?<![=!<>])=(?![=>])|[(,:])\s*(?=[{\[])",
    re.DOTALL,
)


class _Number(str):
    """A JSON number as the page wrote it."""


class _Pairs(list[tuple[str, Any]]):
    """A JSON object's members in their order (duplicates kept)."""


_DECODER = json.JSONDecoder(parse_float=_Number, parse_int=_Number, parse_constant=_Number, object_pairs_hook=_Pairs)
# Characters a string in a script must not show as they are: `</` ends the script, `<!--` changes how the
# browser finds its end, a lone surrogate is no character; U+2028/2029 end a line in older JavaScript.
_UNSAFE_IN_SCRIPT = re.compile(r"</|<!--|[\ud800-\udfff\u2028\u2029]")


def _escaped(s: str) -> str:
    def escape(m: re.Match[str]) -> str:
        if m.group(0) == "</":
            return "<\\/"
        return "".join(f"\\u{ord(c):04x}" for c in m.group(0))

    return _UNSAFE_IN_SCRIPT.sub(escape, json.dumps(s, ensure_ascii=False))


def _dumped(value: Any, indent: int | None, level: int = 0) -> str:
    """`value` as JSON, compact or indented, its numbers written as they were read."""
    if isinstance(value, _Number):
        return str(value)
    if isinstance(value, str):
        return _escaped(value)
    if isinstance(value, bool) or value is None:
        return json.dumps(value)
    if isinstance(value, _Pairs):
        items = [f"{_escaped(k)}{':' if indent is None else ': '}{_dumped(v, indent, level + 1)}" for k, v in value]
        opening, closing = "{", "}"
    else:
        items = [_dumped(v, indent, level + 1) for v in value]
        opening, closing = "[", "]"
    if not items:
        return opening + closing
    if indent is None:
        return opening + ",".join(items) + closing
    inner, outer = "\n" + " " * (indent * (level + 1)), "\n" + " " * (indent * level)
    return opening + inner + f",{inner}".join(items) + outer + closing


def _json_in_script(body: str, indent: int | None) -> str:
    """A script's body with its JSON re-serialized: the whole body when it is JSON, else each JSON value in it."""
    stripped = body.strip()
    if stripped:
        try:
            value, end = _DECODER.raw_decode(stripped)
        except (ValueError, RecursionError):
            pass
        else:
            if end == len(stripped):
                lead = body[: len(body) - len(body.lstrip())]
                return lead + _dumped(value, indent) + body[len(body.rstrip()) :]
    out, at = [], 0
    for m in _SCRIPT_PART.finditer(body):
        if m.start() < at or m.group(0)[0] in "\"'`/":
            continue
        try:
            value, end = _DECODER.raw_decode(body, m.end())
        except (ValueError, RecursionError):
            continue
        out.append(body[at : m.end()] + _dumped(value, indent))
        at = end
    return "".join(out) + body[at:]


def json_rewritten(text: str, indent: int | None) -> str:
    return _SCRIPT.sub(lambda m: m.group(1) + _json_in_script(m.group(2), indent) + m.group(3), text)


# -- whitespace -------------------------------------------------------------------------------------

# Pieces of a page that are kept as they are: comments, elements whose whitespace is their content or
# is no text (pre, textarea, script, style), and tags.
_KEPT = re.compile(
    r"<!--.*?-->"
    r"|<(pre|textarea|script|style|xmp)\b(?:[^>\"']|\"[^\"]*\"|'[^']*')*>.*?</\1\s*>"
    r"|<[!?/]?[A-Za-z](?:[^>\"']|\"[^\"]*\"|'[^']*')*>",
    re.IGNORECASE | re.DOTALL,
)
_TAG_NAME = re.compile(r"<[/!?]?([A-Za-z][A-Za-z0-9-]*)")
_SPACES = re.compile(r"[ \t\n\r\f]+")  # the whitespace HTML collapses (not U+00A0 nor any other space)
# Elements a browser lays out as blocks (or does not show): whitespace beside them is never shown.
_BLOCKS = frozenset(
    "html head body title meta link base script style noscript template div p section article aside header "
    "footer nav main h1 h2 h3 h4 h5 h6 ul ol li dl dt dd table thead tbody tfoot tr td th caption colgroup col "
    "form fieldset legend figure figcaption blockquote hr br pre address details summary dialog select option "
    "optgroup datalist".split()
)


def _block(piece: str) -> bool:
    m = _TAG_NAME.match(piece)
    return piece.startswith("<!") or (m is not None and m.group(1).lower() in _BLOCKS)


def minified(text: str) -> str:
    """The page as a minifier serves it: every run of whitespace in text made one space, and whitespace
    between two tags left out where one of them is a block (between two inline ones it stays a space)."""
    pieces: list[tuple[str, bool]] = []  # (piece, kept as it is)
    at = 0
    for m in _KEPT.finditer(text):
        if m.start() > at:
            pieces.append((text[at : m.start()], False))
        pieces.append((m.group(0), True))
        at = m.end()
    pieces.append((text[at:], False))
    out = []
    for i, (piece, kept) in enumerate(pieces):
        if kept:
            out.append(piece)
            continue
        collapsed = _SPACES.sub(" ", piece)
        if collapsed == " ":
            before = pieces[i - 1] if i > 0 else ("", True)
            after = pieces[i + 1] if i + 1 < len(pieces) else ("", True)
            if not before[0] or not after[0] or _block(before[0]) or _block(after[0]):
                collapsed = ""
        out.append(collapsed)
    return "".join(out)


def crlf(text: str) -> str:
    return re.sub(r"\r?\n", "\r\n", text)


# -- the forms of a page ---------------------------------------------------------------------------


def _json_compact(name: str) -> bytes:
    text, charset = saved_text(name)
    return json_rewritten(text, None).encode(charset)


def _json_pretty(name: str) -> bytes:
    text, charset = saved_text(name)
    return json_rewritten(text, 2).encode(charset)


def _minified(name: str) -> bytes:
    text, charset = saved_text(name)
    return minified(text).encode(charset)


def _crlf(name: str) -> bytes:
    text, charset = saved_text(name)
    return crlf(text).encode(charset)


def _gb18030(name: str) -> bytes:
    text, _ = saved_text(name)
    return _declaring(text, "gb18030").encode("gb18030")


def _bom(name: str) -> bytes:
    text, charset = saved_text(name)
    return codecs.BOM_UTF8 + (text if charset == "utf-8" else _declaring(text, "utf-8")).encode("utf-8")


FORMS: dict[str, Callable[[str], bytes]] = {
    "json-compact": _json_compact,
    "json-pretty": _json_pretty,
    "minified": _minified,
    "crlf": _crlf,
    "gb18030": _gb18030,
    "bom": _bom,
}


def _cases() -> list[tuple[str, str | None, str]]:
    names = sorted(p.relative_to(FIXTURES).as_posix() for p in FIXTURES.rglob("*.html"))
    cases = []
    for name in names:
        for form, served in FORMS.items():
            try:
                if served(name) == page(name):
                    continue  # nothing of this form to change on this page (no JSON in its scripts)
            except UnicodeEncodeError:
                continue  # a character of the page that its charset (or GB18030) cannot write
            cases.append((name, None, form))
            if name in FOLLOW_UP:
                cases.append((name, FOLLOW_UP[name], form))
    return cases


CASES = _cases()


def test_every_saved_page_is_read_in_other_forms() -> None:
    names = {p.relative_to(FIXTURES).as_posix() for p in FIXTURES.rglob("*.html")}
    assert {name for name, _, _ in CASES} == names
    assert not set(READ_AT) - names  # no address is kept for a page that is gone


@pytest.mark.parametrize(
    ("name", "answer", "form"),
    CASES,
    ids=[f"{name}{'+' + answer.rsplit('/', 1)[-1] if answer else ''}:{form}" for name, answer, form in CASES],
)
def test_the_page_in_another_form_reads_the_same(name: str, answer: str | None, form: str) -> None:
    assert reading(_read(FORMS[form](name), name, answer)) == _as_saved(name, answer)
