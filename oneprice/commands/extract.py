"""`oneprice extract` and `oneprice match`: see what the crawler sees on one page, or in a listings CSV.

Tools for whoever adds or debugs a site; neither writes to the database.
"""

from __future__ import annotations

import email
import email.policy
import json
import re
import tempfile
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlsplit

import typer
from lxml import etree
from lxml import html as lxml_html
from rich.table import Table
from rich.text import Text

from oneprice.app import console
from oneprice.commands.common import ConfigOpt, Fmt, load
from oneprice.errors import ConfigError, Problem, UserError
from oneprice.settings.csvfile import CsvRow, read_csv

FETCH_TIMEOUT = 20


def _fetch(url: str) -> tuple[bytes, int, str | None, str]:
    """(body, status, charset of the header, the address the redirects ended on)."""
    import requests

    try:
        r = requests.get(url, timeout=FETCH_TIMEOUT, headers={"User-Agent": "oneprice-extract/0.1"})
    except requests.RequestException as e:
        raise UserError(f"cannot fetch {url}: {e}") from None
    charset = r.encoding if "charset" in r.headers.get("Content-Type", "") else None
    return r.content, r.status_code, charset, r.url


def _render(address: str, settle_seconds: float) -> tuple[bytes, int]:
    """The page at `address` (a URL or a file: URI) as headless Chromium draws it: (HTML, status)."""
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright

    from crawlers.render import BROWSER_ARGS, browser_path
    from oneprice.settings.crawl import RenderSettings

    executable = browser_path(RenderSettings())
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=executable, headless=True, args=list(BROWSER_ARGS))
            try:
                page = browser.new_page()
                answer = page.goto(address, wait_until="load", timeout=FETCH_TIMEOUT * 1000)
                page.wait_for_timeout(settle_seconds * 1000)
                return page.content().encode("utf-8"), answer.status if answer is not None else 200
            finally:
                browser.close()
    except PlaywrightError as e:
        raise UserError(f"cannot render {address}: {str(e).splitlines()[0]}") from None


_SAVED_FROM = re.compile(rb"<!--\s*saved from url=\(\d+\)(https?://[^\s>]+?)\s*-->", re.IGNORECASE)


def unpack_mhtml(body: bytes) -> tuple[bytes, str | None, str | None] | None:
    """(the HTML, the address it was saved from, its charset) of a web archive (MHTML); None for other files."""
    start = body[:4000].lower()
    if b"mime-version" not in start or b"multipart/related" not in start:
        return None
    archive = email.message_from_bytes(body, policy=email.policy.default)
    for part in archive.walk():
        if part.get_content_type() == "text/html":
            html = part.get_payload(decode=True)
            if not isinstance(html, bytes):
                continue
            address = str(part.get("Content-Location") or archive.get("Snapshot-Content-Location") or "").strip()
            usable = address.startswith(("http://", "https://")) and urlsplit(address).hostname
            return html, address if usable else None, part.get_content_charset()
    return None


def saved_page_url(body: bytes) -> str | None:
    """The address a page saved from a browser was at: its "saved from" mark, canonical link or og:url."""
    head = body[:300_000]
    if (m := _SAVED_FROM.search(head[:2000])) is not None:
        return m.group(1).decode("ascii", "replace")
    try:
        tree = lxml_html.document_fromstring(head)
    except (ValueError, etree.ParserError):
        return None
    for found in (
        tree.xpath("//link[translate(@rel, 'CANONIL', 'canonil')='canonical']/@href"),
        tree.xpath("//meta[@property='og:url']/@content"),
    ):
        address = str(found[0]).strip() if found else ""
        if address.startswith(("http://", "https://")) and urlsplit(address).hostname:
            return address
    return None


def extraction_dict(ex: Any) -> dict[str, Any]:
    """An Extraction as plain JSON values: the offers chosen and every candidate price."""

    def offer(o: Any) -> dict[str, Any]:
        return {
            "status": o.status.value,
            "reason": o.reason,
            "price": str(o.price.amount) if o.price else None,
            "currency": o.price.currency if o.price else None,
            "price_kind": o.price_kind,
            "price_high": str(o.price_high) if o.price_high is not None else None,
            "shipping": str(o.shipping.amount) if o.shipping else None,
            "method": o.method,
            "profile": o.profile,
            "profile_fields": list(o.profile_fields),  # filled in by the profile beside structured data
            "confidence": str(o.confidence),
            "why": o.why,
            "seller": o.seller_name,
            "title": o.title,
            "sku": o.sku,
            "gtin": o.gtin,
            "model": o.model,
            "offer_key": o.offer_key,
        }

    candidates = [
        {"amount": str(c.amount), "currency": c.currency, "kind": c.kind, "method": c.method,
         "raw": c.raw, "confidence": str(c.confidence), "high": str(c.high) if c.high else None}
        for o in (ex.offers or (ex,)) for c in o.candidates
    ]  # fmt: skip
    return {
        "offers": [offer(o) for o in (ex.offers or (ex,))],
        "candidates": candidates,
        "follow_up": ex.follow_up,
    }


