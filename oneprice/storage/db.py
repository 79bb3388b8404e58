"""Engine, sessions and schema migrations (Alembic, applied automatically on first use)."""

from __future__ import annotations

import fcntl
import logging
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from oneprice.errors import StorageError
from oneprice.settings.secrets import mask_secret

log = logging.getLogger(__name__)

T = TypeVar("T")

IN_LIST_CHUNK = 500
"""Most values bound in one `IN (...)` list (or written in one statement): well under SQLite's
parameter limit on every build."""


def chunks(items: Sequence[T], size: int = IN_LIST_CHUNK) -> Iterator[Sequence[T]]:
    """`items` a slice of at most `size` at a time."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


MIGRATIONS = Path(__file__).parent / "migrations"
MIGRATION_LOCK_KEY = 0x0E9_1CE  # advisory lock id for migrations on PostgreSQL


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # Let SQLAlchemy, not the sqlite3 module, decide where transactions begin (see _sqlite_begin):
    # the module would otherwise run DDL outside any transaction, so a failed migration half-applied.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def rowcount(result: Any) -> int:
    """Rows touched by an UPDATE/DELETE result (typed loosely: SQLAlchemy returns a CursorResult)."""
    return int(getattr(result, "rowcount", 0) or 0)


def _sqlite_begin(conn: Any) -> None:
    # IMMEDIATE: take the write lock up front (waiting up to busy_timeout). SQLite has one writer;
    # a deferred transaction that read first could not upgrade to a write once another wrote.
    conn.exec_driver_sql("BEGIN IMMEDIATE")


class Database:
    """One database: an engine, a session factory, and the migration runner.

    >>> db = Database.open("sqlite:///var/oneprice.db")   # doctest: +SKIP
    >>> with db.session() as s: ...                       # one transaction, committed on exit
    """

    def __init__(self, url: str, *, echo: bool = False) -> None:
        self.url = url
        if url.startswith("sqlite:///") and ":memory:" not in url:
            Path(url[len("sqlite:///") :]).parent.mkdir(parents=True, exist_ok=True)
        try:
            self.engine: Engine = create_engine(url, echo=echo, future=True)
        except (SQLAlchemyError, ImportError, ValueError) as e:
            raise StorageError(f"cannot use database {mask_secret(url)}: {e}") from e
        if self.engine.dialect.name == "sqlite":
            event.listen(self.engine, "connect", _sqlite_pragmas)
            event.listen(self.engine, "begin", _sqlite_begin)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    @classmethod
    def open(cls, url: str, *, echo: bool = False) -> Database:
        """Connect and bring the schema to the newest migration."""
        db = cls(url, echo=echo)
        db.upgrade()
        return db

    def __repr__(self) -> str:
        return f"Database({mask_secret(self.url)!r})"

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session in one transaction: committed when the block ends, rolled back on error."""
        session = self._sessions()
        try:
            with session.begin():
                yield session
        finally:
            session.close()

    def _alembic_config(self) -> Any:
        from alembic.config import Config

        cfg = Config()
        cfg.set_main_option("script_location", str(MIGRATIONS))
        cfg.set_main_option("sqlalchemy.url", self.url.replace("%", "%%"))
        return cfg

    def upgrade(self, revision: str = "heads") -> None:
        """Apply migrations up to `revision` (every branch head by default); safe on every start."""
        from alembic import command

        cfg = self._alembic_config()
        try:
            with self._migration_lock(), self.engine.begin() as conn:
                if self.engine.dialect.name == "postgresql":
                    # Processes starting together (daemon, CLI, crawler) migrate one at a time.
                    conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK_KEY})
                cfg.attributes["connection"] = conn
                command.upgrade(cfg, revision)
        except SQLAlchemyError as e:
            raise StorageError(f"cannot migrate {mask_secret(self.url)}: {e.__class__.__name__}: {e}") from e

    @contextmanager
    def _migration_lock(self) -> Iterator[None]:
        """On SQLite, an exclusive lock file beside the database serialises concurrent first use."""
        database = self.engine.url.database
        if self.engine.dialect.name != "sqlite" or not database or database == ":memory:":
            yield
            return
        try:
            handle = open(f"{database}.migrate-lock", "a+b")  # closed by the with below
        except OSError as e:
            raise StorageError(f"cannot create the database file {database}: {e.strerror or e}") from None
        with handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def current_revision(self) -> str | None:
        """The applied revision(s), comma-separated when several migration branches are applied."""
        from alembic.runtime.migration import MigrationContext

        with self.engine.connect() as conn:
            heads = MigrationContext.configure(conn).get_current_heads()
        return ",".join(sorted(heads)) or None

    def table_names(self) -> list[str]:
        return sorted(inspect(self.engine).get_table_names())

    def dispose(self) -> None:
        self.engine.dispose()
