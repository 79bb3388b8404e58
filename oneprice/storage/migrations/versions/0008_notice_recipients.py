"""alerting: a recipient address per outbox message and per notice (notices go to the reseller's contact)

Revision ID: 0008
Revises: 0004
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | Sequence[str] | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("alert_outbox", sa.Column("recipient", sa.String(length=320), nullable=True))
    op.add_column("alert_notices", sa.Column("recipient", sa.String(length=320), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("alert_notices") as batch:
        batch.drop_column("recipient")
    with op.batch_alter_table("alert_outbox") as batch:
        batch.drop_column("recipient")
