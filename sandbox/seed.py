"""The sandbox seed file: reseller offers shown as storefront pages, listings pre-created in stores.

Prices are Decimal (write them quoted in YAML); a bad file raises ConfigError naming the field.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from oneprice.domain.catalog import PLATFORMS, Catalog
from oneprice.domain.money import Currency, NonNegativeDecimal
from oneprice.errors import ConfigError, Problem
from oneprice.settings.loader import Loc, format_loc, report_validation

PageShape = Literal[
    "jsonld",
    "microdata",
    "text_price",
    "captcha",
    "sold_out",
    # platform page shapes without structured data, read by crawlers/profiles/
    "tmall",
    "jd",
    "pinduoduo",
    "youzan",
    "shopify",
    "offer_listing",
    "ebay",
    # a store's variable product: a price range, its JSON-LD AggregateOffer and the variations form
    "woocommerce",
]
AlertRuleName = Literal["undercut", "unauthorized_seller"]
PriceFormat = Literal["yuan", "yuan_from", "euro"]

PROFILE_SHAPES: frozenset[str] = frozenset({"tmall", "jd", "pinduoduo", "youzan", "shopify", "offer_listing", "ebay"})
PRICED_SHAPES: frozenset[str] = frozenset({"jsonld", "microdata", "text_price", "woocommerce"}) | PROFILE_SHAPES
VARIANT_SHAPES: frozenset[str] = frozenset({"jsonld", "woocommerce"})


def default_offers_file() -> Path:
    """The demo offers shipped with the package (`sandbox/data/demo_offers.yaml`)."""
    return Path(str(resources.files("sandbox") / "data" / "demo_offers.yaml"))


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class OtherSeller(_Strict):
    """Another seller's offer on the same page (an offer listing with several sellers)."""

    seller: str = Field(min_length=1)
    price: NonNegativeDecimal
    shipping: NonNegativeDecimal | None = None


class Variant(_Strict):
    """Another variant (size, colour) listed on the same page, at its own price (JSON-LD `hasVariant`)."""

    sku: str = Field(min_length=1)
    price: NonNegativeDecimal
    expect: tuple[AlertRuleName, ...] = ()


class Offer(_Strict):
    """One reseller listing page at `/shop/<platform>/item/<id>`.

    `sku` is the catalog product the page is about; `listing_sku` is the code the
    seller shows instead (matching must then go by GTIN). `price` is what the page
    shows; captcha and sold-out pages never show it. `expect` names the alert
    rules the page must trigger.
    """

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{0,63}$")
    platform: str
    seller: str = Field(min_length=1)
    sku: str = Field(min_length=1)
    price: NonNegativeDecimal | None = None
    currency: Currency = "CNY"
    shape: PageShape
    expect: tuple[AlertRuleName, ...] = ()
    title: str | None = None
    listing_sku: str | None = None
    price_format: PriceFormat = "yuan"
    # Profile shapes only: the struck "original" price, the 券后 coupon price, the shipping fee,
    # and more sellers of the same product (offer_listing).
    list_price: NonNegativeDecimal | None = None
    coupon_price: NonNegativeDecimal | None = None
    shipping: NonNegativeDecimal | None = None
    other_sellers: tuple[OtherSeller, ...] = ()
    # jsonld: the page is a ProductGroup listing these variants beside `sku`, each a product of its own;
    # woocommerce: the variations form lists them, and the price box and JSON-LD state only their range.
    variants: tuple[Variant, ...] = ()
    # The listing was removed: its page answers 301 to this path of the sandbox (a search page, another
    # listing), as marketplaces send a removed listing's visitors elsewhere.
    moved_to: str | None = Field(default=None, pattern=r"^/[^\s]{0,300}$")

    @field_validator("platform")
    @classmethod
    def _platform(cls, v: str) -> str:
        if v not in PLATFORMS:
            raise ValueError(f"unknown platform {v!r} (known: {', '.join(PLATFORMS)})")
        return v

    @field_validator("expect")
    @classmethod
    def _no_repeats(cls, v: tuple[str, ...]) -> tuple[str, ...]:
        if len(set(v)) != len(v):
            raise ValueError("a rule is listed twice")
        return v

    @model_validator(mode="after")
    def _price_fits_shape(self) -> Offer:
        if self.shape in PRICED_SHAPES and self.price is None:
            raise ValueError(f"a {self.shape} page needs a price")
        if self.shape not in PRICED_SHAPES and self.expect:
            raise ValueError(f"a {self.shape} page shows no price, so it cannot expect alerts")
        if self.moved_to is not None and self.expect:
            raise ValueError("a moved listing shows no page of its own, so it cannot expect alerts")
        if self.variants and self.shape not in VARIANT_SHAPES:
            raise ValueError(f"only a {' or '.join(sorted(VARIANT_SHAPES))} page lists variants")
        if self.shape == "woocommerce" and not self.variants:
            raise ValueError("a woocommerce page is a variable product: list its variants")
        if len({self.sku, *(v.sku for v in self.variants)}) != 1 + len(self.variants):
            raise ValueError("a variant is listed twice")
        return self

    @property
    def path(self) -> str:
        if self.shape == "shopify":
            return f"/shop/{self.platform}/products/{self.id}"
        return f"/shop/{self.platform}/item/{self.id}"

    @property
    def shows_price(self) -> bool:
        return self.shape in PRICED_SHAPES and self.moved_to is None


