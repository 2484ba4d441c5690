"""search meaning: each search entry's sentence vector (directory.meaning), so a wish is matched by meaning

Revision ID: 0016_search_meaning
Revises: 0015_reason_layer
Create Date: 2026-12-06
"""
import sqlalchemy as sa
from alembic import op

revision = "0016_search_meaning"
down_revision = "0015_reason_layer"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Nullable: entries indexed before this, or without the encoder, are matched by words alone until
    # `python -m directory embed` (run by `make db`) fills them in.
    with op.batch_alter_table("directory_search_entry") as batch:
        batch.add_column(sa.Column("meaning", sa.LargeBinary(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("directory_search_entry") as batch:
        batch.drop_column("meaning")
