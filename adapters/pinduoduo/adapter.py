"""Pinduoduo open platform I/O: read the mall's goods and SKUs, set both SKU prices (fen) and stock.

Signed form POSTs to the router gateway (API_FACTS 2.7); fen and the two prices live in mapper.py.
"""

from __future__ import annotations

import json
import logging
import random
import time
from collections import defaultdict
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
from adapters.cn_gateway import GatewayAdapter, code_of, not_sent, split_id, stock_not_sent, utc_now, wait_hint
from adapters.pinduoduo.capabilities import PINDUODUO_CAPABILITIES
from adapters.pinduoduo.mapper import PinduoduoMapper
from adapters.pinduoduo.settings import PinduoduoOptions, PinduoduoSettings
from adapters.pinduoduo.signing import pdd_sign
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

THROTTLED = frozenset({52101, 70031})
UNAVAILABLE = frozenset({52102, 52103})
RESPONSE_KEYS = {
    "pdd.goods.list.get": "goods_list_get_response",
    "pdd.goods.detail.get": "goods_detail_get_response",
    "pdd.goods.sku.price.update": "goods_update_sku_price_response",
    "pdd.goods.quantity.update": "goods_quantity_update_response",
}


class PinduoduoAdapter(GatewayAdapter):
    """One Pinduoduo mall, reached through the open platform router at `base_url`.

    Reads: `pdd.goods.list.get` pages the goods ids, then `pdd.goods.detail.get` reads each
    goods' SKUs with both prices (fen) and quantity; each SKU with an `out_sku_sn` is one
    listing, remote id `"<goods_id>:<sku_id>"`. Writes (updates only): one
    `pdd.goods.sku.price.update` per goods for all its SKUs in the push (single and group
    price, `is_onsale` from the status), then `pdd.goods.quantity.update` update_type=1
    (full) per SKU. Creates are refused (goods are published with `pdd.goods.add` and review).

    >>> PinduoduoAdapter(channel="pdd", base_url="https://gw-api.pinduoduo.com/api/router",
    ...     currency="CNY", client_id="...", client_secret="...", access_token="...")  # doctest: +SKIP
    """

    kind = "pinduoduo"
    settings_model = PinduoduoSettings
    platform = "Pinduoduo"
    link_key = "out_sku_sn"

    def __init__(
        self,
        *,
        channel: str,
        base_url: str,
        currency: str,
        client_id: str,
        client_secret: str,
        access_token: str,
        options: PinduoduoOptions | None = None,
        session: requests.Session | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], datetime] = utc_now,
        rng: random.Random | None = None,
    ) -> None:
        self.options = options or PinduoduoOptions()
        super().__init__(
            channel,
            currency,
            PINDUODUO_CAPABILITIES,
            self.options,
            secrets=(client_secret, access_token),
            session=session,
            sleep=sleep,
            clock=clock,
            rng=rng,
        )
        self.url = base_url.rstrip("/")
        self.mapper = PinduoduoMapper(currency, self.options.single_price, self.options.group_price)
        self._client_id = client_id
        self._secret = client_secret
        self._token = access_token

    @classmethod
    def from_settings(cls, channel: ChannelSettings, session: requests.Session | None = None) -> Self:
        settings = parse_channel_settings(PinduoduoSettings, channel)
        creds = settings.credentials
        return cls(
            channel=channel.name,
            base_url=channel.base_url,
            currency=channel.currency,
            client_id=creds.client_id.get_secret_value(),
            client_secret=creds.client_secret.get_secret_value(),
            access_token=creds.access_token.get_secret_value(),
            options=settings.options,
            session=session,
        )

    def list_listings(self) -> list[RemoteListing]:
        ids: list[int] = []
        page, size = 1, self.options.page_size
        guard = PageGuard(self.channel, "pdd.goods.list.get")
        while True:
            body = self.call("pdd.goods.list.get", {"page": str(page), "page_size": str(size)})
            goods = body.get("goods_list") if isinstance(body.get("goods_list"), list) else []
            try:
                page_ids = [
                    answered_int(g["goods_id"], "goods_id") for g in goods if isinstance(g, Mapping) and "goods_id" in g
                ]
            except ValueError as e:
                raise ChannelResponseError(self.channel, f"pdd.goods.list.get page {page}: {e}") from e
            guard.rows(page_ids, page)
            ids.extend(page_ids)
            total = answered_count(body.get("total_count"))
            if len(goods) < size or (total is not None and page * size >= total):
                break
            page += 1
        listings: list[RemoteListing] = []
        for goods_id in ids:
            detail = self.call("pdd.goods.detail.get", {"goods_id": str(goods_id)})
            try:
                read = self.mapper.to_listings(detail)
                answered = answered_int(detail.get("goods_id"), "goods_id")
            except ValueError as e:
                raise ChannelResponseError(self.channel, f"pdd.goods.detail.get {goods_id}: {e}") from e
            if answered != goods_id:
                raise ChannelResponseError(
                    self.channel, f"pdd.goods.detail.get {goods_id}: answered goods {answered} instead"
                )
            listings.extend(read)
        return distinct_listings(self.channel, listings, "pdd.goods.detail.get")

    def _write(self, changes: Sequence[Change]) -> list[ItemResult]:
        results: list[ItemResult | None] = [None] * len(changes)
        by_goods: dict[str, list[tuple[int, str, dict[str, int]]]] = defaultdict(list)
        for i, change in enumerate(changes):
            try:
                goods_id, sku_id = split_id(change.remote_id or "")
                entry = self.mapper.sku_price(sku_id, change.state)
            except ValueError as e:
                results[i] = ItemResult.refused(change.sku, str(e), remote_id=change.remote_id)
                continue
            by_goods[goods_id].append((i, sku_id, entry))
        size = self.capabilities.batch_limit
        chunks = [(g, e[k : k + size]) for g, e in by_goods.items() for k in range(0, len(e), size)]
        stopped: ChannelError | None = None
        for goods_id, entries in chunks:
            if stopped is not None:
                for i, _, _ in entries:
                    results[i] = not_sent(changes[i], stopped)
                continue
            params = {
                "goods_id": goods_id,
                "sku_price_list": json.dumps([e for _, _, e in entries], separators=(",", ":")),
                "sync_goods_operate": "1",
            }
            try:
                self.call("pdd.goods.sku.price.update", params, write=True)
            except ChannelRequestError as e:
                for i, _, _ in entries:
                    results[i] = ItemResult.refused(changes[i].sku, str(e), remote_id=changes[i].remote_id)
                continue
            except ChannelError as e:
                if not e.retryable:
                    raise
                stopped = e  # out of retries: send nothing more in this push; the rest stay unapplied
                for i, _, _ in entries:
                    results[i] = ItemResult.refused(
                        changes[i].sku, str(e), retryable=True, remote_id=changes[i].remote_id
                    )
                continue
            for i, sku_id, _ in entries:
                if stopped is not None:
                    results[i] = stock_not_sent(changes[i], stopped)
                    continue
                try:
                    results[i] = self._set_stock(changes[i], goods_id, sku_id)
                except ChannelError as e:
                    if not e.retryable:
                        raise
                    stopped = e
                    results[i] = ItemResult.refused(
                        changes[i].sku, f"price set, stock not: {e}", retryable=True, remote_id=changes[i].remote_id
                    )
        return [r for r in results if r is not None]

    def _set_stock(self, change: Change, goods_id: str, sku_id: str) -> ItemResult:
        params = {"goods_id": goods_id, "sku_id": sku_id, "quantity": str(change.state.stock), "update_type": "1"}
        try:
            self.call("pdd.goods.quantity.update", params, write=True)
        except ChannelRequestError as e:
            return ItemResult.refused(change.sku, f"price set, stock refused: {e}", remote_id=change.remote_id)
        return ItemResult.accepted(change.sku, change.remote_id or "")

    # -- HTTP ----------------------------------------------------------------------------

    def signed(self, api: str, params: Mapping[str, str]) -> dict[str, str]:
        form = {
            "type": api,
            "client_id": self._client_id,
            "access_token": self._token,
            "timestamp": str(int(self.clock().timestamp())),
            "data_type": "JSON",
            "version": "V1",
            **params,
        }
        form["sign"] = pdd_sign(form, self._secret)
        return form

    def _request(self, api: str, params: Mapping[str, Any], *, write: bool) -> Any:
        doc = self.json_of(self.post(self.url, data=self.signed(api, params)), api)
        if not isinstance(doc, Mapping):
            raise ChannelResponseError(self.channel, f"{api}: expected a JSON object")
        error = doc.get("error_response")
        if isinstance(error, Mapping):
            raise self._error(api, error)
        body = doc.get(RESPONSE_KEYS[api])
        if not isinstance(body, Mapping):
            raise ChannelResponseError(self.channel, f"{api}: the answer has no {RESPONSE_KEYS[api]!r}")
        if body.get("is_success") is False:
            raise ChannelRequestError(self.channel, f"{api}: the platform answered is_success=false")
        return body

    def _error(self, api: str, error: Mapping[str, Any]) -> Exception:
        code = code_of(error.get("error_code"))
        sub = self.scrub(str(error.get("sub_msg") or error.get("error_msg") or ""))
        text = f"{api}: error_code {code} {sub}".rstrip()
        if code in THROTTLED:
            wait = wait_hint(f"{error.get('sub_msg') or ''} {error.get('error_msg') or ''}", self.options.throttle_wait)
            return ChannelRateLimited(self.channel, text, retry_after=wait, code=str(code))
        if code in UNAVAILABLE:
            return ChannelUnavailable(self.channel, text, code=str(code))
        if code in self.options.auth_codes:
            return ChannelAuthError(
                self.channel, f"{text} (check client_id/client_secret and the access token)", code=str(code)
            )
        return ChannelRequestError(self.channel, text, code=str(code))
