"""befriending check-ins: each side of a live match asked "how is it going?" two weeks after it went live and
then monthly (1 going well, 2 not for me, 3 a problem; only the answer kept); when a volunteer first became
ready (trained and approved), for the outcomes' volunteers_ready

Live matches get their first check-ins, due two weeks after they went live (the worker moves a date long past
on by months). A volunteer's ready_at is read back from their audit trail (the first "-> ready"), or, for
one ready now with no such entry, the later of their approval and training.

Revision ID: nbr_check_ins
Revises: 0021_loneliness
Create Date: 2026-12-06
"""
from datetime import timedelta

import sqlalchemy as sa
from alembic import op

revision = "nbr_check_ins"
down_revision = "0021_loneliness"
branch_labels = None
depends_on = None

FIRST_AFTER = timedelta(days=14)  # casework.befriending.check_in_schedule.FIRST_AFTER


def upgrade() -> None:
    op.create_table(
        "befriending_check_in",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("match_id", sa.Integer(), nullable=False),
        sa.Column("side", sa.String(length=16), nullable=False),
        sa.Column("sender_id", sa.String(length=64), nullable=False),
        sa.Column("round", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("asked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("outbox_id", sa.Integer(), nullable=True),
        sa.Column("answer", sa.String(length=16), nullable=True),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("connector_told", sa.String(length=8), nullable=True),
        sa.ForeignKeyConstraint(["match_id"], ["befriending_match.id"], name=op.f("fk_befriending_check_in_match_id_befriending_match")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_befriending_check_in")),
        sa.UniqueConstraint("match_id", "side", "due_at", name=op.f("uq_befriending_check_in_match_id")),
    )
    op.create_index("ix_befriending_check_in_due", "befriending_check_in", ["state", "due_at"])
    op.create_index("ix_befriending_check_in_sender", "befriending_check_in", ["sender_id", "state"])
    with op.batch_alter_table("volunteer") as batch:
        batch.add_column(sa.Column("ready_at", sa.DateTime(timezone=True), nullable=True))

    conn = op.get_bind()
    when = sa.DateTime(timezone=True)
    matches = sa.table("befriending_match", sa.column("id"), sa.column("state"), sa.column("live_at", when),
                       sa.column("resident_sender_id"), sa.column("volunteer_sender_id"))
    check_ins = sa.table("befriending_check_in", sa.column("match_id"), sa.column("side"), sa.column("sender_id"), sa.column("round"),
                         sa.column("state"), sa.column("due_at", when))
    rows = [{"match_id": m.id, "side": side, "sender_id": sender, "round": 1, "state": "due", "due_at": m.live_at + FIRST_AFTER}
            for m in conn.execute(sa.select(matches).where(matches.c.state == "live", matches.c.live_at.isnot(None)))
            for side, sender in (("resident", m.resident_sender_id), ("volunteer", m.volunteer_sender_id))]
    if rows:
        conn.execute(check_ins.insert(), rows)

    volunteers = sa.table("volunteer", sa.column("id"), sa.column("reference"), sa.column("state"), sa.column("approved_at", when),
                          sa.column("training_completed_at", when), sa.column("ready_at", when))
    trail = sa.table("audit_event", sa.column("case_reference"), sa.column("action"), sa.column("detail"), sa.column("at", when))
    became = {reference: at for reference, at in conn.execute(
        sa.select(trail.c.case_reference, sa.func.min(trail.c.at)).where(trail.c.action == "volunteer_state", trail.c.detail.like("% -> ready%"))
        .group_by(trail.c.case_reference))}
    for v in conn.execute(sa.select(volunteers)):
        ready_at = became.get(v.reference)
        if ready_at is None and v.state == "ready" and v.approved_at is not None and v.training_completed_at is not None:
            ready_at = max(v.approved_at, v.training_completed_at)
        if ready_at is not None:
            conn.execute(volunteers.update().where(volunteers.c.id == v.id).values(ready_at=ready_at))


def downgrade() -> None:
    with op.batch_alter_table("volunteer") as batch:
        batch.drop_column("ready_at")
    op.drop_index("ix_befriending_check_in_sender", table_name="befriending_check_in")
    op.drop_index("ix_befriending_check_in_due", table_name="befriending_check_in")
    op.drop_table("befriending_check_in")
