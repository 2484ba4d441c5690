"""Migration 0017: a token in use before scopes existed keeps the scopes its audit trail shows it used,
a token never used gets none (refused until re-created), and the migration says what it gave."""
from __future__ import annotations

from datetime import datetime, timezone

from alembic import command
from sqlalchemy import text

from casework.console.tokens import verify_token
from service.database import make_engine, make_sessionmaker
from service.migrate import alembic_config

TOKENS = {"crm": "cc_crm-token", "commissioners": "cc_figures-token", "both": "cc_both-token", "unused": "cc_unused-token"}
USED = [("api:crm", "listed"), ("api:crm", "viewed"), ("api:commissioners", "outcomes_read"),
        ("api:both", "file_read"), ("api:both", "outcomes_read"), ("connector:1", "viewed")]


def test_existing_tokens_keep_the_scopes_they_were_used_for(tmp_path, capfd):
    from casework.console.tokens import _digest  # the stored form of a token, as create_token writes it

    engine = make_engine(f"sqlite:///{tmp_path / 'app.db'}")
    config = alembic_config(str(engine.url))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0016_search_meaning")
    now = datetime(2026, 11, 1, tzinfo=timezone.utc)
    with engine.begin() as connection:
        for name, token in TOKENS.items():
            connection.execute(text("INSERT INTO api_token (name, token_sha256, created_at) VALUES (:n, :d, :at)"),
                               {"n": name, "d": _digest(token), "at": now})
        for actor, action in USED:
            connection.execute(text("INSERT INTO audit_event (at, actor, action, detail) VALUES (:at, :actor, :action, '')"),
                               {"at": now, "actor": actor, "action": action})
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0017_token_scope")

    with make_sessionmaker(engine)() as session:
        scopes = {name: verify_token(session, token).scopes for name, token in TOKENS.items()}
    assert scopes == {"crm": ("cases",), "commissioners": ("outcomes",), "both": ("cases", "outcomes"), "unused": ()}
    said = capfd.readouterr().err
    assert "'crm' (id 1) keeps scopes cases" in said
    assert "'unused' (id 4) keeps no scope" in said and "--scope" in said
    engine.dispose()
