"""report address: a report's full postcode (sealed) beside its district, and the reporter's own answer to
"Do they know you are telling us?" (yes | no | not_sure), so "not sure" is no longer shown as "not said"

Revision ID: 0019_report_address
Revises: 0018_reply_sid
Create Date: 2026-12-07
"""
import sqlalchemy as sa
from alembic import op

revision = "0019_report_address"
down_revision = "0018_reply_sid"
branch_labels = None
depends_on = None

SEALED_BODY = {"sealed": "body"}


def upgrade() -> None:
    # Nullable: reports made before this kept only the district; their full postcode is not known.
    with op.batch_alter_table("report") as batch:
        batch.add_column(sa.Column("postcode_encrypted", sa.Text(), nullable=True, info=SEALED_BODY))
        batch.add_column(sa.Column("person_knows_answer", sa.String(length=16), nullable=True))
    # Every way in so far required an answer (the form's radio buttons, the chat's required question),
    # and each turned "not sure" into NULL: a NULL before this was "not sure".
    op.execute("UPDATE report SET person_knows_answer = CASE WHEN person_knows IS NULL THEN 'not_sure' "
               "WHEN person_knows THEN 'yes' ELSE 'no' END")


def downgrade() -> None:
    with op.batch_alter_table("report") as batch:
        batch.drop_column("person_knows_answer")
        batch.drop_column("postcode_encrypted")
