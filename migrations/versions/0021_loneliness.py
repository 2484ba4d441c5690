"""loneliness, measured: one row per resident asked the UCLA three-item questions after support (the
first score and the follow-up score, their dates, the kind of support and the area; never their words)

Revision ID: 0021_loneliness
Revises: 0023_befriending
Create Date: 2026-12-09
"""
import sqlalchemy as sa
from alembic import op

revision = "0021_loneliness"
down_revision = "0023_befriending"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "loneliness_score",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sender_id", sa.String(length=64), nullable=False),
        sa.Column("support", sa.String(length=16), nullable=False),
        sa.Column("area", sa.String(length=8), nullable=True),
        sa.Column("supported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("round", sa.String(length=16), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("asked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("question", sa.Integer(), nullable=True),
        sa.Column("answers", sa.String(length=3), nullable=True),
        sa.Column("first_score", sa.Integer(), nullable=True),
        sa.Column("first_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("follow_up_score", sa.Integer(), nullable=True),
        sa.Column("follow_up_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_loneliness_score")),
    )
    op.create_index(op.f("ix_loneliness_score_sender_id"), "loneliness_score", ["sender_id"])
    op.create_index(op.f("ix_loneliness_score_first_at"), "loneliness_score", ["first_at"])
    op.create_index(op.f("ix_loneliness_score_follow_up_at"), "loneliness_score", ["follow_up_at"])
    op.create_index("ix_loneliness_score_state_due_at", "loneliness_score", ["state", "due_at"])


def downgrade() -> None:
    op.drop_index("ix_loneliness_score_state_due_at", table_name="loneliness_score")
    op.drop_index(op.f("ix_loneliness_score_follow_up_at"), table_name="loneliness_score")
    op.drop_index(op.f("ix_loneliness_score_first_at"), table_name="loneliness_score")
    op.drop_index(op.f("ix_loneliness_score_sender_id"), table_name="loneliness_score")
    op.drop_table("loneliness_score")
