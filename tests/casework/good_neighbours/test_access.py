"""Who sees which volunteer in the console (casework.good_neighbours.access): managers every one; a
connector those of their patch, told to them, or with no district; anyone else's reads as none, and the
refusal is audited. And finding a volunteer by their number (the command line's --phone)."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from casework.cases.caseload import NotAllowed
from casework.cases.models import AuditEvent
from casework.good_neighbours.access import require_volunteer, visible_volunteers
from casework.good_neighbours.volunteers import UnknownVolunteer, find_by_phone
from casework.models import Resident
from casework.residents.identity import PhoneVault


def test_managers_see_everyone_and_connectors_their_patch_or_whom_they_were_told_about(sessions, sign_up, add_connector):
    jo = add_connector("Jo Wallasey", "07700 900001", patch="CH44")  # told about CH44 sign-ups
    cat = add_connector("Cat Birkenhead", "07700 900002", patch="CH41")
    mo = add_connector("Mo Manager", "07700 900100", role="manager")
    wallasey, _ = sign_up(area="CH44")
    birkenhead, _ = sign_up(area="CH41")
    nowhere, _ = sign_up(area=None)
    with sessions.begin() as session:
        assert {v.reference for v in visible_volunteers(session, connector_id=mo).volunteers} == {wallasey, birkenhead, nowhere}
        assert {v.reference for v in visible_volunteers(session, connector_id=jo).volunteers} == {wallasey, nowhere}
        shown = visible_volunteers(session, connector_id=cat, area="ch4")
        assert [v.reference for v in shown.volunteers] == [birkenhead] and shown.by_state == {"applied": 2}
        assert visible_volunteers(session, connector_id=mo, state="ready").volunteers == []

        assert require_volunteer(session, reference=wallasey.lower(), connector_id=jo) == wallasey
        with pytest.raises(NotAllowed):
            require_volunteer(session, reference=wallasey, connector_id=jo, manage=True)
        assert require_volunteer(session, reference=wallasey, connector_id=mo, manage=True) == wallasey
    with pytest.raises(UnknownVolunteer):
        with sessions.begin() as session:
            require_volunteer(session, reference=birkenhead, connector_id=jo)
    with sessions() as session:
        listed = session.scalars(select(AuditEvent.detail).where(AuditEvent.action == "listed")).all()
        assert listed == ["volunteers: 3 of 3", "volunteers: 2 of 2", "volunteers: 1 of 2; area CH4", "volunteers: 0 of 3; state ready"]


def test_a_refusal_is_on_the_record_once_committed(sessions, sign_up, add_connector):
    jo = add_connector("Jo Wallasey", "07700 900001", patch="CH44")
    add_connector("Cat Birkenhead", "07700 900002", patch="CH41")  # told about it
    birkenhead, _ = sign_up(area="CH41")
    with sessions.begin() as session:
        try:
            require_volunteer(session, reference=birkenhead, connector_id=jo)
        except UnknownVolunteer:
            pass  # the console answers 404 and commits, as it does for someone else's case
    with sessions() as session:
        refused = session.scalars(select(AuditEvent).where(AuditEvent.action == "volunteer_refused")).one()
        assert (refused.actor, refused.case_reference) == (f"connector:{jo}", birkenhead)


def test_a_volunteer_is_found_by_the_number_they_texted_from_or_left(sessions, casework_settings, sign_up):
    by_text, sender = sign_up()
    by_web, _ = sign_up(channel="webchat", contact="07700 900999")
    sign_up(channel="webchat", contact="ravi@example.org")
    with sessions() as session:
        number = session.scalars(select(Resident.phone_encrypted).where(Resident.sender_id == sender)).one()
        texted_from = PhoneVault.for_settings(casework_settings).open(number)
        assert find_by_phone(session, texted_from, casework_settings) == by_text
        assert find_by_phone(session, "+44 7700 900999", casework_settings) == by_web
        assert find_by_phone(session, "07700 900998", casework_settings) is None
