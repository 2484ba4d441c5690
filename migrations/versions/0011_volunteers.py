"""volunteers: good-neighbour sign-ups from the bot, and the connector told about each

Revision ID: 0011_volunteers
Revises: 0010_outcomes
Create Date: 2026-11-29
"""
import sqlalchemy as sa
from alembic import op

revision = "0011_volunteers"
down_revision = "0010_outcomes"
branch_labels = None
depends_on = None

# Mirrors casework.cases.models.Volunteer (the re-key command reads the markers from the models).
SEALED_BODY = {"sealed": "body"}


def upgrade() -> None:
    op.create_table(
        "volunteer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(length=16), nullable=False),
        sa.Column("sender_id", sa.String(length=64), nullable=True),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("name_encrypted", sa.Text(), nullable=False, info=SEALED_BODY),
        sa.Column("area", sa.String(length=8), nullable=True),
        sa.Column("area_label", sa.String(length=64), nullable=False),
        sa.Column("availability_encrypted", sa.Text(), nullable=False, info=SEALED_BODY),
        sa.Column("roles", sa.String(length=100), nullable=False),
        sa.Column("contact_encrypted", sa.Text(), nullable=True, info=SEALED_BODY),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("connector_id", sa.Integer(), nullable=True),
        sa.Column("told_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["connector_id"], ["connector.id"], name=op.f("fk_volunteer_connector_id_connector")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_volunteer")),
        sa.UniqueConstraint("reference", name=op.f("uq_volunteer_reference")),
    )
    op.create_index(op.f("ix_volunteer_sender_id"), "volunteer", ["sender_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_volunteer_sender_id"), table_name="volunteer")
    op.drop_table("volunteer")
