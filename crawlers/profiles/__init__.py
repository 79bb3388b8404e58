"""Page profiles per platform, tried in order when a page has no structured price.

Adding a site: one class in `china.py`, `marketplaces.py` or `global_marketplaces.py` (selectors or script-state
paths), listed in that module's tuple of profiles, saved pages under tests/fixtures/pages/<site>/ and a parse test.
See docs/crawling.md.
"""

from __future__ import annotations

from parsel import Selector

from crawlers.profiles.base import PageProfile, ScriptStateProfile, SelectorProfile, Selectors, selector_for
from crawlers.profiles.china import CHINA_PROFILES
from crawlers.profiles.global_marketplaces import GLOBAL_PROFILES
from crawlers.profiles.marketplaces import WESTERN_PROFILES

PROFILES: tuple[PageProfile, ...] = (*CHINA_PROFILES, *WESTERN_PROFILES, *GLOBAL_PROFILES)


def find_profile(page: Selector, platform: str | None = None) -> PageProfile | None:
    """The first profile whose page shape this is (and that serves `platform`, when given)."""
    return next((p for p in PROFILES if p.applies(page, platform)), None)


def profile_named(name: str) -> PageProfile | None:
    return next((p for p in PROFILES if p.name == name), None)


__all__ = [
    "PROFILES",
    "PageProfile",
    "ScriptStateProfile",
    "SelectorProfile",
    "Selectors",
    "find_profile",
    "profile_named",
    "selector_for",
]
