"""privacy: consent per purpose, the erasure record, when a resident was given the privacy notice

Revision ID: 0008_privacy
Revises: 0007_console
Create Date: 2026-12-06
"""
import sqlalchemy as sa
from alembic import op

revision = "0008_privacy"
down_revision = "0007_console"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("resident", sa.Column("privacy_notice_at", sa.DateTime(timezone=True), nullable=True))
    op.create_table(
        "consent",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sender_id", sa.String(length=64), nullable=False),
        sa.Column("purpose", sa.String(length=16), nullable=False),
        sa.Column("granted", sa.Boolean(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("source", sa.String(length=32), nullable=False),
        sa.Column("notice_version", sa.String(length=16), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consent")),
    )
    op.create_index(op.f("ix_consent_sender_id"), "consent", ["sender_id"])
    op.create_table(
        "erasure",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(length=16), nullable=False),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("erased_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("requested_by", sa.String(length=64), nullable=False),
        sa.Column("reason", sa.String(length=64), nullable=False),
        sa.Column("residents", sa.Integer(), nullable=False),
        sa.Column("cases_kept", sa.Integer(), nullable=False),
        sa.Column("counts", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_erasure")),
        sa.UniqueConstraint("reference", name=op.f("uq_erasure_reference")),
    )


def downgrade() -> None:
    op.drop_table("erasure")
    op.drop_index(op.f("ix_consent_sender_id"), table_name="consent")
    op.drop_table("consent")
    with op.batch_alter_table("resident") as batch:
        batch.drop_column("privacy_notice_at")
