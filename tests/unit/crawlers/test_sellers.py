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


def test_a_page_on_a_resellers_own_site_is_that_resellers_when_it_names_no_known_seller() -> None:
    summit = Reseller(id="summit", name="Summit Gear", sites=("Summit-Gear.example.",))
    grey = Reseller(id="grey", name="Cheap Outdoor", authorized=False, sites=("cheap-outdoor.example",))
    directory = SellerDirectory((*RESELLERS, summit, grey))
    assert summit.sites == ("summit-gear.example",)  # kept as a lower-case host name
    assert directory.identify(None, "https://summit-gear.example/products/jacket") == "summit"
    assert directory.identify(None, "https://shop.summit-gear.example/p/1") == "summit"  # a subdomain
    assert directory.identify("Unknown Vendor", "https://WWW.CHEAP-OUTDOOR.EXAMPLE/p/1") == "grey"
    # a seller the page names and the list knows wins; other hosts are nobody's
    assert directory.identify("星辰数码专营店", "https://summit-gear.example/p/1") == "xingchen"
    assert directory.identify(None, "https://notsummit-gear.example/p/1") is None
    assert directory.identify(None, "https://summit-gear.example.evil.test/p/1") is None
    assert directory.identify(None, None) is None


@pytest.mark.parametrize("site", ["https://summit.example", "summit.example/shop", "summit", "-x.example", ""])
def test_a_site_must_be_a_host_name(site: str) -> None:
    from pydantic import ValidationError

    with pytest.raises(ValidationError, match="must be a host name"):
        Reseller(id="summit", name="Summit Gear", sites=(site,))


def test_a_site_of_two_resellers_warns_and_the_first_wins(caplog: pytest.LogCaptureFixture) -> None:
    one = Reseller(id="one", name="One", sites=("shared.example",))
    two = Reseller(id="two", name="Two", sites=("shared.example",))
    with caplog.at_level(logging.WARNING):
        directory = SellerDirectory((one, two))
    assert directory.identify(None, "https://shared.example/p") == "one"
    assert "site shared.example belongs to resellers one and two" in caplog.text
