"""WooCommerce REST API v3 I/O: list products page by page, write them through products/batch.

HTTP Basic auth with the consumer key pair (API_FACTS 2.2); conversion lives in mapper.py.
"""

from __future__ import annotations

import logging
import math
import random
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from decimal import Decimal
from email.utils import parsedate_to_datetime
from typing import Any, Self

import requests
from requests.auth import HTTPBasicAuth

from adapters.base import (
    Change,
    ChannelAdapter,
    ItemResult,
    PageGuard,
    ThrottleStatus,
    answer_json,
    answered_int,
    distinct_listings,
    parse_channel_settings,
    scrub_secrets,
)
from adapters.retry import retry_delay
from adapters.woocommerce.capabilities import WOOCOMMERCE_CAPABILITIES
from adapters.woocommerce.mapper import WooCommerceMapper
from adapters.woocommerce.settings import WooCommerceOptions, WooCommerceSettings
from oneprice.domain.listing import RemoteListing
from oneprice.errors import (
    BatchTooLarge,
    ChannelAuthError,
    ChannelError,
    ChannelRateLimited,
    ChannelRequestError,
    ChannelResponseError,
    ChannelUnavailable,
)
from oneprice.settings.models import ChannelSettings

log = logging.getLogger(__name__)

API_PATH = "/wp-json/wc/v3/"
# Woo answers a create whose SKU is taken with this code; `data.resource_id` may name the owner.
DUPLICATE_SKU_CODES = frozenset({"product_invalid_sku", "woocommerce_rest_product_invalid_sku"})


@dataclass(frozen=True)
class _Outcome:
    result: ItemResult
    code: str | None = None