class StoreListing(_Strict):
    """A product that already exists in an emulated WooCommerce store before any sync."""

    sku: str = Field(min_length=1)
    name: str | None = None
    regular_price: NonNegativeDecimal
    stock_quantity: int = Field(default=0, ge=0)
    status: Literal["publish", "draft", "pending", "private"] = "publish"

    def to_payload(self, catalog_names: Mapping[str, str]) -> dict[str, Any]:
        """The WooCommerce create payload for this listing."""
        return {
            "name": self.name or catalog_names.get(self.sku, self.sku),
            "sku": self.sku,
            "regular_price": str(self.regular_price),
            "manage_stock": True,
            "stock_quantity": self.stock_quantity,
            "status": self.status,
        }


class SeedFile(_Strict):
    """Root of a sandbox seed file."""

    offers: tuple[Offer, ...] = ()
    # Listings nobody watches: served, and found only by searching (`oneprice discover`).
    discoverable: tuple[Offer, ...] = ()
    stores: dict[str, tuple[StoreListing, ...]] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _unique_ids(self) -> SeedFile:
        seen: set[str] = set()
        for offer in (*self.offers, *self.discoverable):
            if offer.id in seen:
                raise ValueError(f"duplicate offer id {offer.id!r}")
            seen.add(offer.id)
        return self

    def offer(self, platform: str, offer_id: str) -> Offer | None:
        for o in self.offers:
            if o.id == offer_id and o.platform == platform:
                return o
        return None

    def check_against(self, catalog: Catalog, store_names: set[str], file: str) -> list[Problem]:
        """Problems where the seed names SKUs or stores the configuration does not have."""
        problems: list[Problem] = []
        skus = catalog.by_sku()
        for section, offers in (("offers", self.offers), ("discoverable", self.discoverable)):
            for i, o in enumerate(offers):
                if o.sku not in skus:
                    message = f"SKU {o.sku!r} is not in the catalog"
                    problems.append(Problem(file, None, f"{section}[{i}].sku", message))
        for store, listings in self.stores.items():
            if store not in store_names:
                known = ", ".join(sorted(store_names)) or "none"
                problems.append(
                    Problem(
                        file,
                        None,
                        f"stores.{store}",
                        f"no woocommerce channel named {store!r} (known: {known})",
                    )
                )
            for j, listing in enumerate(listings):
                if listing.sku not in skus:
                    problems.append(
                        Problem(
                            file,
                            None,
                            f"stores.{store}[{j}].sku",
                            f"SKU {listing.sku!r} is not in the catalog",
                        )
                    )
        return problems


def parse_offers(data: Any, file: str = "<offers>") -> SeedFile:
    """Validate already-parsed YAML data as a seed file, or raise ConfigError."""
    problems: list[Problem] = []

    def add(loc: Loc, message: str) -> None:
        problems.append(Problem(file, None, format_loc(loc), message))

    if data is None:
        data = {}
    try:
        return SeedFile.model_validate(data)
    except ValidationError as e:
        report_validation(e, add)
    raise ConfigError(problems)


def load_offers(path: Path | None = None) -> SeedFile:
    """Read a seed file (the packaged demo offers when `path` is None), or raise ConfigError."""
    path = path or default_offers_file()
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as e:
        raise ConfigError([Problem(str(path), None, "", f"cannot read: {e.strerror or e}")]) from None
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        raise ConfigError([Problem(str(path), line, "", f"invalid YAML: {e}")]) from None
    return parse_offers(data, str(path))


def format_price(amount: Decimal, currency: str, style: PriceFormat) -> str:
    """Price as a storefront shows it: `¥1,299.00`, `¥1,299.00 起` or `1.299,00 €`."""
    grouped = f"{amount:,.2f}"
    if style == "euro":
        number = grouped.replace(",", " ").replace(".", ",").replace(" ", ".")
        return f"{number} €" if currency == "EUR" else f"{number} {currency}"
    symbol = "¥" if currency in ("CNY", "JPY") else f"{currency} "
    text = f"{symbol}{grouped}"
    return f"{text} 起" if style == "yuan_from" else text
