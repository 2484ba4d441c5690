"""provider state: whether a provider (Twilio SMS) refused our credentials and sending is paused

Revision ID: 0005_provider_state
Revises: 0004_sms_recovery
Create Date: 2026-11-23
"""
import sqlalchemy as sa
from alembic import op

revision = "0005_provider_state"
down_revision = "0004_sms_recovery"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "provider_state",
        sa.Column("provider", sa.String(length=32), nullable=False),
        sa.Column("paused", sa.Boolean(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("paused_since", sa.DateTime(timezone=True), nullable=True),
        sa.Column("next_probe_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("provider", name=op.f("pk_provider_state")),
    )


def downgrade() -> None:
    op.drop_table("provider_state")
