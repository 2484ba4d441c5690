"""Door-knock sessions: what a form may hold, notes sealed, who sees which sessions, the audit trail;
and the outcome tables built by the migration exactly as the models say."""
from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from sqlalchemy import inspect, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import sessionmaker

from casework.cases.caseload import NotAllowed
from casework.cases.connectors import set_active
from casework.cases.models import AuditEvent
from casework.outcomes.doorknocks import DoorKnockInvalid, home_district, log_door_knock, read_door_knock, recent_door_knocks
from casework.outcomes.models import DoorKnock
from service.settings import Settings

TODAY = date(2026, 3, 11)


def form(**changes: str) -> dict[str, str]:
    typed = {"held_on": "2026-03-11", "area": "ch41", "streets": "  Ilchester   Road, Park Road ", "doors_knocked": "40",
             "doors_answered": "25", "conversations": "18", "people_signposted": "6", "people_referred": "2",
             "volunteers_signed_up": "1", "notes": "  Flat 3 lives alone, would like a visit  "}
    typed.update(changes)
    return typed


def problems(**changes: str) -> dict[str, str]:
    with pytest.raises(DoorKnockInvalid) as refused:
        read_door_knock(form(**changes), today=TODAY)
    return refused.value.problems


def test_a_filled_in_form_is_read_as_typed() -> None:
    entry = read_door_knock(form(), today=TODAY)
    assert (entry.held_on, entry.area, entry.streets) == (TODAY, "CH41", "Ilchester Road, Park Road")
    assert (entry.doors_knocked, entry.doors_answered, entry.conversations, entry.people_signposted, entry.people_referred,
            entry.volunteers_signed_up) == (40, 25, 18, 6, 2, 1)
    assert entry.notes == "Flat 3 lives alone, would like a visit"
    assert read_door_knock(form(area="CH41 5AB", doors_knocked="1,200", doors_answered=" 12 "), today=TODAY).area == "CH41"


def test_counts_left_empty_are_none_but_some_doors_must_have_been_knocked() -> None:
    entry = read_door_knock(form(doors_answered="", conversations="", people_signposted="", people_referred="",
                                 volunteers_signed_up="", notes="", streets=""), today=TODAY)
    assert (entry.doors_answered, entry.volunteers_signed_up, entry.notes, entry.streets) == (0, 0, "", "")
    assert problems(doors_knocked="0") == {"doors_knocked": "none"}
    assert problems(doors_knocked="") == {"doors_knocked": "none"}


def test_every_problem_is_named_at_once_against_its_field() -> None:
    assert problems(held_on="", area="", doors_knocked="forty", doors_answered="-3", conversations="2.5",
                    volunteers_signed_up="20000") == {
        "held_on": "missing", "area": "missing", "doors_knocked": "not_a_number", "doors_answered": "not_a_number",
        "conversations": "not_a_number", "volunteers_signed_up": "too_big"}
    assert problems(held_on="2026-03-12") == {"held_on": "in_future"}
    assert problems(held_on="2025-03-01") == {"held_on": "too_old"}
    assert problems(held_on="11/03/2026") == {"held_on": "not_a_date"}
    assert problems(area="Birkenhead") == {"area": "not_a_district"}
    assert problems(doors_answered="41") == {"doors_answered": "more_than_knocked"}


def test_sessions_are_logged_with_notes_sealed_and_listed_to_whoever_may_see_them(
        sessions: sessionmaker, casework_settings: Settings, add_connector: Callable[..., int]) -> None:
    jo = add_connector("Jo Bloggs", "07700 900001", patch="CH41 CH42")
    cat = add_connector("Cat Second", "07700 900002", patch="CH")
    mo = add_connector("Mo Manager", "07700 900100", role="manager")
    with sessions.begin() as session:
        first = log_door_knock(session, connector_id=jo, entry=read_door_knock(form(), today=TODAY), settings=casework_settings)
        log_door_knock(session, connector_id=cat, entry=read_door_knock(form(area="CH43", notes=""), today=TODAY),
                       settings=casework_settings)
        assert (home_district(session, connector_id=jo), home_district(session, connector_id=cat)) == ("CH41", "")
    with sessions() as session:
        stored = session.get(DoorKnock, first)
        assert stored is not None and stored.notes_encrypted and "alone" not in stored.notes_encrypted
    with sessions.begin() as session:
        own = recent_door_knocks(session, connector_id=jo, settings=casework_settings)
        everyone = recent_door_knocks(session, connector_id=mo, settings=casework_settings)
    assert [(k.connector_name, k.area, k.notes) for k in own] == [("Jo Bloggs", "CH41", "Flat 3 lives alone, would like a visit")]
    assert sorted((k.connector_name, k.area, k.doors_knocked) for k in everyone) == [("Cat Second", "CH43", 40),
                                                                                   ("Jo Bloggs", "CH41", 40)]
    with sessions() as session:
        trail = session.execute(select(AuditEvent.actor, AuditEvent.action, AuditEvent.detail).order_by(AuditEvent.id)).all()
    assert (f"connector:{jo}", "door_knock_logged", f"door-knock {first}: 2026-03-11 CH41, 40 doors, 18 conversations") in trail
    assert (f"connector:{mo}", "listed", "all door-knocks: 2") in trail
    assert all("alone" not in detail for _, _, detail in trail)
    with sessions.begin() as session:
        set_active(session, jo, False)
    with pytest.raises(NotAllowed), sessions.begin() as session:
        log_door_knock(session, connector_id=jo, entry=read_door_knock(form(), today=TODAY), settings=casework_settings)


def test_the_migration_builds_the_outcome_tables_as_the_models_say(app_engine: Engine) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    import casework.outcomes.models  # noqa: F401
    from service.database import Base

    assert {"door_knock", "suggestion"} <= set(inspect(app_engine).get_table_names())
    with app_engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert [d for d in diff if "'door_knock'" in repr(d) or "'suggestion'" in repr(d)] == []
