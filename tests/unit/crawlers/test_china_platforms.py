"""1688, Vipshop and Weidian as platforms of their own: config names them, their page profiles and search
shapes answer to their names, and `website` (how configs named them before) still reaches them.
"""

from __future__ import annotations

import pytest
from pydantic import ValidationError
from saved_pages import page, search_page

from crawlers import discovery
from crawlers.discovery import read_search_page, search_shapes
from crawlers.extraction import ExtractionStatus, extract
from crawlers.profiles import profile_named
from oneprice.domain.catalog import PLATFORMS, Reseller, WatchTarget
from oneprice.settings.crawl import DiscoverySettings, RenderSettings

NEW = ("1688", "vipshop", "weidian")

# (profile, saved page, its url)
PAGES = [
    ("1688", "1688/offer_init_data.html", "https://detail.1688.com/offer/675520138842.html"),
    ("vipshop", "vip/detail_special_price.html", "https://detail.vip.com/detail-1711320456-6920047731856601823.html"),
    ("weidian", "weidian/item_rocker_state.html", "https://weidian.com/item.html?itemID=7392018845"),
]

# (platform, saved search page, its url, the shape that reads it)
SEARCHES = [
    (
        "1688",
        "alibaba1688_offer_search.html",
        "https://s.1688.com/selloffer/offer_search.htm?keywords=%C9%BD%D3%EC&n=y",
        discovery.ALIBABA_1688_STATE,
    ),
    (
        "vipshop",
        "vipshop_suggest_rendered.html",
        "https://category.vip.com/suggest.php?keyword=%E5%B1%B1%E5%B1%BF",
        discovery.VIPSHOP_CARDS,
    ),
]


def test_the_three_marketplaces_are_known_platforms() -> None:
    assert set(NEW) <= set(PLATFORMS)
    assert PLATFORMS[-1] == "website"  # the catch-all stays last in every list shown


@pytest.mark.parametrize("platform", NEW)
def test_config_can_name_them_for_targets_authorizations_discovery_and_rendering(platform: str) -> None:
    target = WatchTarget(id="t1", url="https://example.com/item", platform=platform)
    assert target.platform == platform
    reseller = Reseller(id="r1", name="某店", platforms=(platform,))
    assert reseller.authorized_on(platform) and not reseller.authorized_on("taobao")
    assert platform in DiscoverySettings(search={platform: "https://s.example/?q={query}"}).search
    assert RenderSettings(platforms=(platform,)).platforms == (platform,)


def test_a_misspelt_platform_is_still_refused_with_the_new_names_listed() -> None:
    with pytest.raises(ValidationError) as e:
        WatchTarget(id="t1", url="https://example.com/item", platform="weidain")
    assert "1688, vipshop, weidian" in str(e.value)


@pytest.mark.parametrize(("profile", "name", "url"), PAGES)
def test_each_profile_serves_its_own_platform_and_website(profile: str, name: str, url: str) -> None:
    assert profile_named(profile).platforms == frozenset({profile, "website"})
    for platform in (profile, "website", None):
        got = extract(page(name), url, platform=platform)
        assert got.status is ExtractionStatus.OK, (platform, got.reason)
        assert (got.method, got.profile) == ("profile", profile)


@pytest.mark.parametrize(("profile", "name", "url"), PAGES)
def test_a_page_under_another_marketplace_is_not_read_by_their_profile(profile: str, name: str, url: str) -> None:
    others = [p for p in NEW if p != profile]
    for platform in (*others, "taobao"):
        assert extract(page(name), url, platform=platform).profile != profile


@pytest.mark.parametrize(("platform", "name", "url", "shape"), SEARCHES)
def test_their_search_is_reached_by_their_own_name(platform: str, name: str, url: str, shape: object) -> None:
    shapes = search_shapes(platform)
    assert shapes[0] is shape and shapes[-1] is discovery.TAOBAO_SEARCH
    found, nxt = read_search_page(search_page(name), url, shapes)
    assert found and nxt
    assert (found, nxt) == read_search_page(search_page(name), url, search_shapes("website"))


def test_weidian_has_no_search_shape_of_its_own_yet() -> None:
    # Only the classic item list the sandbox serves, as for Douyin; not every shape of every platform.
    assert search_shapes("weidian") == (discovery.TAOBAO_SEARCH,)
    assert search_shapes("weidian") != search_shapes("website")
