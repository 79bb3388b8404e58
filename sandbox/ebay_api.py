"""Sell Inventory routes for the sandbox: the OAuth token endpoint and `/ebay/<channel>/sell/inventory/v1/...`.

Base URL of a channel: `<sandbox>/ebay/<channel-name>`; token URL: `<sandbox>/ebay/identity/v1/oauth2/token`.
"""

from __future__ import annotations

import base64
import binascii
import json
import logging
import time
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any, ClassVar, Self
from urllib.parse import parse_qs

from oneprice.domain.catalog import Catalog
from oneprice.settings.models import ChannelSettings
from sandbox.ebay import SCOPE_INVENTORY, TOKEN_LIFETIME, EbayError, EbaySeller
from sandbox.emulations import ChannelEmulation
from sandbox.server import Request, Response, Router

logger = logging.getLogger(__name__)

API = r"/ebay/(?P<store>[^/]+)/sell/inventory/v1"


def failure(err: EbayError, headers: dict[str, str] | None = None) -> Response:
    return Response.json({"errors": [err.entry()]}, err.status, headers)


class EbayEmulation(ChannelEmulation):
    """Every `ebay` channel of the config as one seller in its marketplace."""

    kind: ClassVar[str] = "ebay"

    def __init__(self, sellers: dict[str, EbaySeller], clock: Callable[[], float] = time.monotonic) -> None:
        self.sellers = sellers
        self.clock = clock
        self.overrides: dict[str, dict[str, Decimal]] = {}

    @classmethod
    def from_channels(cls, channels: Sequence[ChannelSettings]) -> Self:
        emulation = cls._for(channels)
        emulation.overrides = {c.name: {sku: o.price for sku, o in c.overrides.items()} for c in channels}
        return emulation

    @classmethod
    def _for(cls, channels: Sequence[ChannelSettings]) -> Self:
        return cls(
            {
                c.name: EbaySeller(
                    c.name,
                    {k: v.get_secret_value() for k, v in c.credentials.items()},
                    marketplace_id=str(c.options.get("marketplace_id") or "EBAY_US"),
                    currency=c.currency,
                )
                for c in channels
            }
        )

    def seed_catalog(self, catalog: Catalog) -> None:
        for name, seller in self.sellers.items():
            seller.seed_catalog(catalog.products, name, self.overrides.get(name))

    def seller(self, name: str) -> EbaySeller:
        return self.sellers[name]

    def install(self, router: Router) -> None:
        router.add("POST", r"/ebay/identity/v1/oauth2/token", self.token)
        router.add("GET", API + r"/inventory_item", self._endpoint(self.list_items))
        router.add("GET", API + r"/inventory_item/(?P<sku>[^/]+)", self._endpoint(self.get_item))
        router.add("GET", API + r"/offer", self._endpoint(self.get_offers))
        router.add("POST", API + r"/bulk_update_price_quantity", self._endpoint(self.bulk_update))

    # -- OAuth ---------------------------------------------------------------------------

    def token(self, request: Request) -> Response:
        form = {k: v[-1] for k, v in parse_qs(request.body.decode("utf-8", "replace")).items()}
        header = request.header("Authorization") or ""
        try:
            pair = base64.b64decode(header[6:].strip(), validate=True).decode() if header[:6] == "Basic " else ""
        except (binascii.Error, UnicodeDecodeError):
            pair = ""
        client_id, _, client_secret = pair.partition(":")
        if form.get("grant_type") != "refresh_token":
            return Response.json({"error": "unsupported_grant_type"}, 400)
        if SCOPE_INVENTORY not in (form.get("scope") or "").split():
            return Response.json({"error": "invalid_scope", "error_description": "sell.inventory needed"}, 400)
        for seller in self.sellers.values():
            token = seller.issue_token(client_id, client_secret, form.get("refresh_token", ""), self.clock())
            if token is not None:
                logger.info("sandbox: ebay %s issued a user access token", seller.name)
                body = {"access_token": token, "expires_in": TOKEN_LIFETIME, "token_type": "User Access Token"}
                return Response.json(body)
        return Response.json({"error": "invalid_grant", "error_description": "the grant is invalid"}, 400)

    # -- Inventory API -------------------------------------------------------------------

    def _endpoint(self, handler: Callable[[EbaySeller, Request], Response]) -> Callable[[Request], Response]:
        def serve(request: Request) -> Response:
            seller = self.sellers.get(request.params["store"])
            if seller is None:
                return failure(EbayError(404, 2002, "Resource not found."))
            fault = seller.record(request.method, request.path)
            if fault is not None:
                logger.info("sandbox: ebay %s answered %s to %s", seller.name, fault.status, request.method)
                headers = {"Retry-After": str(fault.retry_after)} if fault.retry_after is not None else {}
                return failure(EbayError(fault.status, 2001 if fault.status == 429 else 2003, "Injected."), headers)
            bearer = request.header("Authorization") or ""
            if not bearer.startswith("Bearer ") or not seller.token_ok(bearer[7:], self.clock()):
                return failure(EbayError(401, 1001, "Invalid access token."))
            try:
                return handler(seller, request)
            except EbayError as err:
                return failure(err)

        return serve

    def list_items(self, seller: EbaySeller, request: Request) -> Response:
        limit, offset = _int(request.arg("limit"), 25, 1, 200), _int(request.arg("offset"), 0, 0, None)
        skus = seller.skus()
        page = [seller.item_doc(sku) for sku in skus[offset : offset + limit]]
        body: dict[str, Any] = {
            "total": len(skus),
            "size": len(page),
            "limit": limit,
            "offset": offset,
            "inventoryItems": page,
        }
        if offset + limit < len(skus):
            body["next"] = f"{request.path}?limit={limit}&offset={offset + limit}"
        return Response.json(body)

    def get_item(self, seller: EbaySeller, request: Request) -> Response:
        return Response.json(seller.item_doc(request.params["sku"]))

    def get_offers(self, seller: EbaySeller, request: Request) -> Response:
        sku = request.arg("sku") or ""
        if request.arg("marketplace_id") not in (None, seller.marketplace_id):
            offers: list[dict[str, Any]] = []
        else:
            offers = seller.offer_docs(sku)
        if not offers:
            raise EbayError(404, 25713, "This Offer is not available.")
        return Response.json({"total": len(offers), "size": len(offers), "offers": offers})

    def bulk_update(self, seller: EbaySeller, request: Request) -> Response:
        try:
            body = json.loads(request.body.decode("utf-8")) if request.body else None
        except (ValueError, UnicodeDecodeError):
            raise EbayError(400, 2004, "Could not serialize the request body.") from None
        status, result = seller.bulk_update(body)
        logger.info("sandbox: ebay %s bulk update of %d entries -> %d", seller.name, len(result["responses"]), status)
        return Response.json(result, status)


def _int(raw: str | None, default: int, low: int, high: int | None) -> int:
    if raw is None or raw == "":
        return default
    if not raw.isdigit() or int(raw) < low or (high is not None and int(raw) > high):
        raise EbayError(400, 25709, f"Invalid value {raw!r}.")
    return int(raw)
