"""Conversation signals: things a resident mentions that a connector should know, none of them a crisis.

Unlike the safety screen (casework/safety/screen.py) these never interrupt the conversation. Each one names
the rule that raised it (`Signal.rule`, e.g. "aged_65_plus.stated_age"), so a case can show why it
holds the flag. They describe the person writing: a text about someone else ("my mum lives alone")
raises none of them.

| signal | example |
|---|---|
| lives_alone | "i live on my own since he went" |
| nobody_for_days | "havent spoken to anyone for a fortnight" |
| aged_65_plus | "im 81", "in my eighties", "im an oap" |
| bereaved | "lost my wife in march", "since my husband died" |
| carer_strain | a carer who is worn out or needs a break |
| mobility | a walker, a wheelchair, "cant manage the stairs", "bad legs" |
| scam_victim | money lost to a scam or a doorstep trader (from the safety screen's scam rules) |
| self_neglect | "cant be bothered cooking", "not washed in a week", "stopped taking my tablets" |

Pure functions, no Rasa, no database; compiled once at import.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from casework.safety.decisions import Screening
from casework.safety.rules_layer import screen_words, words_about_someone_else
from casework.safety.text import prepare

__all__ = ["SIGNALS", "Signal", "signals"]

SIGNALS = (
    "lives_alone",
    "nobody_for_days",
    "aged_65_plus",
    "bereaved",
    "carer_strain",
    "mobility",
    "scam_victim",
    "self_neglect",
)

_PEOPLE = r"(?:husband|wife|partner|son|daughter|mum|dad|father|sister|brother|best friend|other half|twin|fiance|fiancee|grandson|granddaughter)"

_RULES: dict[str, tuple[tuple[str, str], ...]] = {
    "lives_alone": (
        ("lives_alone",
         r"(?<!people )(?<!those )(?<!folk )\b(i|im|i still|i now|now i|ive|been|still|now|and) (live|living|lived|stay|staying) (alone|on my own|by myself)\b|"
         r"^(living|live|lived) (alone|on my own|by myself)\b"),
        ("alone_at_home", r"\bjust me (in the house|at home|here|in the flat)\b|\bon my own (in the house|at home|in the flat)\b"),
    ),
    "nobody_for_days": (
        ("nobody_for_days",
         r"\b(havent|not|never|dont|didnt|hardly)( really| even)? (spoken|spoke|talked|chatted|seen|had a (chat|conversation|word|natter)|heard from)"
         r"( to| with)? (anyone|a soul|a living soul|no one|another person|a single person|another soul)\b.{0,30}"
         r"\b(days?|weeks?|months?|since|all week|ages|fortnight|christmas|easter)\b"),
        ("days_without_anyone",
         r"\b(for|in) (days|weeks|months|a week|a fortnight|ages)\b.{0,30}\b(dont|havent|never|not) (see|seen|speak to|spoken to|talk to|talked to) "
         r"(anyone|a soul|no one)\b|\bfrom one week to the next\b|\b(no one|not a soul)\b.{0,30}\b(for|in) (days|weeks|months|a week|a fortnight)\b|"
         r"\b(not seen|havent seen|dont see|never see) a soul\b.{0,20}\b(all week|for days|for weeks|since)\b"),
    ),
    "aged_65_plus": (
        ("stated_age",
         r"\b(im|aged|age|im nearly|im almost|turned|turning|just turned|ill be|i will be|im now)\s+(6[5-9]|[7-9]\d|1[01]\d)\b"
         r"(?! (minutes|mins|pounds|quid|times|percent|pence|p|miles|bus|number))|\b(6[5-9]|[7-9]\d|1[01]\d) (years old|yrs old|year old|years young)\b"),
        ("stated_decade", r"\b(im )?in my (late sixties|late 60s|seventies|eighties|nineties|70s|80s|90s)\b"),
        ("pensioner", r"\b(im|i am)( a| an)? (pensioner|oap|old age pensioner)\b"),
    ),
    "bereaved": (
        ("lost_someone", rf"\b(lost|losing|just lost|recently lost) my (late )?{_PEOPLE}\b(?! (at|in the|on the|to the|at the)\b)"),
        ("someone_died",
         rf"\bmy (late )?{_PEOPLE}( \w+)? (died|passed|passed away|has died|has passed|went|is gone|was killed)\b|"
         r"\b(since|after|when) (he|she|my \w+( \w+)?) (died|passed|passed away|went)\b"),
        ("widowed", r"\b(im|i am|recently|newly|just been|been)( a)? (widow|widower|widowed|bereaved)\b|\bmy late \w+\b|\bthe funeral\b"),
    ),
    "carer_strain": (
        ("carer_under_strain",
         rf"^(?=.*\b((im|i am)( a| the| her| his| their| my \w+s)? (full time |main |sole |only |unpaid )?carer|(caring|care) for (my )?{_PEOPLE}|"
         rf"look(ing)? after (my )?{_PEOPLE})\b)"
         r"(?=.*\b(exhausted|worn out|no break|need a break|any breaks|a break|respite|cant cope|struggling|tired|shattered|tether|never get out|"
         r"24 7|round the clock|on my own with|no help|no time for me|no life|trapped|burnt out|burned out|too much|wearing me down|at my wits end)\b)"),
    ),
    "mobility": (
        ("aids_and_limits",
         r"\b(walker|walking frame|zimmer|wheelchair|mobility scooter|scooters?|walking stick|my stick|a stick|crutches|housebound|bed ?bound|"
         r"chair ?bound|stairlift|hip replacement|knee replacement|on oxygen|blue badge|rollator)\b|"
         r"\b(cant|struggle to|hard to|can hardly) (walk|get about|get around|get out|manage (the )?stairs|do (the )?stairs|climb (the )?stairs|"
         r"stand for long)\b|"
         r"\bbad (legs?|hips?|knees?|back|feet|chest)\b|\b(legs|knees|hips|feet|balance)( are| is| arent| isnt)? (bad|not great|not good|not what (they|"
         r"it) (were|was)|weak|gone|unsteady|poor)\b|"
         r"\b(unsteady on my feet|keep falling|had a fall|fell (over|last|again)|arthritis)\b"),
    ),
    "self_neglect": (
        ("not_looking_after_self",
         r"\b(havent|not|dont|didnt|cant be bothered|too tired to|no point|stopped|gave up|given up)( \w+)? (washed|washing|wash|bathed|bathing|bath|"
         r"showered|shower|showering|eaten|eating|cooked|cooking|cook|got dressed|getting dressed|get dressed|cleaned|cleaning|tidied|shaved)\b|"
         r"\b(house|place|flat|home|kitchen|bungalow) is (a mess|a tip|filthy|disgusting|falling apart|a state|in a state)\b|"
         r"\bliving in (a mess|squalor|filth|a tip)\b|\b(let myself go|dont look after myself|not looking after myself|cant look after myself)\b|"
         r"\b(living|surviving) on (toast|tea|biscuits|cereal|crisps|nothing)\b|\bnot eating (properly|much|anything)\b|\bin the same clothes\b"),
        ("not_taking_medicine",
         r"\b(not|havent|stopped|forget|forgot|forgetting|keep forgetting|dont bother|cant be bothered) (taking|to take|take|took|with) (my )?"
         r"(tablets|pills|meds|medication|medicine|insulin)\b"),
    ),
}

_COMPILED = tuple(
    (signal, f"{signal}.{name}", re.compile(pattern)) for signal in SIGNALS if signal in _RULES for name, pattern in _RULES[signal]
)
# Over, or denied: "i used to live alone", "im not a carer anymore".
_NOT_NOW = re.compile(r"\b(used to|no longer|not anymore|never|dont|didnt)\b( \w+){0,2}\s*$")
# A scam victim names what was lost: "scammed", "conned out of", "lost 500" (money_lost from the screen).
_TAKEN_IN = re.compile(r"\b(scammed|conned|defrauded|ripped off|been had|fell for|taken in|done over|diddled|fleeced|cheated)\b")
_RECALLED = frozenset({"lives_alone", "bereaved", "carer_strain"})


@dataclass(frozen=True)
class Signal:
    name: str
    rule: str


def signals(text: str, *, rules: Screening | None = None) -> list[Signal]:
    """The signals a message raises about the person writing it, one per name, in SIGNALS order.

    `rules`: the safety screen's rules layer's own decision on this text, when the caller has it (the
    intake's screening, when the rules decided it: `layer == "rules"`), so the rules are not run twice."""
    words = prepare(text)
    if not words or words_about_someone_else(words):
        return []
    found: dict[str, Signal] = {}
    for name, rule, pattern in _COMPILED:
        if name in found:
            continue
        match = pattern.search(words)
        if match is None:
            continue
        if name in _RECALLED and _NOT_NOW.search(words[: match.start()][-30:]):
            continue
        found[name] = Signal(name, rule)
    screening = rules if rules is not None else screen_words(words)
    if screening.tier == "scam" and (screening.money_lost or _TAKEN_IN.search(words)):
        found["scam_victim"] = Signal("scam_victim", f"scam_victim.{screening.rule}")
    return [found[name] for name in SIGNALS if name in found]
