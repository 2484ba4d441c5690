"""Erasure and subject access reach the loneliness scores (casework.loneliness): the export shows the scores,
where the asking stands and the consent decision, never a text; erasing the resident (their request, or
the retention purge, which erases through the same code) deletes their scores with the rest."""
from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

from sqlalchemy import func, select, update

from casework.loneliness.measures import measure_loneliness
from casework.loneliness.models import LonelinessScore
from casework.models import Resident
from casework.privacy.consent import record_consent
from casework.privacy.subject_access import subject_access
from casework.residents.identity import PhoneVault, sms_sender_id
from jobs import subject_access as sar
from jobs.erasure import erase_senders
from tests.casework.conftest import ENCRYPTION_KEY, HASH_KEY

NOW = datetime(2026, 11, 25, 14, 0, tzinfo=timezone.utc)
NUMBER, OTHER = "+447700900631", "+447700900632"


def scored(sessions, number: str, first: int, second: int | None = None) -> str:
    sender = sms_sender_id(number, key=HASH_KEY)
    with sessions.begin() as session:
        session.add(Resident(sender_id=sender, channel="sms", phone_encrypted=PhoneVault(ENCRYPTION_KEY).seal(number), opted_out=False))
        session.flush()
        assert measure_loneliness(session, sender_id=sender, support="case", area="CH41", now=NOW).started
        record_consent(session, sender_id=sender, purpose="loneliness", granted=True, source="loneliness_question", at=NOW)
        session.execute(update(LonelinessScore).where(LonelinessScore.sender_id == sender).values(
            first_score=first, first_at=NOW, round="follow_up", state="done" if second else "due", due_at=NOW + timedelta(days=56),
            follow_up_score=second, follow_up_at=NOW + timedelta(days=56) if second else None))
    return sender


def test_the_export_shows_the_scores_and_where_it_stands(sessions, casework_settings):
    sender = scored(sessions, NUMBER, 8)
    with sessions() as session:
        held = subject_access(session, [sender], settings=casework_settings)
    [record] = held.loneliness
    assert (record.support, record.area, record.first_score, record.follow_up_score, record.state) == ("case", "CH41", 8, None, "due")
    assert record.next_asked_from == NOW + timedelta(days=56)
    assert held.found and [c.purpose for c in held.consent] == ["loneliness"]
    export = sar.Export(held, [])
    assert json.loads(sar.to_json(export))["loneliness"][0]["first_score"] == 8
    html = sar.render_html(export)
    assert "How lonely you felt" in html and "a score of 8 out of 9" in html and "we may ask again from" in html
    assert "answering 3 questions about how lonely you feel" in html


def test_erasing_a_resident_erases_their_scores_and_nobody_elses(sessions, casework_settings):
    sender = scored(sessions, NUMBER, 8, 5)
    other = scored(sessions, OTHER, 6)
    report = erase_senders([sender], casework_settings, requested_by="cli:sam", reason="resident request", numbers=[NUMBER],
                           sessions=sessions, tracker_urls=[], now=NOW)
    assert report.rows["loneliness_score"] == 1
    with sessions() as session:
        assert session.scalars(select(LonelinessScore.sender_id)).all() == [other]
        assert session.scalar(select(func.count()).select_from(Resident).where(Resident.sender_id == sender)) == 0
        assert subject_access(session, [sender], settings=casework_settings).loneliness == []
