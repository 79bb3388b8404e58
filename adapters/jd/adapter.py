"""JD Open Service (JOS) I/O: read the shop's SKUs, set each SKU's JD price and stock.

Signed form POSTs to `routerjson`, business params in `360buy_param_json` (API_FACTS 2.6).
"""

from __future__ import annotations

import json
import logging
import random
import time
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Any, Self

import requests

from adapters.base import Change, ItemResult, PageGuard, answered_count, distinct_listings, parse_channel_settings
from adapters.cn_gateway import GatewayAdapter, gmt8_stamp, split_id, utc_now, wait_hint
from adapters.jd.capabilities import JD_CAPABILITIES
from adapters.jd.mapper import JdMapper
from adapters.jd.settings import JdOptions, JdSettings
from adapters.jd.signing import jos_sign
from oneprice.domain.listing import RemoteListing
from oneprice.errors import ChannelAuthError, ChannelRateLimited, ChannelRequestError, ChannelResponseError
from oneprice.settings.models import ChannelSettings

log = logging.getLogger(__name__)

SKU_FIELDS = "skuId,wareId,outerId,skuName,jdPrice,stockNum,status,modified"


def response_key(api: str) -> str:
    """JD's success key (its own spelling): `jingdong.sku.read.searchSkuList` -> `..._responce`."""
    return api.replace(".", "_") + "_responce"


def _refusal(body: Mapping[str, Any]) -> str | None:
    """The message of a business refusal inside a `code: "0"` answer, or None when nothing was refused.

    Gateway code "0" only says the call reached the API. Many JOS APIs put their own outcome in the
    body (`{"code": "0", "success": false, "message": ...}`) or in one named result object
    (`{"code": "0", "returnType": {"success": false, "errorMessage": ...}}`); either is a refusal.
    """
    for doc in (body, *(v for v in body.values() if isinstance(v, Mapping))):
        if doc.get("success") is False or doc.get("isSuccess") is False:
            text = doc.get("errorMessage") or doc.get("message") or doc.get("msg") or doc.get("resultMessage")
            return str(text or "refused")
    return None


