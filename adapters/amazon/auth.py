"""Login with Amazon (LWA): trade the seller's refresh token for an access token, cached until expiry."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

import requests

from adapters.base import answer_json, scrub_secrets, token_lifetime
from oneprice.errors import ChannelAuthError, ChannelResponseError, ChannelUnavailable

log = logging.getLogger(__name__)

EXPIRY_MARGIN = 60.0  # renew a minute early so a token never expires in flight (half a shorter lifetime early)
DEFAULT_LIFETIME = 3600.0  # LWA access tokens last an hour; used when the answer gives no expires_in


class LwaToken:
    """Access tokens for SP-API (`x-amz-access-token`), refreshed with grant_type=refresh_token.

    >>> token = LwaToken(session, "https://api.amazon.com/auth/o2/token", "amzn1.application-oa2-client.x",
    ...                  "secret", "Atzr|...", channel="amazon-us")      # doctest: +SKIP
    >>> token.get()                                                         # doctest: +SKIP
    'Atza|...'
    """

    def __init__(
        self,
        session: requests.Session,
        token_url: str,
        client_id: str,
        client_secret: str,
        refresh_token: str,
        *,
        channel: str,
        timeout: float = 30.0,
        verify_tls: bool = True,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.session = session
        self.token_url = token_url
        self.channel = channel
        self.timeout = timeout
        self.verify_tls = verify_tls
        self.clock = clock
        self._form = {
            "grant_type": "refresh_token",
            "refresh_token": refresh_token,
            "client_id": client_id,
            "client_secret": client_secret,
        }
        self._token: str | None = None
        self.issued: tuple[str, ...] = ()
        """The access tokens handed out so far (the last few): error texts are scrubbed of them."""
        self._expires = 0.0
        self.refreshes = 0

    def get(self) -> str:
        """A valid access token, fetching a new one when none is cached or it is about to expire."""
        if self._token is None or self.clock() >= self._expires:
            self._refresh()
        assert self._token is not None
        return self._token

    def invalidate(self) -> None:
        """Forget the cached token (the API refused it); the next `get` fetches a new one."""
        self._token = None

    def _refresh(self) -> None:
        what = "LWA token request"
        try:
            response = self.session.post(self.token_url, data=self._form, timeout=self.timeout, verify=self.verify_tls)
        except requests.Timeout as e:
            raise ChannelUnavailable(self.channel, f"{what}: no answer within {self.timeout:g}s") from e
        except requests.RequestException as e:
            raise ChannelUnavailable(self.channel, f"{what}: cannot connect ({type(e).__name__})") from e
        doc = _json(response)
        status = response.status_code
        if status >= 500:
            raise ChannelUnavailable(self.channel, f"{what}: HTTP {status}", status=status)
        if status != 200:
            code = self._scrub(str(doc.get("error") or ""))[:60] or None
            raise ChannelAuthError(
                self.channel,
                f"{what}: HTTP {status}"
                + (f" {code}" if code else "")
                + " (check lwa_client_id, lwa_client_secret and refresh_token)",
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
        log.debug("%s: new LWA access token, valid %.0fs", self.channel, lifetime)

    def _scrub(self, text: str) -> str:
        """`text` from a token answer without our credentials (an error field may echo the request)."""
        secrets = (self._form["client_id"], self._form["client_secret"], self._form["refresh_token"], *self.issued)
        return scrub_secrets(text, secrets)


def _json(response: requests.Response) -> dict[str, Any]:
    try:
        doc = answer_json(response)
    except ValueError:
        return {}
    return doc if isinstance(doc, dict) else {}
