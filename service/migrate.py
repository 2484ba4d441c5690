"""Bring a database to the newest schema: `python -m service.migrate` (uses DATABASE_URL)."""
from __future__ import annotations

from alembic import command
from alembic.config import Config
from sqlalchemy.engine import Engine

from service.settings import ROOT, load_settings


def alembic_config(url: str) -> Config:
    config = Config(str(ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(ROOT / "migrations"))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(url: str) -> None:
    command.upgrade(alembic_config(url), "heads")


def upgrade_engine(engine: Engine) -> None:
    """Migrate through an existing engine (tests use this on SQLite files and PostgreSQL schemas)."""
    config = alembic_config(str(engine.url))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "heads")


if __name__ == "__main__":
    upgrade(load_settings().database_url)
