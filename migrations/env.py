"""Alembic environment: the URL from DATABASE_URL (or the caller's connection), metadata from the models."""
from __future__ import annotations

from alembic import context

import casework.befriending.tables  # noqa: F401  (registers tables on Base.metadata)
import casework.cases.models  # noqa: F401
import casework.console.models  # noqa: F401
import casework.follow_ups.models  # noqa: F401
import casework.models  # noqa: F401
import casework.outbox.delivery_status  # noqa: F401
import casework.outbox.messages  # noqa: F401
import casework.outbox.provider_state  # noqa: F401
import casework.outcomes.models  # noqa: F401
import casework.privacy.models  # noqa: F401
import casework.privacy.provider_copies  # noqa: F401
import casework.proposed_groups.models  # noqa: F401
import casework.residents.memory_models  # noqa: F401
import directory.models  # noqa: F401
from service.database import Base, make_engine
from service.settings import load_settings

target_metadata = Base.metadata


def run_migrations() -> None:
    connection = context.config.attributes.get("connection")
    if connection is not None:
        context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()
        return
    url = context.config.get_main_option("sqlalchemy.url") or load_settings().database_url
    engine = make_engine(url)
    with engine.connect() as conn:
        context.configure(connection=conn, target_metadata=target_metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


run_migrations()
