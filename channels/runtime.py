"""What the channels need at run time, built once per process from the environment (not at import)."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import sessionmaker

from service.database import make_engine, make_sessionmaker
from service.settings import Settings, load_settings


@dataclass
class Runtime:
    settings: Settings
    sessions: sessionmaker

    @classmethod
    def from_environment(cls) -> Runtime:
        settings = load_settings()
        settings.check()
        return cls(settings=settings, sessions=make_sessionmaker(make_engine(settings.database_url)))
