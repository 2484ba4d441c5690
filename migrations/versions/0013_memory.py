"""resident memory: an SMS resident's last interest and area, kept (sealed) when they agree

Revision ID: 0013_memory
Revises: 0012_follow_ups
Create Date: 2026-12-06
"""
import sqlalchemy as sa
from alembic import op

revision = "0013_memory"
# Re-chained at merge after 0012 (written in parallel).
down_revision = "0012_follow_ups"
branch_labels = None
depends_on = None

# Mirrors casework.residents.memory_models.ResidentMemory (the re-key command reads the markers from the models).
SEALED_BODY = {"sealed": "body"}


def upgrade() -> None:
    op.create_table(
        "resident_memory",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sender_id", sa.String(length=64), nullable=False),
        sa.Column("interest_encrypted", sa.Text(), nullable=False, info=SEALED_BODY),
        sa.Column("place_encrypted", sa.Text(), nullable=False, info=SEALED_BODY),
        sa.Column("offered_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("agreed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_resident_memory")),
        sa.UniqueConstraint("sender_id", name=op.f("uq_resident_memory_sender_id")),
    )


def downgrade() -> None:
    op.drop_table("resident_memory")