def extract_cmd(
    source: Annotated[str, typer.Argument(help="A saved page (file) or a URL to fetch.")],
    url: Annotated[
        str | None,
        typer.Option(help="The page's URL when SOURCE is a file [default: its canonical link or 'saved from' mark]."),
    ] = None,
    platform: Annotated[str | None, typer.Option(help="Only page profiles of this platform.")] = None,
    currency: Annotated[
        str | None,
        typer.Option(help="Currency of prices that name none [default: the site's, GBP on amazon.co.uk; else CNY]."),
    ] = None,
    coupon_policy: Annotated[str, typer.Option(help="shelf or after_coupon.")] = "shelf",
    render: Annotated[
        bool,
        typer.Option(
            help="Read the page as headless Chromium draws it, after its scripts ran "
            "(browser: $ONEPRICE_BROWSER, else /usr/bin/chromium)."
        ),
    ] = False,
    fmt: Annotated[Fmt, typer.Option("--format", help="table or json.")] = Fmt.table,
) -> None:
    """Show what the extractors read on one page: every candidate price, the offers chosen, or why none.

    Example: oneprice extract tests/fixtures/pages/tmall/detail_coupon.html --url https://detail.tmall.com/item.htm
    """
    from crawlers.extraction import extract

    if coupon_policy not in ("shelf", "after_coupon"):
        raise UserError("--coupon-policy must be shelf or after_coupon")
    if currency is not None:
        from oneprice.domain.money import check_currency

        try:
            currency = check_currency(currency.strip())
        except ValueError as e:
            raise UserError(f"--currency: {e}") from None
    fetched = source.startswith(("http://", "https://"))
    page_url = source
    encoding: str | None
    if fetched and render:
        body, status, encoding = (*_render(source, 1.0), "utf-8")
    elif fetched:
        body, status, encoding, page_url = _fetch(source)  # read at the address the redirects ended on
    else:
        path = Path(source)
        if not path.is_file():
            raise UserError(f"{source}: is a directory" if path.is_dir() else f"no such file: {source}")
        body, status, encoding = path.read_bytes(), 200, None
        archived = unpack_mhtml(body)
        saved_at = None
        if archived is not None:  # "Save as: single file" (MHTML): the page is its first HTML part
            body, saved_at, encoding = archived
        placeholder = path.resolve().as_uri().replace("file://", "https://saved.page", 1)
        page_url = url or saved_at or saved_page_url(body) or placeholder
        if render:  # the saved page's own scripts draw it (an archive's page from a temporary file)
            if archived is None:
                body, status = _render(path.resolve().as_uri(), 1.0)
            else:
                with tempfile.TemporaryDirectory() as tmp:
                    page = Path(tmp) / "page.html"
                    page.write_bytes(body)
                    body, status = _render(page.as_uri(), 1.0)
            encoding = "utf-8"
    options: dict[str, Any] = {"platform": platform, "coupon_policy": coupon_policy}
    options["site_currency_first"] = not currency  # no --currency: the site's, when it is a known one
    currency = currency.upper() if currency else "CNY"
    ex = extract(body, page_url, status=status, encoding=encoding, default_currency=currency, **options)
    if ex.follow_up and fetched:
        answer, _, _, _ = _fetch(ex.follow_up)
        ex = extract(
            body, page_url, status=status, encoding=encoding, default_currency=currency,
            follow_up_body=answer, **options,
        )  # fmt: skip
    data = extraction_dict(ex)
    moved = None
    if fetched and page_url != source:
        from crawlers.moves import moved_elsewhere

        data["redirected_to"] = page_url
        data["redirected_elsewhere"] = moved = moved_elsewhere(source, page_url)
    if fmt is Fmt.json:
        typer.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    cand = Table(title="Candidate prices")
    for c in ("amount", "currency", "kind", "method", "confidence", "as written"):
        cand.add_column(c)
    for c in data["candidates"]:
        high = f"-{c['high']}" if c["high"] else ""
        row = [c["amount"] + high, c["currency"], c["kind"], c["method"], c["confidence"]]
        cand.add_row(*row, Text(c["raw"]))
    console.print(cand)
    chosen = Table(title="Offers")
    several = len(data["offers"]) > 1  # each offer's title tells variants apart when they name no SKU
    columns = ("status", "price", "kind", "shipping", "confidence", "seller", "sku/gtin", "why / reason")
    for c in ("status", "title", *columns[1:]) if several else columns:
        chosen.add_column(c)
    for o in data["offers"]:
        price = f"{o['price']} {o['currency']}" if o["price"] else "-"
        ids = " / ".join(x for x in (o["sku"], o["gtin"], o["model"]) if x)
        why = o["why"] if o["status"] == "ok" else o["reason"]
        title = [Text(o["title"] or "")] if several else []
        chosen.add_row(
            o["status"], *title, price, o["price_kind"] or "", o["shipping"] or "", o["confidence"],
            Text(o["seller"] or ""), Text(ids), Text(why or ""),
        )  # fmt: skip
    console.print(chosen)
    if ex.follow_up:
        console.print(f"the price is loaded from {ex.follow_up} (fetched when SOURCE is a URL)", markup=False)
    if moved is not None:
        what = (
            "another listing, or none: a crawl records this target as no_price, redirected_elsewhere"
            if moved
            else "the same listing"
        )
        console.print(f"{source} redirected to {page_url}: {what}", markup=False)


