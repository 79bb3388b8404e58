"""The contract every channel adapter fulfils: capabilities, listing reads and batched writes.

The sync engine knows only this module; each `adapters/<kind>/` package implements it.
"""

from __future__ import annotations

import codecs
import json
import logging
import math
import re
from abc import ABC, abstractmethod
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, ClassVar, Literal, Protocol, Self, TypeVar
from urllib.parse import quote, quote_plus

import requests
from pydantic import BaseModel, ConfigDict, ValidationError, model_validator

from oneprice.domain.listing import ListingState, RemoteListing
from oneprice.domain.money import Money
from oneprice.errors import ChannelResponseError, UserError
from oneprice.settings.loader import Loc, format_loc, report_validation
from oneprice.settings.models import ChannelSettings

log = logging.getLogger(__name__)

M = TypeVar("M", bound=BaseModel)

RateModel = Literal["none", "fixed", "leaky_bucket", "cost", "quota"]


@dataclass(frozen=True)
class Capabilities:
    """What a channel's write API can do, so the engine batches, paces and verifies correctly.

    >>> Capabilities(batch_limit=100, price_unit="decimal", rate_model="none").batch_limit
    100
    """

    batch_limit: int
    """Most items one write call takes."""
    price_unit: Literal["decimal", "minor"] = "decimal"
    """How prices travel: decimal strings in the currency, or minor units (fen, cents)."""
    absolute_stock: bool = True
    """Stock is set to a number (replay-safe), not adjusted by a delta."""
    partial_success: bool = True
    """One call can accept some items and refuse others."""
    async_confirmation: bool = False
    """"Accepted" may come before "applied": a read-back is needed to confirm."""
    rate_model: RateModel = "none"
    """How the channel throttles: not at all, a fixed rate, a leaky bucket, query cost, a daily quota."""
    requests_per_second: float | None = None
    """Sustained write rate the channel allows, when it publishes one."""
    burst: int | None = None
    """Calls allowed back to back before the rate applies."""
    throttle_signal: str = "429 Retry-After"
    """How the channel says "slow down" (for logs and the rate governor)."""
    writable_fields: frozenset[str] = frozenset({"sku", "name", "price", "stock", "status"})
    """Listing fields the channel's write API can set; the planner compares only these.
    (Taobao/JD/Youzan set price and stock per SKU; title and on-sale status are item-level.)"""
    inactive_is_zero_stock: bool = False
    """The channel has no "inactive but stocked": inactive is written and read as quantity 0."""
    revisions_per_day: int | None = None
    """Most writes one listing may take per UTC day (eBay: 250); the planner holds back a listing that
    spent them, counting the sends of every run of the day in the sync journal."""


@dataclass(frozen=True)
class ThrottleStatus:
    """What one channel answer said about its rate limit; every field is optional.

    >>> ThrottleStatus(available=850, capacity=1000, restore_rate=50, cost=10).throttled
    False
    >>> ThrottleStatus(throttled=True, retry_after=2.0).retry_after   # a 429 with Retry-After
    2.0
    """

    throttled: bool = False
    """The channel refused the call because of its limit (HTTP 429, GraphQL "THROTTLED")."""
    retry_after: float | None = None
    """Seconds the channel asked us to wait before the next call."""
    available: float | None = None
    """Units left in the channel's bucket after this call (Shopify `currentlyAvailable`)."""
    capacity: float | None = None
    """Size of the channel's bucket (Shopify `maximumAvailable`)."""
    restore_rate: float | None = None
    """Units the bucket regains per second (Shopify `restoreRate`)."""
    cost: float | None = None
    """What this call actually cost, in the bucket's units (Shopify `actualQueryCost`)."""


class RateFeedback(Protocol):
    """The per-channel rate governor as an adapter sees it (implemented by `sync.governor.RateGovernor`).

    An adapter calls `acquire(cost)` before every API call (it blocks until the call may
    go out) and `report(status)` with what the answer said about the limit. A throttled
    answer is reported *and* raised as `ChannelRateLimited(retry_after=...)` so the
    engine's retry policy sees it too; reporting it twice is harmless.
    """

    def acquire(self, cost: float = 1.0) -> None:
        """Block until a call costing `cost` units fits within the channel's limit."""

    def report(self, status: ThrottleStatus) -> None:
        """Feed back what the channel said (throttled, Retry-After, bucket level, restore rate)."""


class UngovernedRate:
    """The default RateFeedback: never waits, ignores what it is told."""

    def acquire(self, cost: float = 1.0) -> None:
        return None

    def report(self, status: ThrottleStatus) -> None:
        return None


