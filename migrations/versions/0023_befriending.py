"""befriending: a resident's request for company, its match with a ready volunteer (agreed 1/2 by both, then
live on one of BEFRIENDING_NUMBERS), each text relayed between them (no words: those are in the outbox,
sealed); the outbox's own number to send from (a match's)

Revision ID: 0023_befriending
Revises: 0022_proposed_groups
Create Date: 2026-12-09
"""
import sqlalchemy as sa
from alembic import op

revision = "0023_befriending"
down_revision = "0022_proposed_groups"
branch_labels = None
depends_on = None

# Mirrors casework.cases.models (the re-key command reads the markers from the models).
SEALED_BODY = {"sealed": "body"}


def upgrade() -> None:
    with op.batch_alter_table("outbox_message") as batch:
        batch.add_column(sa.Column("from_number", sa.String(length=20), nullable=True))
    op.create_table(
        "befriending_request",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(length=16), nullable=False),
        sa.Column("sender_id", sa.String(length=64), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=True),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("wants", sa.String(length=8), nullable=False),
        sa.Column("first_name_encrypted", sa.Text(), nullable=True, info=SEALED_BODY),
        sa.Column("interests_encrypted", sa.Text(), nullable=True, info=SEALED_BODY),
        sa.Column("free_times_encrypted", sa.Text(), nullable=True, info=SEALED_BODY),
        sa.Column("message_id", sa.String(length=64), nullable=True),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["case_record.id"], name=op.f("fk_befriending_request_case_id_case_record")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_befriending_request")),
        sa.UniqueConstraint("reference", name=op.f("uq_befriending_request_reference")),
    )
    op.create_index(op.f("ix_befriending_request_sender_id"), "befriending_request", ["sender_id"])
    op.create_table(
        "befriending_match",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(length=16), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("volunteer_id", sa.Integer(), nullable=False),
        sa.Column("resident_sender_id", sa.String(length=64), nullable=False),
        sa.Column("volunteer_sender_id", sa.String(length=64), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("resident_answer", sa.String(length=8), nullable=True),
        sa.Column("volunteer_answer", sa.String(length=8), nullable=True),
        sa.Column("asked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("number", sa.String(length=20), nullable=True),
        sa.Column("proposed_by", sa.String(length=64), nullable=False),
        sa.Column("connector_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("live_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ended_by", sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(["connector_id"], ["connector.id"], name=op.f("fk_befriending_match_connector_id_connector")),
        sa.ForeignKeyConstraint(["request_id"], ["befriending_request.id"], name=op.f("fk_befriending_match_request_id_befriending_request")),
        sa.ForeignKeyConstraint(["volunteer_id"], ["volunteer.id"], name=op.f("fk_befriending_match_volunteer_id_volunteer")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_befriending_match")),
        sa.UniqueConstraint("reference", name=op.f("uq_befriending_match_reference")),
    )
    op.create_index("ix_befriending_match_resident", "befriending_match", ["resident_sender_id", "number", "state"])
    op.create_index("ix_befriending_match_volunteer", "befriending_match", ["volunteer_sender_id", "number", "state"])
    op.create_table(
        "befriending_text",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("match_id", sa.Integer(), nullable=False),
        sa.Column("from_side", sa.String(length=16), nullable=False),
        sa.Column("message_id", sa.String(length=64), nullable=False),
        sa.Column("outbox_id", sa.Integer(), nullable=True),
        sa.Column("outcome", sa.String(length=16), nullable=False),
        sa.Column("worry", sa.String(length=16), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["match_id"], ["befriending_match.id"], name=op.f("fk_befriending_text_match_id_befriending_match")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_befriending_text")),
        sa.UniqueConstraint("message_id", name=op.f("uq_befriending_text_message_id")),
    )
    op.create_index(op.f("ix_befriending_text_match_id"), "befriending_text", ["match_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_befriending_text_match_id"), table_name="befriending_text")
    op.drop_table("befriending_text")
    op.drop_index("ix_befriending_match_volunteer", table_name="befriending_match")
    op.drop_index("ix_befriending_match_resident", table_name="befriending_match")
    op.drop_table("befriending_match")
    op.drop_index(op.f("ix_befriending_request_sender_id"), table_name="befriending_request")
    op.drop_table("befriending_request")
    with op.batch_alter_table("outbox_message") as batch:
        batch.drop_column("from_number")
