"""What the Taobao, JD, Pinduoduo and Youzan adapters share: ids, transport options, retries, refusals.

Each of those platforms publishes items through category schemas, so oneprice never creates one there.
"""

from __future__ import annotations

import logging
import random
import re
from abc import abstractmethod
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import requests
from pydantic import BaseModel, ConfigDict, Field

from adapters.base import (
    Capabilities,
    Change,
    ChannelAdapter,
    ItemResult,
    ThrottleStatus,
    answer_json,
    ascii_digits,
    scrub_secrets,
)
from adapters.retry import retry_delay
from oneprice.errors import (
    ChannelError,
    ChannelRateLimited,
    ChannelResponseError,
    ChannelUnavailable,
)

log = logging.getLogger(__name__)

WAIT_RE = re.compile(r"(\d+)\s*(?:秒|more seconds|seconds?)", re.IGNORECASE)
CHINA_TIME = timezone(timedelta(hours=8), "GMT+8")


def gmt8_stamp(now: datetime) -> str:
    """The `yyyy-MM-dd HH:mm:ss` timestamp TOP and JOS expect, in China time (GMT+8)."""
    return now.astimezone(CHINA_TIME).strftime("%Y-%m-%d %H:%M:%S")


def wait_hint(text: str, default: float) -> float:
    """Seconds a throttle answer asks us to wait ("请 5 秒后再试", "retry after 5 seconds"), else `default`."""
    found = WAIT_RE.search(text)
    return float(found.group(1)) if found else default


def utc_now() -> datetime:
    return datetime.now(UTC)


