"""crawl: the per-target index of observations covers the alert engine's reads (price history)

(target_id, observed_at) is extended with the columns those reads take, so they come from the
index alone; the old index is its prefix and goes, so a crawl still updates one index per target.

Revision ID: 0009
Revises: 0007
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0009"
down_revision: str | Sequence[str] | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_COLUMNS = ["target_id", "observed_at", "id", "status", "currency", "price", "seller_key"]


def upgrade() -> None:
    op.create_index("ix_observations_target_history", "observations", _COLUMNS, unique=False)
    op.drop_index("ix_observations_target_time", table_name="observations")


def downgrade() -> None:
    op.create_index("ix_observations_target_time", "observations", ["target_id", "observed_at"], unique=False)
    op.drop_index("ix_observations_target_history", table_name="observations")
