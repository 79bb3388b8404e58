"""WooCommerce REST v3 routes at `/woo/<store>/wp-json/wc/v3/...`, one `WooStore` per store.

Each call is counted, may meet an injected fault, then is routed and checked for
HTTP Basic auth (or the `consumer_key`/`consumer_secret` query fallback).
The sandbox speaks plain HTTP but accepts Basic auth, which real stores only take over HTTPS.
"""

from __future__ import annotations

import base64
import binascii
import logging
import math
import re
import time
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from sandbox.server import Request, Response, Router
from sandbox.woocommerce import WooError, WooStore

logger = logging.getLogger(__name__)

API = r"/woo/(?P<store>[^/]+)/wp-json/wc/v3"
_INT_RE = re.compile(r"^\d+$")

StoreHandler = Callable[[WooStore, Request], Response]


def _error(err: WooError, headers: Mapping[str, str] | None = None) -> Response:
    return Response.json(err.body(), err.status, headers)


def _slow(response: Response, delay: float) -> Response:
    """Carry the request out first, answer late: the client may time out on a write that happened."""
    time.sleep(delay)
    return response


def _no_route() -> WooError:
    return WooError("rest_no_route", "No route was found matching the URL and request method.", 404)


def _int_arg(request: Request, name: str, default: int, low: int, high: int | None = None) -> int:
    raw = request.arg(name)
    if raw is None or raw == "":
        return default
    value = int(raw) if _INT_RE.match(raw) else -1
    if value < low or (high is not None and value > high):
        bound = f"between {low} (inclusive) and {high} (inclusive)" if high else f"at least {low}"
        raise WooError(
            "rest_invalid_param",
            f"Invalid parameter(s): {name}",
            400,
            params={name: f"{name} must be {bound}"},
        )
    return value


class WooCommerceApi:
    """Registers the WooCommerce routes for `stores` (name -> WooStore) on a router."""

    def __init__(self, stores: Mapping[str, WooStore]) -> None:
        self.stores = stores

    def install(self, router: Router) -> None:
        router.add("GET", API + r"/products", self._endpoint(self.list_products))
        router.add("POST", API + r"/products", self._endpoint(self.create_product))
        router.add("POST", API + r"/products/batch", self._endpoint(self.batch))
        router.add("GET", API + r"/products/(?P<id>\d+)", self._endpoint(self.get_product))
        router.add(("PUT", "PATCH", "POST"), API + r"/products/(?P<id>\d+)", self._endpoint(self.update_product))
        router.add("DELETE", API + r"/products/(?P<id>\d+)", self._endpoint(self.delete_product))
        any_method = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE")
        router.add(any_method, r"/woo/(?P<store>[^/]+)/wp-json(?:/.*)?", self._endpoint(None))

    def _endpoint(self, handler: StoreHandler | None) -> Callable[[Request], Response]:
        """Wrap a handler: store lookup, counting, fault injection, routing, auth, errors."""

        def serve(request: Request) -> Response:
            store = self.stores.get(request.params["store"])
            if store is None:
                return _error(_no_route())
            fault = store.record(request.method, request.path)
            if fault is not None and not fault.status:
                return _slow(serve_now(store, request), fault.delay)
            if fault is not None:
                logger.info(
                    "sandbox: woo %s injected HTTP %s for %s %s",
                    store.name,
                    fault.status,
                    request.method,
                    request.path,
                )
                headers = {"Retry-After": str(fault.retry_after)} if fault.retry_after is not None else {}
                code = "too_many_requests" if fault.status == 429 else "sandbox_injected_fault"
                return _error(WooError(code, "Injected by the sandbox.", fault.status), headers)
            return serve_now(store, request)

        def serve_now(store: WooStore, request: Request) -> Response:
            if handler is None:
                return _error(_no_route())
            refused = self._auth(store, request)
            if refused is not None:
                return _error(refused)
            try:
                return handler(store, request)
            except WooError as e:
                return _error(e)

        return serve

    @staticmethod
    def _auth(store: WooStore, request: Request) -> WooError | None:
        key, secret = request.arg("consumer_key"), request.arg("consumer_secret")
        header = request.header("Authorization") or ""
        if header[:6].lower() == "basic ":
            try:
                decoded = base64.b64decode(header[6:].strip(), validate=True).decode("utf-8")
            except (binascii.Error, UnicodeDecodeError):
                decoded = ""
            key, _, secret = decoded.partition(":")
        if not key:
            return WooError("woocommerce_rest_cannot_view", "Sorry, you cannot list resources.", 401)
        ok, reason = store.credentials_ok(key, secret or "")
        if not ok:
            logger.info("sandbox: woo %s refused credentials (%s)", store.name, reason)
            return WooError("woocommerce_rest_cannot_view", reason, 401)
        return None

    @staticmethod
    def _body(request: Request) -> Any:
        try:
            return request.json()
        except (ValueError, UnicodeDecodeError):
            raise WooError("rest_invalid_json", "Invalid JSON body passed.", 400) from None

    # -- handlers ------------------------------------------------------------------

    def list_products(self, store: WooStore, request: Request) -> Response:
        page = _int_arg(request, "page", 1, 1)
        per_page = _int_arg(request, "per_page", 10, 1, 100)
        sku_arg = request.arg("sku")
        skus = [s.strip() for s in sku_arg.split(",") if s.strip()] if sku_arg is not None else None
        modified_after = None
        if request.arg("modified_after"):
            try:
                modified_after = datetime.fromisoformat(str(request.arg("modified_after"))).replace(tzinfo=None)
            except ValueError:
                raise WooError("rest_invalid_param", "Invalid parameter(s): modified_after", 400) from None
        chunk, total = store.page_of_products(
            skus=skus,
            status=request.arg("status"),
            search=request.arg("search"),
            modified_after=modified_after,
            orderby=request.arg("orderby") or "date",
            order=request.arg("order") or "desc",
            page=page,
            per_page=per_page,
        )
        pages = math.ceil(total / per_page)
        headers = {"X-WP-Total": str(total), "X-WP-TotalPages": str(pages)}
        return Response.json(chunk, 200, headers)

    def get_product(self, store: WooStore, request: Request) -> Response:
        return Response.json(store.get(int(request.params["id"])))

    def create_product(self, store: WooStore, request: Request) -> Response:
        product = store.create(self._body(request) or {})
        logger.info("sandbox: woo %s created product %s sku=%s", store.name, product["id"], product["sku"])
        return Response.json(product, 201)

    def update_product(self, store: WooStore, request: Request) -> Response:
        product = store.update(int(request.params["id"]), self._body(request) or {})
        logger.info("sandbox: woo %s updated product %s sku=%s", store.name, product["id"], product["sku"])
        return Response.json(product)

    def delete_product(self, store: WooStore, request: Request) -> Response:
        force = (request.arg("force") or "").lower() in ("1", "true", "yes")
        return Response.json(store.delete(int(request.params["id"]), force=force))

    def batch(self, store: WooStore, request: Request) -> Response:
        result = store.batch(self._body(request))
        counts = ", ".join(f"{k}={len(v)}" for k, v in result.items())
        logger.info("sandbox: woo %s batch %s", store.name, counts or "empty")
        return Response.json(result)
