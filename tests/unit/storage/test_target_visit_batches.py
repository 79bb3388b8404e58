"""TargetRepository.record_visits: many visits in one transaction, the same outcome as one by one."""

from __future__ import annotations

from datetime import UTC, datetime

from oneprice.storage import Database
from oneprice.storage.targets import Found, TargetRepository, backoff, discovered_id

NOW = datetime(2026, 1, 1, tzinfo=UTC)


def test_a_batch_of_visits_equals_the_visits_one_by_one(any_db: Database) -> None:
    repo = TargetRepository(any_db)
    repo.add_discovered([Found("jd", f"https://item.example/{i}", None, None, None) for i in range(3)])
    a, b, c = (discovered_id("jd", f"https://item.example/{i}") for i in range(3))
    visits = [
        (a, "blocked", "captcha"),
        ("not-a-target", "ok", None),  # skipped, as record_visit skips it
        (b, "ok", None),
        (a, "http_error", "http_503"),  # the same target twice: applied in order
        (c, "no_price", "sold_out"),
    ]
    repo.record_visits(visits, NOW)
    health = {h.id: (h.last_status, h.last_reason, h.failures) for h in repo.health()}
    assert health == {a: ("http_error", "http_503", 2), b: ("ok", None, 0), c: ("no_price", "sold_out", 0)}
    assert repo.backed_off([a, b, c], NOW) == {a}
    assert repo.backed_off([a], NOW + backoff(2)) == set()
    repo.record_visits([(a, "ok", None)], NOW)
    assert repo.backed_off([a], NOW) == set()
    repo.record_visits([], NOW)
