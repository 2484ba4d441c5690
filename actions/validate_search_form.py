"""validate_activity_search_form: the interest is what they enjoy and the place is somewhere we know.

People answer the question they care about, not the one asked: "knitting" when asked for a place is
an interest (kept; the place is asked again, without "I couldn't find knitting"), "wallasey" when
asked what they enjoy is a place, and "yes" or "what's on" is no answer to either.
"""
from __future__ import annotations

import asyncio
import re
from typing import Any

from rasa_sdk import FormValidationAction, Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.refusals import only_refused, without_refusals
from actions.slots import INTEREST, NEED_INTENTS, PLACE
from actions.wish import first_known_place, fits, is_open, place_in_text, said_as, wants_to_volunteer, wish_in, with_their_dementia
from directory.interests import ACCOMPANIMENTS, CONDITIONS, WHY_THEY_WRITE, concepts_in
from directory.meaning import nearest_interest

# Words around an interest typed in full ("I really like knitting") that say nothing about it.
_FILLER = re.compile(
    r"^(i('d| would)? (really )?(like|love|enjoy|fancy)( to( try| do| learn)?)?|i('m| am) (into|interested in)|maybe|"
    r"something like|how about|what about|actually|i used to (do|love|like))\s+(a |an |some )?",
    re.IGNORECASE,
)
# Intents whose words are never an interest or a place, though the form's from_text would take them.
_NOT_AN_ANSWER = frozenset({"affirm", "search_activities", "greet", "thank"})
# Directory concepts too broad to be what someone enjoys on their own ("a talk", "at the church"), or
# not about what they enjoy at all ("walks with a stick", "I work as a home carer", "he has COPD").
TOO_BROAD = frozenset({"social", "learning", "wellbeing", "safety", "faith", "volunteering", "outdoors", "mobility", "care_work",
                       "health_condition"})


def named_to_search(text: str) -> set[str]:
    """What the text names that the word map can search for on its own: not what is too broad, nor a loss told beside a wish
    the word map finds too broad to search ("Church of England, 80, widowed. Heswall. Would like a weekday fellowship or bible
    study": blind29's tune half got the bereavement cafe), which is then read whole, by meaning."""
    named = concepts_in(text)
    found = named - TOO_BROAD
    if found and found <= WHY_THEY_WRITE and named - found - ACCOMPANIMENTS - CONDITIONS:
        return set()
    return found


# Of those, what a text names as the group it wants ("any stroke groups?") when nothing near fits (actions.search_activities).
WANTS_A_GROUP_FOR = frozenset({"health_condition"})


def _entities(tracker: Tracker, name: str) -> list[str]:
    return [str(e["value"]) for e in tracker.latest_message.get("entities", []) if e.get("entity") == name and e.get("value")]


def _as_written(entity: dict[str, Any], text: str) -> str:
    """An entity's words as the text has them ("computer"), not its synonym's value ("computers")."""
    start, end = entity.get("start"), entity.get("end")
    return text[start:end] if isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text) else str(entity["value"])


def marked_interests(tracker: Tracker) -> list[str]:
    """The interests the model marked, less those read out of words describing the person (in "he walks
    with a stick, served in the navy" the model marks walking, but the text's walking is how he gets about)
    and those the text refuses ("she won't use a computer": actions.refusals)."""
    text = str((tracker.latest_message or {}).get("text") or "")
    places = _place_spans(tracker)
    named = [str(e["value"]) for e in tracker.latest_message.get("entities", [])
             if e.get("entity") == INTEREST and e.get("value") and not only_refused(_as_written(e, text), text)
             and not _within(e, places)]
    said = concepts_in(text)
    if not said & CONDITIONS:
        return named
    return [v for v in named if not concepts_in(v) or concepts_in(v) & said]


def _place_spans(tracker: Tracker) -> list[tuple[int, int]]:
    """Where the model marked places in the message, as (start, end)."""
    entities = tracker.latest_message.get("entities", [])
    return [(e["start"], e["end"]) for e in entities
            if e.get("entity") == PLACE and isinstance(e.get("start"), int) and isinstance(e.get("end"), int)]


def _within(entity: dict[str, Any], spans: list[tuple[int, int]]) -> bool:
    """The entity's words are a place's ("on my own in Bridge": the village, not the card game; blind13's tune half)."""
    start, end = entity.get("start"), entity.get("end")
    return isinstance(start, int) and isinstance(end, int) and any(s <= start and end <= e for s, e in spans)


def _what_they_ask(tracker: Tracker) -> str:
    """The message without its places and what it refuses: the words that can say what they would enjoy."""
    return without_refusals(without_places(tracker, str((tracker.latest_message or {}).get("text") or "")))


def _only_a_condition(tracker: Tracker) -> bool:
    """Every interest the model marked was read out of words describing the person, or is refused (marked_interests)."""
    return bool(_entities(tracker, INTEREST)) and not marked_interests(tracker)


