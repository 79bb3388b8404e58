"""Notices go to the reseller's contact address (blind copy to the brand), complaints to the brand."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from alert_fakes import Feed, make_config
from pydantic import SecretStr

from alerts.delivery import addressed
from alerts.engine import evaluate
from alerts.notices import draft, send
from oneprice.errors import UserError
from oneprice.settings.alerts import RouteSettings
from oneprice.settings.loader import LoadedConfig
from oneprice.storage import Database, OutboxRepository

T0 = datetime(2026, 11, 1, 8, 0, tzinfo=UTC)
MAIL = "mailto://user:pw@127.0.0.1:2525?from=alerts@shanyu.example&to=brand@shanyu.example"


def with_contact(tmp_path: Path, contact: str | None, url: str = MAIL) -> LoadedConfig:
    config = make_config(tmp_path, {"routes": [{"name": "mail", "url": url}], "notices": {"route": "mail"}})
    resellers = tuple(
        r.model_copy(update={"contact": contact}) if r.id == "star" else r for r in config.settings.resellers
    )
    settings = config.settings.model_copy(update={"resellers": resellers})
    return LoadedConfig(path=config.path, settings=settings, catalog=config.catalog)


def route(url: str) -> RouteSettings:
    return RouteSettings(name="r", url=SecretStr(url))


@pytest.mark.parametrize(
    ("url", "recipient", "expected"),
    [
        (
            MAIL,
            "ops@star.example",
            "mailto://user:pw@127.0.0.1:2525?from=alerts@shanyu.example&to=ops@star.example&bcc=brand@shanyu.example",
        ),
        ("mailto://h?to=a@x.cn&bcc=b@x.cn", "s@y.cn", "mailto://h?to=s@y.cn&bcc=b@x.cn,a@x.cn"),
        ("mailtos://h?from=f@x.cn", "s@y.cn", "mailtos://h?from=f@x.cn&to=s@y.cn"),
        (MAIL, None, MAIL),
        ("json://127.0.0.1:9/hook", "s@y.cn", "json://127.0.0.1:9/hook"),
    ],
    ids=["to becomes bcc", "bcc kept", "no own to", "no recipient", "not mail"],
)
def test_addressed(url: str, recipient: str | None, expected: str) -> None:
    assert addressed(route(url), recipient).url.get_secret_value() == expected


def first_notice(config: LoadedConfig, db: Database, feed: Feed) -> int:
    feed("t-star", "800", T0)
    evaluate(config, db, now=T0)
    return draft(config, db, "star", now=T0).id


def queued(db: Database) -> list[Any]:
    items = sorted(OutboxRepository(db).list(), key=lambda i: i.id)
    return [(i.route, i.recipient) for i in items if i.kind == "notice"]


def test_notice_goes_to_the_resellers_contact(tmp_path: Path, sqlite_db: Database, feed: Feed) -> None:
    config = with_contact(tmp_path, " ops@star.example ")
    sent = send(config, sqlite_db, first_notice(config, sqlite_db, feed), now=T0)
    assert (sent.sent_via, sent.recipient) == ("mail", "ops@star.example")
    assert queued(sqlite_db) == [("mail", "ops@star.example")]


def test_platform_complaint_goes_to_the_brand(tmp_path: Path, sqlite_db: Database, feed: Feed) -> None:
    config = with_contact(tmp_path, "ops@star.example")
    send(config, sqlite_db, first_notice(config, sqlite_db, feed), now=T0)
    send(config, sqlite_db, draft(config, sqlite_db, "star", now=T0).id, now=T0)
    complaint = draft(config, sqlite_db, "star", now=T0)
    assert complaint.stage == 3
    assert send(config, sqlite_db, complaint.id, now=T0).recipient is None
    assert [r for _, r in queued(sqlite_db)] == ["ops@star.example", "ops@star.example", None]


@pytest.mark.parametrize(
    ("contact", "url", "to", "expected"),
    [
        (None, MAIL, None, None),  # no contact on file: the brand's recipients, who forward it
        ("微信 star_wx", MAIL, None, None),  # a contact that is not an address is not guessed at
        ("ops@star.example", MAIL, "legal@star.example", "legal@star.example"),
        ("ops@star.example", "json://127.0.0.1:9/hook", None, None),  # IM/webhook routes have no addressee
    ],
    ids=["no contact", "not an address", "--to wins", "not a mail route"],
)
def test_recipient_choice(
    tmp_path: Path, sqlite_db: Database, feed: Feed, contact: str | None, url: str, to: str | None, expected: str
) -> None:
    config = with_contact(tmp_path, contact, url)
    assert send(config, sqlite_db, first_notice(config, sqlite_db, feed), to=to, now=T0).recipient == expected


@pytest.mark.parametrize(
    ("url", "to", "message"),
    [
        (MAIL, "not-an-address", "is not an e-mail address"),
        (MAIL, "a@b.cn>, evil@x.cn", "is not an e-mail address"),
        ("json://127.0.0.1:9/hook", "legal@star.example", "is not a mail route"),
    ],
)
def test_refused_addresses(tmp_path: Path, sqlite_db: Database, feed: Feed, url: str, to: str, message: str) -> None:
    config = with_contact(tmp_path, None, url)
    notice_id = first_notice(config, sqlite_db, feed)
    with pytest.raises(UserError, match=message):
        send(config, sqlite_db, notice_id, to=to, now=T0)
    assert queued(sqlite_db) == []  # nothing queued, the draft can still be sent
