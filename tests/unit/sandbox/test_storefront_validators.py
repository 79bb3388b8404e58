"""Listing pages carry ETag and Last-Modified and answer 304 Not Modified to a matching conditional request."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime, parsedate_to_datetime

import pytest
import requests

from oneprice.settings import LoadedConfig
from sandbox import Sandbox, load_offers
from sandbox.server import Request, Response
from sandbox.storefront import PageVersions, etag_for

OFFER = next(o for o in load_offers().offers if o.shape == "jsonld" and o.price is not None)


@pytest.fixture
def box(demo_config: LoadedConfig) -> Sandbox:
    return Sandbox.from_config(demo_config)


def get(box: Sandbox, path: str, **headers: str) -> Response:
    return box.handle(Request("GET", path, {}, headers))


def test_a_listing_page_carries_its_validators(box: Sandbox) -> None:
    page = get(box, OFFER.path)
    assert page.status == 200
    assert page.headers["ETag"] == etag_for(page.body)
    when = parsedate_to_datetime(page.headers["Last-Modified"])
    assert abs(datetime.now(UTC) - when) < timedelta(minutes=1)
    assert get(box, OFFER.path).headers == page.headers  # the same page, the same validators


def test_matching_if_none_match_is_not_modified(box: Sandbox) -> None:
    etag = get(box, OFFER.path).headers["ETag"]
    for header in (etag, f'"other", {etag}', f"W/{etag}", "*"):
        answer = get(box, OFFER.path, **{"If-None-Match": header})
        assert (answer.status, answer.body) == (304, b""), header
        assert answer.headers["ETag"] == etag
    assert get(box, OFFER.path, **{"If-None-Match": '"other"'}).status == 200
    assert box.storefront.not_modified_count == 4


def test_if_modified_since_is_read_only_without_if_none_match(box: Sandbox) -> None:
    page = get(box, OFFER.path)
    since = page.headers["Last-Modified"]
    assert get(box, OFFER.path, **{"If-Modified-Since": since}).status == 304
    earlier = format_datetime(parsedate_to_datetime(since) - timedelta(seconds=1), usegmt=True)
    assert get(box, OFFER.path, **{"If-Modified-Since": earlier}).status == 200
    assert get(box, OFFER.path, **{"If-Modified-Since": "not a date"}).status == 200
    # If-None-Match wins: a different tag means a different page, whatever the date says.
    assert get(box, OFFER.path, **{"If-None-Match": '"other"', "If-Modified-Since": since}).status == 200


def test_a_changed_page_gets_a_new_etag_and_a_later_date(box: Sandbox) -> None:
    before = get(box, OFFER.path)
    assert OFFER.price is not None
    box.storefront.offers[(OFFER.platform, OFFER.id)] = OFFER.model_copy(update={"price": OFFER.price - 1})
    after = get(box, OFFER.path, **{"If-None-Match": before.headers["ETag"]})
    assert after.status == 200 and after.headers["ETag"] != before.headers["ETag"]
    assert parsedate_to_datetime(after.headers["Last-Modified"]) > parsedate_to_datetime(
        before.headers["Last-Modified"]
    )
    assert get(box, OFFER.path, **{"If-Modified-Since": before.headers["Last-Modified"]}).status == 200


def test_versions_are_strictly_later_even_within_a_second() -> None:
    versions = PageVersions()
    now = datetime(2026, 11, 27, 12, 0, 0, 500, tzinfo=UTC)
    first = versions.last_modified("/p", '"a"', now)
    assert versions.last_modified("/p", '"a"', now + timedelta(hours=1)) == first
    assert versions.last_modified("/p", '"b"', now) == first + timedelta(seconds=1)
    assert versions.last_modified("/q", '"b"', now) == first


def test_other_pages_and_the_switch(box: Sandbox) -> None:
    missing = get(box, "/shop/taobao/item/no-such-offer")
    assert missing.status == 404 and "ETag" not in missing.headers
    box.storefront.validators = False
    page = get(box, OFFER.path, **{"If-None-Match": "*"})
    assert page.status == 200 and "ETag" not in page.headers


@pytest.fixture
def served(box: Sandbox) -> Iterator[str]:
    with box.running(port=0) as url:
        yield url


def test_over_http_a_304_has_no_body(box: Sandbox, served: str) -> None:
    with requests.Session() as http:
        first = http.get(served + OFFER.path, timeout=10)
        again = http.get(served + OFFER.path, headers={"If-None-Match": first.headers["ETag"]}, timeout=10)
        assert (again.status_code, again.content) == (304, b"")
        assert http.get(served + OFFER.path, timeout=10).status_code == 200  # the connection is still usable
