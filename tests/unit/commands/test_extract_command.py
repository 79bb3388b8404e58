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
