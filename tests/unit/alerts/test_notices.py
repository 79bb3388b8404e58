"""Notices: rendered from templates with the evidence, escalating per seller, hostile text escaped."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from alert_fakes import Feed, make_config

from alerts.engine import evaluate
from alerts.notices import draft, send
from oneprice.errors import UserError
from oneprice.storage import Database, OutboxRepository

T0 = datetime(2026, 11, 1, 8, 0, tzinfo=UTC)
HOSTILE = "<script>steal()</script>小店"


def test_escalation_stages_and_sending(tmp_path: Path, sqlite_db: Database, feed: Feed) -> None:
    config = make_config(tmp_path, {"routes": [{"name": "mail", "url": "log://"}], "notices": {"route": "mail"}})
    feed("t-star", "800", T0)
    evaluate(config, sqlite_db, now=T0)
    first = draft(config, sqlite_db, "star", now=T0)
    assert first.stage == 1 and "价格违规通知" in first.subject
    assert "800.00 CNY" in first.body_text and "1000.00 CNY" in first.body_text
    assert "http://127.0.0.1:1/star" in first.body_text and "sha256" in first.body_text
    again = draft(config, sqlite_db, "star", language="en", now=T0)
    assert again.stage == 1 and "Dear 星光" in again.body_text  # drafts do not escalate
    send(config, sqlite_db, first.id, now=T0)
    with pytest.raises(UserError, match="sent already"):
        send(config, sqlite_db, first.id, now=T0)
    second = draft(config, sqlite_db, "star", now=T0)
    assert second.stage == 2 and "第二次" in second.body_text
    send(config, sqlite_db, second.id, now=T0)
    third = draft(config, sqlite_db, "star", now=T0)
    fourth_stage = draft(config, sqlite_db, "star", now=T0)
    assert "平台" in third.body_text and fourth_stage.stage == 3
    queued = [i for i in OutboxRepository(sqlite_db).list() if i.kind == "notice"]
    assert len(queued) == 2


def test_hostile_seller_name_is_escaped_in_the_html_notice(tmp_path: Path, sqlite_db: Database, feed: Feed) -> None:
    config = make_config(tmp_path)
    feed("t-star", "800", T0, seller=HOSTILE, reseller=None)
    evaluate(config, sqlite_db, now=T0)
    notice = draft(config, sqlite_db, "name:<script>steal()</script>小店", now=T0)
    assert "<script>" not in notice.body_html and "&lt;script&gt;" in notice.body_html
    assert "Shanyu&gt;" in notice.body_html  # the brand name is escaped too


def test_templates_from_the_config_directory_win(tmp_path: Path, sqlite_db: Database, feed: Feed) -> None:
    (tmp_path / "notices").mkdir()
    (tmp_path / "notices" / "first_notice.en.txt").write_text("Custom for {{ seller }}: {{ items|length }}")
    config = make_config(tmp_path, {"notices": {"templates": "notices", "language": "en"}})
    feed("t-star", "800", T0)
    evaluate(config, sqlite_db, now=T0)
    assert draft(config, sqlite_db, "star", now=T0).body_text == "Custom for 星光: 1"


REFUSED = [
    ("nobody", {}, "no open price alerts"),
    ("star", {"notices": {"language": "en", "stages": ["final_warning"]}}, "no notice template"),
]


@pytest.mark.parametrize(("seller", "alerts", "message"), REFUSED)
def test_refused(
    tmp_path: Path, sqlite_db: Database, feed: Feed, seller: str, alerts: dict[str, object], message: str
) -> None:
    config = make_config(tmp_path, alerts)
    feed("t-star", "800", T0)
    evaluate(config, sqlite_db, now=T0)
    with pytest.raises(UserError, match=message):
        draft(config, sqlite_db, seller, now=T0)


def test_send_needs_a_route(tmp_path: Path, sqlite_db: Database, feed: Feed) -> None:
    config = make_config(tmp_path)
    feed("t-star", "800", T0)
    evaluate(config, sqlite_db, now=T0)
    notice = draft(config, sqlite_db, "star", now=T0)
    with pytest.raises(UserError, match=r"alerts\.notices\.route"):
        send(config, sqlite_db, notice.id, now=T0)
