"""console: signed-in sessions and failed sign-ins of the connectors' console

Revision ID: 0007_console
Revises: 0006_cases
Create Date: 2026-12-01
"""
import sqlalchemy as sa
from alembic import op

revision = "0007_console"
down_revision = "0006_cases"
branch_labels = None
depends_on = None


def _at(name: str) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=False)


def upgrade() -> None:
    op.create_table(
        "console_session",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_sha256", sa.String(length=64), nullable=False),
        sa.Column("connector_id", sa.Integer(), nullable=False),
        sa.Column("csrf_token", sa.String(length=64), nullable=False),
        _at("created_at"),
        _at("last_seen_at"),
        _at("expires_at"),
        sa.ForeignKeyConstraint(["connector_id"], ["connector.id"], name=op.f("fk_console_session_connector_id_connector")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_console_session")),
        sa.UniqueConstraint("token_sha256", name=op.f("uq_console_session_token_sha256")),
    )
    op.create_index(op.f("ix_console_session_connector_id"), "console_session", ["connector_id"])
    op.create_index(op.f("ix_console_session_expires_at"), "console_session", ["expires_at"])
    op.create_table(
        "console_login_failure",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("key_digest", sa.String(length=64), nullable=False),
        _at("at"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_console_login_failure")),
    )
    op.create_index("ix_console_login_failure_key", "console_login_failure", ["kind", "key_digest", "at"])


def downgrade() -> None:
    op.drop_index("ix_console_login_failure_key", table_name="console_login_failure")
    op.drop_table("console_login_failure")
    op.drop_index(op.f("ix_console_session_expires_at"), table_name="console_session")
    op.drop_index(op.f("ix_console_session_connector_id"), table_name="console_session")
    op.drop_table("console_session")
