"""Shopify GraphQL Admin API I/O: variants read by page, prices and stock written per product.

`X-Shopify-Access-Token` auth, POST `{base_url}/admin/api/{version}/graphql.json` (API_FACTS 2.1);
the documents live in queries.py, conversion in mapper.py, the write plan per push in writes.py.
"""

from __future__ import annotations

import logging
import math
import random
import time
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, Self

import requests

from adapters.base import (
    Change,
    ChannelAdapter,
    ItemResult,
    PageGuard,
    ThrottleStatus,
    answer_json,
    distinct_listings,
    parse_channel_settings,
    scrub_secrets,
)
from adapters.retry import retry_delay
from adapters.shopify import queries
from adapters.shopify.capabilities import SHOPIFY_CAPABILITIES
from adapters.shopify.mapper import ShopifyMapper, VariantRecord, gid
from adapters.shopify.settings import ShopifyOptions, ShopifySettings
from adapters.shopify.writes import WritePlanner
from oneprice.domain.listing import RemoteListing
from oneprice.errors import (
    ChannelAuthError,
    ChannelError,
    ChannelRateLimited,
    ChannelRequestError,
    ChannelResponseError,
    ChannelUnavailable,
)
from oneprice.settings.models import ChannelSettings

log = logging.getLogger(__name__)

SKUS_PER_SEARCH = 25
AUTH_HINT = "check access_token and the app's scopes write_products, write_inventory"


