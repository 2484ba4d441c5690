"""The shipped sample directory (`data/sample_directory.json`, ORUK 3.0), loaded only into an empty directory.

`make run` calls `python -m directory seed-sample` on every start; a directory that holds any service
(imported, or the sample itself) is left exactly as it is.
"""
from __future__ import annotations

import logging
from pathlib import Path
from typing import Union

from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from directory.importing import import_source
from directory.models import Service
from service.database import make_sessionmaker

log = logging.getLogger(__name__)

SAMPLE_FILE = Path(__file__).parent / "data" / "sample_directory.json"
SAMPLE_FEED = "sample:directory/data/sample_directory.json"


def directory_is_empty(session: Session) -> bool:
    return session.scalar(select(func.count()).select_from(Service)) == 0


def load_sample_if_empty(session_or_engine: Union[Session, Engine]) -> int:
    """Load the sample when the directory has no services; return how many services were loaded (0 if none)."""
    if isinstance(session_or_engine, Session):
        return _load(session_or_engine)
    with make_sessionmaker(session_or_engine).begin() as session:
        return _load(session)


def _load(session: Session) -> int:
    if not directory_is_empty(session):
        log.info("the directory already holds services; the sample is not loaded")
        return 0
    report = import_source(session, str(SAMPLE_FILE), is_sample=True, feed_name=SAMPLE_FEED, progress=False)
    if report.rejected:
        log.warning("sample records rejected: %s", report.rejected)
    log.info(report.summary())
    return report.created
