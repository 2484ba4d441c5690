"""groups proposed by text: the answers so far (sealed) and the question waiting, one draft a sender

Revision ID: grp_0024_group_drafts
Revises: 0021_loneliness
Create Date: 2026-12-06
"""
import sqlalchemy as sa
from alembic import op

revision = "grp_0024_group_drafts"
down_revision = "nbr_check_ins"
branch_labels = None
depends_on = None

# Mirrors casework.cases.models (the re-key command reads the markers from the models).
SEALED_BODY = {"sealed": "body"}


def upgrade() -> None:
    op.create_table(
        "proposed_group_draft",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sender_id", sa.String(length=64), nullable=False),
        sa.Column("step", sa.String(length=16), nullable=False),
        sa.Column("answers_encrypted", sa.Text(), nullable=False, info=SEALED_BODY),
        sa.Column("tries", sa.Integer(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("asked_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_proposed_group_draft")),
        sa.UniqueConstraint("sender_id", name=op.f("uq_proposed_group_draft_sender_id")),
    )


def downgrade() -> None:
    op.drop_table("proposed_group_draft")
