"""Youzan (youzanyun) I/O: read the shop's on-sale items and SKUs, set each SKU's price and stock.

JSON POSTs to `/api/<name>/<version>?access_token=…` (API_FACTS 2.8); units live in mapper.py.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Any, Self

import requests

from adapters.base import (
    Change,
    ItemResult,
    PageGuard,
    answered_count,
    answered_int,
    distinct_listings,
    parse_channel_settings,
)
from adapters.cn_gateway import GatewayAdapter, code_of, split_id, utc_now, wait_hint
from adapters.youzan.capabilities import YOUZAN_CAPABILITIES
from adapters.youzan.mapper import YouzanMapper
from adapters.youzan.settings import YouzanOptions, YouzanSettings
from oneprice.domain.listing import RemoteListing
from oneprice.errors import ChannelAuthError, ChannelRateLimited, ChannelRequestError, ChannelResponseError
from oneprice.settings.models import ChannelSettings

log = logging.getLogger(__name__)


class YouzanAdapter(GatewayAdapter):
    """One Youzan shop, reached through the youzanyun gateway at `base_url`.

    Reads: `youzan.items.onsale.get` pages the on-sale items, then `youzan.item.get` reads
    each item's SKUs (prices in fen); each SKU with an `item_no` is one listing, remote id
    `"<item_id>:<sku_id>"`. Writes (updates only, one SKU per call):
    `youzan.item.sku.update` with price in yuan (2 dp) and the full quantity. Creates are
    refused; listing and delisting are item-level, so an inactive status is refused per SKU.
    Answers come as `{success, code, message, data}`, or in the legacy
    `{response}` / `{error_response: {code, msg}}` shape.

    >>> YouzanAdapter(channel="wx", base_url="https://api.youzanyun.com", currency="CNY",
    ...     access_token="...").list_listings()   # doctest: +SKIP
    """

    kind = "youzan"
    settings_model = YouzanSettings
    platform = "Youzan"
    link_key = "item_no"

    def __init__(
        self,
        *,
        channel: str,
        base_url: str,
        currency: str,
        access_token: str,
        options: YouzanOptions | None = None,
        session: requests.Session | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], datetime] = utc_now,
        rng: random.Random | None = None,
    ) -> None:
        self.options = options or YouzanOptions()
        super().__init__(
            channel,
            currency,
            YOUZAN_CAPABILITIES,
            self.options,
            secrets=(access_token,),
            session=session,
            sleep=sleep,
            clock=clock,
            rng=rng,
        )
        self.url = base_url.rstrip("/")
        self.mapper = YouzanMapper(currency)
        self._token = access_token

    @classmethod
    def from_settings(cls, channel: ChannelSettings, session: requests.Session | None = None) -> Self:
        settings = parse_channel_settings(YouzanSettings, channel)
        return cls(
            channel=channel.name,
            base_url=channel.base_url,
            currency=channel.currency,
            access_token=settings.credentials.access_token.get_secret_value(),
            options=settings.options,
            session=session,
        )

    def list_listings(self) -> list[RemoteListing]:
        ids: list[int] = []
        page, size = 1, self.options.page_size
        guard = PageGuard(self.channel, "youzan.items.onsale.get")
        while True:
            data = self.call("youzan.items.onsale.get", {"page_no": page, "page_size": size})
            items = data.get("items") if isinstance(data.get("items"), list) else []
            try:
                page_ids = [
                    answered_int(i["item_id"], "item_id") for i in items if isinstance(i, Mapping) and "item_id" in i
                ]
            except ValueError as e:
                raise ChannelResponseError(self.channel, f"youzan.items.onsale.get page {page}: {e}") from e
            guard.rows(page_ids, page)
            ids.extend(page_ids)
            total = answered_count(data.get("count"))
            if len(items) < size or (total is not None and page * size >= total):
                break
            page += 1
        listings: list[RemoteListing] = []
        for item_id in ids:
            data = self.call("youzan.item.get", {"item_id": item_id})
            item = data.get("item")
            try:
                if not isinstance(item, Mapping):
                    raise ValueError("the answer has no item")
                read = self.mapper.to_listings(item)
                if answered_int(item.get("item_id"), "item_id") != item_id:
                    raise ValueError(f"answered item {item.get('item_id')} instead")
            except ValueError as e:
                raise ChannelResponseError(self.channel, f"youzan.item.get {item_id}: {e}") from e
            listings.extend(read)
        return distinct_listings(self.channel, listings, "youzan.item.get")

    def _write(self, changes: Sequence[Change]) -> list[ItemResult]:
        return self.each(changes, self._write_one)

    def _write_one(self, change: Change) -> ItemResult:
        remote_id = change.remote_id or ""
        try:
            item_id, sku_id = split_id(remote_id)
        except ValueError as e:
            return ItemResult.refused(change.sku, str(e), remote_id=change.remote_id)
        if change.state.status != "active":
            return ItemResult.refused(
                change.sku,
                "delisting is item-level on Youzan; take the item off sale in the shop admin",
                remote_id=remote_id,
            )
        try:
            self.call("youzan.item.sku.update", self.mapper.sku_update(item_id, sku_id, change.state), write=True)
        except ChannelRequestError as e:
            return ItemResult.refused(change.sku, str(e), remote_id=remote_id)
        return ItemResult.accepted(change.sku, remote_id)

    # -- HTTP ----------------------------------------------------------------------------

    def _request(self, api: str, params: Mapping[str, Any], *, write: bool) -> Any:
        url = f"{self.url}/api/{api}/{self.options.version}"
        response = self.post(url, params={"access_token": self._token}, json=dict(params))
        if response.status_code in (401, 403):
            raise ChannelAuthError(self.channel, f"{api}: HTTP {response.status_code} (check the access token)")
        doc = self.json_of(response, api)
        if not isinstance(doc, Mapping):
            raise ChannelResponseError(self.channel, f"{api}: expected a JSON object")
        legacy = doc.get("error_response")
        if isinstance(legacy, Mapping):
            raise self._error(api, legacy.get("code"), legacy.get("msg"))
        # The gateway in front of the API answers its own refusals (token, rate, unknown API) as
        # `{"gw_err_resp": {"err_code": 4201, "err_msg": "..."}}`, with neither `success` nor `response`.
        gateway = doc.get("gw_err_resp")
        if isinstance(gateway, Mapping):
            raise self._error(api, gateway.get("err_code"), gateway.get("err_msg"))
        if "success" in doc:
            if doc.get("success") is not True:
                raise self._error(api, doc.get("code"), doc.get("message"))
            data = doc.get("data")
        else:
            data = doc.get("response")
        if not isinstance(data, Mapping):
            raise ChannelResponseError(self.channel, f"{api}: the answer has no data")
        return data

    def _error(self, api: str, raw_code: Any, message: Any) -> Exception:
        code = code_of(raw_code)
        text = f"{api}: code {code} {self.scrub(str(message or ''))}".rstrip()
        if code in self.options.auth_codes:
            return ChannelAuthError(self.channel, f"{text} (check the access token)", code=str(code))
        if code in self.options.throttle_codes:
            wait = wait_hint(str(message or ""), self.options.throttle_wait)
            return ChannelRateLimited(self.channel, text, retry_after=wait, code=str(code))
        return ChannelRequestError(self.channel, text, code=str(code))