class Change(BaseModel):
    """One write for a channel: create a listing, or update the listing `remote_id` to `state`.

    >>> Change.create(state).kind, Change.update("17", state).remote_id   # doctest: +SKIP
    ('create', '17')
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: Literal["create", "update"]
    state: ListingState
    remote_id: str | None = None

    @model_validator(mode="after")
    def _id_for_update(self) -> Change:
        if self.kind == "update" and not self.remote_id:
            raise ValueError("an update needs the remote_id of the listing")
        if self.kind == "create" and self.remote_id:
            raise ValueError("a create has no remote_id yet")
        return self

    @property
    def sku(self) -> str:
        return self.state.sku

    @classmethod
    def create(cls, state: ListingState) -> Change:
        return cls(kind="create", state=state)

    @classmethod
    def update(cls, remote_id: str, state: ListingState) -> Change:
        return cls(kind="update", state=state, remote_id=remote_id)


class ItemResult(BaseModel):
    """What the channel said about one Change: accepted (with its id), or refused and why."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    sku: str
    ok: bool
    remote_id: str | None = None
    error: str | None = None
    retryable: bool = False
    modified: str | None = None
    """The channel's last-modified stamp of the listing after the write, when it returns one."""
    request_id: str | None = None
    """The channel's request or submission id for the call that carried this item (journaled)."""

    @classmethod
    def accepted(
        cls, sku: str, remote_id: str, modified: str | None = None, *, request_id: str | None = None
    ) -> ItemResult:
        return cls(sku=sku, ok=True, remote_id=remote_id, modified=modified, request_id=request_id)

    @classmethod
    def refused(cls, sku: str, error: str, *, retryable: bool = False, remote_id: str | None = None) -> ItemResult:
        return cls(sku=sku, ok=False, error=error, retryable=retryable, remote_id=remote_id)


class ChannelAdapter(ABC):
    """Talks to one channel's API; knows nothing of the catalog, the plan or the database.

    A subclass sets `kind` (the registry key), `settings_model` (a pydantic model of
    `{"credentials": ..., "options": ...}`) and builds itself in `from_settings`.
    `push` returns one ItemResult per Change, in order; a failure of the whole call
    raises a `ChannelError`. `write_requests` counts every write call actually sent.

    Rate governing: the engine sets `adapter.rate_feedback` (a `RateFeedback`, by default
    `UngovernedRate`) before it sends anything. The adapter calls
    `self.rate_feedback.acquire(cost)` before each API call, with cost 1 for a
    request-counted channel or the requested query cost for a cost-based one, and
    `self.rate_feedback.report(ThrottleStatus(...))` after each answer that says something
    about the limit (429 + Retry-After, Shopify `extensions.cost.throttleStatus`). A
    throttled answer is raised as `ChannelRateLimited(retry_after=...)`. Adapters may
    retry retryable failures internally only a small bounded number of times; the engine
    owns the retry policy and the dead-letter list.

    >>> adapter = create_adapter(channel_settings)            # doctest: +SKIP
    >>> remote = {r.state.sku: r for r in adapter.list_listings()}
    >>> results = adapter.push([Change.create(desired_state)])
    >>> results[0].ok, results[0].remote_id, adapter.write_requests
    (True, '101', 1)
    """

    kind: ClassVar[str]
    settings_model: ClassVar[type[BaseModel]]
    session: requests.Session
    _own_session: bool = False

    def __init__(self, channel: str, currency: str, capabilities: Capabilities) -> None:
        self.channel = channel
        self.currency = currency
        self.capabilities = capabilities
        self.write_requests = 0
        self.rate_feedback: RateFeedback = UngovernedRate()

    @classmethod
    @abstractmethod
    def from_settings(cls, channel: ChannelSettings, session: requests.Session | None = None) -> Self:
        """Build the adapter from one channel's settings (credentials and options validated)."""

    @abstractmethod
    def list_listings(self) -> list[RemoteListing]:
        """Every listing on the channel that has a SKU, reading all pages."""

    def find_by_skus(self, skus: Iterable[str]) -> dict[str, RemoteListing]:
        """The listings whose SKU is in `skus`, by SKU; missing SKUs are absent from the result."""
        wanted = set(skus)
        return {r.state.sku: r for r in self.list_listings() if r.state.sku in wanted}

    @abstractmethod
    def push(self, changes: Sequence[Change]) -> list[ItemResult]:
        """Send creates and updates in as few calls as the channel allows; one result per change."""

    def use_session(self, session: requests.Session | None) -> None:
        """Talk through the caller's HTTP session (tests, shared pools), or open one this adapter owns."""
        self._own_session = session is None
        self.session = session or requests.Session()

    def close(self) -> None:
        """Release the HTTP session if the adapter opened it."""
        if self._own_session:
            self.session.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"{type(self).__name__}(channel={self.channel!r})"


