"""eBay Sell Inventory I/O: read inventory items with their offers, set price and quantity in bulk.

OAuth user token (http.py); conversion in mapper.py; the per-listing daily revision cap in budget.py.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import replace
from datetime import date
from typing import Any, Self
from urllib.parse import quote

import requests

from adapters.base import (
    Change,
    ChannelAdapter,
    ItemResult,
    PageGuard,
    answered_count,
    distinct_listings,
    json_list,
    parse_channel_settings,
)
from adapters.ebay.budget import RevisionBudget, utc_today
from adapters.ebay.capabilities import EBAY_CAPABILITIES
from adapters.ebay.http import EbayHttp, EbayToken, error_code, error_message
from adapters.ebay.mapper import EbayMapper
from adapters.ebay.settings import EbayOptions, EbaySettings
from oneprice.domain.listing import RemoteListing
from oneprice.errors import ChannelRequestError, ChannelResponseError
from oneprice.settings.models import ChannelSettings

log = logging.getLogger(__name__)

API = "/sell/inventory/v1/"
CREATE_REFUSED = (
    "creating eBay listings is not supported: a listing needs an inventory item with product "
    "details, an offer with policies and a publish step; list it on eBay with this SKU and "
    "oneprice will keep its price and quantity"
)


class EbayAdapter(ChannelAdapter):
    """One seller's inventory-API listings in one marketplace (`base_url`: https://api.ebay.com).

    Batch size, where the sources disagree (API_FACTS 2.3 ⚠): the bulk-updates guide and the
    `BulkPriceQuantity` type allow up to 25 inventory items per call, the method page says one
    SKU per call. We send up to `batch_size` SKUs (default 25, the guide's reading), one offer
    each; set `batch_size: 1` for an account that refuses more. The remote id of a listing is
    its offerId. Each sent entry spends one of the listing's 250 revisions a day
    (`revision_budget_left`); an update that would exceed them is refused without a call.

    >>> adapter.push([Change.update("5001", state)])[0].ok    # doctest: +SKIP
    True
    """

    kind = "ebay"
    settings_model = EbaySettings

    def __init__(
        self,
        *,
        channel: str,
        base_url: str,
        currency: str,
        client_id: str,
        client_secret: str,
        refresh_token: str,
        options: EbayOptions | None = None,
        session: requests.Session | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        today: Callable[[], date] = utc_today,
        rng: random.Random | None = None,
    ) -> None:
        self.options = options or EbayOptions()
        super().__init__(
            channel,
            currency,
            replace(
                EBAY_CAPABILITIES,
                batch_limit=self.options.batch_size,
                revisions_per_day=self.options.revisions_per_day,
            ),
        )
        self.mapper = EbayMapper(currency)
        self.budget = RevisionBudget(self.options.revisions_per_day, today)
        self.use_session(session)
        self.token = EbayToken(
            self.session, self.options, client_id, client_secret, refresh_token, channel=channel, clock=clock
        )
        self.http = EbayHttp(
            channel=channel,
            session=self.session,
            token=self.token,
            options=self.options,
            secrets=(client_id, client_secret, refresh_token),
            sleep=sleep,
            rng=rng or random.Random(),
            feedback=lambda: self.rate_feedback,
        )
        self.api_url = base_url.rstrip("/") + API

    @classmethod
    def from_settings(cls, channel: ChannelSettings, session: requests.Session | None = None) -> Self:
        settings = parse_channel_settings(EbaySettings, channel)
        c = settings.credentials
        return cls(
            channel=channel.name,
            base_url=channel.base_url,
            currency=channel.currency,
            client_id=c.client_id.get_secret_value(),
            client_secret=c.client_secret.get_secret_value(),
            refresh_token=c.refresh_token.get_secret_value(),
            options=settings.options,
            session=session,
        )

    @property
    def sleep(self) -> Callable[[float], None]:
        return self.http.sleep

    @sleep.setter
    def sleep(self, value: Callable[[float], None]) -> None:
        self.http.sleep = value

    def revision_budget_left(self, sku: str) -> int:
        """Revisions of this SKU's listing still allowed today (UTC) by this adapter's count."""
        return self.budget.left(sku)

    # -- reads ---------------------------------------------------------------------------

    def list_listings(self) -> list[RemoteListing]:
        """Inventory items page by page (limit/offset), each joined with its offer in our marketplace."""
        listings: list[RemoteListing] = []
        offset = 0
        guard = PageGuard(self.channel, "GET inventory_item")
        while True:
            params = {"limit": self.options.page_size, "offset": offset}
            _, doc = self.http.call("GET", self.api_url + "inventory_item", params=params)
            items = doc.get("inventoryItems", []) if isinstance(doc, Mapping) else None
            if not isinstance(items, list):
                raise ChannelResponseError(self.channel, "GET inventory_item: expected {inventoryItems: [...]}")
            guard.rows((item.get("sku") for item in items if isinstance(item, Mapping)), f"at offset {offset}")
            for item in items:
                if isinstance(item, Mapping) and str(item.get("sku") or "").strip():
                    listing = self._with_offer(item)
                    if listing is not None:
                        listings.append(listing)
            offset += len(items)
            total = answered_count(doc.get("total"))
            if not items or (not doc.get("next") and (total is None or offset >= total)):
                break
        return distinct_listings(self.channel, listings, "GET inventory_item")

    def find_by_skus(self, skus: Iterable[str]) -> dict[str, RemoteListing]:
        """One GET inventory_item/{sku} (+ its offer) per SKU; unknown SKUs are absent."""
        found: dict[str, RemoteListing] = {}
        for sku in dict.fromkeys(skus):
            item = self._get_or_none(self.api_url + "inventory_item/" + _quote(sku))
            if isinstance(item, Mapping):
                answered = item.get("sku")
                if answered not in (None, "") and str(answered) != sku:
                    raise ChannelResponseError(
                        self.channel, f"GET inventory_item/{sku}: answered SKU {str(answered)[:40]!r} instead"
                    )
                listing = self._with_offer({**item, "sku": sku})
                if listing is not None:
                    found[sku] = listing
        return found

    def _get_or_none(self, url: str, params: Mapping[str, Any] | None = None) -> Any:
        try:
            return self.http.call("GET", url, params=params)[1]
        except ChannelRequestError as e:
            if e.status == 404:
                return None
            raise

    def _with_offer(self, item: Mapping[str, Any]) -> RemoteListing | None:
        sku = str(item["sku"])
        params = {"sku": sku, "marketplace_id": self.options.marketplace_id}
        doc = self._get_or_none(self.api_url + "offer", params)
        try:
            offers = json_list(doc.get("offers") if isinstance(doc, Mapping) else None, "offers")
            mine = [
                o
                for o in offers
                if isinstance(o, Mapping) and o.get("marketplaceId") in (None, self.options.marketplace_id)
            ]
            other = next((o.get("sku") for o in mine if o.get("sku") not in (None, "", sku)), None)
            if other is not None:
                raise ValueError(f"GET offer answered an offer of SKU {str(other)[:40]!r}")
            if not mine:
                return None  # no offer in this marketplace: nothing to price
            return self.mapper.to_listing(item, mine[0])
        except ValueError as e:
            raise ChannelResponseError(self.channel, f"SKU {sku}: {e}") from e

    # -- writes --------------------------------------------------------------------------

    def push(self, changes: Sequence[Change]) -> list[ItemResult]:
        results: list[ItemResult | None] = [None] * len(changes)
        sendable: list[tuple[int, Change, dict[str, Any]]] = []
        for i, change in enumerate(changes):
            if change.kind == "create":
                results[i] = ItemResult.refused(change.sku, CREATE_REFUSED)
                continue
            if self.budget.left(change.sku) <= 0:
                results[i] = ItemResult.refused(
                    change.sku,
                    f"revision budget spent: {self.budget.limit} revisions of this listing today (UTC); "
                    "eBay blocks further revisions until the next day",
                    remote_id=change.remote_id,
                )
                continue
            try:
                entry = self.mapper.to_request(change.sku, change.remote_id or "", change.state)
            except ValueError as e:
                results[i] = ItemResult.refused(change.sku, str(e), remote_id=change.remote_id)
                continue
            sendable.append((i, change, entry))
        size = self.options.batch_size
        for start in range(0, len(sendable), size):
            chunk = sendable[start : start + size]
            for (i, _, _), result in zip(chunk, self._send(chunk), strict=True):
                results[i] = result
        return [r for r in results if r is not None]

    def _send(self, chunk: Sequence[tuple[int, Change, dict[str, Any]]]) -> list[ItemResult]:
        def sent() -> None:
            self.write_requests += 1
            for _, change, _ in chunk:
                self.budget.spend(change.sku)  # eBay counts a revision whether or not we hear back

        log.info("%s: POST bulk_update_price_quantity (%d SKU(s))", self.channel, len(chunk))
        status, doc = self.http.call(
            "POST",
            self.api_url + "bulk_update_price_quantity",
            body={"requests": [entry for _, _, entry in chunk]},
            on_send=sent,
        )
        answers = doc.get("responses") if isinstance(doc, Mapping) else None
        if not isinstance(answers, list):
            raise ChannelResponseError(self.channel, f"bulk_update_price_quantity: HTTP {status} without responses")
        by_sku: dict[str, list[Mapping[str, Any]]] = {}
        for answer in answers:
            if isinstance(answer, Mapping):
                by_sku.setdefault(str(answer.get("sku") or ""), []).append(answer)
        return [self._result(change, by_sku.get(change.sku, [])) for _, change, _ in chunk]

    def _result(self, change: Change, answers: Sequence[Mapping[str, Any]]) -> ItemResult:
        offer_id = change.remote_id or ""
        if not answers:
            return ItemResult.refused(change.sku, "eBay returned no result for this SKU", remote_id=offer_id)
        other = next(
            (a["offerId"] for a in answers if a.get("offerId") not in (None, "") and str(a["offerId"]) != offer_id),
            None,
        )
        if other is not None:
            # One SKU has one offer in the marketplace; an answer about another says nothing of the one sent.
            return ItemResult.refused(
                change.sku, f"eBay answered for offer {str(other)[:40]!r}, not {offer_id!r}", remote_id=offer_id
            )
        failed = [a for a in answers if a.get("statusCode") != 200 or a.get("errors")]
        if not failed:
            return ItemResult.accepted(change.sku, offer_id)
        messages, retryable = [], False
        for answer in failed:
            status = answer.get("statusCode")
            retryable = retryable or (isinstance(status, int) and (status >= 500 or status == 429))
            errors = answer.get("errors")
            for error in errors if isinstance(errors, list) and errors else [{"message": f"HTTP {status}"}]:
                if isinstance(error, Mapping):
                    code, text = error_code(error), error_message(error)
                    messages.append(f"{code}: {text}" if code else text)
        text = self.http.scrub("; ".join(m for m in messages if m) or "refused")
        return ItemResult.refused(change.sku, text, retryable=retryable, remote_id=offer_id)


def _quote(sku: str) -> str:
    return quote(sku, safe="")
