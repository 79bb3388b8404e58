"""Reading a configuration again while a process runs (the daemon, the dashboard).

A brand edits its catalog (a new unified price, a new product) and its config (a channel, a watch
target, a schedule) while its processes run for months; each picks the edit up without a restart.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

from oneprice.errors import ConfigError, Problem
from oneprice.settings.loader import LoadedConfig
from oneprice.storage import CatalogRepository, Database

Signature = tuple[tuple[str, int, int], ...]


def signature_of(paths: tuple[Path, ...]) -> Signature:
    """What the files look like now: path, modification time and size of each (-1 when missing)."""
    out = []
    for path in paths:
        try:
            st = path.stat()
            out.append((str(path), st.st_mtime_ns, st.st_size))
        except OSError:
            out.append((str(path), -1, -1))
    return tuple(out)


class ConfigWatcher:
    """Loads a configuration again once its files (`LoadedConfig.sources`) changed and then stayed as
    they are for one more check: a file an editor or a deploy is still writing is not read half-written.

    `poll()` returns the new configuration when one loaded, None otherwise. A version that does not
    load raises its ConfigError once and is not tried again until the files change. The caller stores
    what it needs, then calls `accept(new)`; if storing failed, not calling it makes the next checks try
    again.
    """

    def __init__(self, config: LoadedConfig, load: Callable[[], LoadedConfig]) -> None:
        self.load = load
        self._sources = config.sources
        self._loaded = signature_of(self._sources)
        self._pending: Signature | None = None
        self._requested = threading.Event()

    def request(self) -> None:
        """Load on the next check, changed or not (SIGHUP)."""
        self._requested.set()

    def poll(self) -> LoadedConfig | None:
        signature = signature_of(self._sources)
        if not self._requested.is_set():
            if signature == self._loaded:
                self._pending = None
                return None
            if signature != self._pending:
                self._pending = signature
                return None
        self._requested.clear()
        self._pending = None
        try:
            return self.load()
        except Exception as e:
            self._loaded = signature  # files that do not load are not tried again until they change
            if isinstance(e, ConfigError):
                raise
            raise ConfigError([Problem(str(self._sources[0]), None, "", f"{type(e).__name__}: {e}")]) from e

    def accept(self, config: LoadedConfig) -> None:
        """The caller switched to `config`: watch its files (its catalog may be another one now)."""
        self._sources = config.sources
        self._loaded = signature_of(self._sources)


def store_catalog(config: LoadedConfig, db: Database) -> None:
    """Copy the catalog, channels, resellers and watch targets into the database (what the CLI does at start)."""
    s = config.settings
    CatalogRepository(db).sync(config.catalog, s.channels, s.resellers, s.watch)