SECRET_PARAMS = re.compile(
    r"(?i)\b(access_token|accesstoken|refresh_token|session|sign|signature|oauth_signature|client_secret|"
    r"app_secret|consumer_key|consumer_secret)(=|%3D)[^&\s\"'<>,;]+"
)
"""Query/form parameters that carry a credential or a request signature. Gateways that echo the failed
request (a URL or form body in `sub_msg`, `error_msg`, an HTML error page) would otherwise pass them on."""


def scrub_secrets(text: str, secrets: Iterable[str]) -> str:
    """`text` from a channel answer without our secrets (as sent, or URL-encoded) or signed parameters.

    >>> scrub_secrets("bad url ?access_token=tok123&sign=ABCDEF&page=2", ["tok123"])
    'bad url ?access_token=***&sign=***&page=2'
    """
    for secret in secrets:
        if secret:
            for form in {secret, quote(secret, safe=""), quote_plus(secret)}:
                text = text.replace(form, "***")
    return SECRET_PARAMS.sub(lambda m: f"{m.group(1)}{m.group(2)}***", text)


def answer_text(response: requests.Response) -> str:
    """The body of an answer as text, without the UTF-8 byte order mark some gateways put before JSON.

    RFC 8259 lets a parser ignore the mark; Python's `json` refuses it ("Unexpected UTF-8 BOM"), so a
    well-formed answer would read as "not JSON". A body that starts with the mark is UTF-8 by definition.
    """
    raw = response.content or b""
    if raw.startswith(codecs.BOM_UTF8):
        return raw[len(codecs.BOM_UTF8) :].decode("utf-8")
    return response.text


def answer_json(response: requests.Response, **options: Any) -> Any:
    """`json.loads` of `answer_text(response)`; ValueError (JSONDecodeError, UnicodeDecodeError) if not JSON."""
    return loads_answer(answer_text(response), **options)


def loads_answer(text: str, **options: Any) -> Any:
    """`json.loads(text)`, with an answer nested too deeply to parse as a ValueError like any other bad JSON.

    Python's decoder recurses once per `[` or `{`: ten thousand of them raise RecursionError, which
    no adapter's `except ValueError` would catch.
    """
    try:
        return json.loads(text, **options)
    except RecursionError:
        raise ValueError("the answer is nested too deeply to be read") from None


def json_list(value: Any, what: str) -> list[Any]:
    """A JSON array of an answer: absent (null) reads as empty; anything else is a ValueError naming it.

    Iterating an answer's value as if it were a list turns a number into a TypeError traceback and a
    string or object into its characters or keys.
    """
    if value is None:
        return []
    if not isinstance(value, list):
        raise ValueError(f"{what} is not a list: {type(value).__name__}")
    return value


def answered_money(amount: Decimal | int | str, currency: str, what: str) -> Money:
    """Money from an amount a channel answered; ValueError naming `what` when it cannot be one.

    >>> answered_money(HUGE, "CNY", "SKU A price")   # doctest: +SKIP
    ValueError: SKU A price 1000000000000000000000000000000 CNY is too large to be a price (...)
    """
    try:
        return Money.of(amount, currency)
    except ValidationError as e:
        reasons = [str(err.get("ctx", {}).get("error") or err["msg"]) for err in e.errors()]
        raise ValueError(f"{what} {'; '.join(reasons)}") from None


_INTEGER = re.compile(r"-?[0-9]+")
_ASCII_SPACE = " \t\r\n"


def ascii_digits(text: str) -> bool:
    """`text` is one or more of the ASCII digits 0-9 (`str.isdigit` also takes "²" and "١٢", which `int` refuses
    or reads as 12)."""
    return bool(text) and text.isascii() and text.isdigit()


