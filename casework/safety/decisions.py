"""What the safety screen decides about a message, whichever layer decides it (the named rules,
casework.safety.rules_layer; the learned layer, casework.safety.model; both, casework.safety.screen):
its categories and tiers, the domain response that answers each, and the `Screening` a layer returns.

Categories, most urgent first, and the tier each belongs to (tiers work as crisis lines do):

| category | what | tier | first reply |
|---|---|---|---|
| danger | life at risk now: medical emergency, a fall and can't get up, an intruder, a caller who won't leave | clear | 999 |
| suicidal | suicidal thoughts, plans or self-harm, stated clearly | clear | Samaritans, SHOUT, NHS 111 option 2, 999 |
| abuse | harm, control or neglect by someone the resident knows; money taken; kept in | clear | 999, Samaritans |
| basic_needs | no food, no heating or power, no medicine, the carer has not come | clear | 999 if unwell, Silver Line |
| despair | indirect despair: "whats the point", "im a burden", "no one would notice" | possible | the direct question, with Samaritans |
| doorstep | a trader or caller at the door, work done for cash | scam | don't pay or let in, 999 if still there, Citizens Advice |
| scam | money or details asked for or lost | scam | don't pay, bank, Report Fraud, Citizens Advice |
| worry_about_someone | a third party who may be at risk (curtains shut, not seen for days) | report | 999 if in danger; the report flow |
| isolated | loneliness with nobody | loneliness | Silver Line; the conversation goes on |

What the caller does with a screening:
- `interrupts`: the resident gets `response` instead of a bot turn (all tiers but loneliness);
- `needs_person`: open a case with `priority` and `rule` as its reason and alert a connector now
  (clear tier; a scam with `money_lost` or `at_risk_now`; a report; loneliness, as a routine case);
- tier "possible": ask the question in `response`, then read the answer with `interpret_check_answer`
  (casework.safety.check_answer) and reply with `CHECK_ANSWER_RESPONSES[answer]`; "yes" (unsure
  counts as yes) opens a case with priority "high".
The responses never promise contact: the caller adds that line only once an alert is queued.
"""
from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "CATEGORIES",
    "TIERS",
    "INTERRUPTING",
    "RESPONSES",
    "CHECK_ANSWER_RESPONSES",
    "Match",
    "Screening",
]

CATEGORIES = (
    "danger",
    "suicidal",
    "abuse",
    "basic_needs",
    "despair",
    "doorstep",
    "scam",
    "worry_about_someone",
    "isolated",
)

TIERS = {
    "danger": "clear",
    "suicidal": "clear",
    "abuse": "clear",
    "basic_needs": "clear",
    "despair": "possible",
    "doorstep": "scam",
    "scam": "scam",
    "worry_about_someone": "report",
    "isolated": "loneliness",
}

# The domain response (bot/domain/responses_safety.yml) that answers each category. The names of
# the first five predate the tiers; the channels and their tests use them, so they stay.
RESPONSES = {
    "danger": "utter_safety_danger",
    "suicidal": "utter_safety_suicidal",
    "abuse": "utter_safety_abuse",
    "basic_needs": "utter_safety_basic_needs",
    "despair": "utter_safety_check_despair",
    "doorstep": "utter_safety_doorstep",
    "scam": "utter_safety_scam",
    "worry_about_someone": "utter_safety_report_worry",
    "isolated": "utter_safety_isolated",
}
CHECK_ANSWER_RESPONSES = {"yes": "utter_safety_check_yes", "no": "utter_safety_check_no"}

# Everything but loneliness interrupts: the resident gets the safety response instead of a bot turn.
INTERRUPTING = frozenset(category for category, tier in TIERS.items() if tier != "loneliness")


@dataclass(frozen=True)
class Match:
    """One rule that fired: its category and its stable name (e.g. "danger.fall_cant_get_up")."""

    category: str
    rule: str


@dataclass(frozen=True)
class Screening:
    """What the screen decided about one message. `category` None means: let the bot answer."""

    category: str | None
    rule: str | None = None
    # Every rule that fired, most urgent first (the first decides), for a case's reasons.
    matches: tuple[Match, ...] = ()
    # Scam and doorstep only: "money_lost", "at_risk_now".
    flags: frozenset[str] = frozenset()
    # Which layer decided: "rules" (a named rule) or "model" (casework.safety.model raised what the
    # rules passed over), and the model's probability for what it decided (None for the rules).
    layer: str = "rules"
    score: float | None = None

    @property
    def flagged(self) -> bool:
        return self.category is not None

    @property
    def tier(self) -> str | None:
        """clear | possible | scam | report | loneliness, or None."""
        return TIERS[self.category] if self.category else None

    @property
    def interrupts(self) -> bool:
        """The resident gets the safety response instead of a bot turn."""
        return self.category in INTERRUPTING

    @property
    def response(self) -> str | None:
        """The domain response that answers this category (see bot/domain/responses_safety.yml)."""
        return RESPONSES[self.category] if self.category else None

    @property
    def money_lost(self) -> bool:
        return "money_lost" in self.flags

    @property
    def at_risk_now(self) -> bool:
        return "at_risk_now" in self.flags

    @property
    def needs_person(self) -> bool:
        """The caller must open a case now and alert a connector (see `priority`)."""
        tier = self.tier
        if tier == "scam":
            return self.money_lost or self.at_risk_now
        return tier in ("clear", "report", "loneliness")

    @property
    def priority(self) -> str | None:
        """urgent | high | routine: the priority of the case this screening opens (for "possible": once confirmed)."""
        tier = self.tier
        if tier == "clear":
            return "urgent"
        if tier == "scam":
            return "urgent" if self.at_risk_now else "high" if self.money_lost else None
        return {"possible": "high", "report": "high", "loneliness": "routine"}.get(tier or "")
