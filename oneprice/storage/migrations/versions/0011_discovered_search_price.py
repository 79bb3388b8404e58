"""crawl: a discovered watch target keeps the price its search result showed, as a lead

Three nullable columns on watch_targets: the amount, its currency (None when the search page's
currency is not known) and when the search result showed it. Existing rows keep their data and
have no search price until the next discovery run sees them.

Revision ID: 0011
Revises: 0010
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from oneprice.storage.tables import Amount, UTCDateTime

revision: str = "0011"
down_revision: str | Sequence[str] | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("watch_targets", schema=None) as batch_op:
        batch_op.add_column(sa.Column("search_price", Amount(), nullable=True))
        batch_op.add_column(sa.Column("search_currency", sa.String(length=3), nullable=True))
        batch_op.add_column(sa.Column("search_price_seen_at", UTCDateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("watch_targets", schema=None) as batch_op:
        batch_op.drop_column("search_price_seen_at")
        batch_op.drop_column("search_currency")
        batch_op.drop_column("search_price")
