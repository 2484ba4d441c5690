"""First texts naming an interest and a place at once (tests/conversations/first_texts.yml, written
before the NLU was tuned): how many first answers name a right group, i.e. one the directory itself
ranks among the five best for what a connector would read into the text. Printed for the issue."""
from __future__ import annotations

import logging
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import structlog
import yaml
from rasa.core.agent import Agent
from rasa.utils.endpoints import EndpointConfig
from sqlalchemy.orm import Session

from directory import find_activities
from directory.search import UnknownPlace
from service.database import make_engine, make_sessionmaker
from service.settings import ROOT
from tests.conversations.conftest import loaded_agent, new_sender, talk
from tests.service_stack import ServiceStack

HERE = Path(__file__).parent
# Of the first answers, at least this share must name a right group (main managed 8 of 15 before issue 9).
# first_texts.yml was written by the team before tuning; first_texts_blind.yml by a helper who never saw
# the bot or its data, and is never trained or tuned on: the figure to quote for texts from outside.
# first_texts_blind2*.yml and first_texts_blind3*.yml (issue 15): 130 more each, by two more helpers, in six
# families (README of this folder). Every text names a place, so none may get "Sorry, I didn't follow".
SETS = {"first_texts.yml": 0.8, "first_texts_blind.yml": 0.65, "first_texts_blind_tune.yml": 0.7,
        "first_texts_blind2.yml": 0.8, "first_texts_blind2_tune.yml": 0.8,
        "first_texts_blind3.yml": 0.84, "first_texts_blind3_tune.yml": 0.9,
        "first_texts_blind4.yml": 0.88, "first_texts_blind4_tune.yml": 0.88,
        "first_texts_blind5.yml": 0.84, "first_texts_blind5_tune.yml": 0.9,
        "first_texts_blind6.yml": 0.82, "first_texts_blind6_tune.yml": 0.92,
        "first_texts_blind7.yml": 0.72, "first_texts_blind7_tune.yml": 0.73,
        "first_texts_blind8.yml": 0.86, "first_texts_blind8_tune.yml": 0.95,
        "first_texts_blind9.yml": 0.86, "first_texts_blind9_tune.yml": 0.89,
        "first_texts_blind10.yml": 0.87, "first_texts_blind10_tune.yml": 0.92,
        "first_texts_blind11.yml": 0.87, "first_texts_blind11_tune.yml": 0.84,
        "first_texts_blind12.yml": 0.86, "first_texts_blind12_tune.yml": 0.75,
        "first_texts_blind13.yml": 0.84, "first_texts_blind13_tune.yml": 0.84,
        "first_texts_blind14.yml": 0.86, "first_texts_blind14_tune.yml": 0.84,
        "first_texts_blind15.yml": 0.83, "first_texts_blind15_tune.yml": 0.87,
        "first_texts_blind16.yml": 0.81, "first_texts_blind16_tune.yml": 0.93,
        "first_texts_blind17.yml": 0.76, "first_texts_blind17_tune.yml": 0.81,
        "first_texts_blind18.yml": 0.92, "first_texts_blind18_tune.yml": 0.87,
        "first_texts_blind19.yml": 0.87, "first_texts_blind19_tune.yml": 0.87,
        "first_texts_blind20.yml": 0.84, "first_texts_blind20_tune.yml": 0.89,
        "first_texts_blind21.yml": 0.75, "first_texts_blind21_tune.yml": 0.86,
        "first_texts_blind22.yml": 0.89, "first_texts_blind22_tune.yml": 0.86,
        "first_texts_blind23.yml": 0.87, "first_texts_blind23_tune.yml": 0.86,
        "first_texts_blind24.yml": 0.8, "first_texts_blind24_tune.yml": 0.81,
        "first_texts_blind25.yml": 0.75, "first_texts_blind25_tune.yml": 0.81,
        "first_texts_blind26.yml": 0.78, "first_texts_blind26_tune.yml": 0.81,
        "first_texts_blind27.yml": 0.84, "first_texts_blind27_tune.yml": 0.87,
        "first_texts_blind28.yml": 0.84, "first_texts_blind28_tune.yml": 0.72,
        "first_texts_blind29.yml": 0.55, "first_texts_blind29_tune.yml": 0.64,
        "first_texts_blind30.yml": 0.83, "first_texts_blind30_tune.yml": 0.75,
        "first_texts_blind31.yml": 0.81, "first_texts_blind31_tune.yml": 0.81}
# An open request ("what's on in Deal?") is answered rightly by any group near the place.
OPEN = "anything"
OPEN_MILES = 10


