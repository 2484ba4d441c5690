"""Groups matched to a resident's words by meaning (directory.meaning, issue 15): vectors written at
import, a wish with no word in common still finds the group whose description fits, and without the
encoder nothing fails. Real SQLite, the real encoder."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from directory import find_activities, import_source, meaning
from directory.models import SearchEntry
from directory.search_index import fill_meanings
from service.sentence_encoder import DIMENSIONS, EncoderUnavailable

GROUPS = """name,description,activity,day,start_time,end_time,town,postcode,cost
Loco Club,"We build 00 gauge layouts, scenery and little houses, and run the engines on club nights.",,Tuesday,19:00,21:00,Wallasey,CH44 5TN,2
Wallasey Bridge Club,"Duplicate bridge for all standards, partners found.",cards,Wednesday,13:30,16:00,Wallasey,CH44 5TN,3
Poulton Community Allotment,"Raised beds, a polytunnel and a kettle. Come and get your hands dirty.",,Thursday,10:00,12:00,Wallasey,CH44 5TN,Free
"""


@pytest.fixture
def groups(session: Session, tmp_path: Path) -> Session:
    source = tmp_path / "groups.csv"
    source.write_text(GROUPS, encoding="utf-8")
    report = import_source(session, str(source))
    assert report.records_read == 3 and not report.rejected
    return session


def test_an_import_reads_every_group_for_meaning(groups: Session) -> None:
    stored = groups.scalars(select(SearchEntry.meaning)).all()
    assert len(stored) == 3 and all(blob is not None and len(blob) == DIMENSIONS * 2 for blob in stored)
    vector = np.frombuffer(stored[0], dtype=np.float16).astype(np.float32)
    assert abs(float(np.linalg.norm(vector)) - 1.0) < 0.01


def test_a_wish_with_no_word_in_common_finds_the_group_whose_description_fits(groups: Session) -> None:
    wish = "my old hobby was model trains"
    by_words = find_activities(groups, interest=wish, near="CH44 5TN", limit=3)
    assert "Loco Club" not in [m.name for m in by_words]
    by_meaning = find_activities(groups, interest=wish, wish=wish, near="CH44 5TN", limit=3)
    assert by_meaning and by_meaning[0].name == "Loco Club"
    assert dict(by_meaning[0].score_parts)["interest"] > 0


def test_a_wish_finds_the_interest_it_means(groups: Session) -> None:
    assert meaning.interests_meant("growing veg") == {"c:gardening": meaning.CONCEPT_CLOSENESS}
    found = find_activities(groups, interest="growing veg", wish="growing veg", near="CH44 5TN", limit=1)
    assert found and found[0].name == "Poulton Community Allotment"


def test_meaning_does_not_invent_a_match_for_words_about_nothing(groups: Session) -> None:
    assert meaning.interests_meant("hello there") == {}


def test_without_the_encoder_groups_are_matched_by_words_alone(session: Session, tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    def missing(folder: object = None, threads: int = 1) -> object:
        raise EncoderUnavailable("no sentence encoder in models/encoder (make encoder writes it)")

    monkeypatch.setattr(meaning, "shared_encoder", missing)
    meaning.wish_vector.cache_clear()
    source = tmp_path / "groups.csv"
    source.write_text(GROUPS, encoding="utf-8")
    assert not import_source(session, str(source)).rejected
    assert session.scalar(select(func.count()).select_from(SearchEntry).where(SearchEntry.meaning.is_(None))) == 3
    found = find_activities(session, interest="bridge", wish="bridge", near="CH44 5TN", limit=1)
    assert found and found[0].name == "Wallasey Bridge Club"
    assert fill_meanings(session) == 0
    monkeypatch.undo()
    meaning.wish_vector.cache_clear()
    assert fill_meanings(session) == 3, "python -m directory embed fills them in once the encoder is there"


def test_the_sample_is_read_for_meaning(sample_sessions: sessionmaker) -> None:
    with sample_sessions() as session:
        assert session.scalar(select(func.count()).select_from(SearchEntry).where(SearchEntry.meaning.is_(None))) == 0
