"""token scope: each API token names what it may read (cases, outcomes); existing tokens keep the scopes they were used for

Revision ID: 0017_token_scope
Revises: 0016_search_meaning
Create Date: 2026-12-06

Until now a token made for /api/outcomes could read /api/cases too. Each token now carries its scopes.
A token already in use keeps the scopes its audit trail shows it used ("listed", "viewed" or
"file_read" a case: cases; "outcomes_read": outcomes); a token never used gets none and is refused
until it is re-created with `python -m casework tokens create --name N --scope ...`. What was given
to which token is printed, so whoever runs the migration can tell the token's owners.
"""
import sys

import sqlalchemy as sa
from alembic import op

revision = "0017_token_scope"
down_revision = "0016_search_meaning"
branch_labels = None
depends_on = None

_USED_FOR = {"listed": "cases", "viewed": "cases", "file_read": "cases", "outcomes_read": "outcomes"}


def upgrade() -> None:
    with op.batch_alter_table("api_token") as batch:
        batch.add_column(sa.Column("scopes", sa.String(100), nullable=False, server_default=""))
    conn = op.get_bind()
    tokens = conn.execute(sa.text("SELECT id, name FROM api_token WHERE revoked_at IS NULL ORDER BY id")).all()
    for token_id, name in tokens:
        actions = conn.execute(sa.text("SELECT DISTINCT action FROM audit_event WHERE actor = :actor"), {"actor": f"api:{name}"}).scalars()
        scopes = ",".join(sorted({_USED_FOR[a] for a in actions if a in _USED_FOR}))
        conn.execute(sa.text("UPDATE api_token SET scopes = :scopes WHERE id = :id"), {"scopes": scopes, "id": token_id})
        said = f"scopes {scopes}" if scopes else "no scope (never used): re-create it with --scope to use it"
        print(f"0017_token_scope: API token {name!r} (id {token_id}) keeps {said}", file=sys.stderr)


def downgrade() -> None:
    with op.batch_alter_table("api_token") as batch:
        batch.drop_column("scopes")
