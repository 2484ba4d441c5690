"""The safety screen: plain rules over the words of a message, run before NLU.

It never depends on the model or the action server, so a resident in crisis gets the right numbers
even when both are down. It errs towards flagging: a false alarm costs a connector a phone call, a
miss can cost far more. Categories, most urgent first:

- danger: life at risk now, or a crime/aggressive caller at the door now -> 999 first
- suicidal: despair or thoughts of ending life -> Samaritans, SHOUT, NHS 111 option 2
- scam: money or bank details lost or being asked for -> Report Fraud, bank
- doorstep: a trader or cold caller -> Citizens Advice consumer helpline (999 if aggressive)
- isolated: alone with nobody -> flagged for a connector; the conversation carries on
"""
from __future__ import annotations

import re
from dataclasses import dataclass

_RULES: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "danger",
        (
            r"\b(he|she|they|someone|somebody|a man|a woman|people)\b.{0,30}\b(hit|hitting|attack\w*|hurt\w*|beat\w*|threaten\w*)\b.{0,10}\bme\b",
            r"\b(being|been) (attacked|assaulted|beaten|threatened)\b",
            r"\b(won'?t|will not|wont) (leave|go away)\b",
            r"\b(trying|tried) to (get|break|force) (in|into)\b",
            r"\bbreak(ing)? in\b",
            r"\b(can'?t|cannot) breathe\b",
            r"\b(overdose|overdosed|taken (all )?(my|the) (pills|tablets))\b",
            r"\bcall (an )?ambulance\b",
            r"\b(fallen|fell) (over|down)? ?and (can'?t|cannot) get up\b",
        ),
    ),
    (
        "suicidal",
        (
            r"\b(kill|killing|hurt|hurting|harm|harming) (my ?self|myself)\b",
            r"\bsuicid\w*\b",
            # the misspellings people type in distress: sucide, suicde, suiside, sucidal...
            r"\bsu[ie]?[cs]i?d(e|al)\b",
            r"\b(want|wanted|going|ready) to die\b",
            r"\b(end|ending) (it all|my life)\b",
            r"\b(want|wanted|going|ready|wanna|gonna|decided) to (end|finish) (it|everything)\b",
            r"\btake my (own )?life\b",
            r"\bwish (i|i'd) (was|were|had) (dead|died|gone|never been born)\b",
            r"\bnot worth living\b",
            r"\b(don'?t|do not) want to be (alive|here|around)\b",
            r"\bbetter off (dead|without me)\b",
            r"\bno (point|reason) (in )?(living|to live|going on|carrying on)\b",
            r"\b(can'?t|cannot) (go on|carry on|cope)( any ?more)?\b",
            r"\bdon'?t want to (live|be here|wake up)\b",
            r"\bself[- ]harm\w*\b",
        ),
    ),
    (
        "scam",
        (
            r"\bscam\w*\b",
            r"\b(conned|swindled|defrauded|fraud\w*)\b",
            r"\b(took|taken|stole|stolen|lost) (all )?(my )?(money|savings|pension)\b",
            r"\b(gave|given|told) (them |him |her )?(my )?(bank|card|pin|account|security) ?(details|number|code)?\b",
            r"\b(asking|asked) (for|me for) (my )?(bank|card|pin|password|account)\b",
            r"\bsafe account\b",
            r"\bhmrc\b.{0,60}\b(owe|arrest\w*|police|fine|warrant)\b",
            r"\b(pay|paid|payment) (in|with|by|using) (vouchers|gift ?cards|itunes|bitcoin|crypto\w*)\b",
            r"\b(bank|police|hmrc|amazon|microsoft|bt)\b.{0,40}\b(rang|called|phoned|texted|emailed)\b.{0,60}"
            r"\b(compromised|hacked|frozen|move|transfer|pin|password|remote|access)\b",
            r"\b(gift|itunes|google play) cards?\b",
        ),
    ),
    (
        "doorstep",
        (
            r"\bdoor ?step\w*\b",
            r"\bcold ?call\w*\b",
            r"\brogue (trader|builder)s?\b",
            r"\b(man|men|someone|somebody|a builder|builders|a trader|traders) (at|came to|knocking (on|at)) (my|the) (door|house)\b",
            r"\b(roof|driveway|gutter)s? (needs?|work)\b.{0,40}\b(cash|money|pay)\b",
        ),
    ),
    (
        "isolated",
        (
            r"\b(no ?one|nobody|no body|not anyone) to (talk|speak|turn) to\b",
            r"\b(so|very|really|terribly|extremely) (lonely|alone|isolated)\b",
            r"\b(all|completely) alone\b",
            r"\bhaven'?t (spoken|talked) to (anyone|anybody)\b",
            r"\b(no|don'?t have any) (friends|family)\b",
            r"\bnever see (anyone|anybody)\b",
            r"\bi (have|'ve got|have got|got) (no ?one|nobody)\b",
            r"\b(no ?one|nobody) (ever )?(visits|calls|rings|phones|comes to see) me\b",
        ),
    ),
)

_COMPILED = tuple((category, tuple(re.compile(p, re.IGNORECASE) for p in patterns)) for category, patterns in _RULES)

# These interrupt the conversation: the resident gets the safety response instead of a bot turn.
INTERRUPTING = frozenset({"danger", "suicidal", "scam", "doorstep"})


@dataclass(frozen=True)
class Screening:
    category: str | None

    @property
    def flagged(self) -> bool:
        return self.category is not None

    @property
    def interrupts(self) -> bool:
        return self.category in INTERRUPTING

    @property
    def response(self) -> str | None:
        """The domain response that answers this category (see bot/domain/responses_safety.yml)."""
        return f"utter_safety_{self.category}" if self.category else None


def _normalise(text: str) -> str:
    text = text.replace("\u2019", "'").replace("\u2018", "'")
    return re.sub(r"\s+", " ", text).strip()


def screen(text: str) -> Screening:
    """The most urgent category the message matches, or none."""
    words = _normalise(text or "")
    for category, patterns in _COMPILED:
        if any(p.search(words) for p in patterns):
            return Screening(category)
    return Screening(None)
