"""outbox: every message the system sends on its own (SMS and email)

Revision ID: 0003_outbox
Revises: 0001_casework
Create Date: 2026-11-22
"""
import sqlalchemy as sa
from alembic import op

revision = "0003_outbox"
down_revision = "0001_casework"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "outbox_message",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=8), nullable=False),
        sa.Column("recipient_sender_id", sa.String(length=64), nullable=True),
        sa.Column("recipient_encrypted", sa.Text(), nullable=True),
        sa.Column("subject", sa.String(length=200), nullable=True),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("purpose", sa.String(length=32), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("not_before", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("state", sa.String(length=24), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("provider_sid", sa.String(length=64), nullable=True),
        sa.Column("provider_status", sa.String(length=16), nullable=True),
        sa.Column("status_updated_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox_message")),
        sa.UniqueConstraint("provider_sid", name=op.f("uq_outbox_message_provider_sid")),
    )
    op.create_index("ix_outbox_message_due", "outbox_message", ["state", "next_attempt_at"])
    op.create_index(
        op.f("ix_outbox_message_recipient_sender_id"), "outbox_message", ["recipient_sender_id"]
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_outbox_message_recipient_sender_id"), table_name="outbox_message")
    op.drop_index("ix_outbox_message_due", table_name="outbox_message")
    op.drop_table("outbox_message")
