"""SQLAlchemy 2 tables, one module per area; only oneprice.storage imports them.

Every table module must be imported here so Alembic sees the whole schema.
"""

from oneprice.storage.tables import web as web  # dashboard: users, sessions, login attempts
from oneprice.storage.tables.alerts import AlertDismissalRow, AlertEventRow, AlertRow, NoticeRow, OutboxRow
from oneprice.storage.tables.base import BIGID, MONEY, NAMING, Amount, Base, UTCDateTime
from oneprice.storage.tables.catalog import ChannelRow, ProductRow, ResellerRow, WatchTargetRow
from oneprice.storage.tables.crawl import DiscoveredSellerRow, EvidenceRow, ListingReviewRow, ObservationRow
from oneprice.storage.tables.daemon import JobRunRow, JobStateRow, LeaseRow
from oneprice.storage.tables.sync import BindingRow, JournalRow, SyncRunRow

__all__ = [
    "BIGID",
    "MONEY",
    "NAMING",
    "AlertDismissalRow",
    "AlertEventRow",
    "AlertRow",
    "Amount",
    "Base",
    "BindingRow",
    "ChannelRow",
    "DiscoveredSellerRow",
    "EvidenceRow",
    "JobRunRow",
    "JobStateRow",
    "JournalRow",
    "LeaseRow",
    "ListingReviewRow",
    "NoticeRow",
    "ObservationRow",
    "OutboxRow",
    "ProductRow",
    "ResellerRow",
    "SyncRunRow",
    "UTCDateTime",
    "WatchTargetRow",
]
