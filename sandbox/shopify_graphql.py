"""Shopify GraphQL Admin API at `/shopify/<shop>/admin/api/<version>/graphql.json`, one ShopifyShop per shop.

Each call is counted, may meet an injected fault, is checked for `X-Shopify-Access-Token`,
is priced against the shop's cost bucket (answered "Throttled" when it does not fit), then
answered by the operation its name selects (no general GraphQL parsing).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping, Sequence
from typing import Any, Self

from oneprice.settings.models import ChannelSettings
from sandbox.emulations import ChannelEmulation
from sandbox.server import Request, Response, Router
from sandbox.shopify import ShopifyShop
from sandbox.shopify_ops import MUTATION_COST, MUTATIONS, QUERIES, GraphqlError

logger = logging.getLogger(__name__)

API = r"/shopify/(?P<shop>[^/]+)/admin/api/(?P<version>[0-9]{4}-[0-9]{2}|unstable)/graphql\.json"
_OPERATION_RE = re.compile(r"\b(query|mutation)\s+([A-Za-z_][A-Za-z0-9_]*)")
AUTH_REFUSED = "[API] Invalid API key or access token (unrecognized login or wrong password)"


def _errors(message: str, code: str, status: int = 200, extensions: Mapping[str, Any] | None = None) -> Response:
    body: dict[str, Any] = {"errors": [{"message": message, "extensions": {"code": code}}]}
    if extensions is not None:
        body["extensions"] = dict(extensions)
    return Response.json(body, status)


class ShopifyGraphqlApi:
    """Registers the GraphQL endpoint for `shops` (name -> ShopifyShop) on a router."""

    def __init__(self, shops: Mapping[str, ShopifyShop]) -> None:
        self.shops = shops

    def install(self, router: Router) -> None:
        router.add("POST", API, self.serve)

    def serve(self, request: Request) -> Response:
        shop = self.shops.get(request.params["shop"])
        if shop is None:
            return Response.json({"errors": "Not Found"}, 404)
        try:
            body = request.json()
        except (ValueError, UnicodeDecodeError):
            body = None
        document = str(body.get("query") or "") if isinstance(body, Mapping) else ""
        found = _OPERATION_RE.search(document)
        operation = str(body.get("operationName") or "") if isinstance(body, Mapping) else ""
        operation = operation or (found.group(2) if found else "")
        mutation = bool(found and found.group(1) == "mutation")
        fault = shop.record(operation or "?", mutation)
        if fault is not None:
            logger.info("sandbox: shopify %s injected HTTP %s for %s", shop.name, fault.status, operation)
            headers = {"Retry-After": f"{fault.retry_after:g}"} if fault.retry_after is not None else {}
            return Response.json({"errors": "Injected by the sandbox."}, fault.status, headers)
        if not shop.token_ok(request.header("X-Shopify-Access-Token") or ""):
            logger.info("sandbox: shopify %s refused the access token", shop.name)
            return Response.json({"errors": AUTH_REFUSED}, 401)
        if not isinstance(body, Mapping) or not document:
            return _errors("Parse error: a JSON body with a query is required", "BAD_REQUEST", 400)
        variables = body.get("variables") or {}
        if not isinstance(variables, Mapping):
            return _errors("variables must be a JSON object", "BAD_REQUEST", 400)
        with shop.lock:
            return self._execute(shop, operation, mutation, document, variables)

    def _execute(
        self, shop: ShopifyShop, operation: str, mutation: bool, document: str, variables: Mapping[str, Any]
    ) -> Response:
        if mutation and operation in MUTATIONS:
            handler, requested = MUTATIONS[operation], MUTATION_COST
        elif not mutation and operation in QUERIES:
            handler, price = QUERIES[operation]
            requested = price(variables)
        else:
            return _errors(f"The sandbox does not emulate the operation {operation!r}", "UNSUPPORTED_OPERATION")
        if not shop.bucket.take(requested):
            shop.throttled += 1
            logger.info("sandbox: shopify %s throttled %s (cost %d)", shop.name, operation, requested)
            cost = {"requestedQueryCost": requested, "actualQueryCost": None, "throttleStatus": shop.bucket.status()}
            return _errors("Throttled", "THROTTLED", extensions={"cost": cost})
        try:
            data, actual = handler(shop, variables, document)
        except GraphqlError as e:
            shop.bucket.refund(requested)
            return _errors(e.message, e.code)
        shop.bucket.refund(max(requested - actual, 0))
        cost = {"requestedQueryCost": requested, "actualQueryCost": actual, "throttleStatus": shop.bucket.status()}
        logger.debug("sandbox: shopify %s %s cost %d", shop.name, operation, actual)
        return Response.json({"data": data, "extensions": {"cost": cost}})


class ShopifyEmulation(ChannelEmulation):
    """Shopify GraphQL Admin API shops at `/shopify/<channel-name>/admin/api/<version>/graphql.json`.

    Each shop's cost bucket holds 1000 points restored at 50 per second; `shop(name).set_bucket()`
    gives it other figures (a Standard plan's 100/s, a benchmark's larger bucket).
    """

    kind = "shopify"

    def __init__(self, shops: dict[str, ShopifyShop]) -> None:
        self.shops = shops

    @classmethod
    def from_channels(cls, channels: Sequence[ChannelSettings]) -> Self:
        shops: dict[str, ShopifyShop] = {}
        for channel in channels:
            token = channel.credentials.get("access_token")
            shops[channel.name] = ShopifyShop(
                channel.name, token.get_secret_value() if token else "", currency=channel.currency
            )
        return cls(shops)

    def install(self, router: Router) -> None:
        ShopifyGraphqlApi(self.shops).install(router)

    def shop(self, name: str) -> ShopifyShop:
        try:
            return self.shops[name]
        except KeyError:
            known = ", ".join(sorted(self.shops)) or "none"
            raise KeyError(f"no emulated Shopify shop {name!r} (known: {known})") from None
