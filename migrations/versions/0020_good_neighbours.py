"""good neighbours: a volunteer's state (applied, in_training, ready, paused, left) with who changed it and
when, their interests, approval and training; the checks a manager saw (references, DBS: the date only);
the training modules texted to them

Revision ID: 0020_good_neighbours
Revises: 0019_report_address
Create Date: 2026-12-08
"""
import sqlalchemy as sa
from alembic import op

revision = "0020_good_neighbours"
down_revision = "0019_report_address"
branch_labels = None
depends_on = None

# Mirrors casework.cases.models (the re-key command reads the markers from the models).
SEALED_BODY = {"sealed": "body"}

# The sign-up's states before this, and where each now stands. Nothing ever set "contacted" or "active"
# (only `new` was written), and nobody was checked or trained: all of them have applied.
OLD_TO_NEW = {"new": "applied", "contacted": "applied", "active": "applied", "withdrawn": "left"}
NEW_TO_OLD = {"applied": "new", "in_training": "contacted", "ready": "active", "paused": "contacted", "left": "withdrawn"}


def _rename_states(mapping: dict[str, str]) -> None:
    for old, new in mapping.items():
        op.execute(sa.text("UPDATE volunteer SET state = :new WHERE state = :old").bindparams(old=old, new=new))


def upgrade() -> None:
    with op.batch_alter_table("volunteer") as batch:
        batch.add_column(sa.Column("sms_sender_id", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("interests_encrypted", sa.Text(), nullable=True, info=SEALED_BODY))
        # Nullable until filled in below, then required like the model says.
        batch.add_column(sa.Column("state_changed_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("state_changed_by", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("approved_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("approved_by", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("training_completed_at", sa.DateTime(timezone=True), nullable=True))
        batch.create_index(batch.f("ix_volunteer_sms_sender_id"), ["sms_sender_id"])
    _rename_states(OLD_TO_NEW)
    # An SMS sign-up is texted at the number it came from; a web-chat one's number (if they left one) is
    # sealed, so it is worked out when training first needs it (casework.good_neighbours.texting).
    op.execute("UPDATE volunteer SET sms_sender_id = sender_id WHERE sender_id LIKE 'sms:%'")
    op.execute("UPDATE volunteer SET state_changed_at = created_at, state_changed_by = 'bot'")
    with op.batch_alter_table("volunteer") as batch:
        batch.alter_column("state_changed_at", existing_type=sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now())
        batch.alter_column("state_changed_by", existing_type=sa.String(length=64), nullable=False, server_default="bot")

    op.create_table(
        "volunteer_check",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("volunteer_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("seen_on", sa.Date(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_by", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(["volunteer_id"], ["volunteer.id"], name=op.f("fk_volunteer_check_volunteer_id_volunteer")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_volunteer_check")),
        sa.UniqueConstraint("volunteer_id", "kind", name=op.f("uq_volunteer_check_volunteer_id")),
    )
    op.create_table(
        "volunteer_training",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("volunteer_id", sa.Integer(), nullable=False),
        sa.Column("sender_id", sa.String(length=64), nullable=False),
        sa.Column("module", sa.String(length=32), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("texted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("remind_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reminders", sa.Integer(), nullable=False),
        sa.Column("wrong_answers", sa.Integer(), nullable=False),
        sa.Column("done_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["volunteer_id"], ["volunteer.id"], name=op.f("fk_volunteer_training_volunteer_id_volunteer")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_volunteer_training")),
        sa.UniqueConstraint("volunteer_id", "module", name=op.f("uq_volunteer_training_volunteer_id")),
    )
    op.create_index("ix_volunteer_training_waiting", "volunteer_training", ["sender_id", "state"])
    op.create_index("ix_volunteer_training_remind", "volunteer_training", ["state", "remind_at"])


def downgrade() -> None:
    op.drop_index("ix_volunteer_training_remind", table_name="volunteer_training")
    op.drop_index("ix_volunteer_training_waiting", table_name="volunteer_training")
    op.drop_table("volunteer_training")
    op.drop_table("volunteer_check")
    _rename_states(NEW_TO_OLD)
    with op.batch_alter_table("volunteer") as batch:
        batch.drop_index(batch.f("ix_volunteer_sms_sender_id"))
        for name in ("training_completed_at", "approved_by", "approved_at", "state_changed_by", "state_changed_at",
                     "interests_encrypted", "sms_sender_id"):
            batch.drop_column(name)
