"""SQLAlchemy 2 tables, one module per area; only oneprice.storage imports them.

Every table module must be imported here so Alembic sees the whole schema.
"""

from oneprice.storage.tables.alerts import AlertRow
from oneprice.storage.tables.base import BIGID, MONEY, NAMING, Amount, Base, UTCDateTime
from oneprice.storage.tables.catalog import ChannelRow, ProductRow, ResellerRow, WatchTargetRow
from oneprice.storage.tables.crawl import EvidenceRow, ObservationRow
from oneprice.storage.tables.sync import BindingRow, JournalRow, SyncRunRow

__all__ = [
    "BIGID",
    "MONEY",
    "NAMING",
    "AlertRow",
    "Amount",
    "Base",
    "BindingRow",
    "ChannelRow",
    "EvidenceRow",
    "JournalRow",
    "ObservationRow",
    "ProductRow",
    "ResellerRow",
    "SyncRunRow",
    "UTCDateTime",
    "WatchTargetRow",
]
