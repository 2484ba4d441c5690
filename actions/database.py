"""The action server's database sessions, made on first use (never at import)."""
from __future__ import annotations

from functools import lru_cache

from sqlalchemy.orm import sessionmaker

from service.database import make_engine, make_sessionmaker
from service.settings import load_settings


@lru_cache(maxsize=1)
def sessions() -> sessionmaker:
    settings = load_settings()
    settings.check()
    return make_sessionmaker(make_engine(settings.database_url))