class WooCommerceAdapter(ChannelAdapter):
    """One WooCommerce store at `base_url` (the site root; `/wp-json/wc/v3/` is added).

    Choices where the facts leave room: creates and updates go together in one
    `POST products/batch` of at most `batch_size` items (Woo counts them together);
    a create refused because the SKU already exists is looked up by SKU and sent as
    an update, so a replayed batch links the product instead of failing. Listing
    orders by id so pages stay stable while the store changes.

    >>> adapter = WooCommerceAdapter(channel="official", base_url="https://shop.example",
    ...     currency="CNY", consumer_key="ck_...", consumer_secret="cs_...")   # doctest: +SKIP
    >>> adapter.push([Change.create(state)])[0].remote_id                    # doctest: +SKIP
    '101'
    """

    kind = "woocommerce"
    settings_model = WooCommerceSettings

    def __init__(
        self,
        *,
        channel: str,
        base_url: str,
        currency: str,
        consumer_key: str,
        consumer_secret: str,
        options: WooCommerceOptions | None = None,
        session: requests.Session | None = None,
        sleep: Callable[[float], None] = time.sleep,
        rng: random.Random | None = None,
    ) -> None:
        self.options = options or WooCommerceOptions()
        super().__init__(channel, currency, replace(WOOCOMMERCE_CAPABILITIES, batch_limit=self.options.batch_size))
        self.api_url = base_url.rstrip("/") + API_PATH
        self.mapper = WooCommerceMapper(currency)
        self.sleep = sleep
        self._random = rng or random.Random()
        self._auth = HTTPBasicAuth(consumer_key, consumer_secret)
        self._secrets = tuple(s for s in (consumer_key, consumer_secret) if s)
        self.use_session(session)

    @classmethod
    def from_settings(cls, channel: ChannelSettings, session: requests.Session | None = None) -> Self:
        settings = parse_channel_settings(WooCommerceSettings, channel)
        return cls(
            channel=channel.name,
            base_url=channel.base_url,
            currency=channel.currency,
            consumer_key=settings.credentials.consumer_key.get_secret_value(),
            consumer_secret=settings.credentials.consumer_secret.get_secret_value(),
            options=settings.options,
            session=session,
        )

    # -- reads ---------------------------------------------------------------------------

    def list_listings(self) -> list[RemoteListing]:
        per_page = self.options.per_page
        listings: list[RemoteListing] = []
        page = 1
        guard = PageGuard(self.channel, "GET products")
        while True:
            params = {"per_page": per_page, "page": page, "orderby": "id", "order": "asc"}
            data, response = self._call("GET", "products", params=params)
            listings.extend(self._listings_of(data, f"GET products page {page}"))
            guard.rows((doc.get("id") for doc in data if isinstance(doc, Mapping)), page)
            total = _int_header(response, "X-WP-TotalPages")
            if total is not None and page >= total:
                break
            if total is None and len(data) < per_page:
                break
            if not data:
                break
            page += 1
        log.debug("%s: listed %d products in %d page(s)", self.channel, len(listings), page)
        return distinct_listings(self.channel, listings, "GET products")

    def find_by_skus(self, skus: Iterable[str]) -> dict[str, RemoteListing]:
        """One `GET products?sku=` per SKU (Woo has no lookup of many SKUs that every version honours)."""
        found: dict[str, RemoteListing] = {}
        for sku in dict.fromkeys(skus):
            data, _ = self._call("GET", "products", params={"sku": sku})
            for listing in self._listings_of(data, f"GET products?sku={sku}"):
                if listing.state.sku == sku:
                    found[sku] = listing
                    break
        return found

    def _listings_of(self, data: Any, what: str) -> list[RemoteListing]:
        if not isinstance(data, list):
            raise ChannelResponseError(self.channel, f"{what}: expected a JSON array of products")
        out: list[RemoteListing] = []
        for doc in data:
            if isinstance(doc, Mapping) and not str(doc.get("sku") or "").strip():
                continue  # a product without SKU cannot be matched to the catalog
            try:
                out.append(self.mapper.to_listing(doc))
            except ValueError as e:
                raise ChannelResponseError(self.channel, f"{what}: {e}") from e
        return out

    # -- writes --------------------------------------------------------------------------

    def push(self, changes: Sequence[Change]) -> list[ItemResult]:
        outcomes = self._push(changes)
        retry = [
            i
            for i, (change, outcome) in enumerate(zip(changes, outcomes, strict=True))
            if change.kind == "create" and outcome.code in DUPLICATE_SKU_CODES
        ]
        if retry:
            existing = self.find_by_skus(changes[i].sku for i in retry)
            linked = [i for i in retry if changes[i].sku in existing]
            log.info(
                "%s: %d create(s) found the SKU already on the store; updating those",
                self.channel,
                len(linked),
            )
            updates = [Change.update(existing[changes[i].sku].remote_id, changes[i].state) for i in linked]
            for i, outcome in zip(linked, self._push(updates), strict=True):
                outcomes[i] = outcome
        return [o.result for o in outcomes]

    def _push(self, changes: Sequence[Change]) -> list[_Outcome]:
        outcomes: list[_Outcome | None] = [None] * len(changes)
        sendable: list[tuple[int, Change, dict[str, Any]]] = []
        for i, change in enumerate(changes):
            try:
                if change.kind == "create":
                    body = self.mapper.to_product(change.state)
                else:
                    body = self.mapper.to_update(change.remote_id or "", change.state)
            except ValueError as e:
                outcomes[i] = _Outcome(ItemResult.refused(change.sku, str(e)))
                continue
            sendable.append((i, change, body))
        size = self.options.batch_size
        for start in range(0, len(sendable), size):
            chunk = sendable[start : start + size]
            for (i, _, _), outcome in zip(chunk, self._send_batch(chunk), strict=True):
                outcomes[i] = outcome
        return [o for o in outcomes if o is not None]

    def _send_batch(self, chunk: Sequence[tuple[int, Change, dict[str, Any]]]) -> list[_Outcome]:
        creates = [(n, c, b) for n, (_, c, b) in enumerate(chunk) if c.kind == "create"]
        updates = [(n, c, b) for n, (_, c, b) in enumerate(chunk) if c.kind == "update"]
        body: dict[str, list[dict[str, Any]]] = {}
        if creates:
            body["create"] = [b for _, _, b in creates]
        if updates:
            body["update"] = [b for _, _, b in updates]
        log.info("%s: POST products/batch (%d create, %d update)", self.channel, len(creates), len(updates))
        data, _ = self._call("POST", "products/batch", body=body)
        if not isinstance(data, Mapping):
            raise ChannelResponseError(self.channel, "POST products/batch: expected a JSON object")
        outcomes: dict[int, _Outcome] = {}
        for key, items in (("create", creates), ("update", updates)):
            answers = data.get(key) or []
            if not isinstance(answers, list):
                raise ChannelResponseError(self.channel, f"POST products/batch: '{key}' is not a list")
            for pos, (n, change, _) in enumerate(items):
                outcomes[n] = self._outcome(change, answers[pos] if pos < len(answers) else None)
        return [outcomes[n] for n in range(len(chunk))]

    def _outcome(self, change: Change, answer: Any) -> _Outcome:
        sku = change.sku
        if not isinstance(answer, Mapping):
            return _Outcome(ItemResult.refused(sku, "the store returned no result for this item"))
        error = answer.get("error")
        if error:
            err: Mapping[str, Any] = error if isinstance(error, Mapping) else {"message": str(error)}
            code = self._scrub(str(err.get("code") or ""))[:60] or None
            data = err.get("data")
            status = data.get("status") if isinstance(data, Mapping) else None
            if not isinstance(status, int) or isinstance(status, bool):
                status = None
            message = self._scrub(str(err.get("message") or "refused"))
            text = f"{code}: {message}" if code else message
            if status:
                text += f" (HTTP {status})"
            retryable = status is not None and (status >= 500 or status == 429)
            remote_id = _product_id(answer.get("id")) or change.remote_id
            return _Outcome(ItemResult.refused(sku, text, retryable=retryable, remote_id=remote_id), code)
        if answer.get("id") in (None, "", 0):
            return _Outcome(ItemResult.refused(sku, "the store answered without a product id"))
        product_id = _product_id(answer["id"])
        if product_id is None:
            return _Outcome(
                ItemResult.refused(
                    sku, f"the store answered product id {str(answer['id'])[:40]!r}", remote_id=change.remote_id
                )
            )
        if change.kind == "update" and product_id != change.remote_id:
            # Answers are matched to the request by position; one about another product says nothing of ours.
            return _Outcome(
                ItemResult.refused(
                    sku, f"the store answered for product {answer['id']!r} instead", remote_id=change.remote_id
                )
            )
        answered_sku = answer.get("sku")
        if answered_sku not in (None, "") and str(answered_sku) != sku:
            return _Outcome(ItemResult.refused(sku, f"the store answered for SKU {answered_sku!r} instead"))
        modified = answer.get("date_modified_gmt") or answer.get("date_modified")
        return _Outcome(ItemResult.accepted(sku, product_id, str(modified) if modified else None))

    # -- HTTP ----------------------------------------------------------------------------

    def _call(
        self, method: str, path: str, *, params: Mapping[str, Any] | None = None, body: Any = None
    ) -> tuple[Any, requests.Response]:
        """One API call with retries (exponential backoff with jitter) for retryable failures only."""
        attempt = 0
        while True:
            try:
                return self._request(method, path, params=params, body=body)
            except ChannelError as e:
                if not e.retryable or attempt >= self.options.max_retries:
                    raise
                delay = self._delay(e, attempt)
                if delay is None:
                    raise
                attempt += 1
                log.warning(
                    "%s: %s %s failed (%s); retry %d of %d in %.1fs",
                    self.channel,
                    method,
                    path,
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
        self, method: str, path: str, *, params: Mapping[str, Any] | None, body: Any
    ) -> tuple[Any, requests.Response]:
        what = f"{method} {path}"
        self.rate_feedback.acquire(1.0)
        if method != "GET":
            self.write_requests += 1
        try:
            response = self.session.request(
                method,
                self.api_url + path,
                params=params,
                json=body,
                auth=self._auth,
                timeout=self.options.timeout,
                verify=self.options.verify_tls,
            )
        except requests.Timeout as e:
            raise ChannelUnavailable(self.channel, f"{what}: no answer within {self.options.timeout:g}s") from e
        except requests.ConnectionError as e:
            raise ChannelUnavailable(self.channel, f"{what}: cannot connect ({type(e).__name__})") from e
        except requests.RequestException as e:
            raise ChannelResponseError(self.channel, f"{what}: {self._scrub(str(e))}") from e
        return self._decode(response, what), response

    def _decode(self, response: requests.Response, what: str) -> Any:
        status = response.status_code
        if 200 <= status < 300:
            try:
                # Decimal keeps every digit of a price sent as a JSON number (a float keeps about 16).
                return answer_json(response, parse_float=Decimal)
            except ValueError:
                kind = response.headers.get("Content-Type", "no content type")
                raise ChannelResponseError(
                    self.channel, f"{what}: the answer is not JSON (HTTP {status}, {kind})", status=status
                ) from None
        code, message = self._error_of(response)
        text = f"{what}: HTTP {status}" + (f" {code}" if code else "") + (f": {message}" if message else "")
        if status in (401, 403):
            raise ChannelAuthError(
                self.channel,
                f"{text} (check consumer_key/consumer_secret and read/write access)",
                status=status,
                code=code,
            )
        if status == 413:
            raise BatchTooLarge(self.channel, text, status=status, code=code)
        if status == 429:
            retry_after = _retry_after(response.headers.get("Retry-After"))
            self.rate_feedback.report(ThrottleStatus(throttled=True, retry_after=retry_after))
            raise ChannelRateLimited(self.channel, text, retry_after=retry_after, status=status, code=code)
        if status >= 500:
            raise ChannelUnavailable(self.channel, text, status=status, code=code)
        if status >= 400:
            raise ChannelRequestError(self.channel, text, status=status, code=code)
        raise ChannelResponseError(self.channel, text, status=status, code=code)

    def _error_of(self, response: requests.Response) -> tuple[str | None, str | None]:
        """Woo's `{code, message, data}` error body, when there is one."""
        try:
            doc = answer_json(response)
        except ValueError:
            return None, None
        if not isinstance(doc, Mapping):
            return None, None
        code = self._scrub(str(doc["code"]))[:60] if doc.get("code") else None
        message = self._scrub(str(doc["message"]))[:300] if doc.get("message") else None
        return code, message

    def _scrub(self, text: str) -> str:
        """Remove our own secrets from text that came back from the store (some echo the request)."""
        return scrub_secrets(text, self._secrets)


def _product_id(raw: Any) -> str | None:
    """A product id as the store answered it (a positive integer), as text; None when it is not one."""
    try:
        number = answered_int(raw, "product id")
    except ValueError:
        return None
    return str(number) if number > 0 else None


def _int_header(response: requests.Response, name: str) -> int | None:
    try:
        return answered_int(response.headers[name], name)
    except (KeyError, ValueError):
        return None


def _retry_after(value: str | None) -> float | None:
    """Retry-After is seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        pass
    else:
        return max(seconds, 0.0) if math.isfinite(seconds) else None
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max((when - datetime.now(UTC)).total_seconds(), 0.0)
