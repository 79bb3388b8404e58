"""Users, sessions and login attempts repositories; the dashboard's keyset queries."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from oneprice.domain.alert import Severity, Violation
from oneprice.domain.money import Money
from oneprice.errors import UserError
from oneprice.storage import AlertRepository, Database
from oneprice.storage.users import LoginAttemptRepository, Role, SessionRepository, UserRepository
from oneprice.storage.web_queries import AlertFilter, DashboardQueries


def test_users_are_unique_and_sessions_follow_their_user(any_db: Database) -> None:
    users, sessions = UserRepository(any_db), SessionRepository(any_db)
    user = users.add("li.wei", "$argon2id$x", Role.BRAND_MANAGER, language="zh-CN", display_name="李伟")
    with pytest.raises(UserError, match="already exists"):
        users.add("li.wei", "$argon2id$y", Role.VIEWER)
    with pytest.raises(UserError, match="unknown language"):
        users.add("other", "$argon2id$y", Role.VIEWER, language="fr")
    sessions.create(user.id, "tok", timedelta(hours=1))
    found = sessions.user_for("tok")
    assert found is not None and found.username == "li.wei" and found.can_act_on_alerts()
    assert sessions.user_for("other") is None
    sessions.end("tok")
    assert sessions.user_for("tok") is None
    with pytest.raises(UserError, match="no user"):
        users.set_password("ghost", "h")


def test_expired_sessions_open_nothing(any_db: Database) -> None:
    user = UserRepository(any_db).add("a", "h", Role.VIEWER)
    sessions = SessionRepository(any_db)
    sessions.create(user.id, "old", timedelta(seconds=-1))
    assert sessions.user_for("old") is None


def test_failures_count_within_the_window_and_a_success_resets_the_user_count(any_db: Database) -> None:
    attempts = LoginAttemptRepository(any_db)
    now = datetime.now(UTC)
    attempts.record("bob", "10.0.0.1", False, at=now - timedelta(hours=2))
    for _ in range(3):
        attempts.record("bob", "10.0.0.1", False, at=now - timedelta(minutes=1))
    since = now - timedelta(minutes=15)
    assert attempts.failures(since=since, username="bob") == 3
    attempts.record("bob", "10.0.0.1", True, at=now)
    assert attempts.failures(since=since, username="bob") == 0
    # The address keeps its count: a success elsewhere does not lift its limit.
    assert attempts.failures(since=since, client="10.0.0.1") == 3


def _violations(n: int, at: datetime) -> list[Violation]:
    return [
        Violation(
            rule="undercut" if i % 2 else "unauthorized_seller",
            product_sku=f"SKU-{i % 7}",
            seller_key=f"name:seller {i}",
            seller_name=f"Seller {i} 100%_off",
            reseller_id=None,
            platform=("tmall", "jd", "taobao")[i % 3],
            unified_price=Money.of("100", "CNY"),
            observed_price=Money.of("80", "CNY"),
            gap_percent=None,
            severity=(Severity.INFO, Severity.WARNING, Severity.CRITICAL)[i % 3],
            message="m",
            url="http://127.0.0.1/x",
            observation_id=None,
            observed_at=at,
        )
        for i in range(n)
    ]


def test_alert_pages_walk_every_match_once_newest_first(any_db: Database) -> None:
    at = datetime(2026, 11, 20, tzinfo=UTC)
    AlertRepository(any_db).apply(_violations(95, at), [], at)
    q = DashboardQueries(any_db)
    flt = AlertFilter(platform="jd", severity="warning")
    seen: list[int] = []
    before = None
    while True:
        page = q.alert_page(flt, before=before, limit=7)
        seen += [a.id for a in page.lines]
        assert all(a.platform == "jd" and a.severity == "warning" for a in page.lines)
        if page.next_cursor is None:
            break
        before = page.next_cursor
    assert seen == sorted(seen, reverse=True) and len(seen) == len(set(seen)) == q.alert_count(flt) == 32
    assert [a.id for a in q.iter_alerts(flt, chunk=5)] == seen


def test_seller_search_treats_like_wildcards_as_text(any_db: Database) -> None:
    at = datetime(2026, 11, 20, tzinfo=UTC)
    AlertRepository(any_db).apply(_violations(12, at), [], at)
    q = DashboardQueries(any_db)
    assert q.alert_count(AlertFilter(seller="100%_off")) == 12
    assert q.alert_count(AlertFilter(seller="1%0")) == 0
    assert q.alert_count(AlertFilter(seller="seller 1")) == 3  # 1, 10, 11
    assert q.alert_count(AlertFilter(seller="name:seller 1")) == 1  # an exact key


def test_date_filters_are_whole_utc_days(any_db: Database) -> None:
    at = datetime(2026, 11, 20, 23, 59, tzinfo=UTC)
    AlertRepository(any_db).apply(_violations(3, at), [], at)
    q = DashboardQueries(any_db)
    day = at.date()
    assert q.alert_count(AlertFilter(since=day, until=day)) == 3
    assert q.alert_count(AlertFilter(since=day + timedelta(days=1))) == 0
    assert q.alert_count(AlertFilter(until=day - timedelta(days=1))) == 0
    assert q.alert_count(AlertFilter(until=date.max)) == 3  # the last day there is: no day after it to compare with


def test_a_capped_count_stops_just_past_the_cap(any_db: Database) -> None:
    at = datetime(2026, 11, 20, tzinfo=UTC)
    AlertRepository(any_db).apply(_violations(12, at), [], at)
    q = DashboardQueries(any_db)
    assert q.alert_count(AlertFilter(), cap=5) == 6
    assert q.alert_count(AlertFilter(), cap=50) == 12 == q.alert_count(AlertFilter())
