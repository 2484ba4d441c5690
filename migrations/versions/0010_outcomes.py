"""outcomes: door-knock sessions and suggestions made, for the commissioners' dashboard

Revision ID: 0010_outcomes
Revises: 0008_privacy
Create Date: 2026-12-03
"""
import sqlalchemy as sa
from alembic import op

revision = "0010_outcomes"
down_revision = "0008_privacy"
branch_labels = None
depends_on = None

# Mirrors casework.outcomes.models (the key-rotation command reads these markers from the models).
SEALED_BODY = {"sealed": "body"}


def upgrade() -> None:
    op.create_table(
        "door_knock",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("area", sa.String(length=8), nullable=False),
        sa.Column("streets", sa.String(length=300), nullable=False),
        sa.Column("doors_knocked", sa.Integer(), nullable=False),
        sa.Column("doors_answered", sa.Integer(), nullable=False),
        sa.Column("conversations", sa.Integer(), nullable=False),
        sa.Column("people_signposted", sa.Integer(), nullable=False),
        sa.Column("people_referred", sa.Integer(), nullable=False),
        sa.Column("volunteers_signed_up", sa.Integer(), nullable=False),
        sa.Column("notes_encrypted", sa.Text(), nullable=True, info=SEALED_BODY),
        sa.Column("connector_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["connector_id"], ["connector.id"], name=op.f("fk_door_knock_connector_id_connector")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_door_knock")),
    )
    op.create_index(op.f("ix_door_knock_held_on"), "door_knock", ["held_on"])
    op.create_index(op.f("ix_door_knock_area"), "door_knock", ["area"])
    op.create_index(op.f("ix_door_knock_connector_id"), "door_knock", ["connector_id"])
    op.create_table(
        "suggestion",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sender_id", sa.String(length=64), nullable=False),
        sa.Column("activity_id", sa.String(length=36), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_suggestion")),
    )
    op.create_index(op.f("ix_suggestion_sender_id"), "suggestion", ["sender_id"])
    op.create_index(op.f("ix_suggestion_at"), "suggestion", ["at"])


def downgrade() -> None:
    op.drop_index(op.f("ix_suggestion_at"), table_name="suggestion")
    op.drop_index(op.f("ix_suggestion_sender_id"), table_name="suggestion")
    op.drop_table("suggestion")
    op.drop_index(op.f("ix_door_knock_connector_id"), table_name="door_knock")
    op.drop_index(op.f("ix_door_knock_area"), table_name="door_knock")
    op.drop_index(op.f("ix_door_knock_held_on"), table_name="door_knock")
    op.drop_table("door_knock")
