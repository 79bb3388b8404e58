"""Recognise a known reseller from the seller name a page shows (name or alias, normalised)."""

from __future__ import annotations

import logging
import unicodedata
from collections.abc import Iterable

from crawlers.prices import host_and_parents
from oneprice.domain.catalog import Reseller

log = logging.getLogger(__name__)


def normalize_seller(name: str) -> str:
    """NFKC (full-width to half-width), case-folded, without whitespace or invisible characters.

    >>> normalize_seller("ＡＣＭＥ　Digital\\u200b 旗舰店")
    'acmedigital旗舰店'
    """
    text = unicodedata.normalize("NFKC", name).casefold()
    return "".join(ch for ch in text if not ch.isspace() and unicodedata.category(ch) not in ("Cc", "Cf"))


class SellerDirectory:
    """Known resellers by every normalised name and alias; build once, ask per page."""

    def __init__(self, resellers: Iterable[Reseller]) -> None:
        self._ids: dict[str, str] = {}
        self._sites: dict[str, str] = {}  # host name of a reseller's own web store -> its id
        for reseller in resellers:
            for site in reseller.sites:
                owner = self._sites.setdefault(site, reseller.id)
                if owner != reseller.id:
                    log.warning("site %s belongs to resellers %s and %s; %s wins", site, owner, reseller.id, owner)
            for name in reseller.names():
                key = normalize_seller(name)
                if not key:
                    continue
                other = self._ids.setdefault(key, reseller.id)
                if other != reseller.id:
                    log.warning(
                        "seller name %r belongs to resellers %s and %s; %s wins",
                        name,
                        other,
                        reseller.id,
                        other,
                    )

    def identify(self, seller_name: str | None, url: str | None = None) -> str | None:
        """The reseller id whose name or alias equals `seller_name` after normalising; else, for a
        page at `url` on one of a reseller's own sites (or a subdomain of one), that reseller; else None."""
        found = self._ids.get(normalize_seller(seller_name)) if seller_name else None
        if found is not None or not url or not self._sites:
            return found
        return next((self._sites[h] for h in host_and_parents(url) if h in self._sites), None)


def identify_seller(seller_name: str | None, resellers: Iterable[Reseller]) -> str | None:
    """One-off form of `SellerDirectory(resellers).identify(seller_name)`."""
    return SellerDirectory(resellers).identify(seller_name)
