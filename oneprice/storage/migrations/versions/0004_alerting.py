"""alerting: episode states and history, dismissals, notification outbox, reseller notices

Revision ID: 0004
Revises: 0001
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from oneprice.storage.tables import Amount, UTCDateTime

revision: str = "0004"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BIGID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
OPEN_WHERE = "status = 'open'"
ACTIVE_WHERE = "status IN ('pending', 'open', 'acknowledged')"


def upgrade() -> None:
    with op.batch_alter_table("alerts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("observations", sa.Integer(), server_default="1", nullable=False))
        batch_op.add_column(sa.Column("repeat", sa.Integer(), server_default="0", nullable=False))
        batch_op.add_column(sa.Column("clear_since", UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column("note", sa.Text(), nullable=True))
        batch_op.drop_index(
            "uq_alerts_open_episode", sqlite_where=sa.text(OPEN_WHERE), postgresql_where=sa.text(OPEN_WHERE)
        )
        batch_op.create_index(
            "uq_alerts_active_episode",
            ["rule", "product_sku", "seller_key", "platform"],
            unique=True,
            sqlite_where=sa.text(ACTIVE_WHERE),
            postgresql_where=sa.text(ACTIVE_WHERE),
        )
        batch_op.create_index("ix_alerts_status_id", ["status", "id"], unique=False)
        batch_op.create_index("ix_alerts_seller_rule", ["seller_key", "rule", "first_seen"], unique=False)
        batch_op.create_index("ix_alerts_product_platform", ["product_sku", "platform"], unique=False)

    op.create_table(
        "alert_events",
        sa.Column("id", BIGID, autoincrement=True, nullable=False),
        sa.Column("alert_id", BIGID, nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("actor", sa.String(length=64), nullable=False),
        sa.Column("from_status", sa.String(length=16), nullable=True),
        sa.Column("to_status", sa.String(length=16), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["alert_id"], ["alerts.id"], name=op.f("fk_alert_events_alert_id_alerts")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alert_events")),
    )
    op.create_index("ix_alert_events_alert_id", "alert_events", ["alert_id", "id"], unique=False)

    op.create_table(
        "alert_dismissals",
        sa.Column("id", BIGID, autoincrement=True, nullable=False),
        sa.Column("rule", sa.String(length=32), nullable=False),
        sa.Column("product_sku", sa.String(length=64), nullable=False),
        sa.Column("seller_key", sa.String(length=160), nullable=False),
        sa.Column("platform", sa.String(length=32), nullable=False),
        sa.Column("gap_percent", Amount(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("actor", sa.String(length=64), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("alert_id", BIGID, nullable=True),
        sa.ForeignKeyConstraint(["alert_id"], ["alerts.id"], name=op.f("fk_alert_dismissals_alert_id_alerts")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alert_dismissals")),
    )
    op.create_index(
        "ix_alert_dismissals_key",
        "alert_dismissals",
        ["rule", "product_sku", "seller_key", "platform"],
        unique=False,
    )

    op.create_table(
        "alert_outbox",
        sa.Column("id", BIGID, autoincrement=True, nullable=False),
        sa.Column("dedupe_key", sa.String(length=200), nullable=False),
        sa.Column("route", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("mode", sa.String(length=16), nullable=False),
        sa.Column("alert_id", BIGID, nullable=True),
        sa.Column("severity", sa.String(length=16), nullable=False),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("body_text", sa.Text(), nullable=False),
        sa.Column("body_html", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", UTCDateTime(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("sent_at", UTCDateTime(), nullable=True),
        sa.Column("bundle_id", BIGID, nullable=True),
        sa.ForeignKeyConstraint(["alert_id"], ["alerts.id"], name=op.f("fk_alert_outbox_alert_id_alerts")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alert_outbox")),
        sa.UniqueConstraint("dedupe_key", name=op.f("uq_alert_outbox_dedupe_key")),
    )
    op.create_index("ix_alert_outbox_status_next", "alert_outbox", ["status", "next_attempt_at"], unique=False)

    op.create_table(
        "alert_notices",
        sa.Column("id", BIGID, autoincrement=True, nullable=False),
        sa.Column("seller_key", sa.String(length=160), nullable=False),
        sa.Column("seller_name", sa.Text(), nullable=True),
        sa.Column("stage", sa.Integer(), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("alert_ids", sa.Text(), nullable=False),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("body_text", sa.Text(), nullable=False),
        sa.Column("body_html", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("sent_at", UTCDateTime(), nullable=True),
        sa.Column("sent_via", sa.String(length=64), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alert_notices")),
    )
    op.create_index("ix_alert_notices_seller", "alert_notices", ["seller_key", "stage"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_alert_notices_seller", table_name="alert_notices")
    op.drop_table("alert_notices")
    op.drop_index("ix_alert_outbox_status_next", table_name="alert_outbox")
    op.drop_table("alert_outbox")
    op.drop_index("ix_alert_dismissals_key", table_name="alert_dismissals")
    op.drop_table("alert_dismissals")
    op.drop_index("ix_alert_events_alert_id", table_name="alert_events")
    op.drop_table("alert_events")
    with op.batch_alter_table("alerts", schema=None) as batch_op:
        batch_op.drop_index("ix_alerts_product_platform")
        batch_op.drop_index("ix_alerts_seller_rule")
        batch_op.drop_index("ix_alerts_status_id")
        batch_op.drop_index(
            "uq_alerts_active_episode",
            sqlite_where=sa.text(ACTIVE_WHERE),
            postgresql_where=sa.text(ACTIVE_WHERE),
        )
        batch_op.create_index(
            "uq_alerts_open_episode",
            ["rule", "product_sku", "seller_key", "platform"],
            unique=True,
            sqlite_where=sa.text(OPEN_WHERE),
            postgresql_where=sa.text(OPEN_WHERE),
        )
        batch_op.drop_column("note")
        batch_op.drop_column("clear_since")
        batch_op.drop_column("repeat")
        batch_op.drop_column("observations")
