"""provider copies: Twilio's copies of erased or purged messages, queued for deletion through its API

Revision ID: 0014_provider_copy
Revises: 0013_memory
Create Date: 2026-11-30
"""
import sqlalchemy as sa
from alembic import op

revision = "0014_provider_copy"
down_revision = "0013_memory"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "provider_copy",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("provider", sa.String(length=16), nullable=False),
        sa.Column("message_sid", sa.String(length=64), nullable=False),
        sa.Column("reason", sa.String(length=16), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("queued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("done_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_provider_copy")),
        sa.UniqueConstraint("message_sid", name=op.f("uq_provider_copy_message_sid")),
    )
    op.create_index(op.f("ix_provider_copy_state"), "provider_copy", ["state"])
    op.create_index(op.f("ix_provider_copy_next_attempt_at"), "provider_copy", ["next_attempt_at"])


def downgrade() -> None:
    op.drop_table("provider_copy")
