"""eBay REST calls: the OAuth user token (refresh-token grant, cached), error mapping, bounded retries.

Errors are eBay's `{errors: [{errorId, domain, category, message, longMessage}]}` (API_FACTS 2.3).
"""

from __future__ import annotations

import base64
import logging
import math
import random
import time
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

import requests

from adapters.base import RateFeedback, ThrottleStatus, answer_json, scrub_secrets, token_lifetime
from adapters.ebay.settings import EbayOptions
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

EXPIRY_MARGIN = 60.0  # renew a minute early (half a shorter lifetime early)
DEFAULT_LIFETIME = 7200.0  # eBay user access tokens last two hours; used when the answer gives no expires_in


class EbayToken:
    """A user access token from the seller's refresh token (Basic client_id:client_secret), until expiry."""

    def __init__(
        self,
        session: requests.Session,
        options: EbayOptions,
        client_id: str,
        client_secret: str,
        refresh_token: str,
        *,
        channel: str,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.session = session
        self.options = options
        self.channel = channel
        self.clock = clock
        pair = base64.b64encode(f"{client_id}:{client_secret}".encode()).decode("ascii")
        self._basic = f"Basic {pair}"
        self._secrets = tuple(s for s in (client_id, client_secret, refresh_token, pair) if s)
        self._form = {"grant_type": "refresh_token", "refresh_token": refresh_token, "scope": options.scope}
        self._token: str | None = None
        self.issued: tuple[str, ...] = ()
        """The access tokens handed out so far (the last few): error texts are scrubbed of them."""
        self._expires = 0.0
        self.refreshes = 0

    def get(self) -> str:
        if self._token is None or self.clock() >= self._expires:
            self._refresh()
        assert self._token is not None
        return self._token

    def invalidate(self) -> None:
        self._token = None

    def _refresh(self) -> None:
        what = "OAuth token request"
        try:
            response = self.session.post(
                self.options.token_url,
                data=self._form,
                headers={"Authorization": self._basic, "Accept": "application/json"},
                timeout=self.options.timeout,
                verify=self.options.verify_tls,
            )
        except requests.RequestException as e:
            raise ChannelUnavailable(self.channel, f"{what}: no answer ({type(e).__name__})") from e
        try:
            doc = answer_json(response)
        except ValueError:
            doc = {}
        doc = doc if isinstance(doc, dict) else {}
        status = response.status_code
        if status >= 500:
            raise ChannelUnavailable(self.channel, f"{what}: HTTP {status}", status=status)
        if status != 200:
            code = scrub_secrets(str(doc.get("error") or ""), (*self._secrets, *self.issued))[:60] or None
            raise ChannelAuthError(
                self.channel,
                f"{what}: HTTP {status}"
                + (f" {code}" if code else "")
                + " (check client_id, client_secret, refresh_token and the sell.inventory scope)",
                status=status,
                code=code,
            )
        token = doc.get("access_token")
        if not isinstance(token, str) or not token:
            raise ChannelResponseError(self.channel, f"{what}: the answer has no access_token")
        lifetime = token_lifetime(doc.get("expires_in"), default=DEFAULT_LIFETIME, channel=self.channel, what=what)
        self._token = token
        self.issued = (*self.issued[-3:], token)
        self._expires = self.clock() + lifetime - min(EXPIRY_MARGIN, lifetime / 2)
        self.refreshes += 1


class EbayHttp:
    """One Sell Inventory call: bearer token, marketplace header, retries of throttles and outages.

    A 401 (expired token) is retried once with a fresh token; 429 waits `Retry-After` (or backs
    off); every wait goes through `sleep`, so tests record waits instead of sleeping.
    """

    def __init__(
        self,
        *,
        channel: str,
        session: requests.Session,
        token: EbayToken,
        options: EbayOptions,
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
        on_send: Callable[[], None] | None = None,
    ) -> tuple[int, Any]:
        """(HTTP status, decoded JSON body) of a successful call; errors raise ChannelError."""
        attempt = 0
        token_retried = False
        while True:
            if on_send is not None:
                on_send()
            try:
                return self._request(method, url, params=params, body=body)
            except ChannelAuthError as e:
                if token_retried or e.status != 401:
                    raise
                token_retried = True
                self.token.invalidate()
            except ChannelError as e:
                if not e.retryable or attempt >= self.options.max_retries:
                    raise
                delay = self._delay(e, attempt)
                if delay is None:
                    raise
                attempt += 1
                log.warning("%s: %s failed (%s); retry %d in %.2fs", self.channel, method, e, attempt, delay)
                self.sleep(delay)

    def _delay(self, error: ChannelError, attempt: int) -> float | None:
        return retry_delay(
            error, attempt, backoff=self.options.backoff, max_retry_after=self.options.max_retry_after, rng=self._random
        )

    def _request(self, method: str, url: str, *, params: Mapping[str, Any] | None, body: Any) -> tuple[int, Any]:
        what = f"{method} {url.split('/sell/inventory/v1/', 1)[-1]}"
        headers = {
            "Authorization": f"Bearer {self.token.get()}",
            "Accept": "application/json",
            "X-EBAY-C-MARKETPLACE-ID": self.options.marketplace_id,
        }
        self._feedback().acquire(1.0)
        try:
            response = self.session.request(
                method,
                url,
                params=params,
                json=body,
                headers=headers,
                timeout=self.options.timeout,
                verify=self.options.verify_tls,
            )
        except requests.Timeout as e:
            raise ChannelUnavailable(self.channel, f"{what}: no answer in {self.options.timeout:g}s") from e
        except requests.ConnectionError as e:
            raise ChannelUnavailable(self.channel, f"{what}: cannot connect ({type(e).__name__})") from e
        except requests.RequestException as e:
            raise ChannelResponseError(self.channel, f"{what}: {self.scrub(str(e))}") from e
        status = response.status_code
        if 200 <= status < 300:
            if not response.content:
                return status, None
            try:
                return status, answer_json(response, parse_float=Decimal)
            except ValueError:
                raise ChannelResponseError(self.channel, f"{what}: the answer is not JSON", status=status) from None
        code, message = self._error_of(response)
        text = f"{what}: HTTP {status}" + (f" {code}" if code else "") + (f": {message}" if message else "")
        if status in (401, 403):
            raise ChannelAuthError(
                self.channel, f"{text} (check the user token's sell.inventory scope)", status=status, code=code
            )
        if status == 429:
            retry_after = _seconds(response.headers.get("Retry-After"))
            self._feedback().report(ThrottleStatus(throttled=True, retry_after=retry_after))
            raise ChannelRateLimited(self.channel, text, retry_after=retry_after, status=status, code=code)
        if status >= 500:
            raise ChannelUnavailable(self.channel, text, status=status, code=code)
        raise ChannelRequestError(self.channel, text, status=status, code=code)

    def _error_of(self, response: requests.Response) -> tuple[str | None, str | None]:
        try:
            doc = answer_json(response)
        except ValueError:
            return None, None
        errors = doc.get("errors") if isinstance(doc, Mapping) else None
        if not isinstance(errors, list) or not errors or not isinstance(errors[0], Mapping):
            return None, None
        code = error_code(errors[0])
        return (self.scrub(code)[:40] if code else None), self.scrub(error_message(errors[0]))[:300] or None

    def scrub(self, text: str) -> str:
        """Remove our own secrets, including the user tokens eBay issued us, from text that came back."""
        return scrub_secrets(text, (*self._secrets, *self.token.issued))


def error_code(error: Mapping[str, Any]) -> str | None:
    return str(error["errorId"]) if error.get("errorId") not in (None, "") else None


def error_message(error: Mapping[str, Any]) -> str:
    return str(error.get("longMessage") or error.get("message") or "").strip()


def _seconds(value: str | None) -> float | None:
    try:
        seconds = float((value or "").strip())
    except ValueError:
        return None
    return seconds if math.isfinite(seconds) and seconds >= 0 else None
