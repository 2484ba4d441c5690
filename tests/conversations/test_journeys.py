"""Every journey of issue 9 end to end, in texting style: the trained model, the real action server and
the sample directory (the service stack), over the SMS variants and web chat."""
from __future__ import annotations

import pytest
from rasa.core.agent import Agent
from sqlalchemy import select

from actions.remember import search_again_payload
from casework.cases.models import Volunteer
from casework.conversation.inbound import BodyVault
from casework.follow_ups.models import FollowUp
from casework.models import Resident
from casework.residents.identity import PhoneVault
from casework.residents.memory import answer_remember_offer, clear_memory, remembered
from channels.sms_render import render_for_sms
from service.database import make_engine, make_sessionmaker
from tests.conversations.conftest import new_sender, talk
from tests.service_stack import ServiceStack


def joined(replies: list[str]) -> str:
    return "\n".join(replies)


@pytest.mark.service
def test_interest_and_place_in_the_first_text_then_moving_around_the_results(agent: Agent) -> None:
    sender = new_sender("sms")
    first = talk(agent, sender, "any singin groups nr heswall", "sms")
    assert first[0] == "For singing near Heswall:" and "1. Sing for Joy." in first[1], first
    assert first[-1].startswith("Text a number")
    free = joined(talk(agent, sender, "anything free?", "sms"))
    assert "free" in free and "singing near Heswall" in free  # there are none: it says so
    thursdays = talk(agent, sender, "what about thursdays", "sms")
    assert thursdays[0] == "For singing near Heswall (on Thursdays):"
    assert all("Thursdays" in r for r in thursdays[1:-1])
    details = joined(talk(agent, sender, "tell me about 2", "sms"))
    assert details.startswith("Silver Voices Choir:") and "When: Thursdays" in details
    way = joined(talk(agent, sender, "how do i get there", "sms"))
    assert way.startswith("Silver Voices Choir is at") and "TALK" in way
    assert "That's all" in joined(talk(agent, sender, "more", "sms"))
    bye = talk(agent, sender, "thanks bye", "sms")
    assert bye == ["Goodbye, and take care. Text us any time you'd like more ideas."]


@pytest.mark.service
def test_more_and_a_number_after_it(agent: Agent) -> None:
    sender = new_sender("sms")
    talk(agent, sender, "coffee mornings in wallasey", "sms")
    more = talk(agent, sender, "any more?", "sms")
    assert more[0].startswith("More for coffee morning near Wallasey") and more[1].startswith("4. ")
    fifth = more[2].split(". ", 2)[1]
    assert joined(talk(agent, sender, "5", "sms")).startswith(fifth + ":")


@pytest.mark.service
def test_corrections_and_a_different_interest_at_any_point(agent: Agent) -> None:
    sender = new_sender()
    assert "near Margate" in joined(talk(agent, sender, "walking in margate"))
    moved = joined(talk(agent, sender, "no i meant Wallasey"))
    assert "walking near Wallasey" in moved and "Contact:" in moved
    changed = joined(talk(agent, sender, "actually singing"))
    assert "singing near Wallasey" in changed


@pytest.mark.service
def test_an_interest_given_for_the_place_is_kept_and_the_place_asked_again(agent: Agent) -> None:
    sender = new_sender()
    talk(agent, sender, "hello")
    talk(agent, sender, "i like walkin")
    asked = joined(talk(agent, sender, "knitting"))
    assert "Which area" in asked and "couldn't find" not in asked
    assert "knitting near Spital" in joined(talk(agent, sender, "spital"))


@pytest.mark.service
def test_a_need_and_a_place_in_one_text(agent: Agent) -> None:
    sender = new_sender("sms")
    replies = talk(agent, sender, "im 81 and on my own most days, live in prenton", "sms")
    assert replies[0].startswith("I'm sorry it's been lonely")
    assert replies[1] == "For company and a chat near Prenton:" and replies[2].startswith("1. ")


@pytest.mark.service
@pytest.mark.parametrize(("text", "opening", "place", "expected"), [
    ("just lost my husband", "I'm so sorry for your loss", "meols", "Bereavement Cafe"),
    ("im a carer for my mum", "Caring is a lot to carry", "bebington", "Carers' Cuppa"),
    ("just moved here, dont know anyone", "Welcome to the area", "seacombe", "1. "),
])
def test_needs_ask_where_and_find_what_helps(agent: Agent, text: str, opening: str, place: str, expected: str) -> None:
    sender = new_sender()
    first = talk(agent, sender, text)
    assert first[0].startswith(opening) and "Which area" in first[-1]
    assert expected in joined(talk(agent, sender, place))