def _intent(tracker: Tracker) -> str:
    return str((tracker.latest_message.get("intent") or {}).get("name") or "")


def best_interest(values: list[str]) -> str:
    """What the extractors found, as one search: "gardening and singing" when two different things
    were named; where both extractors found one thing ("singin groups", "singing"), the form the
    directory understands."""
    understood = [v for v in values if concepts_in(v)] or values
    distinct: list[str] = []
    for value in sorted(understood, key=len, reverse=True):
        if not any(concepts_in(value) and concepts_in(value) <= concepts_in(kept) or value.lower() in kept.lower()
                   for kept in distinct):
            distinct.append(value)
    ordered = [v for v in understood if v in distinct]
    return " and ".join(dict.fromkeys(ordered))


# What meaning may find in a story that is still an open request: company in general. Volunteering, faith or a talk are
# wishes of their own ("got time on my hands and two good hands, want to give something back. Ashford": blind10's tune half).
ONLY_COMPANY = frozenset({"social"})


def only_broadly_meant(wish: str) -> bool:
    """A story naming nothing to do whose nearest interest by meaning is company ("65 and just retired off the buses. Wife
    says get out from under her feet. Margate": blind17's tune half): an open request, answered with a few welcoming groups
    near them and "or tell me what you enjoy", not "nothing for social close to Margate". A social club asked for by name
    is a wish ("any social club for over 60s with a bar": blind14's tune half)."""
    return not concepts_in(wish) and nearest_interest(wish) in ONLY_COMPANY