def answered_int(value: Any, what: str) -> int:
    """An integer a channel answered: a JSON integer, or ASCII digits with an optional minus sign; ValueError
    naming `what` otherwise.

    `int()` alone would also read `"1_000"`, `"+5"`, `"١٢"` (Arabic-Indic digits) and, through `str()`, nothing
    sensible of a bool, a float or a Decimal; none of them is what a channel sends for a count or an amount in
    minor units. Surrounding ASCII spaces are allowed, as in `answered_price`: `" 12 "` can only mean 12.

    >>> answered_int("-3", "SKU A quantity"), answered_int(12, "SKU A quantity")
    (-3, 12)
    >>> answered_int("1_000", "SKU A quantity")   # doctest: +SKIP
    ValueError: SKU A quantity is not an integer: '1_000'
    """
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if value is None or isinstance(value, bool):
        raise ValueError(f"{what} is missing or not an integer: {value!r}")
    if isinstance(value, str):
        text = value.strip(_ASCII_SPACE)
        if _INTEGER.fullmatch(text):
            try:
                return int(text)
            except ValueError:  # more digits than int() reads from text (sys.get_int_max_str_digits)
                pass
    raise ValueError(f"{what} is not an integer: {str(value)[:40]!r}")


def answered_count(value: Any) -> int | None:
    """A total a channel answered for a paged read (`total_results`, `count`), or None when it is not a count.

    A bool is not a count: `True` would stop the read after the first page (`page * size >= True`).
    """
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    return None


TOKEN_LIFETIME_UNUSABLE = 300.0
"""Seconds a new access token is kept when the answer's `expires_in` is present but unusable."""
TOKEN_LIFETIME_MAX = 86400.0
"""Longest an access token is kept, whatever `expires_in` says (LWA tokens last 1 h, eBay user tokens 2 h)."""


def token_lifetime(raw: Any, *, default: float, channel: str, what: str) -> float:
    """Seconds a new access token may be used, from the token answer's `expires_in`.

    Absent: `default` (the platform's documented lifetime). A number of seconds, or ASCII digits: that,
    capped at TOKEN_LIFETIME_MAX. Anything else (NaN, Infinity, zero or negative, a bool, other text)
    reads as TOKEN_LIFETIME_UNUSABLE with a warning: the token in the same answer is usable, the lifetime
    only says when to fetch the next one, so a short safe lifetime (one more token request every few
    minutes) costs less than refusing the token and failing every call of the run. Taken as it came, a
    NaN or infinite lifetime would never be passed and the token never refreshed.

    >>> where = {"channel": "amazon-us", "what": "LWA token request"}
    >>> token_lifetime(3600, default=3600, **where), token_lifetime(None, default=7200, **where)
    (3600.0, 7200.0)
    >>> token_lifetime(float("nan"), default=3600, **where)   # logs a warning
    300.0
    """
    if raw is None:
        return float(default)
    seconds: float | None = None
    if isinstance(raw, int | float | Decimal) and not isinstance(raw, bool):
        seconds = float(raw)
    elif isinstance(raw, str) and _NUMBER.fullmatch(raw.strip(_ASCII_SPACE)):
        seconds = float(raw.strip(_ASCII_SPACE))
    if seconds is None or not math.isfinite(seconds) or seconds <= 0:
        log.warning(
            "%s: %s: expires_in %s is not a positive number of seconds; renewing the token in %.0fs",
            channel,
            what,
            repr(raw)[:40],
            TOKEN_LIFETIME_UNUSABLE,
        )
        return TOKEN_LIFETIME_UNUSABLE
    return min(seconds, TOKEN_LIFETIME_MAX)


_GROUPED = re.compile(r"[+-]?[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?")
_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")


def answered_price(raw: Any, currency: str, what: str) -> Money:
    """Money from a price as a channel answered it (decimal text or a JSON number); ValueError naming `what`.

    An absent or empty price (a draft with no price yet) reads as 0: the plan then sets it, and
    the price_change guard stops it as a move from zero. A price that is present but unusable
    (`"abc"`, negative, NaN, `"1e999"`) is an error, never 0: read as 0 it would be a live price
    of 0 and a drift. Thousands written with commas are read (`"1,299.00"` is 1299.00).

    >>> answered_price("1,299.00", "CNY", "SKU A price"), answered_price("", "CNY", "SKU A price")
    (Money(amount=Decimal('1299.00'), currency='CNY'), Money(amount=Decimal('0.00'), currency='CNY'))
    >>> answered_price("abc", "CNY", "SKU A price")   # doctest: +SKIP
    ValueError: SKU A price 'abc' is not a number
    """
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return Money.of(0, currency)
    if isinstance(raw, float):
        # JSON numbers arrive as floats: their shortest repr is the decimal the channel sent.
        raw = repr(raw)
    if isinstance(raw, str):
        text = raw.strip()
        if _GROUPED.fullmatch(text):
            text = text.replace(",", "")
        if not _NUMBER.fullmatch(text):
            raise ValueError(f"{what} {raw[:40]!r} is not a number")
        amount = Decimal(text)
    elif isinstance(raw, Decimal) and raw.is_finite():
        amount = raw
    elif isinstance(raw, int) and not isinstance(raw, bool):
        amount = Decimal(raw)
    else:
        raise ValueError(f"{what} {str(raw)[:40]!r} is not a number")
    if amount < 0:
        raise ValueError(f"{what} {raw!r} is negative" if isinstance(raw, str) else f"{what} {raw} is negative")
    return answered_money(amount.copy_abs(), currency, what)


