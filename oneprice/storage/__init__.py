"""Storage: SQLAlchemy tables, Alembic migrations, and the repositories (the only ORM users)."""

from oneprice.storage.alerts import AlertRepository, EpisodeChanges
from oneprice.storage.bindings import Binding, BindingRepository
from oneprice.storage.catalog import CatalogRepository
from oneprice.storage.db import Database
from oneprice.storage.journal import JournalEntry, JournalRepository, SyncRun
from oneprice.storage.observations import ObservationRepository

__all__ = [
    "AlertRepository",
    "Binding",
    "BindingRepository",
    "CatalogRepository",
    "Database",
    "EpisodeChanges",
    "JournalEntry",
    "JournalRepository",
    "ObservationRepository",
    "SyncRun",
]
