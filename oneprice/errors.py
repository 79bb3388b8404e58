"""The one exception tree of oneprice.

    OnepriceError                      base of everything we raise on purpose
    ├── UserError                      the user can fix it: one line, exit 2, no traceback
    │   ├── ConfigError                bad YAML/CSV/values; carries every Problem found
    │   └── PlanError                  a plan that cannot be applied (stale, malformed)
    ├── StorageError                   database unreachable, migration failed
    ├── ChannelError                   talking to a channel's API (carries channel, retryable)
    │   ├── ChannelAuthError           credentials refused (401/403)
    │   ├── ChannelRateLimited         throttled; retry_after seconds when the channel says
    │   ├── ChannelUnavailable         5xx, timeout, connection refused (retryable)
    │   ├── ChannelRequestError        the channel refused this request (4xx); status, code
    │   │   └── BatchTooLarge          more items than the channel takes in one call
    │   └── ChannelResponseError       the answer is not what the protocol promises
    └── ExtractionError                a page could not be read as a listing

Every error carries structured attributes; the message is for people, the
attributes are for code (retry decisions, journal rows, exit codes).
"""

from __future__ import annotations

from dataclasses import dataclass


class OnepriceError(Exception):
    """Base of every error oneprice raises on purpose."""


class UserError(OnepriceError):
    """Something the user can fix; the CLI prints one line and exits 2."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong in an input file, located by file, line and field path.

    >>> str(Problem("config/demo.yaml", 12, "channels[0].kind", "unknown channel kind 'x'"))
    "config/demo.yaml:12: channels[0].kind: unknown channel kind 'x'"
    """

    file: str
    line: int | None
    path: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.path}: {self.message}" if self.path else f"{where}: {self.message}"


class ConfigError(UserError):
    """The configuration (YAML or catalog file) is invalid; `problems` lists every finding."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems, key=lambda p: (p.file, p.line or 0, p.path))
        super().__init__("\n".join(str(p) for p in self.problems))


class PlanError(UserError):
    """A sync plan that cannot be applied as it stands (stale basis, unreadable file)."""


class StorageError(OnepriceError):
    """The database could not be reached or brought to the expected schema."""


class ChannelError(OnepriceError):
    """A channel's API failed; `retryable` says whether the same call may succeed later."""

    retryable = False

    def __init__(self, channel: str, message: str, *, status: int | None = None, code: str | None = None):
        self.channel = channel
        self.status = status
        self.code = code
        super().__init__(f"{channel}: {message}")


class ChannelAuthError(ChannelError):
    """The channel refused our credentials."""


class ChannelRateLimited(ChannelError):
    """The channel throttled us; wait `retry_after` seconds (None: unknown) before the next call."""

    retryable = True

    def __init__(self, channel: str, message: str, *, retry_after: float | None = None, **kw: object):
        super().__init__(channel, message, **kw)  # type: ignore[arg-type]
        self.retry_after = retry_after


class ChannelUnavailable(ChannelError):
    """The channel is down or did not answer in time; retry with backoff."""

    retryable = True


class ChannelRequestError(ChannelError):
    """The channel refused this request; sending it again will not help."""


class BatchTooLarge(ChannelRequestError):
    """More items in one call than the channel accepts."""


class ChannelResponseError(ChannelError):
    """The channel answered something its protocol does not allow (bad JSON, missing fields)."""


class ExtractionError(OnepriceError):
    """A page could not be read as a listing; `reason` is a short machine-readable word."""

    def __init__(self, reason: str, message: str) -> None:
        self.reason = reason
        super().__init__(f"{reason}: {message}")
