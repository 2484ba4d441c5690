"""befriending: the texts that named the other person to each side of a match (the question, the first
text from the match's number), linked by outbox id so that erasing either person takes them

Revision ID: 0026_match_texts
Revises: grp_0024_group_drafts
Create Date: 2026-12-06
"""
import sqlalchemy as sa
from alembic import op

revision = "0026_match_texts"
down_revision = "grp_0024_group_drafts"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "befriending_match_text",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("match_id", sa.Integer(), nullable=False),
        sa.Column("outbox_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["match_id"], ["befriending_match.id"], name=op.f("fk_befriending_match_text_match_id_befriending_match")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_befriending_match_text")),
    )
    op.create_index(op.f("ix_befriending_match_text_match_id"), "befriending_match_text", ["match_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_befriending_match_text_match_id"), table_name="befriending_match_text")
    op.drop_table("befriending_match_text")