@pytest.mark.service
def test_digressions_while_the_place_is_asked(agent: Agent) -> None:
    sender = new_sender("sms")
    talk(agent, sender, "bowls", "sms")
    robot = talk(agent, sender, "are you a real person?", "sms")
    assert "not a person" in robot[0] and "TALK" in robot[0] and "Which area" in robot[-1]
    weather = talk(agent, sender, "whats the weather like tomorrow", "sms")
    assert "can't help with that" in weather[0] and "TALK" in weather[0] and "Which area" in weather[-1]
    free = talk(agent, sender, "free ones please", "sms")
    assert "keep that in mind" in free[0] and "Which area" in free[-1]
    found = talk(agent, sender, "bromborough", "sms")
    assert found[0] == "For bowls near Bromborough (free):" or "None for bowls near Bromborough that are free" in found[0]


@pytest.mark.service
def test_goodbye_and_no_thanks_never_search(agent: Agent) -> None:
    sender = new_sender()
    talk(agent, sender, "hello")
    assert talk(agent, sender, "thanks bye") == ["Goodbye, and take care. Message us any time you would like more ideas."]
    other = new_sender()
    talk(agent, other, "gardening")
    assert talk(agent, other, "no thanks") == ["No problem. I'm here whenever you'd like ideas: just tell me something you enjoy."]


@pytest.mark.service
def test_help_and_something_out_of_scope_point_to_a_person(agent: Agent) -> None:
    sender = new_sender("sms")
    assert "TALK" in joined(talk(agent, sender, "help me please", "sms"))
    assert "TALK" in joined(talk(agent, sender, "can you book me a taxi", "sms"))


def _volunteers(service: ServiceStack) -> list[Volunteer]:
    engine = make_engine(service.database_url)
    try:
        with make_sessionmaker(engine)() as session:
            return list(session.scalars(select(Volunteer)))
    finally:
        engine.dispose()


@pytest.mark.service
def test_volunteering_by_text(agent: Agent, service: ServiceStack) -> None:
    sender = new_sender("sms")
    assert "4 quick questions" in joined(talk(agent, sender, "i want to volunteer", "sms"))
    assert "Which area" in joined(talk(agent, sender, "its Margaret", "sms"))
    assert "When are you usually free" in joined(talk(agent, sender, "wallasey", "sms"))
    assert "1 Befriending calls" in joined(talk(agent, sender, "weekday mornings", "sms"))
    done = joined(talk(agent, sender, "1 and 4", "sms"))
    assert done.startswith("Thank you, Margaret!") and ("Ref GN-" in done or "ref GN-" in done)
    [stored] = [v for v in _volunteers(service) if v.sender_id == sender]
    assert (stored.area, stored.roles, stored.channel) == ("CH44", "befriending_calls,driving", "sms")


@pytest.mark.service
def test_volunteering_in_web_chat_asks_how_to_reach_them(agent: Agent, service: ServiceStack) -> None:
    sender = new_sender()
    for text in ("id like to volunteer", "Ravi", "ct9 1fj", "saturdays"):
        talk(agent, sender, text)
    asked = joined(talk(agent, sender, "helping at a group"))
    assert "How can the connector reach you" in asked
    assert "doesn't look like" in joined(talk(agent, sender, "soon"))
    done = joined(talk(agent, sender, "ravi@example.org"))
    assert done.startswith("Thank you, Ravi!")
    [stored] = [v for v in _volunteers(service) if v.sender_id == sender]
    assert stored.area == "CT9" and stored.area_label == "CT9" and stored.contact_encrypted


def _sms_resident(service: ServiceStack, sender: str) -> None:
    """A resident as the intake records them on their first text (the in-process agent skips the intake)."""
    engine = make_engine(service.database_url)
    try:
        with make_sessionmaker(engine).begin() as session:
            session.add(Resident(sender_id=sender, channel="sms", opted_out=False,
                                 phone_encrypted=PhoneVault(service.env["PHONE_ENCRYPTION_KEY"]).seal("+447700900123")))
    finally:
        engine.dispose()


def _follow_ups(service: ServiceStack, sender: str) -> list[tuple[str, str]]:
    engine = make_engine(service.database_url)
    try:
        with make_sessionmaker(engine)() as session:
            return [(r.activity_name, r.state) for r in session.scalars(select(FollowUp).where(FollowUp.sender_id == sender))]
    finally:
        engine.dispose()


