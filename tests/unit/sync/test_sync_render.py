"""Rendering of plans and apply reports: Rich tables and JSON with Decimal as strings."""

from __future__ import annotations

import json

from rich.console import Console
from sync_fakes import channel, listing_state, product

from oneprice.domain.listing import RemoteListing
from sync.plan import ChannelPlan
from sync.planner import plan_channel
from sync.render import plan_document, render_plans, render_report, to_json
from sync.report import ApplyReport, ChannelResult, ItemProblem


def console() -> Console:
    return Console(record=True, width=200, color_system=None)


def sample_plan() -> ChannelPlan:
    remote = {
        "A": RemoteListing(remote_id="1", state=listing_state("A", "1299", stock=5)),
        "C": RemoteListing(remote_id="3", state=listing_state("C")),
    }
    products = [
        product("A", "1199", stock=3),
        product("B", "99.5", name="[bold]Tea & Cup[/bold]"),
        product("C"),
    ]
    return plan_channel(channel("shop"), products, remote)


def test_render_plans_shows_writes_and_counts() -> None:
    out = console()
    render_plans([sample_plan()], out)
    text = out.export_text()
    assert "price 1299.00 → 1199.00 CNY; stock 5 → 3" in text
    assert "[bold]Tea & Cup[/bold]" in text  # names are shown as text, never as markup
    assert "99.50 CNY, stock 5, active" in text
    assert "shop: 1 to create, 1 to update (1 update), 1 unchanged, 0 skipped" in text
    assert "2 write(s) planned across 1 channel(s)." in text
    assert "│ unchanged" not in text


def test_render_plans_unchanged_on_request_and_up_to_date() -> None:
    out = console()
    plan = plan_channel(channel("shop"), [product("C")], {"C": RemoteListing(remote_id="3", state=listing_state("C"))})
    render_plans([plan], out, show_unchanged=True)
    text = out.export_text()
    assert "unchanged" in text and "Everything is up to date" in text


def test_plan_json_has_decimal_strings() -> None:
    doc = json.loads(to_json([sample_plan()]))
    assert doc["writes"] == 2
    [ch] = doc["channels"]
    assert (ch["channel"], ch["creates"], ch["updates"], ch["unchanged"]) == ("shop", 1, 1, 1)
    a = ch["actions"][0]
    assert a["before"]["price"]["amount"] == "1299.00" and a["after"]["price"]["amount"] == "1199.00"
    assert a["changes"] == ["price", "stock"]
    assert plan_document([]) == {"channels": [], "writes": 0}


def report() -> ApplyReport:
    return ApplyReport(
        channels=(
            ChannelResult(channel="shop", run_id=1, created=2, updated=1, unchanged=4, write_requests=1),
            ChannelResult(
                channel="outlet",
                run_id=2,
                failed=1,
                skipped=1,
                write_requests=3,
                failures=(ItemProblem(sku="B", action="update", error="rest_invalid_param: bad"),),
                skips=(ItemProblem(sku="D", action="skip", error="currency mismatch: ..."),),
            ),
        )
    )


def test_report_json_has_top_level_write_requests() -> None:
    doc = json.loads(to_json(report()))
    assert doc["write_requests"] == 4
    assert (doc["created"], doc["updated"], doc["unchanged"], doc["failed"], doc["skipped"]) == (
        2,
        1,
        4,
        1,
        1,
    )
    assert doc["ok"] is False
    assert [c["write_requests"] for c in doc["channels"]] == [1, 3]
    assert doc["channels"][1]["failures"][0] == {
        "sku": "B",
        "action": "update",
        "error": "rest_invalid_param: bad",
        "retryable": False,
    }


def test_render_report_table_and_problems() -> None:
    out = console()
    render_report(report(), out)
    text = out.export_text()
    assert "write requests" in text
    assert "total" in text
    assert "outlet: update B failed: rest_invalid_param: bad" in text
    assert "outlet: D skipped: currency mismatch" in text