class ValidateActivitySearchForm(FormValidationAction):
    def name(self) -> str:
        return "validate_activity_search_form"

    async def extract_interest(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> dict[str, Any]:
        """A first text that says what they enjoy in words the model did not mark: the one thing the
        directory's word map understands in it ("somewhere to play cards in birkenhead"), else, when it
        names a place, their own words if a group near there fits them by meaning ("my old hobby was
        trains ... round Greasby"); otherwise the form asks."""
        described = _only_a_condition(tracker)  # the slot the model's mark set is not their wish
        if (tracker.get_slot(INTEREST) and not described) or tracker.get_slot("requested_slot") is not None \
                or marked_interests(tracker):
            return {}
        if _intent(tracker) in NEED_INTENTS | {"affirm", "greet", "thank", "deny"}:
            return {}  # a need ("I'm lonely", "I'm a carer") has its own interest (the domain maps it)
        text = str((tracker.latest_message or {}).get("text") or "")
        said = _what_they_ask(tracker)
        found = named_to_search(said)
        if len(found) == 1:
            concept = found.pop()
            return {INTEREST: said_as(concept)}
        if len(found) > 1 and (both := things_in_one_short_sentence(said)):
            return {INTEREST: both}  # "... need to get out the house. bingo or a brew somewhere?": each gets its groups
        place = tracker.get_slot(PLACE) or next(iter(_entities(tracker, PLACE)), None)
        wish = wish_in(text)
        loop = asyncio.get_running_loop()
        # A place the model did not mark, read from the text ("what is on for pensioners in Moretan on a Monday": blind29's tune
        # half was asked what they enjoy, and then where): kept, so an open request gets what is on there before the question.
        read_place: dict[str, Any] = {}
        if not place:
            place = await loop.run_in_executor(None, place_in_text, text)
            read_place = {PLACE: place} if place else {}
        if not place or not wish or await loop.run_in_executor(None, only_broadly_meant, wish):
            return read_place
        if await loop.run_in_executor(None, fits, wish, place):
            return {INTEREST: wish}
        each = each_named(found)
        each_fits: bool = bool(each) and await loop.run_in_executor(None, fits, each, place)
        return {INTEREST: each} if each_fits else read_place

    async def validate_interest(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> dict[str, Any]:
        interest = self._interest(value, tracker)
        if interest is None or tracker.get_slot(PLACE) or _entities(tracker, PLACE):
            return {INTEREST: interest}
        # "chair exercise classes folkstone?": the place the model did not mark is still the place.
        text = str((tracker.latest_message or {}).get("text") or "")
        place = await asyncio.get_running_loop().run_in_executor(None, place_in_text, text)
        return {INTEREST: interest, PLACE: place} if place else {INTEREST: interest}

    def _interest(self, value: Any, tracker: Tracker) -> str | None:
        if wants_to_volunteer(wish_in(str((tracker.latest_message or {}).get("text") or ""))):
            return said_as("volunteering")  # "volunteer ... maybe at a lunch club": where they would help, not what they'd join
        named = marked_interests(tracker)
        if named and all(is_open(v) for v in named):
            # "a friendly group to play board games or do quizzes": the model marked the kind of group, the text names the thing
            # (blind15's tune half)
            named = [said_as(c) for c in sorted(things_to_do(_what_they_ask(tracker)))] or named
        if named:
            interest = best_interest([*named, *_unmarked_in_a_short_text(tracker, named)])[:80]
            return with_their_dementia(interest, str((tracker.latest_message or {}).get("text") or ""))
        if _only_a_condition(tracker) and str(value or "").lower() in {v.lower() for v in _entities(tracker, INTEREST)}:
            return None  # "walks with a stick" alone: what they enjoy is still to be asked
        said = str(value or "")
        if len(said) > 80 and said == wish_in(str((tracker.latest_message or {}).get("text") or "")):
            return said  # the first text's own words, kept whole for matching by meaning (extract_interest)
        intent = _intent(tracker)
        if intent in NEED_INTENTS:
            return str(value)
        said = str(value or "").strip(" .!?")
        if tracker.get_slot("requested_slot") == INTEREST:
            if intent in _NOT_AN_ANSWER:
                return None
            # "wallasey" answers the next question, not this one: the place slot has it already.
            said = without_places(tracker, said)
        text = _FILLER.sub("", said).strip(" .!?")
        return text[:80] if text else None

    async def validate_place(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> dict[str, Any]:
        named = _entities(tracker, PLACE)
        asked_now = tracker.get_slot("requested_slot") == PLACE
        if asked_now and not named and (_entities(tracker, INTEREST) or _intent(tracker) in _NOT_AN_ANSWER | NEED_INTENTS):
            # An interest (or a "yes") where a place was asked for: keep asking, without "couldn't find".
            return {PLACE: None}
        candidates = [*named, str(value or "")]
        # The action server is one event loop for every resident: the look-up runs on a thread.
        label = await asyncio.get_running_loop().run_in_executor(None, first_known_place, candidates)
        if label is not None:
            return {PLACE: label}
        dispatcher.utter_message(response="utter_place_not_found", place=str(value or "")[:40])
        return {PLACE: None}


# A short text naming two things ("history n walking, Sandwich") where the model marked one: the other is named too.
SHORT_TEXT_WORDS = 8
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def _unmarked_in_a_short_text(tracker: Tracker, named: list[str]) -> list[str]:
    """What a short text (or the short sentence that names what the model marked: "friday mornings are boss for me, need to
    get out the house. bingo or a brew somewhere in birkenhed?") names that the marks do not cover, as the directory's
    words for it."""
    whole = str((tracker.latest_message or {}).get("text") or "")
    text = _what_they_ask(tracker)
    if len(text.split()) > SHORT_TEXT_WORDS:
        marked = [v.lower() for v in named] + [_as_written(e, whole).lower() for e in tracker.latest_message.get("entities", [])
                                               if e.get("entity") == INTEREST and e.get("value")]
        text = next((s for s in _SENTENCE_END.split(text) if any(v in s.lower() for v in marked)), "")
    if not text or len(text.split()) > SHORT_TEXT_WORDS:
        return []
    covered = set().union(*(concepts_in(v) for v in named))
    return [said_as(c) for c in sorted(things_to_do(text) - covered)]


def things_to_do(text: str) -> set[str]:
    """The concepts a text names that are something to do: not too broad to search for alone, not how a person is."""
    return concepts_in(text) - TOO_BROAD - CONDITIONS


def each_named(concepts: set[str]) -> str:
    """Two or three things named in a long sentence, each to get its groups ("a men's group for retired fellas who like fishing
    or um the football comma something on weekdays": blind20's tune half), asked where the whole story fits nothing near;
    how a person is (a condition) is not a thing to do. Empty for one thing or more than three."""
    things = sorted(concepts - CONDITIONS)
    return " and ".join(said_as(c) for c in things) if 1 < len(things) <= 3 else ""


def things_in_one_short_sentence(text: str) -> str | None:
    """"games and coffee" when the only sentence naming things to do is short and names two or three."""
    naming = [s for s in _SENTENCE_END.split(text) if things_to_do(s)]
    if len(naming) != 1 or len(naming[0].split()) > SHORT_TEXT_WORDS:
        return None
    found = sorted(things_to_do(naming[0]))
    return " and ".join(said_as(c) for c in found) if 1 < len(found) <= 3 else None


def without_places(tracker: Tracker, said: str) -> str:
    """The message with its places (and the words around them: "im in", "near") taken out."""
    spans = _place_spans(tracker)
    if not spans:
        return said
    text = str(tracker.latest_message.get("text") or said)
    # Each place once (two extractors mark the same words), with the words that lead up to it ("I'm in", "near"): an "in"
    # elsewhere is the text's own ("someone to pop in for a chat").
    for start, end in sorted(set(spans), reverse=True):
        if text[start:end].strip():
            text = _LEADING_TO_A_PLACE.sub(" ", text[:start]) + " " + text[end:]
    text = re.sub(r"\b(please|pls)\b", " ", text, flags=re.IGNORECASE)
    return " ".join(text.split()).strip(" ,.!?-")


_LEADING_TO_A_PLACE = re.compile(r"(\b(i'?m|i am|in|i live|live|lives|living|near|nr|from|at|it'?s|its|my postcode is|round|around)\s*)+$",
                                 re.IGNORECASE)
