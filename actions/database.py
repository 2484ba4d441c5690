"""The action server's settings and database sessions, made on first use (never at import)."""
from __future__ import annotations

from functools import lru_cache

from sqlalchemy.orm import sessionmaker

from service.database import make_engine, make_sessionmaker
from service.settings import Settings, load_settings


@lru_cache(maxsize=1)
def settings() -> Settings:
    """The action server's settings, read and checked once (casework needs its keys and alert timings)."""
    loaded = load_settings()
    loaded.check()
    return loaded


@lru_cache(maxsize=1)
def sessions() -> sessionmaker:
    loaded = load_settings()
    loaded.check()
    return make_sessionmaker(make_engine(loaded.database_url))
