"""Base of every settings model: frozen, unknown keys refused."""

from __future__ import annotations

from datetime import tzinfo

from pydantic import BaseModel, ConfigDict

NAME_PATTERN = r"^[a-z0-9][a-z0-9_-]{0,63}$"


class Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


DEFAULT_TIMEZONE = "Asia/Shanghai"  # the brand's local clock: `daemon.timezone`, and `alerts.timezone` after it


def zone_named(name: str) -> tzinfo:
    """The IANA time zone `name` (Asia/Shanghai, UTC), or ValueError with a message a user can act on."""
    from zoneinfo import ZoneInfo

    try:
        return ZoneInfo(name)
    except Exception:  # ZoneInfoNotFoundError, or ValueError for a name such as "../x"
        raise ValueError(f"unknown timezone {name!r} (e.g. Asia/Shanghai, UTC)") from None