class GatewayOptions(BaseModel):
    """Transport options shared by the four gateways; each platform adds its own."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    page_size: int = Field(default=100, ge=1, le=100, description="items per page when listing")
    timeout: float = Field(default=30.0, gt=0, le=600, description="seconds to wait for one HTTP answer")
    max_retries: int = Field(default=2, ge=0, le=10, description="extra attempts after a retryable failure")
    backoff: float = Field(default=0.5, ge=0, le=60, description="first retry delay (s), doubled each time")
    max_retry_after: float = Field(
        default=120.0, ge=0, description="longest ban we wait out; a longer one fails the call"
    )
    verify_tls: bool = True


def split_id(remote_id: str) -> tuple[str, str]:
    """`"<item id>:<sku id>"` -> (item id, sku id); ValueError when it is not that shape."""
    item, sep, sku = remote_id.partition(":")
    if not sep or not ascii_digits(item) or not ascii_digits(sku):
        raise ValueError(f"remote id {remote_id!r} is not '<item id>:<sku id>'")
    return item, sku


def not_sent(change: Change, reason: ChannelError) -> ItemResult:
    """A change left unsent because an earlier call of the same push ran out of retries."""
    return ItemResult.refused(change.sku, f"not sent: {reason}", retryable=True, remote_id=change.remote_id)


def stock_not_sent(change: Change, reason: ChannelError) -> ItemResult:
    """A change whose price was set and whose stock was left unsent, an earlier stock call having run out of retries."""
    return ItemResult.refused(
        change.sku, f"price set, stock not sent: {reason}", retryable=True, remote_id=change.remote_id
    )


def create_refusal(platform: str, key: str) -> str:
    return (
        f"create the item on {platform} first; oneprice links it by SKU/{key} "
        f"({platform} publishes items through category schemas, not by name and price)"
    )


class GatewayAdapter(ChannelAdapter):
    """Base of the gateway adapters: refuse creates, check currency, call with bounded retries.

    A subclass implements `_request(api, params)` (one HTTP call, errors mapped into
    oneprice.errors) and `_write(changes)` (updates only, one result per change).
    `sleep` is injectable so tests record the waits instead of waiting.
    """

    platform: str = ""
    link_key: str = "outer_id"

    def __init__(
        self,
        channel: str,
        currency: str,
        capabilities: Capabilities,
        options: GatewayOptions,
        *,
        secrets: Sequence[str],
        session: requests.Session | None,
        sleep: Callable[[float], None],
        clock: Callable[[], datetime],
        rng: random.Random | None,
    ) -> None:
        super().__init__(channel, currency, capabilities)
        self.gateway_options = options
        self.sleep = sleep
        self.clock = clock
        self._random = rng or random.Random()
        self._secrets = tuple(s for s in secrets if s)
        self.use_session(session)

    # -- writes --------------------------------------------------------------------------

    def push(self, changes: Sequence[Change]) -> list[ItemResult]:
        results: list[ItemResult | None] = [None] * len(changes)
        updates: list[tuple[int, Change]] = []
        for i, change in enumerate(changes):
            if change.kind == "create":
                results[i] = ItemResult.refused(change.sku, create_refusal(self.platform, self.link_key))
            elif change.state.price.currency != self.currency:
                results[i] = ItemResult.refused(
                    change.sku,
                    f"price is in {change.state.price.currency}, {self.platform} sells in {self.currency}",
                    remote_id=change.remote_id,
                )
            else:
                updates.append((i, change))
        if updates:
            answers = self._write([c for _, c in updates])
            for (i, _), answer in zip(updates, answers, strict=True):
                results[i] = answer
        return [r for r in results if r is not None]

    @abstractmethod
    def _write(self, changes: Sequence[Change]) -> list[ItemResult]:
        """Send updates (never creates); one result per change, in order."""

    def each(self, changes: Sequence[Change], write_one: Callable[[Change], ItemResult]) -> list[ItemResult]:
        """`write_one` per change, until a throttle or outage outlasts the retries of `call`.

        The changes already answered keep their results (an accepted write was applied); the one
        that failed and the rest, not sent, are refused as retryable. Raising instead would throw
        away the results of the writes the platform had already applied.
        """
        results: list[ItemResult] = []
        stopped: ChannelError | None = None
        for change in changes:
            if stopped is not None:
                results.append(not_sent(change, stopped))
                continue
            try:
                results.append(write_one(change))
            except ChannelError as e:
                if not e.retryable:
                    raise
                stopped = e
                results.append(ItemResult.refused(change.sku, str(e), retryable=True, remote_id=change.remote_id))
        return results

    # -- calls ---------------------------------------------------------------------------

    @abstractmethod
    def _request(self, api: str, params: Mapping[str, Any], *, write: bool) -> Any:
        """One HTTP call of `api`; returns the decoded success payload or raises a ChannelError."""

    def call(self, api: str, params: Mapping[str, Any], *, write: bool = False) -> Any:
        """One API call with retries for retryable failures, waiting out the platform's ban."""
        attempt = 0
        while True:
            self.rate_feedback.acquire(1.0)
            if write:
                self.write_requests += 1
            try:
                return self._request(api, params, write=write)
            except ChannelError as e:
                if isinstance(e, ChannelRateLimited):
                    self.rate_feedback.report(ThrottleStatus(throttled=True, retry_after=e.retry_after))
                if not e.retryable or attempt >= self.gateway_options.max_retries:
                    raise
                delay = self._delay(e, attempt)
                if delay is None:
                    raise
                attempt += 1
                log.warning(
                    "%s: %s failed (%s); retry %d of %d in %.1fs",
                    self.channel,
                    api,
                    e,
                    attempt,
                    self.gateway_options.max_retries,
                    delay,
                )
                self.sleep(delay)

    def _delay(self, error: ChannelError, attempt: int) -> float | None:
        return retry_delay(
            error,
            attempt,
            backoff=self.gateway_options.backoff,
            max_retry_after=self.gateway_options.max_retry_after,
            rng=self._random,
        )

    def post(self, url: str, **kw: Any) -> requests.Response:
        """POST with the transport options; network failures become ChannelUnavailable.

        The requests exception is not chained: its text holds the full URL, and Youzan's carries the
        access token in the query string, so a traceback logged at DEBUG would show it.
        """
        opts = self.gateway_options
        try:
            return self.session.post(url, timeout=opts.timeout, verify=opts.verify_tls, **kw)
        except requests.Timeout:
            raise ChannelUnavailable(self.channel, f"no answer within {opts.timeout:g}s") from None
        except requests.ConnectionError as e:
            raise ChannelUnavailable(self.channel, f"cannot connect ({type(e).__name__})") from None
        except requests.RequestException as e:
            raise ChannelResponseError(self.channel, self.scrub(str(e))) from None

    def json_of(self, response: requests.Response, api: str) -> Any:
        """The JSON body of an answer; HTTP 5xx/429 and non-JSON bodies become ChannelErrors."""
        status = response.status_code
        if status == 429:
            raise ChannelRateLimited(self.channel, f"{api}: HTTP 429", status=status)
        if status >= 500:
            raise ChannelUnavailable(self.channel, f"{api}: HTTP {status}", status=status)
        try:
            # Decimal keeps every digit of a price sent as a JSON number (a float keeps about 16).
            return answer_json(response, parse_float=Decimal)
        except ValueError:
            raise ChannelResponseError(
                self.channel, f"{api}: the answer is not JSON (HTTP {status})", status=status
            ) from None

    def scrub(self, text: str) -> str:
        """Remove our own secrets and any echoed token or signature from text that came back from the platform."""
        return scrub_secrets(text, self._secrets)[:300]


def code_of(raw: Any) -> int | None:
    """A numeric error code as sent (number or ASCII digit string), or None."""
    if isinstance(raw, int) and not isinstance(raw, bool):
        return raw
    text = str(raw).strip()
    return int(text) if ascii_digits(text) and len(text) <= 18 else None
