"""crawl: page validators (ETag, Last-Modified) for conditional requests

Revision ID: 0007
Revises: 0003
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from oneprice.storage.tables import UTCDateTime

revision: str = "0007"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "page_validators",
        sa.Column("target_id", sa.String(length=128), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("etag", sa.String(length=255), nullable=True),
        sa.Column("last_modified", sa.String(length=64), nullable=True),
        sa.Column("evidence_sha256", sa.String(length=64), nullable=True),
        sa.Column("stored_at", UTCDateTime(), nullable=True),
        sa.Column("answer", sa.String(length=16), nullable=True),
        sa.Column("answered_at", UTCDateTime(), nullable=True),
        sa.Column("not_modified", sa.Integer(), server_default="0", nullable=False),
        sa.PrimaryKeyConstraint("target_id", name=op.f("pk_page_validators")),
    )


def downgrade() -> None:
    op.drop_table("page_validators")
