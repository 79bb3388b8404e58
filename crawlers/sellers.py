"""Recognise a known reseller from the seller name a page shows (name or alias, normalised)."""

from __future__ import annotations

import logging
import unicodedata
from collections.abc import Iterable

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
        for reseller in resellers:
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

    def identify(self, seller_name: str | None) -> str | None:
        """The reseller id whose name or alias equals `seller_name` after normalising, else None."""
        if not seller_name:
            return None
        return self._ids.get(normalize_seller(seller_name))


def identify_seller(seller_name: str | None, resellers: Iterable[Reseller]) -> str | None:
    """One-off form of `SellerDirectory(resellers).identify(seller_name)`."""
    return SellerDirectory(resellers).identify(seller_name)
