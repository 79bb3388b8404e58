"""SP-API routes for the sandbox: the LWA token endpoint and Listings Items at `/amazon/<channel>/...`.

Base URL of a channel: `<sandbox>/amazon/<channel-name>`; token URL: `<sandbox>/amazon/auth/o2/token`.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from typing import Any, ClassVar, Self
from urllib.parse import parse_qs

from oneprice.domain.catalog import Catalog
from oneprice.settings.models import ChannelSettings
from sandbox.amazon import PAGE_SIZE_MAX, TOKEN_LIFETIME, AmazonSeller, TokenBucket
from sandbox.emulations import ChannelEmulation
from sandbox.server import Request, Response, Router

logger = logging.getLogger(__name__)

ITEMS = r"/amazon/(?P<store>[^/]+)/listings/2021-08-01/items/(?P<seller>[^/]+)"
DEFAULT_MARKETPLACE = "ATVPDKIKX0DER"


def dumps(value: Any) -> bytes:
    """JSON with Decimal amounts as numbers written from their digits (as Amazon echoes them)."""

    def enc(v: Any) -> str:
        if isinstance(v, Decimal):
            return f"{v:f}"
        if isinstance(v, Mapping):
            return "{" + ", ".join(f"{json.dumps(str(k))}: {enc(x)}" for k, x in v.items()) + "}"
        if isinstance(v, list | tuple):
            return "[" + ", ".join(enc(x) for x in v) + "]"
        return json.dumps(v, ensure_ascii=False)

    return enc(value).encode("utf-8")


def answer(data: Any, status: int = 200, headers: Mapping[str, str] | None = None) -> Response:
    return Response(status, dumps(data), "application/json", dict(headers or {}))


def error(status: int, code: str, message: str, details: str = "", **headers: str) -> Response:
    return answer({"errors": [{"code": code, "message": message, "details": details}]}, status, headers)


class AmazonEmulation(ChannelEmulation):
    """Every `amazon` channel of the config as one seller account in its marketplace."""

    kind: ClassVar[str] = "amazon"

    def __init__(self, sellers: dict[str, AmazonSeller], clock: Callable[[], float] = time.monotonic) -> None:
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
                c.name: AmazonSeller(
                    c.name,
                    {k: v.get_secret_value() for k, v in c.credentials.items()},
                    marketplace_id=str(c.options.get("marketplace_id") or DEFAULT_MARKETPLACE),
                    currency=c.currency,
                    bucket=TokenBucket(rate=5.0, burst=5),
                )
                for c in channels
            }
        )

    def seed_catalog(self, catalog: Catalog) -> None:
        for name, seller in self.sellers.items():
            seller.seed_catalog(catalog.products, name, self.overrides.get(name))

    def seller(self, name: str) -> AmazonSeller:
        return self.sellers[name]

    def install(self, router: Router) -> None:
        router.add("POST", r"/amazon/auth/o2/token", self.token)
        router.add("GET", ITEMS, self._endpoint(self.search))
        router.add(("GET", "PATCH", "PUT", "DELETE"), ITEMS + r"/(?P<sku>[^/]+)", self._endpoint(self.item))

    # -- LWA -----------------------------------------------------------------------------

    def token(self, request: Request) -> Response:
        form = {k: v[-1] for k, v in parse_qs(request.body.decode("utf-8", "replace")).items()}
        if form.get("grant_type") != "refresh_token":
            return answer({"error": "unsupported_grant_type", "error_description": "grant_type"}, 400)
        for seller in self.sellers.values():
            token = seller.issue_token(
                form.get("client_id", ""), form.get("client_secret", ""), form.get("refresh_token", ""), self.clock()
            )
            if token is not None:
                logger.info("sandbox: amazon %s issued an access token", seller.name)
                body = {"access_token": token, "token_type": "bearer", "expires_in": TOKEN_LIFETIME}
                return answer({**body, "refresh_token": form["refresh_token"]})
        return answer({"error": "invalid_client", "error_description": "Client authentication failed"}, 401)

    # -- Listings Items ------------------------------------------------------------------------

    def _endpoint(self, handler: Callable[[AmazonSeller, Request], Response]) -> Callable[[Request], Response]:
        def serve(request: Request) -> Response:
            seller = self.sellers.get(request.params["store"])
            if seller is None:
                return error(404, "NotFound", "Resource not found.")
            fault = seller.record(request.method, request.path)
            if fault is not None:
                logger.info("sandbox: amazon %s answered %s to %s", seller.name, fault.status, request.method)
                if fault.status == 429:
                    extra = {"Retry-After": str(fault.retry_after)} if fault.retry_after is not None else {}
                    return error(
                        429,
                        "QuotaExceeded",
                        "You exceeded your quota for the requested resource.",
                        **{"x-amzn-RateLimit-Limit": f"{seller.bucket.rate or 5.0}", **extra},
                    )
                return error(fault.status, "InternalFailure", "Injected by the sandbox.")
            if not seller.token_ok(request.header("x-amz-access-token") or "", self.clock()):
                return error(
                    403, "Unauthorized", "Access to requested resource is denied.", "The access token is invalid."
                )
            if request.params["seller"] != seller.seller_id:
                return error(403, "Forbidden", "The seller id does not match the authorized seller.")
            if request.arg("marketplaceIds") != seller.marketplace_id:
                return error(400, "InvalidInput", f"marketplaceIds must be {seller.marketplace_id}.")
            return handler(seller, request)

        return serve

    def search(self, seller: AmazonSeller, request: Request) -> Response:
        raw_size, raw_token = request.arg("pageSize") or "10", request.arg("pageToken") or "0"
        if not raw_size.isdigit() or not 1 <= int(raw_size) <= PAGE_SIZE_MAX or not raw_token.isdigit():
            return error(400, "InvalidInput", "pageSize must be 1..20 and pageToken one we gave.")
        size, start = int(raw_size), int(raw_token)
        skus = seller.search()
        page = [doc for sku in skus[start : start + size] if (doc := seller.read(sku)) is not None]
        body: dict[str, Any] = {"numberOfResults": len(skus), "items": page, "pagination": {}}
        if start + size < len(skus):
            body["pagination"] = {"nextToken": str(start + size)}
        return answer(body)

    def item(self, seller: AmazonSeller, request: Request) -> Response:
        sku = request.params["sku"]
        if request.method == "GET":
            doc = seller.read(sku)
            if doc is None:
                return error(404, "NOT_FOUND", f"Requested item '{sku}' not found")
            return answer(doc)
        if request.method != "PATCH":
            return error(
                400, "InvalidInput", f"{request.method} is not emulated; listings are created in Seller Central."
            )
        try:
            body = json.loads(request.body.decode("utf-8"), parse_float=Decimal) if request.body else None
        except (ValueError, UnicodeDecodeError):
            return error(400, "InvalidInput", "The request body is not valid JSON.")
        if not isinstance(body, Mapping):
            return error(400, "InvalidInput", "The request body must be a JSON object.")
        result = seller.patch(sku, body.get("productType"), body.get("patches"))
        logger.info("sandbox: amazon %s PATCH %s -> %s", seller.name, sku, result["status"])
        return answer(result)