def _app_sessions(service: ServiceStack):  # type: ignore[no-untyped-def]
    engine = make_engine(service.database_url)
    return engine, make_sessionmaker(engine)


def _in_the_intake(service: ServiceStack, sender: str, text: str) -> str | None:
    """What the intake does with a reply the in-process agent never sees (channels/admission.py answers
    "1" to "Shall I remember...?" and CLEAR without the bot): the same casework calls, on the stack's database."""
    engine, sessions = _app_sessions(service)
    try:
        with sessions.begin() as session:
            if text == "CLEAR":
                clear_memory(session, sender_id=sender)
                return "cleared"
            return answer_remember_offer(session, sender_id=sender, text=text)
    finally:
        engine.dispose()


@pytest.mark.service
def test_details_of_a_group_that_meets_on_a_set_day_offer_a_check_in_by_text_only(agent: Agent, service: ServiceStack) -> None:
    sender = new_sender("sms")
    _sms_resident(service, sender)
    talk(agent, sender, "any singin groups nr heswall", "sms")
    details = talk(agent, sender, "tell me about 2", "sms")
    name = details[0].split(":")[0]
    assert name.startswith("Silver Voices Choir")
    assert details[-1].startswith(f"Shall I text you after {name} on ")
    assert details[-1].endswith("to ask how it went? Reply 1 for yes or 2 for no.")
    assert _follow_ups(service, sender) == [(name, "offered")]
    sent = render_for_sms([{"text": t} for t in details], budget=3)
    assert sent.more == () and sent.text.endswith("Reply 1 for yes or 2 for no."), "the question is in the text, not behind MORE"
    web = new_sender()
    talk(agent, web, "any singin groups nr heswall")
    assert not any("Shall I text you" in r for r in talk(agent, web, "tell me about 2")), "web chat has no number to text"


@pytest.mark.service
def test_a_returning_resident_who_agreed_is_greeted_with_last_times_search(agent: Agent, service: ServiceStack) -> None:
    sender = new_sender("sms")
    talk(agent, sender, "any singin groups nr heswall", "sms")
    details = talk(agent, sender, "tell me about 1", "sms")
    assert details[-1].startswith("Shall I remember you like singing near Heswall") and "Reply 1 for yes or 2 for no" in details[-1]
    assert not any("Shall I remember" in r for r in talk(agent, sender, "tell me about 2", "sms")), "asked once"
    assert _in_the_intake(service, sender, "1") == "yes"

    # Next week: a new session (what Rasa does after 120 quiet minutes), slots not carried over...
    talk(agent, sender, "/session_start", "sms")
    greeted = joined(talk(agent, sender, "hi", "sms"))
    assert greeted.startswith("Welcome back! Last time you were looking for singing near Heswall.") and "CLEAR" in greeted
    assert "What do you enjoy" not in greeted, "no question on top of the welcome back"
    # ..."1" is the greeting's button, which the intake turns into its payload.
    again = talk(agent, sender, search_again_payload("singing", "Heswall"), "sms")
    assert again[0] == "For singing near Heswall:" and again[1].startswith("1. ")

    # The area is known in a new conversation: "any walking groups?" searches there without asking.
    talk(agent, sender, "/session_start", "sms")
    walking = talk(agent, sender, "any walking groups?", "sms")
    assert walking[0].startswith("For walking near Heswall") or "walking near Heswall" in joined(walking), walking
    # A new search replaces what is remembered; CLEAR forgets it, and the greeting is the ordinary one.
    engine, sessions = _app_sessions(service)
    try:
        with sessions() as session:
            memory = remembered(session, sender, BodyVault(service.env["PHONE_ENCRYPTION_KEY"]))
            assert memory is not None and (memory.interest, memory.place) == ("walking", "Heswall")
    finally:
        engine.dispose()
    assert _in_the_intake(service, sender, "CLEAR") == "cleared"
    talk(agent, sender, "/session_start", "sms")
    hello = joined(talk(agent, sender, "hello", "sms"))
    assert hello.startswith("Hello! I can tell you about") and "Welcome back" not in hello


@pytest.mark.service
def test_web_chat_is_never_offered_to_be_remembered(agent: Agent) -> None:
    sender = new_sender()
    talk(agent, sender, "singing in heswall")
    assert not any("remember" in r for r in talk(agent, sender, "tell me about 1"))
