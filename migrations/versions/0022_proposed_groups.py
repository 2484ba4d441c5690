"""proposed groups: a group someone runs, proposed through the web form (sealed) until a connector approves
it into the directory; the directory's services gain ORUK's `assurer_email` (who approved or last checked it)

Revision ID: 0022_proposed_groups
Revises: 0020_good_neighbours
Create Date: 2026-12-09
"""
import sqlalchemy as sa
from alembic import op

revision = "0022_proposed_groups"
down_revision = "0020_good_neighbours"
branch_labels = None
depends_on = None

# Mirrors casework.cases.models (the re-key command reads the markers from the models).
SEALED_BODY = {"sealed": "body"}


def upgrade() -> None:
    with op.batch_alter_table("directory_service") as batch:
        batch.add_column(sa.Column("assurer_email", sa.String(length=320), nullable=True))
    op.create_table(
        "proposed_group",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(length=16), nullable=False),
        sa.Column("form_id", sa.String(length=32), nullable=True),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("area", sa.String(length=8), nullable=True),
        sa.Column("listing_encrypted", sa.Text(), nullable=False, info=SEALED_BODY),
        sa.Column("proposer_name_encrypted", sa.Text(), nullable=False, info=SEALED_BODY),
        sa.Column("proposer_role", sa.String(length=16), nullable=False),
        sa.Column("proposer_contact_encrypted", sa.Text(), nullable=False, info=SEALED_BODY),
        sa.Column("proposer_sender_id", sa.String(length=64), nullable=True),
        sa.Column("change_note_encrypted", sa.Text(), nullable=True, info=SEALED_BODY),
        sa.Column("change_token_hash", sa.String(length=64), nullable=True),
        sa.Column("connector_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("state_changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("state_changed_by", sa.String(length=64), nullable=False),
        sa.Column("approved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("approved_by", sa.String(length=64), nullable=True),
        sa.Column("service_id", sa.String(length=36), nullable=True),
        sa.ForeignKeyConstraint(["connector_id"], ["connector.id"], name=op.f("fk_proposed_group_connector_id_connector")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_proposed_group")),
        sa.UniqueConstraint("reference", name=op.f("uq_proposed_group_reference")),
        sa.UniqueConstraint("form_id", name=op.f("uq_proposed_group_form_id")),
        sa.UniqueConstraint("change_token_hash", name=op.f("uq_proposed_group_change_token_hash")),
    )
    with op.batch_alter_table("proposed_group") as batch:
        batch.create_index(batch.f("ix_proposed_group_proposer_sender_id"), ["proposer_sender_id"])


def downgrade() -> None:
    op.drop_table("proposed_group")
    with op.batch_alter_table("directory_service") as batch:
        batch.drop_column("assurer_email")