def right_groups(service: ServiceStack, interest: str, place: str) -> set[str]:
    return right_groups_in(service.database_url, interest, place)


def right_groups_in(database_url: str, interest: str, place: str) -> set[str]:
    engine = make_engine(database_url)
    try:
        with make_sessionmaker(engine)() as session:
            if not locates(session, place):
                return set()
            if interest == OPEN:
                return {m.name for m in find_activities(session, interest="", near=place, limit=500, within_miles=OPEN_MILES)}
            return {m.name for m in find_activities(session, interest=interest, near=place, limit=5, within_miles=25)}
    finally:
        engine.dispose()


def locates(session: Session, place: str) -> bool:
    """Whether the directory can place the text's place at all (a village missing from its gazetteer cannot be)."""
    try:
        find_activities(session, interest="", near=place, limit=1)
    except UnknownPlace:
        return False
    return True


def named_groups(replies: list[str]) -> set[str]:
    """Names from the numbered matches ("1. Sing for Joy. Thursdays ..."), as the SMS variant says them."""
    return {r.split(". ", 2)[1] for r in replies if r[:1].isdigit() and ". " in r}


@pytest.mark.service
@pytest.mark.parametrize("name", sorted(SETS))
def test_first_texts_get_a_right_group_in_the_first_answer(name: str, agent: Agent, service: ServiceStack) -> None:
    check_first_texts(name, agent, service.database_url, SETS[name])


# The blind holdout against a directory of 90 groups a helper invented in their own words
# (directory_holdout.csv): nothing was tuned on its wording, so this is the figure for a council's own data.
HELD_OUT_DIRECTORY = HERE / "directory_holdout.csv"
HELD_OUT_DIRECTORY_FLOOR = 0.78


@pytest.fixture(scope="module")
def held_out_directory(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Agent, str]]:
    """The actions server against a fresh database holding only the held-out directory, and an agent using it."""
    stack = ServiceStack(tmp_path_factory.mktemp("held-out-directory"))
    for module in (["service.migrate"], ["directory", "import", str(HELD_OUT_DIRECTORY), "--quiet"]):
        subprocess.run([sys.executable, "-m", *module], env=stack.env, cwd=ROOT, check=True, capture_output=True)
    stack.start(("actions",))
    try:
        stack.wait_answering("actions", "/health")
    except Exception:
        stack.stop_all()
        raise
    url = f"http://127.0.0.1:{stack.env['ACTIONS_PORT']}"
    try:
        with loaded_agent(EndpointConfig(url + "/webhook", token=stack.env["ACTIONS_TOKEN"])) as agent:
            yield agent, stack.database_url
    finally:
        stack.stop_all()


@pytest.mark.service
def test_first_texts_against_a_directory_nobody_on_the_team_wrote(held_out_directory: tuple[Agent, str]) -> None:
    agent, database_url = held_out_directory
    check_first_texts("first_texts_blind2.yml", agent, database_url, HELD_OUT_DIRECTORY_FLOOR)


@contextmanager
def rasa_quiet_below_info() -> Iterator[None]:
    """Rasa's own structlog lines below INFO withheld while the sets run: unconfigured, structlog prints every DEBUG line,
    and Rasa's carry each message's text, so `pytest -s` would show the held-out halves' texts, which are never read."""
    saved = structlog.get_config()
    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.INFO))
    try:
        yield
    finally:
        structlog.configure(**saved)


def check_first_texts(name: str, agent: Agent, database_url: str, floor: float) -> None:
    cases = yaml.safe_load((HERE / name).read_text())["first_texts"]
    right = none_such = not_followed = 0
    with rasa_quiet_below_info():
        for case in cases:
            replies = talk(agent, new_sender("sms"), case["text"], "sms")
            expected = right_groups_in(database_url, case["interest"], case["place"])
            none_such += not expected
            hit = bool(named_groups(replies) & expected)
            right += hit
            not_followed += any(r.startswith("Sorry, I didn't follow") for r in replies[:1])
            if "tune" in name or "blind" not in name:  # a blind holdout's misses are never read
                print(f"{'ok  ' if hit else 'MISS'} [{case['interest']}] {case['text']!r}: {replies[:2]}")
    print(f"\n{name}: {right} of {len(cases)} first answers named a right group ({none_such} asked for something the "
          f"directory has nowhere within 25 miles); {not_followed} answered \"Sorry, I didn't follow\"")
    assert not_followed == 0, "every text here names a place: none may be answered \"Sorry, I didn't follow\""
    assert right >= floor * len(cases)