class PageGuard:
    """Stops a paged read that makes no progress: a repeated cursor, or a page of rows already read.

    A server that ignores the page number (or hands back the cursor it was given) would otherwise
    be read forever. Each check raises ChannelResponseError naming the call.
    """

    EMPTY_PAGES = 3
    """Empty pages in a row, each saying more follow, after which the read stops with an error. A
    filtered search may leave a page empty now and then; fresh cursors on empty pages without end
    would otherwise be followed forever."""

    def __init__(self, channel: str, what: str) -> None:
        self.channel = channel
        self.what = what
        self._cursors: set[str] = set()
        self._rows: set[str] = set()
        self._empty = 0

    def cursor(self, value: str, *, rows_on_page: int) -> None:
        """Record the cursor of the next page; a cursor given before means the pages go round."""
        self._empty = 0 if rows_on_page else self._empty + 1
        if self._empty >= self.EMPTY_PAGES:
            raise ChannelResponseError(
                self.channel, f"{self.what}: {self._empty} empty pages in a row, each saying more follow"
            )
        if value in self._cursors:
            raise ChannelResponseError(self.channel, f"{self.what}: the next-page cursor {value[:40]!r} repeats")
        self._cursors.add(value)

    def rows(self, keys: Iterable[Any], page: int | str) -> None:
        """Record the row keys of one page; a non-empty page holding only rows read already is refused."""
        found = {str(k) for k in keys}
        if found and found <= self._rows:
            raise ChannelResponseError(
                self.channel, f"{self.what}: page {page} repeats rows already read (the page number is ignored)"
            )
        self._rows |= found


def distinct_listings(channel: str, listings: Iterable[RemoteListing], what: str) -> list[RemoteListing]:
    """A read's listings with each listing once: a row answered twice the same is kept once, a listing answered
    twice with different contents is a ChannelResponseError (which of the two is live cannot be told).

    Offset paging can hand the same row out again when the store changes during the read; the sync would
    otherwise see one listing as two carrying the same SKU, or pick either state of a bound one.
    """
    seen: dict[str, RemoteListing] = {}
    for listing in listings:
        first = seen.setdefault(listing.remote_id, listing)
        if first is not listing and first.state != listing.state:
            raise ChannelResponseError(
                channel,
                f"{what}: listing {listing.remote_id} (SKU {listing.state.sku}) is answered twice with different "
                "contents",
            )
    return list(seen.values())


def settings_problems(model: type[BaseModel], channel: Mapping[str, Any]) -> list[tuple[Loc, str]]:
    """Check a raw channel mapping's `credentials` and `options` against an adapter's settings model.

    Locations are relative to the channel:
    `(("credentials", "consumer_key"), "required key is missing")`.
    Sections that are not mappings are left to the main settings schema to report.
    """
    data: dict[str, Any] = {}
    for section in ("credentials", "options"):
        value = channel.get(section)
        if value is None:
            value = {}
        if not isinstance(value, Mapping):
            return []
        data[section] = dict(value)
    problems: list[tuple[Loc, str]] = []
    try:
        model.model_validate(data)
    except ValidationError as e:
        report_validation(e, lambda loc, msg: problems.append((loc, msg)))
    return problems


def parse_channel_settings(model: type[M], channel: ChannelSettings) -> M:
    """Validate a loaded channel's credentials and options, or raise a one-line UserError."""
    data = {
        "credentials": {k: v.get_secret_value() for k, v in channel.credentials.items()},
        "options": dict(channel.options),
    }
    try:
        return model.model_validate(data)
    except ValidationError as e:
        found: list[str] = []
        report_validation(e, lambda loc, msg: found.append(f"{format_loc(loc)}: {msg}"))
        raise UserError(f"channel {channel.name!r}: " + "; ".join(found)) from None
