"""cases: connectors and their rota, cases with reasons and notes, alerts, reports, API tokens, audit

Revision ID: 0006_cases
Revises: 0005_provider_state
Create Date: 2026-11-29
"""
import sqlalchemy as sa
from alembic import op

revision = "0006_cases"
down_revision = "0005_provider_state"
branch_labels = None
depends_on = None

# Mirrors casework.cases.models: ciphertext columns say which vault sealed them, keyed hashes say so
# (the key-rotation command reads these markers from the models, not from here).
SEALED_PHONE = {"sealed": "phone"}
SEALED_BODY = {"sealed": "body"}
KEYED_PHONE_HASH = {"keyed_hash": "phone"}


def _at(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "connector",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("mobile_encrypted", sa.Text(), nullable=False, info=SEALED_PHONE),
        sa.Column("phone_hash", sa.String(length=32), nullable=False, info=KEYED_PHONE_HASH),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("patch", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        _at("created_at"),
        sa.Column("password_hash", sa.String(length=200), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_connector")),
        sa.UniqueConstraint("phone_hash", name=op.f("uq_connector_phone_hash")),
    )
    op.create_table(
        "rota_shift",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("connector_id", sa.Integer(), nullable=False),
        _at("starts_at"),
        _at("ends_at"),
        sa.ForeignKeyConstraint(["connector_id"], ["connector.id"], name=op.f("fk_rota_shift_connector_id_connector")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rota_shift")),
    )
    op.create_index(op.f("ix_rota_shift_connector_id"), "rota_shift", ["connector_id"])
    op.create_index("ix_rota_shift_time", "rota_shift", ["starts_at", "ends_at"])
    op.create_table(
        "case_record",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(length=16), nullable=False),
        sa.Column("subject_kind", sa.String(length=16), nullable=False),
        sa.Column("sender_id", sa.String(length=64), nullable=True),
        sa.Column("subject_encrypted", sa.Text(), nullable=True, info=SEALED_BODY),
        sa.Column("contact_encrypted", sa.Text(), nullable=True, info=SEALED_BODY),
        sa.Column("area", sa.String(length=8), nullable=True),
        sa.Column("priority", sa.String(length=8), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("outcome", sa.String(length=32), nullable=True),
        sa.Column("source", sa.String(length=32), nullable=False),
        sa.Column("lawful_basis", sa.String(length=32), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=True),
        sa.Column("acknowledged_by_id", sa.Integer(), nullable=True),
        _at("created_at"),
        _at("updated_at"),
        _at("acknowledged_at", True),
        _at("visit_planned_for", True),
        _at("visited_at", True),
        _at("closed_at", True),
        sa.Column("alert_version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["acknowledged_by_id"], ["connector.id"], name=op.f("fk_case_record_acknowledged_by_id_connector")),
        sa.ForeignKeyConstraint(["owner_id"], ["connector.id"], name=op.f("fk_case_record_owner_id_connector")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_record")),
        sa.UniqueConstraint("reference", name=op.f("uq_case_record_reference")),
    )
    op.create_index(op.f("ix_case_record_area"), "case_record", ["area"])
    op.create_index(op.f("ix_case_record_owner_id"), "case_record", ["owner_id"])
    op.create_index(op.f("ix_case_record_sender_id"), "case_record", ["sender_id"])
    op.create_table(
        "case_reason",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("rule", sa.String(length=64), nullable=False),
        sa.Column("category", sa.String(length=32), nullable=False),
        sa.Column("priority", sa.String(length=8), nullable=False),
        sa.Column("message_id", sa.String(length=64), nullable=True),
        sa.Column("excerpt_encrypted", sa.Text(), nullable=True, info=SEALED_BODY),
        _at("raised_at"),
        sa.ForeignKeyConstraint(["case_id"], ["case_record.id"], name=op.f("fk_case_reason_case_id_case_record")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_reason")),
    )
    op.create_index(op.f("ix_case_reason_case_id"), "case_reason", ["case_id"])
    op.create_index(op.f("ix_case_reason_message_id"), "case_reason", ["message_id"])
    op.create_table(
        "case_note",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("text_encrypted", sa.Text(), nullable=False, info=SEALED_BODY),
        _at("at"),
        sa.ForeignKeyConstraint(["author_id"], ["connector.id"], name=op.f("fk_case_note_author_id_connector")),
        sa.ForeignKeyConstraint(["case_id"], ["case_record.id"], name=op.f("fk_case_note_case_id_case_record")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_note")),
    )
    op.create_index(op.f("ix_case_note_case_id"), "case_note", ["case_id"])
    op.create_table(
        "alert",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("connector_id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=8), nullable=False),
        sa.Column("outbox_message_id", sa.Integer(), nullable=True),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("step", sa.Integer(), nullable=False),
        _at("created_at"),
        _at("due_at"),
        _at("acknowledged_at", True),
        _at("escalated_at", True),
        sa.Column("escalated_to_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["case_id"], ["case_record.id"], name=op.f("fk_alert_case_id_case_record")),
        sa.ForeignKeyConstraint(["connector_id"], ["connector.id"], name=op.f("fk_alert_connector_id_connector")),
        sa.ForeignKeyConstraint(["escalated_to_id"], ["connector.id"], name=op.f("fk_alert_escalated_to_id_connector")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alert")),
    )
    op.create_index(op.f("ix_alert_case_id"), "alert", ["case_id"])
    op.create_index(op.f("ix_alert_connector_id"), "alert", ["connector_id"])
    op.create_index("ix_alert_pending", "alert", ["state", "due_at"])
    op.create_table(
        "report",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("reporter_relationship", sa.String(length=32), nullable=False),
        sa.Column("reporter_contact_encrypted", sa.Text(), nullable=True, info=SEALED_BODY),
        sa.Column("who_encrypted", sa.Text(), nullable=False, info=SEALED_BODY),
        sa.Column("street_encrypted", sa.Text(), nullable=True, info=SEALED_BODY),
        sa.Column("area", sa.String(length=8), nullable=True),
        sa.Column("worry_encrypted", sa.Text(), nullable=False, info=SEALED_BODY),
        sa.Column("urgency", sa.String(length=16), nullable=False),
        sa.Column("person_knows", sa.Boolean(), nullable=True),
        sa.Column("notify_on_close", sa.Boolean(), nullable=False),
        _at("reporter_notified_at", True),
        _at("created_at"),
        sa.ForeignKeyConstraint(["case_id"], ["case_record.id"], name=op.f("fk_report_case_id_case_record")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report")),
    )
    op.create_index(op.f("ix_report_case_id"), "report", ["case_id"])
    op.create_table(
        "api_token",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("token_sha256", sa.String(length=64), nullable=False),
        _at("created_at"),
        _at("revoked_at", True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_token")),
        sa.UniqueConstraint("token_sha256", name=op.f("uq_api_token_token_sha256")),
    )
    op.create_table(
        "audit_event",
        sa.Column("id", sa.Integer(), nullable=False),
        _at("at"),
        sa.Column("actor", sa.String(length=64), nullable=False),
        sa.Column("action", sa.String(length=32), nullable=False),
        sa.Column("case_reference", sa.String(length=16), nullable=True),
        sa.Column("detail", sa.String(length=300), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_event")),
    )
    op.create_index("ix_audit_event_case", "audit_event", ["case_reference", "at"])


def downgrade() -> None:
    op.drop_index("ix_audit_event_case", table_name="audit_event")
    op.drop_table("audit_event")
    op.drop_table("api_token")
    op.drop_index(op.f("ix_report_case_id"), table_name="report")
    op.drop_table("report")
    op.drop_index("ix_alert_pending", table_name="alert")
    op.drop_index(op.f("ix_alert_connector_id"), table_name="alert")
    op.drop_index(op.f("ix_alert_case_id"), table_name="alert")
    op.drop_table("alert")
    op.drop_index(op.f("ix_case_note_case_id"), table_name="case_note")
    op.drop_table("case_note")
    op.drop_index(op.f("ix_case_reason_message_id"), table_name="case_reason")
    op.drop_index(op.f("ix_case_reason_case_id"), table_name="case_reason")
    op.drop_table("case_reason")
    op.drop_index(op.f("ix_case_record_sender_id"), table_name="case_record")
    op.drop_index(op.f("ix_case_record_owner_id"), table_name="case_record")
    op.drop_index(op.f("ix_case_record_area"), table_name="case_record")
    op.drop_table("case_record")
    op.drop_index("ix_rota_shift_time", table_name="rota_shift")
    op.drop_index(op.f("ix_rota_shift_connector_id"), table_name="rota_shift")
    op.drop_table("rota_shift")
    op.drop_table("connector")
