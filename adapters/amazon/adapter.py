"""Amazon SP-API Listings Items I/O (2021-08-01): read listings, set price and stock by JSON Patch.

LWA access token in `x-amz-access-token` (auth.py); conversion lives in mapper.py.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import replace
from typing import Any, Self
from urllib.parse import quote

import requests

from adapters.amazon.auth import LwaToken
from adapters.amazon.capabilities import AMAZON_CAPABILITIES
from adapters.amazon.http import AmazonHttp
from adapters.amazon.mapper import AmazonMapper
from adapters.amazon.settings import AmazonOptions, AmazonSettings
from adapters.base import Change, ChannelAdapter, ItemResult, PageGuard, distinct_listings, parse_channel_settings
from oneprice.domain.listing import RemoteListing
from oneprice.errors import ChannelError, ChannelRequestError, ChannelResponseError
from oneprice.settings.models import ChannelSettings

log = logging.getLogger(__name__)

API = "/listings/2021-08-01/items/"
INCLUDED_DATA = "summaries,attributes,offers,fulfillmentAvailability"
CREATE_REFUSED = (
    "creating Amazon listings is not supported: a listing needs product data (PUT with the product "
    "type's required attributes); create it in Seller Central with this SKU and oneprice will keep "
    "its price and stock"
)


class AmazonAdapter(ChannelAdapter):
    """One seller's offers in one marketplace, at an SP-API regional endpoint (`base_url`).

    Writes are one PATCH per SKU replacing `purchasable_offer` and `fulfillment_availability`
    (never PUT, which replaces the whole listing). `ACCEPTED` only means queued: the item
    is reported accepted and `verify(skus)` (a read-back) tells whether it was applied.
    `INVALID` comes back as a refusal carrying Amazon's issue messages. Creates are refused
    with a reason (see CREATE_REFUSED): the listing must exist in Seller Central.

    >>> adapter = AmazonAdapter(channel="amazon-us", base_url="https://sellingpartnerapi-na.amazon.com",
    ...     currency="USD", lwa_client_id="...", lwa_client_secret="...", refresh_token="...",
    ...     seller_id="A1...", options=AmazonOptions(marketplace_id="ATVPDKIKX0DER"))  # doctest: +SKIP
    >>> adapter.push([Change.update("SY-JK01-BLK-M", state)])[0].ok                  # doctest: +SKIP
    True
    """

    kind = "amazon"
    settings_model = AmazonSettings

    def __init__(
        self,
        *,
        channel: str,
        base_url: str,
        currency: str,
        lwa_client_id: str,
        lwa_client_secret: str,
        refresh_token: str,
        seller_id: str,
        options: AmazonOptions,
        session: requests.Session | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        rng: random.Random | None = None,
    ) -> None:
        super().__init__(channel, currency, replace(AMAZON_CAPABILITIES))
        self.options = options
        self.mapper = AmazonMapper(options.marketplace_id, currency)
        self.use_session(session)
        self.token = LwaToken(
            self.session,
            options.token_url,
            lwa_client_id,
            lwa_client_secret,
            refresh_token,
            channel=channel,
            timeout=options.timeout,
            verify_tls=options.verify_tls,
            clock=clock,
        )
        self.http = AmazonHttp(
            channel=channel,
            session=self.session,
            token=self.token,
            options=options,
            secrets=(lwa_client_id, lwa_client_secret, refresh_token),
            sleep=sleep,
            rng=rng or random.Random(),
            feedback=lambda: self.rate_feedback,
        )
        self._items_url = base_url.rstrip("/") + API + quote(seller_id, safe="")

    @classmethod
    def from_settings(cls, channel: ChannelSettings, session: requests.Session | None = None) -> Self:
        settings = parse_channel_settings(AmazonSettings, channel)
        c = settings.credentials
        return cls(
            channel=channel.name,
            base_url=channel.base_url,
            currency=channel.currency,
            lwa_client_id=c.lwa_client_id.get_secret_value(),
            lwa_client_secret=c.lwa_client_secret.get_secret_value(),
            refresh_token=c.refresh_token.get_secret_value(),
            seller_id=c.seller_id.get_secret_value(),
            options=settings.options,
            session=session,
        )

    @property
    def sleep(self) -> Callable[[float], None]:
        return self.http.sleep

    @sleep.setter
    def sleep(self, value: Callable[[float], None]) -> None:
        self.http.sleep = value

    # -- reads ---------------------------------------------------------------------------

    def list_listings(self) -> list[RemoteListing]:
        """searchListingsItems, page by page (`pageToken` from `pagination.nextToken`)."""
        listings: list[RemoteListing] = []
        token: str | None = None
        pages = 0
        guard = PageGuard(self.channel, "searchListingsItems")
        while True:
            params = {
                "marketplaceIds": self.options.marketplace_id,
                "includedData": INCLUDED_DATA,
                "pageSize": self.options.page_size,
            }
            if token:
                params["pageToken"] = token
            doc = self.http.call("GET", self._items_url, params=params)
            pages += 1
            if not isinstance(doc, Mapping) or not isinstance(doc.get("items", []), list):
                raise ChannelResponseError(self.channel, "searchListingsItems: expected {items: [...]}")
            listings.extend(self._listing(item, "searchListingsItems") for item in doc.get("items", []))
            pagination = doc.get("pagination")
            token = pagination.get("nextToken") if isinstance(pagination, Mapping) else None
            if not token:
                break
            guard.cursor(str(token), rows_on_page=len(doc.get("items") or []))
        log.debug("%s: listed %d listings in %d page(s)", self.channel, len(listings), pages)
        return distinct_listings(self.channel, listings, "searchListingsItems")

    def find_by_skus(self, skus: Iterable[str]) -> dict[str, RemoteListing]:
        """One getListingsItem per SKU; a SKU Amazon does not know is absent from the result."""
        found: dict[str, RemoteListing] = {}
        params = {"marketplaceIds": self.options.marketplace_id, "includedData": INCLUDED_DATA}
        for sku in dict.fromkeys(skus):
            try:
                doc = self.http.call("GET", self._sku_url(sku), params=params)
            except ChannelRequestError as e:
                if e.status == 404:
                    continue
                raise
            listing = self._listing(doc, f"getListingsItem {sku}")
            if listing.state.sku != sku:
                raise ChannelResponseError(
                    self.channel, f"getListingsItem {sku}: answered SKU {listing.state.sku[:40]!r} instead"
                )
            found[sku] = listing
        return found

    def verify(self, skus: Iterable[str]) -> dict[str, RemoteListing]:
        """Read back listings after ACCEPTED answers: what Amazon has applied so far, by SKU."""
        return self.find_by_skus(skus)

    def _listing(self, doc: Any, what: str) -> RemoteListing:
        try:
            return self.mapper.to_listing(doc)
        except ValueError as e:
            raise ChannelResponseError(self.channel, f"{what}: {e}") from e

    # -- writes --------------------------------------------------------------------------

    def push(self, changes: Sequence[Change]) -> list[ItemResult]:
        """One PATCH per update; creates are refused. After a throttle or outage that outlasts the
        retries, the rest of the changes are refused as retryable without being sent."""
        results: list[ItemResult] = []
        stopped: ChannelError | None = None
        for change in changes:
            if change.kind == "create":
                results.append(ItemResult.refused(change.sku, CREATE_REFUSED))
            elif stopped is not None:
                results.append(ItemResult.refused(change.sku, f"not sent: {stopped}", retryable=True))
            else:
                try:
                    results.append(self._patch(change))
                except ChannelError as e:
                    if not e.retryable:
                        raise
                    stopped = e
                    results.append(ItemResult.refused(change.sku, str(e), retryable=True))
        return results

    def _patch(self, change: Change) -> ItemResult:
        sku = change.remote_id or change.sku
        try:
            body = self.mapper.to_patch(change.state, self.options.product_type)
        except ValueError as e:
            return ItemResult.refused(change.sku, str(e))
        log.info("%s: PATCH listings item %s", self.channel, sku)
        self.write_requests += 1
        try:
            doc = self.http.call(
                "PATCH",
                self._sku_url(sku),
                params={"marketplaceIds": self.options.marketplace_id, "includedData": "issues"},
                body=body,
                on_send=self._count_retry,
            )
        except ChannelRequestError as e:
            return ItemResult.refused(change.sku, str(e), remote_id=change.remote_id)
        return self._result(change, sku, doc)

    def _count_retry(self, attempt: int) -> None:
        if attempt > 0:
            self.write_requests += 1

    def _result(self, change: Change, sku: str, doc: Any) -> ItemResult:
        if not isinstance(doc, Mapping):
            return ItemResult.refused(change.sku, "Amazon answered the PATCH without a submission result")
        status = doc.get("status")
        answered = doc.get("sku")
        if answered not in (None, "") and str(answered) != sku:
            return ItemResult.refused(
                change.sku, f"Amazon answered the PATCH for SKU {str(answered)[:40]!r}", remote_id=change.remote_id
            )
        raw_issues = doc.get("issues")  # the status decides; issues only explain it
        issues = [i for i in raw_issues if isinstance(i, Mapping)] if isinstance(raw_issues, list) else []
        if status == "ACCEPTED":
            warnings = [_issue_text(i) for i in issues]
            if warnings:
                log.warning("%s: %s accepted with issues: %s", self.channel, sku, self.http.scrub("; ".join(warnings)))
            return ItemResult.accepted(change.sku, sku)
        errors = [_issue_text(i) for i in issues if i.get("severity", "ERROR") == "ERROR"] or [
            _issue_text(i) for i in issues
        ]
        text = f"{status or 'no status'}: " + ("; ".join(errors) if errors else "no issue given")
        return ItemResult.refused(change.sku, self.http.scrub(text), remote_id=change.remote_id)

    def _sku_url(self, sku: str) -> str:
        return f"{self._items_url}/{quote(sku, safe='')}"


def _issue_text(issue: Mapping[str, Any]) -> str:
    code, message = issue.get("code"), str(issue.get("message") or "").strip()
    names = issue.get("attributeNames") if isinstance(issue.get("attributeNames"), list) else ()
    where = f" [{', '.join(str(n) for n in names)}]" if names else ""
    return (f"{code}: {message}" if code else message) + where
