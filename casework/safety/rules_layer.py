"""The safety screen's first layer: named rules over the words of a message, run on every message
before NLU (`screen`), and what the rules know about a text that the learned layer asks too
(`stands_down`, `names_a_means`, `is_about_someone_else`, `scam_flags`).

It never depends on the model, the action server or the database, so a resident in crisis gets the
right numbers even when all three are down. Every decision names the rule that made it (`rule`,
e.g. "danger.fall_cant_get_up"), so a case can say why it exists and a wrong decision can be traced.
What a decision is (categories, tiers, responses, `Screening`) is casework.safety.decisions; the rules' patterns
are the table in casework.safety.rules.

A question that merely contains an alarm word ("is there a scam talk at the library", "dying to try
the choir") is not flagged: figures of speech are masked in casework/safety/text.py, and rules that
would fire on an activity's topic are vetoed when the text is about a talk, group or class (these
stand-downs, and what says who a text is about, are in casework/safety/context.py).
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from casework.safety.context import (
    ACTIVITY_TOPIC,
    ASKING_FOR_THEM,
    AT_RISK_NOW,
    BEREAVED_BY_SUICIDE,
    CARING_FOR,
    CHECK_ON_RULE,
    CHECKING_A_GROUP,
    CONDITION_ONLY_RULE,
    CONDITION_WORDS,
    CONVERTED_TO_REPORT,
    FAREWELL_RULES,
    FIRE_RULE,
    FIRST_PERSON_INCIDENT,
    HANDLED,
    HYPERBOLE_IF,
    HYPOTHETICAL,
    I_AM_NOT,
    IN_JEST,
    IN_THE_PAST,
    LAUGHING,
    LONELY_COMPATIBLE_RULES,
    LONELY_WORDS,
    LONG_AGO,
    MEANS,
    MONEY_LOST,
    NEAR_MISS,
    NEGATED,
    NOT_FOR_LONG,
    NOT_MANAGING,
    NOT_THAT,
    NOT_THAT_CATEGORIES,
    ON_SCREEN,
    ORDINARY_FAREWELL,
    OTHER,
    OUTAGE_RULES,
    PAST_SENSITIVE,
    PAST_WISH_RULE,
    RECOVERED,
    SAID_OF_A_THING,
    SCARE_THOUGHT,
    SCARE_UNDONE,
    SELF_AS_VICTIM,
    SELF_DESCRIBED,
    SIGNS_RULES,
    SLIP_AFTER,
    SLIP_BEFORE,
    SOCIAL_VISIT,
    SPORTING_ARMS,
    STILL_A_WORRY,
    THEY_ARE_WELL,
    THING_THAT_KILLS,
    TOPIC_VETOED,
    WONT_BE,
    abuse_long_over,
    an_animal,
    caller_now,
    found_well,
    long_behind_them,
    nothing_now,
    only_lonely_and_asked_for,
    outage_planned,
    signs_explained,
    told_of,
)
from casework.safety.decisions import CATEGORIES, TIERS, Match, Screening
from casework.safety.rules import RULES, expand
from casework.safety.text import prepare

__all__ = ["screen", "screen_words", "scam_flags", "stands_down", "standing_down", "names_a_means", "is_about_someone_else", "words_about_someone_else",
           "only_lonely_and_company_asked_for"]


@dataclass(frozen=True)
class _Rule:
    name: str
    category: str
    pattern: re.Pattern[str]


def _compile_rules() -> tuple[_Rule, ...]:
    return tuple(
        _Rule(f"{category}.{name}", category, re.compile(expand(pattern)))
        for category in CATEGORIES
        for name, pattern in RULES[category]
    )


_COMPILED = _compile_rules()
# The rules an animal stands down (context.an_animal): its breathing, its absence.
ANIMAL_RULES = frozenset({"danger.not_breathing", "worry_about_someone.not_seen", "danger.on_the_floor", "danger.lying_not_moving",
                          "danger.fall_and_hurt", "danger.alarm_pressed"})
VIOLENCE_RULE = "danger.violence_now"
# A weapon held, which a sport's own gun is not (context.SPORTING_ARMS).
WEAPON_RULE = "danger.violence_now"


def _fires(rule: _Rule, words: str) -> tuple[str, str] | None:
    """(category, rule name) if the rule fires on `words`, after the hypothetical and negation guards."""
    # A story from the telly or the paper stands a rule down only where it is the story: any other place the
    # rule matches ("saw the bank scam on the news and i think ive been scammed") still fires.
    if rule.category in PAST_SENSITIVE:
        found = next((m for m in rule.pattern.finditer(words) if not told_of(words[: m.start()], m.group(0), words[m.end() :])), None)
    else:
        found = rule.pattern.search(words)
    if found is None:
        return None
    before = words[: found.start()]
    if (rule.category == "suicidal" or rule.name == PAST_WISH_RULE) and long_behind_them(
        before, words, past_named=rule.name == PAST_WISH_RULE, after=words[found.end() :]
    ):
        return None
    if rule.category == "danger" and HYPOTHETICAL.search(before[-60:]):
        return None
    if rule.name == FIRE_RULE and NEAR_MISS.search(before[-40:]):
        return None
    if rule.category == "despair" and I_AM_NOT.search(before[-20:]):
        return None
    if rule.category in NOT_THAT_CATEGORIES and NOT_THAT.search(before[-40:]):
        return None
    if rule.category == "suicidal" and HYPERBOLE_IF.search(before[-120:]) and LAUGHING.search(words[found.end() :]):
        return None
    if rule.category == "danger" and SCARE_THOUGHT.search(before[-80:]) and SCARE_UNDONE.search(words[found.end() :]):
        return None
    if SLIP_BEFORE.search(before[-40:]) or SLIP_AFTER.search(words[found.end() :]):
        return None  # what the phone wrote, not what was meant
    if rule.category == "abuse" and ON_SCREEN.search(before[-60:]):
        return None  # "the killing eve box set my son left me is very violent"
    if rule.name == WEAPON_RULE and SPORTING_ARMS.search(words):
        return None  # "clay shooting saturday ... ive got my own gun, certificate all up to date"
    if rule.name == VIOLENCE_RULE and THING_THAT_KILLS.search(before[-60:]):
        return None  # "the cake is going to kill me"
    if rule.name in ANIMAL_RULES and an_animal(before):
        # "the cat stopped breathing on the vets table", "the robin that comes to my bird table hasnt been for a week"
        return None
    # A sign at someone's home explained straight after ("curtains shut all week, but she's at her son's, she texted me").
    if rule.name in SIGNS_RULES and signs_explained(words, found.end()):
        return None
    # "Fine now" stands a danger down only when said of it, after it: "had a stroke years ago, fine now
    # but my face has dropped" is the danger again.
    # So does a lack put right ("the boiler packed in but a firm came the same day, shes toasty now").
    if (rule.category == "danger" or rule.name in OUTAGE_RULES) and RECOVERED.search(words, found.start()):
        return None
    if rule.category in ("suicidal", "despair") and SAID_OF_A_THING.search(words[found.end() :]):
        return None  # "done with it all - the decorating i mean"
    if rule.category == "isolated" and (
        NEGATED.search(before[-40:])
        or IN_THE_PAST.search(before[-40:])
        # "im not going to be lonely this year", but not "i wont be lonely much longer"
        or (WONT_BE.search(before[-40:]) and not NOT_FOR_LONG.search(words[found.end() :]))
    ):
        return None
    if rule.name in FAREWELL_RULES and "goodbye" in found.group(0) and ORDINARY_FAREWELL.search(words):
        return None
    if rule.category == "suicidal" and NEGATED.search(before[-40:]):
        if IN_JEST.search(words[found.end() :]):
            return None
        # "im not suicidal", "i would never kill myself": still worth the direct question.
        return "despair", f"{rule.name}.negated"
    return rule.category, rule.name


def _about_other(words: str) -> bool:
    return bool(OTHER.search(words)) and not SELF_AS_VICTIM.search(words)


def is_about_someone_else(text: str) -> bool:
    """The text describes a third party (a neighbour, a relative, a customer), not the writer."""
    return _about_other(prepare(text))


def words_about_someone_else(words: str) -> bool:
    """`is_about_someone_else` of a text already prepared (casework.safety.text.prepare)."""
    return _about_other(words)


@dataclass(frozen=True)
class _Context:
    """What the whole text says that makes some categories stand down, whichever layer would raise them."""

    topic: bool  # about an activity's topic ("the scam awareness talk"), not an incident of the writer's
    checking: bool  # asking whether a named group or class is genuine (the rules stand down; the model reads it)
    long_ago: bool  # long over, nothing says now
    handled: bool  # a caller dealt with ("i hung up"), no money went
    recovered: bool  # "fine now", "all clear"
    abuse_over: bool  # abuse years behind the writer, got away from
    lonely_asked_for: bool  # worried only that someone is lonely, asking what they could go to
    worry_undone: bool  # the person worried about was found well ("turns out she was at her daughters, all fine")

    def stands_down(self, category: str, *, past_sensitive: frozenset[str] = PAST_SENSITIVE, rules: bool = True) -> bool:
        return (
            (self.topic and category in TOPIC_VETOED)
            or (rules and self.checking and category in ("scam", "doorstep"))
            or (self.long_ago and category in past_sensitive)
            or (self.handled and category in ("scam", "doorstep"))
            or (self.abuse_over and category == "abuse")
            or (self.lonely_asked_for and category == "worry_about_someone")
            or (self.worry_undone and category in ("worry_about_someone", "danger"))
        )


def _something_else_wrong(words: str) -> bool:
    """A report rule fires on the text once what says only that someone is lonely is taken out (context.LONELY_WORDS):
    not seen, not answering, the post piling up, not eating, confused... The loneliness rules themselves do not count."""
    rest = LONELY_WORDS.sub(" ", words)
    return any(
        rule.pattern.search(rest)
        for rule in _COMPILED
        if rule.category == "worry_about_someone" and rule.name not in LONELY_COMPATIBLE_RULES
    )


def _context(words: str) -> _Context:
    return _Context(
        topic=bool(ACTIVITY_TOPIC.search(words)) and not FIRST_PERSON_INCIDENT.search(words) and not caller_now(words),
        checking=bool(CHECKING_A_GROUP.search(words)) and not FIRST_PERSON_INCIDENT.search(words),
        long_ago=bool(LONG_AGO.search(words)) and nothing_now(words),
        handled=bool(HANDLED.search(words)) and not MONEY_LOST.search(words),
        recovered=bool(RECOVERED.search(words)),
        abuse_over=abuse_long_over(words),
        lonely_asked_for=only_lonely_and_asked_for(words) and not _something_else_wrong(words),
        worry_undone=found_well(words),
    )


# The learned layer reads no positions, so what is over stands down more widely for it: a past
# abuse or a past lack, and anything the text says is fine now.
_MODEL_PAST_SENSITIVE = PAST_SENSITIVE | {"abuse", "basic_needs"}


def stands_down(category: str, text: str) -> bool:
    """The rules' own knowledge of texts that are not incidents (a talk on the topic, long over, dealt
    with, fine now) says `category` must not be raised for `text`: the learned layer asks this first."""
    return bool(standing_down((category,), text))


def standing_down(categories: Iterable[str], text: str) -> frozenset[str]:
    """Those of `categories` that `stands_down` refuses for `text`, the text read once (the training script asks this of
    every category for every text)."""
    context = _context(prepare(text))
    return frozenset(
        c for c in categories
        if (context.recovered and c in ("danger", "basic_needs"))
        or context.stands_down(c, past_sensitive=_MODEL_PAST_SENSITIVE, rules=False)
    )


def only_lonely_and_company_asked_for(text: str) -> bool:
    """The text says only that someone else is lonely or on their own and asks what they could go to or who could keep
    them company, and no report rule says anything more is wrong: groups for them, not the neighbour's report (issue 15).
    The intent gate (channels.nlu_gates) asks this before taking "worried" as a worry."""
    return _context(prepare(text)).lonely_asked_for


def names_a_means(text: str) -> bool:
    """The text names a means of suicide (casework.safety.rules.MEANS_NAMED), meant or not: the learned
    layer asks directly when it also leans towards suicide."""
    return bool(MEANS.search(prepare(text)))


def _matches(words: str) -> list[Match]:
    context = _context(words)
    about_other = _about_other(words)
    caring = bool(CARING_FOR.search(words)) and bool(CONDITION_WORDS.search(words))
    asking = bool(ASKING_FOR_THEM.search(words))
    self_described = bool(SELF_DESCRIBED.search(words)) and not OTHER.search(SELF_DESCRIBED.sub(" ", words))
    visiting_a_well_person = (
        bool(SOCIAL_VISIT.search(words) and THEY_ARE_WELL.search(words))
        and not NOT_MANAGING.search(words)
        and not STILL_A_WORRY.search(words)
    )
    planned_outage = outage_planned(words)
    # someone else's death by suicide is not the writer's wish: the suicidal rules read the rest
    own_words = BEREAVED_BY_SUICIDE.sub(" died ", words)
    found: list[Match] = []
    for rule in _COMPILED:
        if context.stands_down(rule.category):
            continue
        fired = _fires(rule, own_words if rule.category in ("suicidal", "despair") else words)
        if fired is None:
            continue
        category, name = fired
        if name == CONDITION_ONLY_RULE and (caring or asking or self_described) and not STILL_A_WORRY.search(words):
            continue
        if name == CHECK_ON_RULE and visiting_a_well_person:
            continue
        if name in OUTAGE_RULES and planned_outage:
            continue
        if about_other and category == "isolated" and (asking or context.lonely_asked_for):
            continue  # "my nan is lonely since grandad died, she likes bingo": groups for her, not a report
        if about_other and category in CONVERTED_TO_REPORT:
            # "the woman next door has had no heating all winter": a report about her, not a crisis of the writer's.
            category, name = "worry_about_someone", f"{name}.about_someone"
        found.append(Match(category, name))
    return sorted(found, key=lambda m: CATEGORIES.index(m.category))


def screen(text: str) -> Screening:
    """The most urgent category the message matches, with the rule that decided it, or none."""
    return screen_words(prepare(text))


def screen_words(words: str) -> Screening:
    """`screen` of a text already prepared (casework.safety.text.prepare)."""
    found = _matches(words)
    if not found:
        return Screening(None)
    first = found[0]
    return Screening(first.category, first.rule, tuple(_dedupe(found)), scam_flags(first.category, words))


def scam_flags(category: str, words: str) -> frozenset[str]:
    """For a scam or doorstep category: "money_lost" and "at_risk_now" as the prepared text says."""
    flags: set[str] = set()
    if TIERS[category] == "scam":
        if MONEY_LOST.search(words):
            flags.add("money_lost")
        if AT_RISK_NOW.search(words):
            flags.add("at_risk_now")
    return frozenset(flags)


def _dedupe(found: Iterable[Match]) -> list[Match]:
    seen: set[str] = set()
    kept = []
    for match in found:
        if match.rule not in seen:
            seen.add(match.rule)
            kept.append(match)
    return kept
