"""Taobao/Tmall Open Platform (TOP) I/O: read on-sale items with their SKUs, set SKU price and stock.

Signed form POSTs to the router gateway (API_FACTS 2.5); conversion lives in mapper.py.
"""

from __future__ import annotations

import logging
import random
import re
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
from adapters.cn_gateway import GatewayAdapter, code_of, gmt8_stamp, not_sent, split_id, stock_not_sent, utc_now
from adapters.taobao.capabilities import READ_ITEMS_PER_CALL, STOCK_SKUS_PER_CALL, TAOBAO_CAPABILITIES
from adapters.taobao.mapper import TaobaoMapper, listed
from adapters.taobao.settings import TaobaoOptions, TaobaoSettings
from adapters.taobao.signing import top_sign
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

# 25 invalid signature, 26/27 missing/invalid session, 28/29 missing/invalid app key.
AUTH_CODES = frozenset({25, 26, 27, 28, 29})
THROTTLE_CODE = 7
BAN_RE = re.compile(r"ban will last for ([0-9]{1,9}) more seconds", re.IGNORECASE)
ITEM_FIELDS = "num_iid,title,approve_status,modified,sku"


def response_key(api: str) -> str:
    """TOP's success key: `taobao.items.onsale.get` -> `items_onsale_get_response`."""
    name = api.removeprefix("taobao.")
    return name.replace(".", "_") + "_response"