class JdAdapter(GatewayAdapter):
    """One JD POP shop, reached through the JOS `routerjson` gateway at `base_url`.

    Reads: `jingdong.sku.read.searchSkuList` pages every SKU of the shop (one call per
    page, SKU-level, with price and stock); each SKU with an `outerId` is one listing,
    remote id `"<wareId>:<skuId>"`. Writes (updates only, one SKU per call):
    `jingdong.price.write.updateSkuJdPrice`, then `jingdong.stock.write.updateSkuStock`
    (full quantity). Creates are refused; taking a ware off the shelf is ware-level, so an
    inactive status is refused per SKU. Not for JD self-operated (自营) goods.

    >>> JdAdapter(channel="jd", base_url="https://api.jd.com/routerjson", currency="CNY",
    ...     app_key="...", app_secret="...", access_token="...").list_listings()   # doctest: +SKIP
    """

    kind = "jd"
    settings_model = JdSettings
    platform = "JD"
    link_key = "outerId"

    def __init__(
        self,
        *,
        channel: str,
        base_url: str,
        currency: str,
        app_key: str,
        app_secret: str,
        access_token: str,
        options: JdOptions | None = None,
        session: requests.Session | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], datetime] = utc_now,
        rng: random.Random | None = None,
    ) -> None:
        self.options = options or JdOptions()
        super().__init__(
            channel,
            currency,
            JD_CAPABILITIES,
            self.options,
            secrets=(app_secret, access_token),
            session=session,
            sleep=sleep,
            clock=clock,
            rng=rng,
        )
        self.url = base_url.rstrip("/")
        self.mapper = JdMapper(currency)
        self._app_key = app_key
        self._secret = app_secret
        self._token = access_token

    @classmethod
    def from_settings(cls, channel: ChannelSettings, session: requests.Session | None = None) -> Self:
        settings = parse_channel_settings(JdSettings, channel)
        creds = settings.credentials
        return cls(
            channel=channel.name,
            base_url=channel.base_url,
            currency=channel.currency,
            app_key=creds.app_key.get_secret_value(),
            app_secret=creds.app_secret.get_secret_value(),
            access_token=creds.access_token.get_secret_value(),
            options=settings.options,
            session=session,
        )

    def list_listings(self) -> list[RemoteListing]:
        listings: list[RemoteListing] = []
        page, size = 1, self.options.page_size
        guard = PageGuard(self.channel, "jingdong.sku.read.searchSkuList")
        while True:
            body = self.call("jingdong.sku.read.searchSkuList", {"page": page, "pageSize": size, "field": SKU_FIELDS})
            found: Any = body.get("page")
            if not isinstance(found, Mapping):
                found = {}
            data: Any = found.get("data")
            if not isinstance(data, list):
                data = []
            guard.rows((doc.get("skuId") for doc in data if isinstance(doc, Mapping)), page)
            for doc in data:
                try:
                    listing = self.mapper.to_listing(doc)
                except ValueError as e:
                    raise ChannelResponseError(self.channel, f"jingdong.sku.read.searchSkuList: {e}") from e
                if listing is not None:
                    listings.append(listing)
            total = answered_count(found.get("totalItem"))
            if len(data) < size or (total is not None and page * size >= total):
                break
            page += 1
        return distinct_listings(self.channel, listings, "jingdong.sku.read.searchSkuList")

    def _write(self, changes: Sequence[Change]) -> list[ItemResult]:
        return self.each(changes, self._write_one)

    def _write_one(self, change: Change) -> ItemResult:
        remote_id = change.remote_id or ""
        try:
            _, sku_id = split_id(remote_id)
        except ValueError as e:
            return ItemResult.refused(change.sku, str(e), remote_id=change.remote_id)
        if change.state.status != "active":
            return ItemResult.refused(
                change.sku,
                "taking goods off the shelf is ware-level on JD; do it in the JD seller center",
                remote_id=remote_id,
            )
        try:
            self.call(
                "jingdong.price.write.updateSkuJdPrice", self.mapper.price_params(sku_id, change.state), write=True
            )
            self.call("jingdong.stock.write.updateSkuStock", self.mapper.stock_params(sku_id, change.state), write=True)
        except ChannelRequestError as e:
            return ItemResult.refused(change.sku, str(e), remote_id=remote_id)
        return ItemResult.accepted(change.sku, remote_id)

    # -- HTTP ----------------------------------------------------------------------------

    def signed(self, api: str, params: Mapping[str, Any]) -> dict[str, str]:
        form = {
            "method": api,
            "app_key": self._app_key,
            "access_token": self._token,
            "timestamp": gmt8_stamp(self.clock()),
            "v": "2.0",
            "360buy_param_json": json.dumps(params, ensure_ascii=False, separators=(",", ":")),
        }
        form["sign"] = jos_sign(form, self._secret)
        return form

    def _request(self, api: str, params: Mapping[str, Any], *, write: bool) -> Any:
        doc = self.json_of(self.post(self.url, data=self.signed(api, params)), api)
        if not isinstance(doc, Mapping):
            raise ChannelResponseError(self.channel, f"{api}: expected a JSON object")
        error = doc.get("error_response")
        if isinstance(error, Mapping):
            raise self._error(api, error)
        body = doc.get(response_key(api))
        if not isinstance(body, Mapping):
            raise ChannelResponseError(self.channel, f"{api}: the answer has no {response_key(api)!r}")
        code = self.scrub(str(body.get("code", "0")))[:40]
        refusal = _refusal(body)
        if code != "0" or refusal is not None:
            message = self.scrub(refusal or str(body.get("message") or body.get("msg") or "refused"))
            raise ChannelRequestError(self.channel, f"{api}: code {code}: {message}", code=code)
        return body

    def _error(self, api: str, error: Mapping[str, Any]) -> Exception:
        code = self.scrub(str(error.get("code", "")))[:40]
        desc = self.scrub(str(error.get("zh_desc") or error.get("en_desc") or ""))
        text = f"{api}: code {code} {desc}".rstrip()
        if code in self.options.auth_codes:
            return ChannelAuthError(self.channel, f"{text} (check app_key/app_secret and the access token)", code=code)
        if code in self.options.throttle_codes:
            wait = wait_hint(f"{error.get('en_desc') or ''} {error.get('zh_desc') or ''}", self.options.throttle_wait)
            return ChannelRateLimited(self.channel, text, retry_after=wait, code=code)
        return ChannelRequestError(self.channel, text, code=code)
