"""crawl: the per-target history index also holds each reading's price kind

The drift rule's price history leaves out the low ends of ranges and "from" prices (which variant
moved is not known); with `price_kind` in ix_observations_target_history that read still comes
from the index alone.

Revision ID: 0010
Revises: 0009
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0010"
down_revision: str | Sequence[str] | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_BEFORE = ["target_id", "observed_at", "id", "status", "currency", "price", "seller_key"]
_AFTER = [*_BEFORE, "price_kind"]


def upgrade() -> None:
    op.drop_index("ix_observations_target_history", table_name="observations")
    op.create_index("ix_observations_target_history", "observations", _AFTER, unique=False)


def downgrade() -> None:
    op.drop_index("ix_observations_target_history", table_name="observations")
    op.create_index("ix_observations_target_history", "observations", _BEFORE, unique=False)
