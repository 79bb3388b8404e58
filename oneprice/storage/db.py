"""Engine, sessions and schema migrations (Alembic, applied automatically on first use)."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, inspect
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from oneprice.errors import StorageError
from oneprice.settings.secrets import mask_secret

log = logging.getLogger(__name__)

MIGRATIONS = Path(__file__).parent / "migrations"


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


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
            with self.engine.begin() as conn:
                cfg.attributes["connection"] = conn
                command.upgrade(cfg, revision)
        except SQLAlchemyError as e:
            raise StorageError(f"cannot migrate {mask_secret(self.url)}: {e.__class__.__name__}: {e}") from e

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
