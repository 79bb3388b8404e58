"""The contract every channel adapter passes, written once and inherited per adapter kind.

A subclass provides the `adapter` fixture (a fresh adapter on an emulated store it may
write to) and may override the hooks below; a test whose hook is missing is skipped:
`server_write_requests`, `inject_fault(status, retry_after)`, `refuse_credentials()`,
`limit_rate(per_second)` / `server_throttled()`.

Order of the sync contract: link -> create -> reprice -> restock -> read back -> error
translation -> throttling respected.
"""

from __future__ import annotations

import math
import uuid
from collections.abc import Iterable, Sequence
from typing import ClassVar

import pytest

from adapters.base import Change, ChannelAdapter, ThrottleStatus
from oneprice.domain.catalog import Product
from oneprice.domain.listing import ListingState, RemoteListing
from oneprice.domain.money import Money
from oneprice.errors import ChannelAuthError, ChannelRateLimited, ChannelUnavailable
from oneprice.settings.models import ChannelSettings
from oneprice.storage import Binding
from sync.applier import change_for
from sync.governor import RateGovernor
from sync.planner import plan_channel
from sync.reading import remote_by_sku


class AdapterContract:
    """Inherit, provide `adapter`, and every test below runs against your adapter.

    >>> class TestMyChannelContract(AdapterContract):     # doctest: +SKIP
    ...     @pytest.fixture
    ...     def adapter(self, my_sandbox) -> ChannelAdapter:
    ...         return MyChannelAdapter.from_settings(my_sandbox.channel_settings())
    """

    @pytest.fixture
    def adapter(self) -> ChannelAdapter:
        raise NotImplementedError("a contract subclass provides the adapter fixture")

    def server_write_requests(self) -> int | None:
        """Write calls the emulated store received so far, when it counts them (None: unknown)."""
        return None

    def inject_fault(self, status: int, retry_after: float | None = None) -> bool:
        """Make the emulated store answer the next calls with HTTP `status`; False: not supported."""
        return False

    def refuse_credentials(self) -> ChannelAdapter | None:
        """An adapter on the same store with wrong credentials (None: not supported)."""
        return None

    def limit_rate(self, per_second: float | None) -> bool:
        """Make the emulated store throttle above `per_second` calls (None lifts it); False: not supported."""
        return False

    def server_throttled(self) -> int:
        """How many calls the emulated store answered "throttled" so far."""
        return 0

    creates_listings: ClassVar[bool] = True
    """False where items are published outside the API (category schemas): `place` seeds them instead."""
    updatable: ClassVar[frozenset[str]] = frozenset({"name", "price", "stock", "status"})
    """The fields the adapter can write on an existing listing."""

    def place(self, adapter: ChannelAdapter, states: Sequence[ListingState]) -> list[str]:
        """Put listings for `states` on the channel and return their remote ids (default: create them)."""
        results = adapter.push([Change.create(s) for s in states])
        assert all(r.ok for r in results), [r.error for r in results]
        return [r.remote_id or "" for r in results]

    def expected_writes(self, adapter: ChannelAdapter, n: int) -> int:
        """Write calls for `n` writes to listings placed together (default: one per batch)."""
        return math.ceil(n / adapter.capabilities.batch_limit)

    # -- helpers --------------------------------------------------------------------------

    @staticmethod
    def new_skus(n: int = 1) -> list[str]:
        run = uuid.uuid4().hex[:8].upper()
        return [f"CT-{run}-{i}" for i in range(n)]

    @staticmethod
    def state(adapter: ChannelAdapter, sku: str, price: str = "199.00", stock: int = 3, **kw: str) -> ListingState:
        return ListingState(
            sku=sku,
            name=kw.get("name", f"Contract {sku}"),
            price=Money.of(price, adapter.currency),
            stock=stock,
            status=kw.get("status", "active"),  # type: ignore[arg-type]
        )

    @staticmethod
    def by_sku(listings: Iterable[RemoteListing]) -> dict[str, RemoteListing]:
        return {r.state.sku: r for r in listings}

    def channel(self, adapter: ChannelAdapter) -> ChannelSettings:
        return ChannelSettings(
            name=adapter.channel, kind=adapter.kind, base_url="http://127.0.0.1", currency=adapter.currency
        )

    # -- the contract ---------------------------------------------------------------------

    def test_list_listings(self, adapter: ChannelAdapter) -> None:
        listings = adapter.list_listings()
        ids = [r.remote_id for r in listings]
        assert len(ids) == len(set(ids)), "remote ids are unique"
        assert all(r.state.sku for r in listings), "only listings with a SKU are returned"
        assert all(r.state.price.currency == adapter.currency for r in listings)
        assert adapter.write_requests == 0, "reading sends no write"

    def test_push_create_then_list_shows_it(self, adapter: ChannelAdapter) -> None:
        [sku] = self.new_skus()
        desired = self.state(adapter, sku)
        [result] = adapter.push([Change.create(desired)])
        if not self.creates_listings:
            assert not result.ok and result.error, "a create the channel cannot do is refused, not raised"
            assert sku not in self.by_sku(adapter.list_listings())
            return
        assert result.ok, result.error
        assert result.sku == sku and result.remote_id
        listed = self.by_sku(adapter.list_listings())
        assert sku in listed
        assert listed[sku].remote_id == result.remote_id
        assert listed[sku].state == desired

    def test_push_update_then_read_back_equals_desired(self, adapter: ChannelAdapter) -> None:
        [sku] = self.new_skus()
        [remote_id] = self.place(adapter, [self.state(adapter, sku)])
        changes = {"status": "inactive", "name": f"Renamed {sku}"}
        desired = self.state(
            adapter, sku, price="149.50", stock=0, **{k: v for k, v in changes.items() if k in self.updatable}
        )
        [updated] = adapter.push([Change.update(remote_id, desired)])
        assert updated.ok, updated.error
        assert updated.remote_id == remote_id
        found = adapter.find_by_skus([sku, "CT-NO-SUCH-SKU"])
        assert list(found) == [sku]
        assert found[sku].state == desired
        assert self.by_sku(adapter.list_listings())[sku].state == desired

    def test_second_plan_has_only_unchanged(self, adapter: ChannelAdapter) -> None:
        skus = self.new_skus(3)
        products = [
            Product(sku=s, name=f"Contract {s}", unified_price=Money.of(p, adapter.currency), stock=n)
            for s, p, n in zip(skus, ("10", "20.5", "1999.99"), (0, 1, 250), strict=True)
        ]
        channel = self.channel(adapter)
        if not self.creates_listings:
            self.place(adapter, [self.state(adapter, s, price="1.00", stock=7) for s in skus])
        first = plan_channel(channel, products, self.by_sku(adapter.list_listings()))
        if self.creates_listings:
            assert [a.kind for a in first.actions] == ["create"] * 3
        else:
            assert all(a.kind not in ("create", "unchanged", "skip") and a.remote_id for a in first.actions)
        results = adapter.push([change_for(a) for a in first.writes])
        assert all(r.ok for r in results), [r.error for r in results]

        writes = adapter.write_requests
        second = plan_channel(channel, products, self.by_sku(adapter.list_listings()))
        assert [a.kind for a in second.actions] == ["unchanged"] * 3
        assert second.writes == ()
        assert adapter.push([]) == []
        assert adapter.write_requests == writes

    def test_partial_failure_is_reported_per_item(self, adapter: ChannelAdapter) -> None:
        if not adapter.capabilities.partial_success:
            pytest.skip(f"{adapter.kind} does not accept part of a call")
        [good, bad] = self.new_skus(2)
        first = Change.create(self.state(adapter, good))
        if not self.creates_listings:
            [good_id] = self.place(adapter, [self.state(adapter, good, price="1.00")])
            first = Change.update(good_id, self.state(adapter, good))
        results = adapter.push([first, Change.update("999999999", self.state(adapter, bad))])
        assert [r.sku for r in results] == [good, bad]
        assert results[0].ok
        assert not results[1].ok and results[1].error

    def test_batches_respect_the_limit(self, adapter: ChannelAdapter) -> None:
        limit = adapter.capabilities.batch_limit
        skus = self.new_skus(limit + 1)
        states = [self.state(adapter, s, stock=1) for s in skus]
        changes = [Change.create(s) for s in states]
        if not self.creates_listings:
            ids = self.place(adapter, [self.state(adapter, s, stock=2) for s in skus])
            changes = [Change.update(i, s) for i, s in zip(ids, states, strict=True)]
        before = adapter.write_requests
        results = adapter.push(changes)
        assert all(r.ok for r in results), [r.error for r in results]
        assert adapter.write_requests - before == self.expected_writes(adapter, len(skus))

    def test_write_requests_match_the_server(self, adapter: ChannelAdapter) -> None:
        server_before = self.server_write_requests()
        if server_before is None:
            pytest.skip("the emulated store does not count requests")
        [sku] = self.new_skus()
        change = Change.create(self.state(adapter, sku))
        if not self.creates_listings:
            [remote_id] = self.place(adapter, [self.state(adapter, sku, price="1.00")])
            change = Change.update(remote_id, self.state(adapter, sku))
        adapter.list_listings()
        [result] = adapter.push([change])
        assert result.ok
        server_after = self.server_write_requests()
        assert server_after is not None
        assert server_after - server_before == adapter.write_requests == self.expected_writes(adapter, 1)

    # -- the sync contract: link -> create -> reprice -> restock -> read back -> errors -> rate ----

    def product(self, adapter: ChannelAdapter, sku: str, price: str = "199.00", stock: int = 3) -> Product:
        return Product(sku=sku, name=f"Contract {sku}", unified_price=Money.of(price, adapter.currency), stock=stock)

    def test_link_binds_a_listing_already_there(self, adapter: ChannelAdapter) -> None:
        [sku] = self.new_skus()
        [remote_id] = self.place(adapter, [self.state(adapter, sku)])
        products = [self.product(adapter, sku)]
        remote, duplicates = remote_by_sku(adapter.list_listings(), {}, products)
        assert duplicates == {} and remote[sku].remote_id == remote_id
        [action] = plan_channel(self.channel(adapter), products, remote).actions
        assert action.kind != "create" and action.remote_id == remote_id

    @pytest.mark.parametrize(("price", "stock", "kind"), [("249.00", 3, "reprice"), ("199.00", 17, "restock")])
    def test_reprice_and_restock_are_absolute_writes(
        self, adapter: ChannelAdapter, price: str, stock: int, kind: str
    ) -> None:
        [sku] = self.new_skus()
        [remote_id] = self.place(adapter, [self.state(adapter, sku)])
        binding = {sku: Binding(adapter.channel, sku, remote_id, None, None, None)}
        remote, _ = remote_by_sku(adapter.list_listings(), binding, [self.product(adapter, sku)])
        # Start from exactly what the channel shows, so only the one field differs.
        live = remote[sku].state
        products = [
            Product(
                sku=sku,
                name=live.name,
                unified_price=Money.of(price if kind == "reprice" else live.price.amount, adapter.currency),
                stock=stock if kind == "restock" else live.stock,
                status=live.status,
            )
        ]
        [action] = plan_channel(self.channel(adapter), products, remote, binding).actions
        assert action.kind == kind
        for _ in range(2):  # the same absolute write twice lands on the same value (replay-safe)
            [result] = adapter.push([change_for(action)])
            assert result.ok and result.remote_id == remote_id, result.error
        found = adapter.find_by_skus([sku])[sku].state
        assert (found.price, found.stock) == (action.after.price, action.after.stock)

    @pytest.mark.parametrize(("status", "error"), [(503, ChannelUnavailable), (429, ChannelRateLimited)])
    def test_errors_are_translated(self, adapter: ChannelAdapter, status: int, error: type[Exception]) -> None:
        if not self.inject_fault(status, retry_after=0.0):
            pytest.skip("the emulated store cannot inject faults")
        with pytest.raises(error) as info:
            adapter.list_listings()
        assert getattr(info.value, "retryable", False)

    def test_refused_credentials_are_an_auth_error(self) -> None:
        wrong = self.refuse_credentials()
        if wrong is None:
            pytest.skip("the emulated store cannot refuse credentials")
        with wrong, pytest.raises(ChannelAuthError):
            wrong.list_listings()

    def test_throttled_answer_reaches_the_governor(self, adapter: ChannelAdapter) -> None:
        reports: list[ThrottleStatus] = []
        governor = RateGovernor(None, sleep=lambda _: None)
        original = governor.report
        governor.report = lambda status: (reports.append(status), original(status))[1]  # type: ignore[method-assign]
        adapter.rate_feedback = governor
        if not self.inject_fault(429, retry_after=0.0):
            pytest.skip("the emulated store cannot inject faults")
        with pytest.raises(ChannelRateLimited):
            adapter.list_listings()
        assert any(r.throttled for r in reports)
        assert governor.stats.calls >= 1, "the adapter asks the governor before each call"

    def test_governed_writes_stay_inside_the_rate(self, adapter: ChannelAdapter) -> None:
        rate = 20.0
        if not self.limit_rate(rate):
            pytest.skip("the emulated store cannot limit the rate")
        try:
            adapter.rate_feedback = RateGovernor(rate, 1)
            throttled_before = self.server_throttled()
            skus = self.new_skus(8)
            for sku in skus:
                [result] = adapter.push([Change.create(self.state(adapter, sku))])
                assert result.ok, result.error
            assert self.server_throttled() - throttled_before == 0
        finally:
            self.limit_rate(None)
