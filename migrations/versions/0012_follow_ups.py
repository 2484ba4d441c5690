"""follow_ups: the "did you go?" check-in a resident agreed to

Revision ID: 0012_follow_ups
Revises: 0011_volunteers
Create Date: 2026-11-30
"""
import sqlalchemy as sa
from alembic import op

revision = "0012_follow_ups"
down_revision = "0011_volunteers"
branch_labels = None
depends_on = None

# Mirrors casework.follow_ups.models.FollowUp (the re-key command reads the markers from the models).
SEALED_BODY = {"sealed": "body"}


def upgrade() -> None:
    op.create_table(
        "follow_up",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sender_id", sa.String(length=64), nullable=False),
        sa.Column("activity_id", sa.String(length=36), nullable=False),
        sa.Column("activity_name", sa.String(length=200), nullable=False),
        sa.Column("interest", sa.String(length=100), nullable=True),
        sa.Column("place_encrypted", sa.Text(), nullable=True, info=SEALED_BODY),
        sa.Column("meets_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("offered_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ask_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("asked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("outbox_id", sa.Integer(), nullable=True),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("went", sa.Boolean(), nullable=True),
        sa.Column("reason", sa.String(length=16), nullable=True),
        sa.Column("answer_encrypted", sa.Text(), nullable=True, info=SEALED_BODY),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_follow_up")),
    )
    op.create_index(op.f("ix_follow_up_sender_id"), "follow_up", ["sender_id"])
    op.create_index("ix_follow_up_state_ask_at", "follow_up", ["state", "ask_at"])
    op.create_index(op.f("ix_follow_up_answered_at"), "follow_up", ["answered_at"])


def downgrade() -> None:
    op.drop_table("follow_up")
