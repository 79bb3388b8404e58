"""The brand's catalog: products with unified prices, resellers, watch targets, tolerance."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator, model_validator

from oneprice.domain.money import Money, NonNegativeDecimal

# Platforms oneprice knows by name: the brand's own stores and marketplaces it watches. Not every one
# has a channel adapter (1688, Vipshop and Weidian are only watched); `website` is any other site.
PLATFORMS = (
    "taobao",
    "tmall",
    "jd",
    "pinduoduo",
    "youzan",
    "douyin",
    "1688",
    "vipshop",
    "weidian",
    "shopify",
    "woocommerce",
    "amazon",
    "ebay",
    "website",
)


def _known_platform(v: str) -> str:
    if v not in PLATFORMS:
        raise ValueError(f"unknown platform {v!r} (known: {', '.join(PLATFORMS)})")
    return v


# A platform name of PLATFORMS, as a field type (a config naming another gets the list of known ones).
Platform = Annotated[str, AfterValidator(_known_platform)]

_HOST_RE = re.compile(r"^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+$")
_SKU_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/-]{0,63}$")


def gtin_check_digit_ok(gtin: str) -> bool:
    """GS1 mod-10 check for GTIN-8/12/13/14."""
    if not gtin.isdigit() or len(gtin) not in (8, 12, 13, 14):
        return False
    digits = [int(c) for c in gtin]
    body, check = digits[:-1], digits[-1]
    total = sum(d * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return (10 - total % 10) % 10 == check


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Product(Frozen):
    """One sellable SKU of the brand, with its unified price.

    Variants (size/colour) are products of their own that share a `parent_sku`.
    `channels` limits which of the brand's own stores list it (empty: all).
    """

    sku: str
    name: str = Field(min_length=1)
    unified_price: Money
    gtin: str | None = None
    model: str | None = None
    parent_sku: str | None = None
    color: str | None = None
    size: str | None = None
    product_line: str | None = None
    stock: int = Field(default=0, ge=0)
    status: Literal["active", "inactive"] = "active"
    channels: tuple[str, ...] = ()

    @field_validator("sku", "parent_sku")
    @classmethod
    def _sku_shape(cls, v: str | None) -> str | None:
        if v is not None and not _SKU_RE.match(v):
            raise ValueError(f"SKU {v!r} must be 1-64 letters, digits or ._/- and start with a letter or digit")
        return v

    @field_validator("gtin")
    @classmethod
    def _gtin_ok(cls, v: str | None) -> str | None:
        if v is not None and not gtin_check_digit_ok(v):
            raise ValueError(f"GTIN {v!r} is not 8/12/13/14 digits with a valid check digit")
        return v

    @property
    def currency(self) -> str:
        return self.unified_price.currency


class TolerancePolicy(Frozen):
    """How far below the unified price a reseller may go before it is an undercut.

    Exactly one of `percent` (e.g. 5 = 5%) or `absolute` (an amount in the product's currency).
    """

    percent: NonNegativeDecimal | None = None
    absolute: NonNegativeDecimal | None = None

    @model_validator(mode="after")
    def _one_of(self) -> TolerancePolicy:
        if (self.percent is None) == (self.absolute is None):
            raise ValueError("set exactly one of percent or absolute")
        if self.percent is not None and self.percent >= 100:
            raise ValueError("percent must be below 100")
        return self

    def floor(self, unified: Money) -> Money:
        """The lowest price that is not an undercut."""
        if self.percent is not None:
            amount = unified.amount * (1 - self.percent / Decimal(100))
        else:
            assert self.absolute is not None
            amount = max(unified.amount - self.absolute, Decimal(0))
        return Money.of(amount, unified.currency)


class Reseller(Frozen):
    """A seller the brand knows: authorized (on some platforms) or known to be unauthorized.

    Sellers are recognised on pages by `name` or any of `aliases` (case-insensitive).
    """

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]{0,63}$")
    name: str = Field(min_length=1)
    aliases: tuple[str, ...] = ()
    authorized: bool = True
    platforms: tuple[Platform, ...] = ()
    contact: str | None = None
    own_store: bool = False
    # Host names of the reseller's own web stores ("summit-gear.example"): a page there is this
    # reseller's when it names no known seller (a store's pages seldom name the store as seller).
    sites: tuple[str, ...] = ()

    @field_validator("sites")
    @classmethod
    def _host_names(cls, v: tuple[str, ...]) -> tuple[str, ...]:
        out = []
        for site in v:
            host = site.strip().lower().rstrip(".")
            if not _HOST_RE.match(host):
                raise ValueError(f"site {site!r} must be a host name such as shop.example.com (no scheme or path)")
            out.append(host)
        return tuple(out)

    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)

    def authorized_on(self, platform: str) -> bool:
        return self.authorized and (not self.platforms or platform in self.platforms)


class WatchTarget(Frozen):
    """A public listing page (or search page) the crawler visits; `id` stays when URLs move."""

    id: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$")
    url: str = Field(pattern=r"^https?://")
    platform: Platform
    kind: Literal["listing", "search"] = "listing"
    # How often to visit, e.g. "30m", "6h", "1d" (default: `crawl.revisit_after`, else every crawl).
    frequency: str | None = Field(default=None, pattern=r"^[1-9][0-9]{0,5}[smhd]$")

    @property
    def frequency_seconds(self) -> float | None:
        if self.frequency is None:
            return None
        return float(self.frequency[:-1]) * {"s": 1, "m": 60, "h": 3600, "d": 86400}[self.frequency[-1]]


class Catalog(Frozen):
    """Products by SKU with the lookups that matching needs."""

    products: tuple[Product, ...]

    def by_sku(self) -> dict[str, Product]:
        return {p.sku: p for p in self.products}

    def by_gtin(self) -> dict[str, Product]:
        return {p.gtin: p for p in self.products if p.gtin}

    def find(self, *, sku: str | None = None, gtin: str | None = None, model: str | None = None) -> Product | None:
        """Exact identifier match: GTIN first, then SKU, then model code."""
        if gtin:
            hit = self.by_gtin().get(gtin.strip().lstrip("0").zfill(13)) or self.by_gtin().get(gtin.strip())
            if hit:
                return hit
        if sku:
            hit = self.by_sku().get(sku.strip())
            if hit:
                return hit
        if model:
            for p in self.products:
                if p.model and p.model.lower() == model.strip().lower():
                    return p
        return None
