"""sms recovery: inbound bodies kept (encrypted) until answered, recovery claims, early status callbacks

Merges the directory and outbox branches.

Revision ID: 0004_sms_recovery
Revises: 0002_directory, 0003_outbox
Create Date: 2026-11-22
"""
import sqlalchemy as sa
from alembic import op

revision = "0004_sms_recovery"
down_revision = ("0002_directory", "0003_outbox")
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("inbound_message") as batch:
        batch.add_column(sa.Column("body_encrypted", sa.Text(), nullable=True))
        batch.add_column(sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=True))
    op.create_index("ix_inbound_message_unanswered", "inbound_message", ["state", "received_at"])
    op.create_table(
        "early_status_callback",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("provider_sid", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("error_code", sa.String(length=16), nullable=True),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_early_status_callback")),
    )
    op.create_index(op.f("ix_early_status_callback_provider_sid"), "early_status_callback", ["provider_sid"])


def downgrade() -> None:
    op.drop_index(op.f("ix_early_status_callback_provider_sid"), table_name="early_status_callback")
    op.drop_table("early_status_callback")
    op.drop_index("ix_inbound_message_unanswered", table_name="inbound_message")
    with op.batch_alter_table("inbound_message") as batch:
        batch.drop_column("claimed_at")
        batch.drop_column("body_encrypted")
