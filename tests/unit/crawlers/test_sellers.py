"""Seller names on pages -> known reseller ids (name or alias, case/width/whitespace-insensitive)."""

from __future__ import annotations

import logging

import pytest

from crawlers.sellers import SellerDirectory, identify_seller, normalize_seller
from oneprice.domain.catalog import Reseller

RESELLERS = (
    Reseller(id="xingchen", name="星辰数码专营店"),
    Reseller(id="lanhai", name="蓝海数码旗舰店", aliases=("蓝海数码专营店", "LANHAI Digital")),
    Reseller(id="grey-market", name="ＯｎｅＰｈｏｎｅ　折扣店", authorized=False),
)


@pytest.mark.parametrize(
    ("seen", "expected"),
    [
        ("星辰数码专营店", "xingchen"),
        ("  星辰数码 专营店 ", "xingchen"),
        ("蓝海数码专营店", "lanhai"),
        ("lanhai digital", "lanhai"),
        ("ＬＡＮＨＡＩ　Ｄｉｇｉｔａｌ", "lanhai"),
        ("LANHAI\u200bDigital", "lanhai"),
        ("OnePhone 折扣店", "grey-market"),
        ("onephone折扣店", "grey-market"),
        ("星辰数码", None),
        ("星辰数码专营店二店", None),
        ("", None),
        (None, None),
    ],
)
def test_identify(seen: str | None, expected: str | None) -> None:
    assert SellerDirectory(RESELLERS).identify(seen) == expected
    assert identify_seller(seen, RESELLERS) == expected


def test_normalize_seller() -> None:
    assert normalize_seller("ＡＣＭＥ　Digital\u200b 旗舰店") == "acmedigital旗舰店"


def test_a_name_shared_by_two_resellers_goes_to_the_first_with_a_warning(
    caplog: pytest.LogCaptureFixture,
) -> None:
    resellers = (Reseller(id="a", name="Same Shop"), Reseller(id="b", name="B", aliases=("same shop",)))
    with caplog.at_level(logging.WARNING):
        directory = SellerDirectory(resellers)
    assert directory.identify("SAME SHOP") == "a"
    assert "belongs to resellers a and b" in caplog.text
