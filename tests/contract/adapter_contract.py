"""The contract every channel adapter passes, written once and inherited per adapter kind.

A subclass provides the `adapter` fixture (a fresh adapter on an emulated store it may
write to) and may override `server_write_requests` to check the adapter's own count.
"""

from __future__ import annotations

import math
import uuid
from collections.abc import Iterable

import pytest

from adapters.base import Change, ChannelAdapter
from oneprice.domain.catalog import Product
from oneprice.domain.listing import ListingState, RemoteListing
from oneprice.domain.money import Money
from oneprice.settings.models import ChannelSettings
from sync.applier import change_for
from sync.planner import plan_channel


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

    # -- helpers --------------------------------------------------------------------------

    @staticmethod
    def new_skus(n: int = 1) -> list[str]:
        run = uuid.uuid4().hex[:8].upper()
        return [f"CT-{run}-{i}" for i in range(n)]

    @staticmethod
    def state(
        adapter: ChannelAdapter, sku: str, price: str = "199.00", stock: int = 3, **kw: str
    ) -> ListingState:
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
        assert result.ok, result.error
        assert result.sku == sku and result.remote_id
        listed = self.by_sku(adapter.list_listings())
        assert sku in listed
        assert listed[sku].remote_id == result.remote_id
        assert listed[sku].state == desired

    def test_push_update_then_read_back_equals_desired(self, adapter: ChannelAdapter) -> None:
        [sku] = self.new_skus()
        [created] = adapter.push([Change.create(self.state(adapter, sku))])
        assert created.ok and created.remote_id
        desired = self.state(adapter, sku, price="149.50", stock=0, status="inactive", name=f"Renamed {sku}")
        [updated] = adapter.push([Change.update(created.remote_id, desired)])
        assert updated.ok, updated.error
        assert updated.remote_id == created.remote_id
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
        first = plan_channel(channel, products, self.by_sku(adapter.list_listings()))
        assert [a.kind for a in first.actions] == ["create"] * 3
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
        results = adapter.push(
            [Change.create(self.state(adapter, good)), Change.update("999999999", self.state(adapter, bad))]
        )
        assert [r.sku for r in results] == [good, bad]
        assert results[0].ok
        assert not results[1].ok and results[1].error

    def test_batches_respect_the_limit(self, adapter: ChannelAdapter) -> None:
        limit = adapter.capabilities.batch_limit
        skus = self.new_skus(limit + 1)
        before = adapter.write_requests
        results = adapter.push([Change.create(self.state(adapter, s, stock=1)) for s in skus])
        assert all(r.ok for r in results)
        assert adapter.write_requests - before == math.ceil(len(skus) / limit)

    def test_write_requests_match_the_server(self, adapter: ChannelAdapter) -> None:
        server_before = self.server_write_requests()
        if server_before is None:
            pytest.skip("the emulated store does not count requests")
        [sku] = self.new_skus()
        adapter.list_listings()
        [result] = adapter.push([Change.create(self.state(adapter, sku))])
        assert result.ok
        server_after = self.server_write_requests()
        assert server_after is not None
        assert server_after - server_before == adapter.write_requests == 1
