"""`oneprice extract SAVED.html`: the page's own address stands in for --url when none is given."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from oneprice.cli import app
from oneprice.commands.extract import saved_page_url

PAGE = "<html><head>{head}</head><body><h1>Trail jacket</h1><span class='price'>{price}</span></body></html>"


@pytest.mark.parametrize(
    ("html", "address"),
    [
        ("<!-- saved from url=(0041)https://www.amazon.co.uk/dp/B0SYJK01RM -->" + PAGE, "https://www.amazon.co.uk/dp/B0SYJK01RM"),
        (PAGE.replace("{head}", '<link rel="Canonical" href="https://item.jd.com/1000.html">'), "https://item.jd.com/1000.html"),
        (PAGE.replace("{head}", '<meta property="og:url" content="https://shop.example/p/1">'), "https://shop.example/p/1"),
        (PAGE.replace("{head}", '<link rel="canonical" href="/p/1"><meta property="og:url" content="data:,x">'), None),
        (PAGE, None),
        ("", None),
    ],
)  # fmt: skip
def test_saved_page_url(html: str, address: str | None) -> None:
    assert saved_page_url(html.encode()) == address


def test_a_saved_page_is_read_at_its_own_address(tmp_path: Path) -> None:
    saved = tmp_path / "page.html"
    head = '<link rel="canonical" href="https://www.amazon.ca/dp/B0SYJK01RM">'
    saved.write_text(PAGE.replace("{head}", head).replace("{price}", "$129.00"), encoding="utf-8")

    def currency(*args: str) -> str:
        result = CliRunner().invoke(app, ["extract", str(saved), *args, "--format", "json"])
        assert result.exit_code == 0, result.output
        [offer] = json.loads(result.output)["offers"]
        assert offer["price"] == "129.00"
        return str(offer["currency"])

    assert currency() == "CAD"  # amazon.ca, from the canonical link
    assert currency("--url", "https://shop.example/p/1") == "USD"  # --url wins; a bare $ is USD


def mhtml(html: str, address: str, charset: str = "utf-8") -> bytes:
    """A single-file web archive as a browser writes it: headers, then the page quoted-printable."""
    from email.message import EmailMessage

    archive = EmailMessage()
    archive["From"] = "<Saved by Blink>"
    archive["Snapshot-Content-Location"] = address
    archive["Subject"] = "page"
    archive.make_related()
    page = EmailMessage()
    page.set_content(html.encode(charset), maintype="text", subtype="html", cte="quoted-printable")
    page.set_param("charset", charset)
    page["Content-Location"] = address
    archive.attach(page)
    archive.add_attachment(b"\x89PNG", maintype="image", subtype="png", filename="logo.png")
    return archive.as_bytes()


def test_a_single_file_web_archive_is_read_as_its_page(tmp_path: Path) -> None:
    html = PAGE.replace("{head}", '<meta charset="gbk">').replace("{price}", "￥1,299.00")
    html = html.replace("Trail jacket", "山屿 岚峰 冲锋衣")
    saved = tmp_path / "page.mhtml"
    saved.write_bytes(mhtml(html, "https://detail.tmall.com/item.htm?id=1", charset="gbk"))
    assert b"1,299.00" not in saved.read_bytes().split(b"\n\n", 1)[0]  # the page is in a part, not the headers
    result = CliRunner().invoke(app, ["extract", str(saved), "--format", "json"])
    assert result.exit_code == 0, result.output
    [offer] = json.loads(result.output)["offers"]
    assert (offer["price"], offer["currency"], offer["title"]) == ("1299.00", "CNY", "山屿 岚峰 冲锋衣")


def test_a_file_that_only_looks_like_an_archive_is_read_as_html() -> None:
    from oneprice.commands.extract import unpack_mhtml

    assert unpack_mhtml(b"<html><p>MIME-Version: multipart/related</p></html>") is None
    assert unpack_mhtml(mhtml("<p>x</p>", "file:///tmp/x.html")) == (b"<p>x</p>", None, "utf-8")
