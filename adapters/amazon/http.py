"""SP-API HTTP calls: the access token header, Decimal-exact JSON, error mapping, bounded retries.

Errors follow API_FACTS 2.4: `{errors: [{code, message, details}]}` with 400/403/404/413/415/429/5xx.
"""

from __future__ import annotations

import logging
import math
import random
from collections.abc import Callable, Mapping
from typing import Any

import requests

from adapters.amazon.auth import LwaToken
from adapters.amazon.mapper import decode_json, encode_json
from adapters.amazon.settings import AmazonOptions
from adapters.base import RateFeedback, ThrottleStatus, answer_text, scrub_secrets
from adapters.retry import retry_delay
from oneprice.errors import (
    ChannelAuthError,
    ChannelError,
    ChannelRateLimited,
    ChannelRequestError,
    ChannelResponseError,
    ChannelUnavailable,
)

log = logging.getLogger(__name__)

USER_AGENT = "oneprice (Language=Python)"


class AmazonHttp:
    """Sends one SP-API call, retrying throttles and outages a bounded number of times.

    A 403 `Unauthorized` (an expired or revoked access token) is retried once with a fresh
    token. A 429 waits `Retry-After` when given, else one period of the rate Amazon states
    in `x-amzn-RateLimit-Limit`, else an exponential backoff; every wait goes through `sleep`.
    """

    def __init__(
        self,
        *,
        channel: str,
        session: requests.Session,
        token: LwaToken,
        options: AmazonOptions,
        secrets: tuple[str, ...],
        sleep: Callable[[float], None],
        rng: random.Random,
        feedback: Callable[[], RateFeedback],
    ) -> None:
        self.channel = channel
        self.session = session
        self.token = token
        self.options = options
        self.sleep = sleep
        self._random = rng
        self._feedback = feedback
        self._secrets = tuple(s for s in secrets if s)

    def call(
        self,
        method: str,
        url: str,
        *,
        params: Mapping[str, Any] | None = None,
        body: Any = None,
        on_send: Callable[[int], None] | None = None,
    ) -> Any:
        attempt = 0
        token_retried = False
        while True:
            if on_send is not None:
                on_send(attempt)
            try:
                return self._request(method, url, params=params, body=body)
            except ChannelAuthError as e:
                if token_retried or e.code != "Unauthorized":
                    raise
                token_retried = True
                self.token.invalidate()
                attempt += 1
                continue
            except ChannelError as e:
                if not e.retryable or attempt >= self.options.max_retries:
                    raise
                delay = self._delay(e, attempt)
                if delay is None:
                    raise
                attempt += 1
                log.warning(
                    "%s: %s %s failed (%s); retry %d of %d in %.2fs",
                    self.channel,
                    method,
                    url.rsplit("/items/", 1)[-1],
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

    def _request(self, method: str, url: str, *, params: Mapping[str, Any] | None, body: Any) -> Any:
        what = f"{method} {url.split('/listings/', 1)[-1].split('?', 1)[0]}"
        headers = {
            "x-amz-access-token": self.token.get(),
            "Accept": "application/json",
            "User-Agent": USER_AGENT,
        }
        data = None
        if body is not None:
            headers["Content-Type"] = "application/json"
            data = encode_json(body)
        self._feedback().acquire(1.0)
        try:
            response = self.session.request(
                method,
                url,
                params=params,
                data=data,
                headers=headers,
                timeout=self.options.timeout,
                verify=self.options.verify_tls,
            )
        except requests.Timeout as e:
            wait = f"{self.options.timeout:g}s"
            raise ChannelUnavailable(self.channel, f"{what}: no answer within {wait}") from e
        except requests.ConnectionError as e:
            raise ChannelUnavailable(self.channel, f"{what}: cannot connect ({type(e).__name__})") from e
        except requests.RequestException as e:
            raise ChannelResponseError(self.channel, f"{what}: {self.scrub(str(e))}") from e
        return self._decode(response, what)

    def _decode(self, response: requests.Response, what: str) -> Any:
        status = response.status_code
        if 200 <= status < 300:
            try:
                return decode_json(answer_text(response))
            except ValueError:
                raise ChannelResponseError(
                    self.channel, f"{what}: the answer is not JSON (HTTP {status})", status=status
                ) from None
        code, message = self._error_of(response)
        text = f"{what}: HTTP {status}" + (f" {code}" if code else "") + (f": {message}" if message else "")
        if status == 403 or status == 401:
            raise ChannelAuthError(
                self.channel,
                f"{text} (check the app's authorization, seller_id and the SP-API role for listings)",
                status=status,
                code=code,
            )
        if status == 429:
            retry_after = _retry_after(response)
            self._feedback().report(ThrottleStatus(throttled=True, retry_after=retry_after))
            raise ChannelRateLimited(self.channel, text, retry_after=retry_after, status=status, code=code)
        if status >= 500:
            raise ChannelUnavailable(self.channel, text, status=status, code=code)
        if status == 413:
            raise ChannelRequestError(self.channel, f"{text} (request too large)", status=status, code=code)
        if status >= 400:
            raise ChannelRequestError(self.channel, text, status=status, code=code)
        raise ChannelResponseError(self.channel, text, status=status, code=code)

    def _error_of(self, response: requests.Response) -> tuple[str | None, str | None]:
        """The first of SP-API's `errors[]`, when the body has one."""
        try:
            doc = decode_json(answer_text(response))
        except ValueError:
            return None, None
        errors = doc.get("errors") if isinstance(doc, Mapping) else None
        if not isinstance(errors, list) or not errors or not isinstance(errors[0], Mapping):
            return None, None
        first = errors[0]
        code = self.scrub(str(first["code"]))[:60] if first.get("code") else None
        parts = [str(first.get("message") or "").strip(), str(first.get("details") or "").strip()]
        message = self.scrub(" ".join(p for p in parts if p))[:300] or None
        return code, message

    def scrub(self, text: str) -> str:
        """Remove our own secrets, including the access tokens LWA issued us, from text that came back from Amazon."""
        return scrub_secrets(text, (*self._secrets, *self.token.issued))


def _retry_after(response: requests.Response) -> float | None:
    """Seconds to wait: `Retry-After`, else one period of the `x-amzn-RateLimit-Limit` rate."""
    for name, as_rate in (("Retry-After", False), ("x-amzn-RateLimit-Limit", True)):
        raw = (response.headers.get(name) or "").strip()
        try:
            value = float(raw)
        except ValueError:
            continue
        if not math.isfinite(value) or value < 0:
            continue
        if not as_rate:
            return value
        if value > 0:
            return 1.0 / value
    return None