class TaobaoAdapter(GatewayAdapter):
    """One Taobao or Tmall store, reached through the TOP router at `base_url`.

    Reads: `taobao.items.onsale.get` pages the on-sale item ids, then
    `taobao.items.seller.list.get` reads up to 20 items with their SKUs per call; each
    SKU with an `outer_id` is one listing, remote id `"<num_iid>:<sku_id>"`.
    Writes (updates only): `taobao.item.sku.price.update` per SKU (matched by outer_id),
    then `taobao.skus.quantity.update` type=1 (full quantity) for up to 20 SKUs of an
    item. Creates are refused: items are published through category schemas.
    Delisting is item-level on Taobao, so an inactive status is refused per SKU.

    >>> adapter = TaobaoAdapter(channel="tmall", base_url="https://gw.api.taobao.com/router/rest",
    ...     currency="CNY", app_key="...", app_secret="...", session_key="...")   # doctest: +SKIP
    >>> adapter.push([Change.update("1001:5001", state)])[0].ok                  # doctest: +SKIP
    True
    """

    kind = "taobao"
    settings_model = TaobaoSettings
    platform = "Taobao/Tmall"
    link_key = "outer_id"

    def __init__(
        self,
        *,
        channel: str,
        base_url: str,
        currency: str,
        app_key: str,
        app_secret: str,
        session_key: str,
        options: TaobaoOptions | None = None,
        session: requests.Session | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], datetime] = utc_now,
        rng: random.Random | None = None,
    ) -> None:
        self.options = options or TaobaoOptions()
        super().__init__(
            channel,
            currency,
            TAOBAO_CAPABILITIES,
            self.options,
            secrets=(app_secret, session_key),
            session=session,
            sleep=sleep,
            clock=clock,
            rng=rng,
        )
        self.url = base_url.rstrip("/")
        self.mapper = TaobaoMapper(currency)
        self._app_key = app_key
        self._secret = app_secret
        self._session_key = session_key

    @classmethod
    def from_settings(cls, channel: ChannelSettings, session: requests.Session | None = None) -> Self:
        settings = parse_channel_settings(TaobaoSettings, channel)
        creds = settings.credentials
        return cls(
            channel=channel.name,
            base_url=channel.base_url,
            currency=channel.currency,
            app_key=creds.app_key.get_secret_value(),
            app_secret=creds.app_secret.get_secret_value(),
            session_key=creds.session.get_secret_value(),
            options=settings.options,
            session=session,
        )

    # -- reads ---------------------------------------------------------------------------

    def list_listings(self) -> list[RemoteListing]:
        ids: list[str] = []
        page, size = 1, self.options.page_size
        guard = PageGuard(self.channel, "taobao.items.onsale.get")
        while True:
            data = self.call(
                "taobao.items.onsale.get", {"fields": "num_iid", "page_no": str(page), "page_size": str(size)}
            )
            items = listed(data, "items", "item")
            try:
                page_ids = [
                    str(answered_int(i.get("num_iid"), "item num_iid")) for i in items if isinstance(i, Mapping)
                ]
            except ValueError as e:
                raise ChannelResponseError(self.channel, f"taobao.items.onsale.get page {page}: {e}") from e
            guard.rows(page_ids, page)
            ids.extend(page_ids)
            total = answered_count(data.get("total_results"))
            if not items or len(items) < size or (total is not None and page * size >= total):
                break
            page += 1
        listings: list[RemoteListing] = []
        for start in range(0, len(ids), READ_ITEMS_PER_CALL):
            chunk = ids[start : start + READ_ITEMS_PER_CALL]
            data = self.call("taobao.items.seller.list.get", {"fields": ITEM_FIELDS, "num_iids": ",".join(chunk)})
            for item in listed(data, "items", "item"):
                try:
                    read = self.mapper.to_listings(item)
                except ValueError as e:
                    raise ChannelResponseError(self.channel, f"taobao.items.seller.list.get: {e}") from e
                answered = str(answered_int(item["num_iid"], "item num_iid"))  # read above: an integer
                if answered not in chunk:
                    raise ChannelResponseError(
                        self.channel, f"taobao.items.seller.list.get: answered item {answered}, which was not asked for"
                    )
                listings.extend(read)
        log.debug("%s: listed %d SKUs of %d items", self.channel, len(listings), len(ids))
        return distinct_listings(self.channel, listings, "taobao.items.seller.list.get")

    # -- writes --------------------------------------------------------------------------

    def _write(self, changes: Sequence[Change]) -> list[ItemResult]:
        results: list[ItemResult | None] = [None] * len(changes)
        stock: dict[str, list[tuple[int, str]]] = defaultdict(list)
        modified: dict[int, str | None] = {}
        stopped: ChannelError | None = None
        for i, change in enumerate(changes):
            if stopped is not None:
                results[i] = not_sent(change, stopped)
                continue
            try:
                num_iid, sku_id = split_id(change.remote_id or "")
            except ValueError as e:
                results[i] = ItemResult.refused(change.sku, str(e), remote_id=change.remote_id)
                continue
            if change.state.status != "active":
                results[i] = ItemResult.refused(
                    change.sku,
                    "delisting is item-level on Taobao/Tmall; take the item off sale in the seller "
                    "center (or set its stock to 0)",
                    remote_id=change.remote_id,
                )
                continue
            try:
                data = self.call(
                    "taobao.item.sku.price.update", self.mapper.price_params(num_iid, change.state), write=True
                )
            except ChannelRequestError as e:
                results[i] = ItemResult.refused(change.sku, str(e), remote_id=change.remote_id)
                continue
            except ChannelError as e:
                if not e.retryable:
                    raise
                stopped = e  # out of retries: send nothing more in this push; the rest stay unapplied
                results[i] = ItemResult.refused(change.sku, str(e), retryable=True, remote_id=change.remote_id)
                continue
            sku = data.get("sku") if isinstance(data, Mapping) else None
            modified[i] = str(sku.get("modified")) if isinstance(sku, Mapping) and sku.get("modified") else None
            stock[num_iid].append((i, sku_id))
        for num_iid, entries in stock.items():
            for start in range(0, len(entries), STOCK_SKUS_PER_CALL):
                chunk = entries[start : start + STOCK_SKUS_PER_CALL]
                if stopped is not None:
                    for i, _ in chunk:
                        results[i] = stock_not_sent(changes[i], stopped)
                    continue
                pairs = [(sku_id, changes[i].state.stock) for i, sku_id in chunk]
                params = {"num_iid": num_iid, "skuid_quantities": self.mapper.quantities(pairs), "type": "1"}
                try:
                    data = self.call("taobao.skus.quantity.update", params, write=True)
                except ChannelRequestError as e:
                    for i, _ in chunk:
                        results[i] = ItemResult.refused(changes[i].sku, str(e), remote_id=changes[i].remote_id)
                    continue
                except ChannelError as e:
                    if not e.retryable:
                        raise
                    stopped = e
                    for i, _ in chunk:
                        results[i] = ItemResult.refused(
                            changes[i].sku, str(e), retryable=True, remote_id=changes[i].remote_id
                        )
                    continue
                item = data.get("item") if isinstance(data, Mapping) else None
                stamp = str(item["modified"]) if isinstance(item, Mapping) and item.get("modified") else None
                for i, _ in chunk:
                    remote_id = changes[i].remote_id or ""
                    results[i] = ItemResult.accepted(changes[i].sku, remote_id, stamp or modified.get(i))
        return [r for r in results if r is not None]

    # -- HTTP ----------------------------------------------------------------------------

    def signed(self, api: str, params: Mapping[str, str]) -> dict[str, str]:
        """Common params + business params + `sign`, as sent in the form body."""
        form = {
            "method": api,
            "app_key": self._app_key,
            "session": self._session_key,
            "timestamp": gmt8_stamp(self.clock()),
            "v": "2.0",
            "sign_method": self.options.sign_method,
            "format": "json",
            **params,
        }
        form["sign"] = top_sign(form, self._secret, self.options.sign_method)
        return form

    def _request(self, api: str, params: Mapping[str, Any], *, write: bool) -> Any:
        response = self.post(self.url, data=self.signed(api, params))
        doc = self.json_of(response, api)
        if not isinstance(doc, Mapping):
            raise ChannelResponseError(self.channel, f"{api}: expected a JSON object")
        error = doc.get("error_response")
        if isinstance(error, Mapping):
            raise self._error(api, error)
        body = doc.get(response_key(api))
        if not isinstance(body, Mapping):
            raise ChannelResponseError(self.channel, f"{api}: the answer has no {response_key(api)!r}")
        return body

    def _error(self, api: str, error: Mapping[str, Any]) -> Exception:
        code = self.scrub(str(error.get("code")))[:40] if error.get("code") is not None else None
        code_num = code_of(code)
        sub_code = self.scrub(str(error.get("sub_code") or ""))[:80]
        sub_msg = self.scrub(str(error.get("sub_msg") or ""))
        text = f"{api}: code {code} {self.scrub(str(error.get('msg') or ''))}".rstrip()
        if sub_code:
            text += f" ({sub_code}: {sub_msg})" if sub_msg else f" ({sub_code})"
        tag = sub_code or (str(code) if code is not None else None)
        if code_num == THROTTLE_CODE or sub_code.startswith("accesscontrol.limited-by"):
            ban = BAN_RE.search(sub_msg)
            retry_after = int(ban.group(1)) + self.options.ban_margin if ban else None
            return ChannelRateLimited(self.channel, text, retry_after=retry_after, code=tag)
        if code_num in AUTH_CODES:
            return ChannelAuthError(self.channel, f"{text} (check app_key/app_secret and the session key)", code=tag)
        if sub_code.startswith("isp."):
            return ChannelUnavailable(self.channel, text, code=tag)
        return ChannelRequestError(self.channel, text, code=tag)