LISTING_COLUMNS = ("title", "sku", "gtin", "model", "price", "currency", "url")


def read_listings(path: Path, currency: str) -> list[CsvRow]:
    """The rows of a listings CSV, or a ConfigError naming every bad line and column at once."""
    from oneprice.settings.loader import price_problem

    problems: list[Problem] = []
    read = read_csv(path, problems, what="listings CSV")
    if read is None:
        raise ConfigError(problems)
    header, rows = read
    file = str(path)
    for col in header:
        if col not in LISTING_COLUMNS:
            problems.append(Problem(file, 1, col, f"unknown column (known: {', '.join(LISTING_COLUMNS)})"))
    if not {"title", "sku", "gtin", "model"} & set(header):
        problems.append(Problem(file, 1, "", "no column to match by: give title, sku, gtin or model"))
        raise ConfigError(problems)
    for row in rows:
        price = row.fields.get("price", "")
        row_currency = row.fields.get("currency") or currency
        why = price_problem(price, row_currency) if price else None
        if why is not None:
            problems.append(Problem(file, row.line, "price", why))
        if not any(row.fields.get(c) for c in ("title", "sku", "gtin", "model")):
            problems.append(Problem(file, row.line, "", "nothing to match by: title, sku, gtin and model are empty"))
    if problems:
        raise ConfigError(problems)
    return rows


def match_cmd(
    listings: Annotated[
        Path, typer.Option(help="CSV (UTF-8) with columns title, sku, gtin, price, url (model, currency optional).")
    ],
    config: ConfigOpt = None,
    fmt: Annotated[Fmt, typer.Option("--format", help="table or json.")] = Fmt.table,
) -> None:
    """Match a CSV of listings to the catalog: each match with its confidence, or why it goes to review.

    Example: oneprice -c config/demo.yaml match --listings listings.csv --format json
    """
    from crawlers.extraction import Extraction, ExtractionStatus
    from crawlers.matching import CatalogIndex, match

    loaded = load(config)
    accept = loaded.settings.crawl.matching.accept
    index = CatalogIndex(loaded.catalog)
    rows = read_listings(listings, loaded.settings.brand.currency)
    out: list[dict[str, Any]] = []
    for row in rows:
        clean = row.fields
        ex = Extraction(
            status=ExtractionStatus.NO_PRICE,
            title=clean.get("title") or None,
            sku=clean.get("sku") or None,
            gtin=clean.get("gtin") or None,
            model=clean.get("model") or None,
        )
        result = match(ex, index)
        verdict = "unmatched" if result.product_sku is None else "ok" if result.confidence >= accept else "review"
        out.append(
            {"line": row.line, "title": ex.title, "url": clean.get("url") or None, "price": clean.get("price") or None,
             "product_sku": result.product_sku, "method": result.method, "confidence": str(result.confidence),
             "verdict": verdict, "reason": result.reason,
             "alternatives": [{"sku": s, "score": str(min(c, Decimal(1)))} for s, c in result.alternatives]}
        )  # fmt: skip
    if fmt is Fmt.json:
        typer.echo(json.dumps(out, ensure_ascii=False, indent=2))
        return
    table = Table(title=f"Matches (accepted at confidence >= {accept})")
    for c in ("line", "title", "product", "method", "confidence", "verdict", "why"):
        table.add_column(c)
    for r in out:
        table.add_row(
            str(r["line"]), Text(r["title"] or ""), r["product_sku"] or "-", r["method"], r["confidence"],
            r["verdict"], Text(r["reason"] or ""),
        )  # fmt: skip
    console.print(table)


def register(app: typer.Typer) -> None:
    app.command("extract")(extract_cmd)
    app.command("match")(match_cmd)
