"""reply sid: the SID Twilio gave each reply sent as TwiML, so erasure and retention delete its copy too

Revision ID: 0018_reply_sid
Revises: 0017_token_scope
Create Date: 2026-12-06
"""
import sqlalchemy as sa
from alembic import op

revision = "0018_reply_sid"
down_revision = "0017_token_scope"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Nullable: replies sent before this were never reported to us; their copies at Twilio go when
    # Twilio's own log period ends (or by hand in its console).
    with op.batch_alter_table("inbound_message") as batch:
        batch.add_column(sa.Column("reply_sid", sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("inbound_message") as batch:
        batch.drop_column("reply_sid")
