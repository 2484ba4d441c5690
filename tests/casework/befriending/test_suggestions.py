"""Ready volunteers for a request, ranked by distance (the offline postcode table), shared interests and
free times; only ready ones who offer what the resident would like."""
from __future__ import annotations

from casework.befriending.requests import request_details
from casework.befriending.suggestions import suggest_volunteers


def suggestions(sessions, settings, reference):
    with sessions() as session:
        details = request_details(session, reference=reference, settings=settings)
        return suggest_volunteers(session, request=details, settings=settings)


def test_nearer_shared_interests_and_free_times_first_and_why(sessions, settings, resident_asks, ready_volunteer) -> None:
    _, request = resident_asks("could someone ring me for a chat now and then, im in wallasey", interests="gardening and walking",
                               free="weekday mornings")
    near, _ = ready_volunteer("Margaret Quillby", area="CH44", interests="my allotment", free="mornings")
    far, _ = ready_volunteer("Pat Jones", area="CH62", area_label="Heswall", interests="football", free="evenings")
    unsaid, _ = ready_volunteer("Sam Lee", area="CH45", area_label="Wallasey", interests="", free="ask me")
    ready_volunteer("Not Ready", area="CH44", interests="gardening", ready=False)
    ready_volunteer("Only Drives", area="CH44", interests="gardening", roles=("driving",))

    found = suggestions(sessions, settings, request)
    assert [s.reference for s in found] == [near, unsaid, far], "only the ready who offer calls, best first"
    first = found[0]
    assert (first.first_name, first.same_district, first.shared_interests, first.times, first.shared_times) == (
        "Margaret", True, ("gardening",), "meet", "weekdays, mornings")
    assert found[2].miles is not None and found[2].miles > 3 and found[2].times == "apart"
    assert found[1].times == "unknown"


def test_a_visit_is_offered_only_by_those_who_visit(sessions, settings, resident_asks, ready_volunteer) -> None:
    _, request = resident_asks("i would like someone to visit me once a week, im in wallasey")
    ready_volunteer("Calls Only", roles=("befriending_calls",))
    visitor, _ = ready_volunteer("Vi Sitor", roles=("visits",))
    assert [s.reference for s in suggestions(sessions, settings, request)] == [visitor]
