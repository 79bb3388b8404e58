"""crawl depth: offers per page, price kind/range/shipping, match method, review queue, discovery, health

Revision ID: 0003
Revises: 0001
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from oneprice.storage.tables import Amount, UTCDateTime

revision: str = "0003"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BIGID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    with op.batch_alter_table("observations", schema=None) as batch_op:
        batch_op.alter_column(
            "method", existing_type=sa.String(length=16), type_=sa.String(length=32), existing_nullable=True
        )
        batch_op.add_column(sa.Column("price_kind", sa.String(length=8), nullable=True))
        batch_op.add_column(sa.Column("price_high", Amount(), nullable=True))
        batch_op.add_column(sa.Column("shipping", Amount(), nullable=True))
        batch_op.add_column(sa.Column("offer_key", sa.String(length=128), server_default="", nullable=False))
        batch_op.add_column(sa.Column("visit", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("match_method", sa.String(length=16), nullable=True))
    op.create_table(
        "listing_reviews",
        sa.Column("listing_key", sa.String(length=255), nullable=False),
        sa.Column("target_id", sa.String(length=128), nullable=False),
        sa.Column("offer_key", sa.String(length=128), nullable=False),
        sa.Column("platform", sa.String(length=32), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("seller_name", sa.Text(), nullable=True),
        sa.Column("price", Amount(), nullable=True),
        sa.Column("currency", sa.String(length=3), nullable=True),
        sa.Column("suggested_sku", sa.String(length=64), nullable=True),
        sa.Column("confidence", Amount(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("decided_sku", sa.String(length=64), nullable=True),
        sa.Column("decided_at", UTCDateTime(), nullable=True),
        sa.Column("first_seen", UTCDateTime(), nullable=False),
        sa.Column("last_seen", UTCDateTime(), nullable=False),
        sa.Column("observation_id", BIGID, nullable=True),
        sa.PrimaryKeyConstraint("listing_key", name=op.f("pk_listing_reviews")),
    )
    with op.batch_alter_table("listing_reviews", schema=None) as batch_op:
        batch_op.create_index("ix_listing_reviews_state", ["state"], unique=False)
    with op.batch_alter_table("watch_targets", schema=None) as batch_op:
        batch_op.add_column(sa.Column("source", sa.String(length=16), server_default="config", nullable=False))
        batch_op.add_column(sa.Column("title", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("seller_name", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("discovered_at", UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column("last_visit_at", UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column("last_status", sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column("last_reason", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("failures", sa.Integer(), server_default="0", nullable=False))
        batch_op.add_column(sa.Column("next_due_at", UTCDateTime(), nullable=True))
    op.create_table(
        "discovered_sellers",
        sa.Column("seller_key", sa.String(length=160), nullable=False),
        sa.Column("platform", sa.String(length=32), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("reseller_id", sa.String(length=64), nullable=True),
        sa.Column("listings", sa.Integer(), nullable=False),
        sa.Column("example_url", sa.Text(), nullable=True),
        sa.Column("first_seen", UTCDateTime(), nullable=False),
        sa.Column("last_seen", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("seller_key", "platform", name=op.f("pk_discovered_sellers")),
    )


def downgrade() -> None:
    op.drop_table("discovered_sellers")
    with op.batch_alter_table("watch_targets", schema=None) as batch_op:
        for column in ("next_due_at", "failures", "last_reason", "last_status", "last_visit_at",
                       "discovered_at", "seller_name", "title", "source"):  # fmt: skip
            batch_op.drop_column(column)
    with op.batch_alter_table("listing_reviews", schema=None) as batch_op:
        batch_op.drop_index("ix_listing_reviews_state")
    op.drop_table("listing_reviews")
    with op.batch_alter_table("observations", schema=None) as batch_op:
        batch_op.drop_column("match_method")
        batch_op.drop_column("visit")
        batch_op.drop_column("offer_key")
        batch_op.drop_column("shipping")
        batch_op.drop_column("price_high")
        batch_op.drop_column("price_kind")
        batch_op.alter_column(
            "method", existing_type=sa.String(length=32), type_=sa.String(length=16), existing_nullable=True
        )
