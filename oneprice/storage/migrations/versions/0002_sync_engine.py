"""sync engine: journal request ids and attempts, dead letters, channel state

Revision ID: 0002
Revises: 0001
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from oneprice.storage.tables import UTCDateTime

revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BIGID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    with op.batch_alter_table("sync_journal", schema=None) as batch_op:
        batch_op.add_column(sa.Column("remote_id", sa.String(length=128), nullable=True))
        batch_op.add_column(sa.Column("request_id", sa.String(length=128), nullable=True))
        batch_op.add_column(sa.Column("attempts", sa.Integer(), server_default="0", nullable=False))
    op.create_table(
        "sync_dead_letters",
        sa.Column("id", BIGID, autoincrement=True, nullable=False),
        sa.Column("channel", sa.String(length=64), nullable=False),
        sa.Column("sku", sa.String(length=64), nullable=False),
        sa.Column("action", sa.String(length=32), nullable=False),
        sa.Column("error", sa.Text(), nullable=False),
        sa.Column("retryable", sa.Boolean(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("run_id", BIGID, nullable=True),
        sa.Column("first_failed_at", UTCDateTime(), nullable=False),
        sa.Column("last_failed_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_dead_letters")),
        sa.UniqueConstraint("channel", "sku", name="uq_sync_dead_letters_channel_sku"),
    )
    op.create_table(
        "sync_channel_state",
        sa.Column("channel", sa.String(length=64), nullable=False),
        sa.Column("paused", sa.Boolean(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("changed_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("channel", name=op.f("pk_sync_channel_state")),
    )


def downgrade() -> None:
    op.drop_table("sync_channel_state")
    op.drop_table("sync_dead_letters")
    with op.batch_alter_table("sync_journal", schema=None) as batch_op:
        batch_op.drop_column("attempts")
        batch_op.drop_column("request_id")
        batch_op.drop_column("remote_id")
