"""Storage: SQLAlchemy tables, Alembic migrations, and the repositories (the only ORM users)."""

from oneprice.storage.alert_queries import AlertFilter, AlertPage
from oneprice.storage.alerts import AlertRepository, EpisodeChanges
from oneprice.storage.bindings import Binding, BindingRepository
from oneprice.storage.catalog import CatalogRepository
from oneprice.storage.channel_state import ChannelState, ChannelStateRepository
from oneprice.storage.db import Database
from oneprice.storage.deadletters import DeadLetter, DeadLetterRepository
from oneprice.storage.journal import JournalEntry, JournalRepository, SyncRun
from oneprice.storage.observations import ObservationRepository
from oneprice.storage.outbox import OutboxRepository

__all__ = [
    "AlertFilter",
    "AlertPage",
    "AlertRepository",
    "Binding",
    "BindingRepository",
    "CatalogRepository",
    "ChannelState",
    "ChannelStateRepository",
    "Database",
    "DeadLetter",
    "DeadLetterRepository",
    "EpisodeChanges",
    "JournalEntry",
    "JournalRepository",
    "ObservationRepository",
    "OutboxRepository",
    "SyncRun",
]
