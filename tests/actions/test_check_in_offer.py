"""After an activity's details, the offer of a "did you go?" check-in (actions/check_in_offer.py): the
group's next session found from the sample directory's schedule, and the offer recorded for an SMS
resident, in a real SQLite database. Whether one may be made at all is casework's rule
(casework.follow_ups.check_ins, tests/casework/follow_ups/test_check_ins.py); how the question follows the details is
tests/actions/test_activity_details.py."""
from __future__ import annotations

import asyncio
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from actions import database
from actions.check_in_offer import check_in_question
from actions.search_state import SearchState, Shown
from casework.conversation.inbound import BodyVault
from casework.follow_ups.models import FollowUp
from casework.models import as_utc, utcnow
from tests.actions.conftest import ENCRYPTION_KEY, listed, texter, tracker

pytestmark = pytest.mark.usefixtures("sms_keys")

LONDON = ZoneInfo("Europe/London")  # WORKING_TIMEZONE's default: the directory's times are the venue's clock
LOOKING = SearchState(interest="knitting", place="Wallasey", searched=True)


def ask(sender_id: str, item: Shown, state: SearchState = LOOKING) -> tuple[str, dict[str, str]] | None:
    channel = "sms" if sender_id.startswith("sms:") else "webchat"
    return asyncio.run(check_in_question(tracker({}, "tell me about 1", sender_id=sender_id, channel=channel, active_loop=None),
                                         state, item))


def offers(sender_id: str) -> list[FollowUp]:
    with database.sessions()() as session:
        return list(session.scalars(select(FollowUp).where(FollowUp.sender_id == sender_id).order_by(FollowUp.id)))


def test_an_sms_resident_is_offered_a_check_in_the_day_after_the_groups_next_session() -> None:
    sender = texter("+447700900601")
    knitting = listed("Knit and Natter")  # the sample's schedule: Tuesdays 13:30-15:30
    asked = ask(sender, knitting)
    assert asked is not None
    response, values = asked
    [offer] = offers(sender)
    meets_at, ask_at = as_utc(offer.meets_at), as_utc(offer.ask_at)
    assert meets_at is not None and ask_at is not None
    meets = meets_at.astimezone(LONDON)
    assert (meets.strftime("%A"), meets.time()) == ("Tuesday", time(13, 30))
    assert timedelta(0) < meets_at - utcnow() <= timedelta(days=7), "the next session, not a later one"
    assert (response, values) == ("utter_offer_follow_up", {"name": "Knit and Natter", "day": f"Tuesday {meets.day} {meets:%B}"})
    assert ask_at.astimezone(LONDON) == datetime.combine(meets.date() + timedelta(days=1), time(10, 0), LONDON), "the day after, from 10:00"
    assert (offer.state, offer.activity_id, offer.activity_name, offer.interest) == (
        "offered", knitting.service_id, "Knit and Natter", "knitting")
    # The place may be a postcode: kept sealed, for "Shall I remember...?" after a yes.
    assert "Wallasey" not in (offer.place_encrypted or "")
    assert BodyVault(ENCRYPTION_KEY).open(offer.place_encrypted) == "Wallasey"


def test_the_next_group_looked_at_is_the_one_asked_about() -> None:
    sender = texter("+447700900602")
    assert ask(sender, listed("Knit and Natter")) is not None
    assert ask(sender, listed("Sing for Joy"), SearchState(interest="singing", place="Heswall", searched=True)) is not None
    assert [(o.activity_name, o.state) for o in offers(sender)] == [("Knit and Natter", "lapsed"), ("Sing for Joy", "offered")]


@pytest.mark.parametrize("case", ["web chat", "no id in an older slot", "no date in the directory", "opted out", "no number on record"])
def test_no_offer_where_none_may_be_made(case: str) -> None:
    item = listed("Knit and Natter")
    if case == "web chat":
        sender = "web:check-in"
    elif case == "opted out":
        sender = texter("+447700900611", opted_out=True)
    elif case == "no number on record":
        sender = "sms:" + "0" * 32  # the intake has never met this sender
    else:
        sender = texter({"no id in an older slot": "+447700900612", "no date in the directory": "+447700900613"}[case])
    if case == "no id in an older slot":
        item = Shown(**{**item.__dict__, "service_id": None})
    elif case == "no date in the directory":
        item = listed("Friendly Call")  # "at a time to suit you, arranged when you get in touch"
    assert ask(sender, item) is None
    assert offers(sender) == []
