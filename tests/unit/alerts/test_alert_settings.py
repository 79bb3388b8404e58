"""The alerts section: overrides per rule/product/platform/seller, promotions, routes."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from pydantic import ValidationError

from oneprice.domain.alert import EpisodePolicy
from oneprice.settings.alerts import AlertSettings

SETTINGS = AlertSettings.model_validate(
    {
        "episodes": {"grace_observations": 2, "resolve_after_minutes": 30},
        "overrides": [
            {"rule": "undercut", "product_line": "gear", "grace_observations": 3},
            {"seller": "star", "platform": "tmall", "grace_minutes": 60},
            {"rule": "unauthorized_seller", "seller": "grey", "enabled": False},
            {"rule": "unauthorized_seller", "seller": "grey", "platform": "jd", "enabled": True},
        ],
    }
)

POLICIES = [
    # rule, sku, product line, platform, seller -> policy
    (("undercut", "JK", "apparel", "jd", "x"), EpisodePolicy(grace_observations=2, resolve_after_minutes=30)),
    (("undercut", "TN", "gear", "jd", "x"), EpisodePolicy(grace_observations=3, resolve_after_minutes=30)),
    (
        ("undercut", "TN", "gear", "tmall", "star"),
        EpisodePolicy(grace_observations=3, grace_minutes=60, resolve_after_minutes=30),
    ),
    (("drift", "TN", "gear", "tmall", "x"), EpisodePolicy(grace_observations=2, resolve_after_minutes=30)),
]


@pytest.mark.parametrize(("where", "policy"), POLICIES)
def test_episode_policy(where: tuple[str, str, str, str, str], policy: EpisodePolicy) -> None:
    assert SETTINGS.episode_policy(*where) == policy


ENABLED = [
    (("unauthorized_seller", "JK", None, "tmall", "grey"), False),
    (("unauthorized_seller", "JK", None, "jd", "grey"), True),  # the later, narrower entry wins
    (("undercut", "JK", None, "tmall", "grey"), True),
]


@pytest.mark.parametrize(("where", "enabled"), ENABLED)
def test_enabled(where: tuple[str, str, str | None, str, str], enabled: bool) -> None:
    assert SETTINGS.enabled(*where) is enabled


BAD = [
    {"promotions": [{"name": "x", "start": "2026-06-01T00:00:00+08:00", "end": "2026-06-02T00:00:00+08:00"}]},
    {
        "promotions": [
            {
                "name": "x",
                "start": "2026-06-02T00:00:00+08:00",
                "end": "2026-06-01T00:00:00+08:00",
                "floor_percent": "10",
            }
        ]
    },
    {"promotions": [{"name": "x", "start": "2026-06-01T00:00:00", "end": "2026-06-02T00:00:00Z", "floor_price": "1"}]},
    {"episodes": {"grace_observations": 0}},
    {"routes": [{"name": "r", "url": "json://x", "events": ["closed"]}]},
    {"overrides": [{"rule": "undercut", "grace": 2}]},
]


@pytest.mark.parametrize("raw", BAD)
def test_refused(raw: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        AlertSettings.model_validate(raw)


def test_promotion_window_is_half_open_and_time_zone_aware() -> None:
    s = AlertSettings.model_validate(
        {
            "promotions": [
                {
                    "name": "双11",
                    "start": "2026-11-10T20:00:00+08:00",
                    "end": "2026-11-12T00:00:00+08:00",
                    "floor_percent": "20",
                }
            ]
        }
    )
    assert s.promotion_for("JK", None, "tmall", datetime(2026, 11, 10, 12, 0, tzinfo=UTC)) is not None
    assert s.promotion_for("JK", None, "tmall", datetime(2026, 11, 10, 11, 59, tzinfo=UTC)) is None
    assert s.promotion_for("JK", None, "tmall", datetime(2026, 11, 11, 16, 0, tzinfo=UTC)) is None