class ShopifyAdapter(ChannelAdapter):
    """One Shopify shop at `base_url` (`https://<shop>.myshopify.com`; `/admin/api/...` is added).

    Choices where the facts leave room: remote ids are ProductVariant GIDs; an update
    writes only the parts that differ from the variant as last read (price through
    `productVariantsBulkUpdate`, stock through `inventorySetQuantities`, name and status
    through `productUpdate`), reading the variant first when this adapter has not seen it.
    A create is `productCreate` then `productVariantsBulkCreate` with the stock. A
    throttled call is not executed by Shopify, so it is retried after the wait the bucket
    implies. Each product's handle is derived from its SKU: from API 2025-01 handles are
    unique, so a create sent again (after a lost answer, a crash between the two calls)
    finds the first product and finishes or updates it instead of making a second one.

    `idempotency_scope` names the run in inventory idempotency keys (with each SKU's quantity
    read and quantity set): the engine may set it to its apply run's id; by default it is
    new per adapter, so the adapter's own retries of a call reuse its key.
    `last_throttle_status` is the cost bucket as the last answer reported it.

    >>> adapter = ShopifyAdapter(channel="us", base_url="https://brand.myshopify.com",
    ...     currency="USD", access_token="shpat_...")                      # doctest: +SKIP
    >>> adapter.push([Change.create(state)])[0].remote_id                    # doctest: +SKIP
    'gid://shopify/ProductVariant/101'
    """

    kind = "shopify"
    settings_model = ShopifySettings

    def __init__(
        self,
        *,
        channel: str,
        base_url: str,
        currency: str,
        access_token: str,
        options: ShopifyOptions | None = None,
        session: requests.Session | None = None,
        sleep: Callable[[float], None] = time.sleep,
        rng: random.Random | None = None,
    ) -> None:
        super().__init__(channel, currency, SHOPIFY_CAPABILITIES)
        self.options = options or ShopifyOptions()
        self.endpoint = f"{base_url.rstrip('/')}/admin/api/{self.options.api_version}/graphql.json"
        self.mapper = ShopifyMapper(currency)
        self.sleep = sleep
        self.idempotency_scope = uuid.uuid4().hex
        self.last_throttle_status: ThrottleStatus | None = None
        self._random = rng or random.Random()
        self._token = access_token
        self._headers = {"X-Shopify-Access-Token": access_token, "Accept": "application/json"}
        self._location = gid("Location", self.options.location_id) if self.options.location_id else None
        version = self.options.api_version
        self.handles_unique = version == "unstable" or version >= "2025-01"
        """Product handles are validated unique (API 2025-01 on): a repeated create finds the first."""
        self._known: dict[str, VariantRecord] = {}
        self.use_session(session)

    @classmethod
    def from_settings(cls, channel: ChannelSettings, session: requests.Session | None = None) -> Self:
        settings = parse_channel_settings(ShopifySettings, channel)
        return cls(
            channel=channel.name,
            base_url=channel.base_url,
            currency=channel.currency,
            access_token=settings.credentials.access_token.get_secret_value(),
            options=settings.options,
            session=session,
        )

    # -- reads ---------------------------------------------------------------------------

    def list_listings(self) -> list[RemoteListing]:
        return distinct_listings(self.channel, [r.listing for r in self._search(None)], "OnepriceVariants")

    def find_by_skus(self, skus: Iterable[str]) -> dict[str, RemoteListing]:
        """Variants by SKU through the `sku:` search, a few SKUs per query."""
        wanted = list(dict.fromkeys(s for s in skus if s))
        found: dict[str, RemoteListing] = {}
        for start in range(0, len(wanted), SKUS_PER_SEARCH):
            chunk = wanted[start : start + SKUS_PER_SEARCH]
            search = " OR ".join(f'sku:"{_quote(sku)}"' for sku in chunk)
            for record in self._search(search):
                sku = record.listing.state.sku
                if sku in chunk and sku not in found:
                    found[sku] = record.listing
        return found

    def _search(self, search: str | None) -> list[VariantRecord]:
        first = self.options.page_size
        records: list[VariantRecord] = []
        after: str | None = None
        pages = 0
        guard = PageGuard(self.channel, "OnepriceVariants")
        while True:
            variables = {"first": first, "after": after, "query": search}
            data = self.graphql("OnepriceVariants", queries.VARIANTS, variables, queries.query_cost(first))
            pages += 1
            conn = data.get("productVariants")
            if not isinstance(conn, Mapping) or not isinstance(conn.get("nodes"), list):
                raise ChannelResponseError(self.channel, "OnepriceVariants: no productVariants.nodes list")
            records.extend(self.records_of(conn["nodes"], "OnepriceVariants"))
            info = conn.get("pageInfo")
            if not isinstance(info, Mapping) or not info.get("hasNextPage"):
                break
            after = info.get("endCursor")
            if not isinstance(after, str) or not after:
                raise ChannelResponseError(self.channel, "OnepriceVariants: hasNextPage without endCursor")
            guard.cursor(after, rows_on_page=len(conn["nodes"]))
        log.debug("%s: read %d variant(s) in %d page(s)", self.channel, len(records), pages)
        return records

    def records_of(self, nodes: Sequence[Any], what: str) -> list[VariantRecord]:
        """Variant nodes as records (remembered for later writes); nodes without SKU are skipped."""
        out: list[VariantRecord] = []
        for node in nodes:
            if isinstance(node, Mapping) and node.get("id") and not str(node.get("sku") or "").strip():
                continue  # a variant without SKU cannot be matched to the catalog
            try:
                record = self.mapper.to_record(node)
            except ValueError as e:
                raise ChannelResponseError(self.channel, f"{what}: {e}") from e
            self._known[record.variant_id] = record
            out.append(record)
        return out

    def records_for(self, variant_ids: Iterable[str]) -> dict[str, VariantRecord]:
        """The variants by id, read through `nodes` when not seen yet; unknown ids are absent."""
        ids = list(dict.fromkeys(variant_ids))
        missing = [i for i in ids if i not in self._known]
        for start in range(0, len(missing), queries.MAX_NODES):
            chunk = missing[start : start + queries.MAX_NODES]
            data = self.graphql(
                "OnepriceVariantNodes", queries.VARIANT_NODES, {"ids": chunk}, queries.query_cost(len(chunk))
            )
            nodes = data.get("nodes")
            if not isinstance(nodes, list):
                raise ChannelResponseError(self.channel, "OnepriceVariantNodes: no nodes list")
            self.records_of([n for n in nodes if isinstance(n, Mapping) and n.get("id")], "nodes")
        return {i: self._known[i] for i in ids if i in self._known}

    def remember(self, record: VariantRecord) -> None:
        self._known[record.variant_id] = record

    def forget(self, variant_id: str) -> None:
        self._known.pop(variant_id, None)

    def location_id(self) -> str:
        """The location stock is set at: configured, or the shop's primary location (asked once)."""
        if self._location is None:
            data = self.graphql("OnepriceLocation", queries.PRIMARY_LOCATION, {}, queries.query_cost(1))
            location = data.get("location")
            if not isinstance(location, Mapping) or not isinstance(location.get("id"), str):
                raise ChannelResponseError(self.channel, "OnepriceLocation: the shop named no primary location")
            self._location = str(location["id"])
        return self._location

    # -- writes --------------------------------------------------------------------------

    def push(self, changes: Sequence[Change]) -> list[ItemResult]:
        return WritePlanner(self).push(changes)

    # -- HTTP ----------------------------------------------------------------------------

    def graphql(
        self,
        operation: str,
        document: str,
        variables: Mapping[str, Any],
        cost: float,
        *,
        write: bool = False,
        retry_unavailable: bool = True,
    ) -> dict[str, Any]:
        """One GraphQL call with bounded retries; returns `data` or raises a ChannelError."""
        attempt = 0
        while True:
            try:
                return self._request(operation, document, variables, cost, write)
            except ChannelError as e:
                retry = isinstance(e, ChannelRateLimited) or (retry_unavailable and e.retryable)
                delay = self._delay(e, attempt) if retry and attempt < self.options.max_retries else None
                if delay is None:
                    raise
                attempt += 1
                log.warning(
                    "%s: %s failed (%s); retry %d of %d in %.1fs",
                    self.channel,
                    operation,
                    e,
                    attempt,
                    self.options.max_retries,
                    delay,
                )
                self.sleep(delay)

    def _delay(self, error: ChannelError, attempt: int) -> float | None:
        return retry_delay(
            error, attempt, backoff=self.options.backoff, max_retry_after=self.options.max_retry_after, rng=self._random
        )

    def _request(
        self, operation: str, document: str, variables: Mapping[str, Any], cost: float, write: bool
    ) -> dict[str, Any]:
        self.rate_feedback.acquire(cost)
        if write:
            self.write_requests += 1
        body = {"query": document, "variables": dict(variables), "operationName": operation}
        try:
            response = self.session.post(
                self.endpoint,
                json=body,
                headers=self._headers,
                timeout=self.options.timeout,
                verify=self.options.verify_tls,
            )
        except requests.Timeout as e:
            raise ChannelUnavailable(self.channel, f"{operation}: no answer within {self.options.timeout:g}s") from e
        except requests.ConnectionError as e:
            raise ChannelUnavailable(self.channel, f"{operation}: cannot connect ({type(e).__name__})") from e
        except requests.RequestException as e:
            raise ChannelResponseError(self.channel, f"{operation}: {self.scrub(str(e))}") from e
        return self._decode(response, operation)

    def _decode(self, response: requests.Response, operation: str) -> dict[str, Any]:
        status = response.status_code
        try:
            doc = answer_json(response)
        except ValueError:
            doc = None
        if status != 200:
            self._raise_http(response, operation, doc)
        if not isinstance(doc, Mapping):
            kind = response.headers.get("Content-Type", "no content type")
            raise ChannelResponseError(
                self.channel, f"{operation}: the answer is not a JSON object (HTTP {status}, {kind})"
            )
        bucket, requested = self.mapper.cost_of(doc.get("extensions"))
        if bucket is not None:
            self.last_throttle_status = bucket
        errors = doc.get("errors")
        if errors:
            self._raise_errors(operation, errors, bucket, requested)
        if bucket is not None:
            self.rate_feedback.report(bucket)
        data = doc.get("data")
        if not isinstance(data, Mapping):
            raise ChannelResponseError(self.channel, f"{operation}: the answer has no data object")
        return dict(data)

    def _raise_errors(
        self, operation: str, errors: Any, bucket: ThrottleStatus | None, requested: float | None
    ) -> None:
        items = errors if isinstance(errors, list) else [errors]
        codes = [_error_code(e) for e in items]
        text = f"{operation}: " + "; ".join(self.scrub(_error_message(e)) for e in items)[:500]
        if "THROTTLED" in codes or any(_error_message(e) == "Throttled" for e in items):
            wait = self.mapper.throttle_wait(requested, bucket)
            base = bucket or ThrottleStatus()
            self.rate_feedback.report(
                ThrottleStatus(
                    throttled=True,
                    retry_after=wait,
                    available=base.available,
                    capacity=base.capacity,
                    restore_rate=base.restore_rate,
                )
            )
            raise ChannelRateLimited(self.channel, text, retry_after=wait, code="THROTTLED")
        if bucket is not None:
            self.rate_feedback.report(bucket)
        code = next((self.scrub(c)[:60] for c in codes if c), None)
        if code == "ACCESS_DENIED":
            raise ChannelAuthError(self.channel, f"{text} ({AUTH_HINT})", code=code)
        if code in ("INTERNAL_SERVER_ERROR", "SERVICE_UNAVAILABLE"):
            raise ChannelUnavailable(self.channel, text, code=code)
        raise ChannelRequestError(self.channel, text, code=code)

    def _raise_http(self, response: requests.Response, operation: str, doc: Any) -> None:
        status = response.status_code
        message = ""
        if isinstance(doc, Mapping) and doc.get("errors"):
            errors = doc["errors"]
            message = _error_message(errors) if not isinstance(errors, list) else _error_message(errors[0])
        text = f"{operation}: HTTP {status}" + (f": {self.scrub(message)[:300]}" if message else "")
        if status in (401, 403):
            raise ChannelAuthError(self.channel, f"{text} ({AUTH_HINT})", status=status)
        if status == 429:
            wait = _seconds(response.headers.get("Retry-After"))
            self.rate_feedback.report(ThrottleStatus(throttled=True, retry_after=wait))
            raise ChannelRateLimited(self.channel, text, retry_after=wait, status=status)
        if status >= 500:
            raise ChannelUnavailable(self.channel, text, status=status)
        if status >= 400:
            raise ChannelRequestError(self.channel, text, status=status)
        raise ChannelResponseError(self.channel, text, status=status)

    def scrub(self, text: str) -> str:
        """Remove the access token (and any echoed credential parameter) from text that came back from the shop."""
        return scrub_secrets(text, (self._token,))


def _quote(sku: str) -> str:
    return sku.replace("\\", "\\\\").replace('"', '\\"')


def _error_message(error: Any) -> str:
    if isinstance(error, Mapping):
        return str(error.get("message") or error)
    return str(error)


def _error_code(error: Any) -> str | None:
    ext = error.get("extensions") if isinstance(error, Mapping) else None
    code = ext.get("code") if isinstance(ext, Mapping) else None
    return str(code) if code else None


def _seconds(value: str | None) -> float | None:
    try:
        seconds = float(value) if value else None
    except ValueError:
        return None
    return max(seconds, 0.0) if seconds is not None and math.isfinite(seconds) else None
