"""reason layer: which layer of the safety screen raised a case reason (rules or model), and the model's score

Revision ID: 0015_reason_layer
Revises: 0014_provider_copy
Create Date: 2026-12-05
"""
import sqlalchemy as sa
from alembic import op

revision = "0015_reason_layer"
down_revision = "0014_provider_copy"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("case_reason") as batch:
        batch.add_column(sa.Column("layer", sa.String(length=8), nullable=False, server_default="rules"))
        batch.add_column(sa.Column("score", sa.Float(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("case_reason") as batch:
        batch.drop_column("score")
        batch.drop_column("layer")
