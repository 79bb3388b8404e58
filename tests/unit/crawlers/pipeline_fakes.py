"""Stand-ins for the pipeline's writing thread, shared by the pipeline tests."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from twisted.internet.defer import Deferred


class Worker:
    """Stands in for `deferToThread`: each batch waits until `run_next` (or `run_all`) runs it."""

    def __init__(self) -> None:
        self.jobs: list[tuple[Deferred[Any], Callable[..., Any], tuple[Any, ...]]] = []

    def __call__(self, fn: Callable[..., Any], *args: Any) -> Deferred[Any]:
        d: Deferred[Any] = Deferred()
        self.jobs.append((d, fn, args))
        return d

    def run_next(self) -> None:
        d, fn, args = self.jobs.pop(0)
        d.callback(fn(*args))

    def run_all(self) -> None:
        while self.jobs:
            self.run_next()
