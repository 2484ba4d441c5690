"""The safety screen: named rules over the words of a message, run on every message before NLU.

It never depends on the model, the action server or the database, so a resident in crisis gets the
right numbers even when all three are down. Every decision names the rule that made it (`rule`,
e.g. "danger.fall_cant_get_up"), so a case can say why it exists and a wrong decision can be traced.

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
- tier "possible": ask the question in `response`, then read the answer with
  `interpret_check_answer` and reply with `CHECK_ANSWER_RESPONSES[answer]`; "yes" (unsure counts as
  yes) opens a case with priority "high".
The responses never promise contact: the caller adds that line only once an alert is queued.

A question that merely contains an alarm word ("is there a scam talk at the library", "dying to try
the choir") is not flagged: figures of speech are masked in casework/safety_text.py, and rules that
would fire on an activity's topic are vetoed when the text is about a talk, group or class.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from casework.safety_rules import MEANS_NAMED, RULES, expand
from casework.safety_text import prepare
from service.text import words_of

__all__ = [
    "CATEGORIES",
    "TIERS",
    "INTERRUPTING",
    "RESPONSES",
    "CHECK_ANSWER_RESPONSES",
    "Match",
    "Screening",
    "screen",
    "scam_flags",
    "stands_down",
    "names_a_means",
    "interpret_check_answer",
    "is_about_someone_else",
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

# The crooks and hazards a talk is given about, named with the word that says so ("the talk on rogue builders",
# "a session about door to door sellers", "the carbon monoxide talk": tune_blind_o): the qualifier is required,
# so "help with the builders" is no topic.
_CROOKS = (
    r"(?:(?:rogue|cowboy|bogus|dodgy|fake|crooked|doorstep|door to door) (?:\w+)|con (?:men|man|artists?)|fraudsters|"
    r"carbon monoxide|fire safety|home safety|burglars|burglary|distraction (?:burglary|burglaries|theft|thieves))"
)
# A question or remark about an activity whose topic is an alarm word ("is there a scam talk at the
# library", "any bereavement cafes", "the doorstep crime talk"): vetoes the rules that would fire
# on the topic alone.
_ACTIVITY_TOPIC = re.compile((
    r"\b(scams?|scammers|fraud|fraudsters|doorstep|doorstep crime|suicide|self harm|bereavement|falls?|loneliness|lonely|isolation|dementia|safety|"
    r"staying safe|cold callers?|rogue traders?|online safety|con artists|abuse|domestic abuse)( (?!i\b|im\b|and\b|but\b|so\b|me\b)\w+)?\s+(talk|talks|"
    r"awareness|group|groups|session|"
    r"sessions|class|classes|cafe|cafes|course|courses|workshop|training|morning|afternoon|event|events|prevention|support|meeting|evening|"
    r"leaflet|leaflets|club|clubs|advice)\b|"
    r"\b(whats|what is|wheres) the (number|phone number|website|email|address) (to|for) (report|reporting|ring about|complain about)\b|"
    r"\b(talk|talks|group|groups|session|sessions|class|classes|cafe|cafes|course|courses|workshop|training|morning|event|advice|leaflets?|posters?|"
    r"presentation|club|clubs|anything|something|help|support|tips)\s+(on|about|for|re|regarding|around|to do with|with)( \w+){0,3}\s+"
    r"(scams?|fraud|fraudsters|scammers|doorstep|cold call\w*|rogue traders|suicide|bereavement|falls?|loneliness|lonely|dementia|isolation|"
    r"people living alone|staying safe|safety|abuse)\b|"
    r"\b(talk|talks|talked|talking|chat|speaker|told us|learnt|learned|heard) (on|about|from) (the police about )?(scams?|fraud|fraudsters|"
    r"doorstep|cold callers|safety)\b|"
    # crooks and hazards as a talk's topic: only after a word for a talk, never "help with" or "something for" one, nor
    # a time ("rang this morning about a fake debt")
    r"\b(talk|talks|session|sessions|class|classes|course|courses|workshop|training|event|events|presentation|speaker|"
    r"leaflets?|posters?|(next|another|last) one) (on|about|re|regarding|around|to do with)( \w+){0,2} <CROOKS>\b|"
    r"\b<CROOKS>( \w+)? (talk|talks|awareness|session|sessions|class|classes|course|courses|workshop|training|event|events|presentation|"
    r"leaflets?|posters?|prevention|advice)\b|"
    r"\b(help|support|advice|group|groups|anything|something) for (people|those|folk|anyone|victims|someone)( who| whove| that| thats)?( have| has| ve)?"
    r"( been)? (scammed|defrauded|conned|bereaved|lonely|isolated|abused)\b|"
    r"\bhow (do|can|would|should) (i|you|we|people) (report|spot|avoid|recognise|tell|know|stop|protect \w+ from)( if (it|its|something is))?"
    r"( a| an| the)? (scams?|fraud|cold callers?|rogue traders?|scammers)\b"
).replace("<CROOKS>", _CROOKS))
# A caller at it now, or money gone, whatever talk the writer went to: "the talk on rogue builders was good but one came
# round today and wants cash for my gutters", "after the talk i realised the men who did mums roof were cowboys, she paid
# them 3000" are incidents, so no topic stands them down.
_CALLER_NOW = re.compile(
    r"\b(came round|come round|turned up|knocked|knocking|at (my|the) (door|house)|on my doorstep|outside (now|my)|"
    r"wants? (cash|money|paying|\d+)|demanding|asking for (cash|money)|"
    r"(paid|sent|transferred|handed over|gave|given|lost|took|taken|had|conned|scammed|cheated|done) (\w+ ){0,3}(out of )?"
    r"(£?\d{2,}|\d+ (pounds|quid|grand|k)|thousands?|hundreds?|grand|(her|his|their|my|our) (savings|pension|money|cash)))\b"
)
# Checking that a group, a class or a leaflet is genuine before going ("is the tea dance real or one of
# them scams", "want to check its not a scam before i join"): the activity itself must be named. For
# the rules only: the learned layer reads these texts itself, and a person asking whether a caller is
# real is not asking about a group.
_CHECKING_A_GROUP = re.compile(
    r"\b(group|club|class|classes|dance|lunch|cafe|session|event|choir|course|walk|walking|trip|tour|meeting|coffee morning|bingo|"
    r"leaflet|poster|advert|page)\b[^.?!]{0,60}\b(real|genuine|legit|legitimate|proper|above board|kosher|safe)( thing)?( \w+){0,3} or "
    r"(a |an |one of (them|those|these) )?(scams?|con|fake|facebook things?)\b|"
    r"\b(group|club|class|dance|lunch|cafe|session|event|choir|course|walk|trip|tour)\b[^.?!]{0,60}\b(its|it is|thats|that is) not "
    r"(a |one of (them|those) )?scams? before (i|we|she|he|they) (go|join|book|sign up)\b"
)
# Categories whose rules may fire on an activity's topic; danger and suicidal never are vetoed.
_TOPIC_VETOED = frozenset({"scam", "doorstep", "isolated", "worry_about_someone", "despair"})

# Something the writer did or suffered: keeps a scam or doorstep rule alive despite an activity topic.
_FIRST_PERSON_INCIDENT = re.compile(
    # "me" alone, but not "telling me to watch out", "sending me leaflets": advice and post are not incidents.
    r"\b(i (was|got|have been|think ive been|lost|gave|paid|sent|clicked|pressed)|ive (been|lost|given|paid|sent)|"
    r"(?<!telling )(?<!told )(?<!tells )(?<!warned )(?<!warns )(?<!reminds )(?<!sending )(?<!sends )(?<!send )me|my (money|card|account|bank|"
    r"savings|details|pension|pin))\b"
)

# "If i fall and cant get up", "what do i do if someone breaks in": a worry or a question, not an emergency.
_HYPOTHETICAL = re.compile(
    r"\b(if|in case|incase|what if|what happens if|what do i do if|what should i do if|worried (i|ill|id)|scared (i|ill|id)|afraid (i|ill|id)|"
    r"frightened (i|ill|id)|might|in the event|could|dread|dreading|fear of|scared of|worried about|afraid of|whenever)\b[^~]{0,40}$"
)
_NEGATED = re.compile(r"\b(not|never|no longer|wouldnt|would never|dont worry|not going to|im not|no intention of|couldnt ever)\b( \w+){0,3}\s*$")

# "i used to be lonely before i found the club": over, not now.
_IN_THE_PAST = re.compile(r"\b(used to|was once|before i (found|joined|started)|no longer)\b( \w+){0,3}\s*$")

# Writing about another person (a neighbour, a relative, a customer) rather than about themselves. Pronouns
# alone do not count: "if i dont give him money he smashes things" is about the writer.
_OTHER = re.compile(expand(r"\b<OTHER>\b"))
_SELF_AS_VICTIM = re.compile(
    expand(
        r"\b(if|when|unless) i (ask|say|refuse|dont|wont|tell|try|complain|question|object)\b|"
        r"\b(me|myself|im|ive|i (have|cant|dont have|got|get|feel|need|havent|am|was|lost|gave|paid|sent)|my (own |)(house|home|flat|money|"
        r"pension|card|account|savings|bank|heating|boiler|gas|electric|food|fridge|carer|carers|<PILLS>|meds|medication|door|details))\b"
    )
)
# Doorstep is left out: the caller at the door is a third party by nature.
_CONVERTED_TO_REPORT = frozenset({"abuse", "basic_needs", "despair", "scam", "isolated"})
# The writer cares for the person they describe ("caring for my mum with dementia", "i look after my
# husband, hes got parkinsons"): their condition is why the carer writes, not a neighbour's worry. The
# condition-only report rule stands down; every other rule (a fall, not eating, wanting to die) still fires.
_CARING_FOR = re.compile(
    r"\b(caring for|care for|cared for|carer (for|to)|look after|looking after|looked after|nursing|full time carer|fulltime carer|"
    r"i am (his|her|their) carer|im (his|her|their) carer|(his|her|their) (main |only )?carer)\b"
)
_CONDITION_ONLY_RULE = "worry_about_someone.someone_at_risk"
_CONDITION_WORDS = re.compile(
    r"\b(dementia|alzheimers?|parkinsons|stroke|forgetful|confused|frail|falls|not well|struggling|not coping)\b"
)
# The writer asks for something for the person they describe ("is there a book club near her?", "she
# likes bingo and a cuppa", "would love an exercise class for people with parkinsons"): being lonely, on
# their own or living with a condition is why they write, not a worry for a connector (issue 15). As for
# a carer, the condition-only report rule stands down; every other rule still fires.
_ASKING_FOR_THEM = re.compile(
    r"\b(is there|are there|anything (on|for|near|in|she|he|they)|something (for|to|she|he|they)|somewhere (for|to|she|he|they)|"
    r"(a|any) (group|club|class|classes|session|sessions|activity|activities|lunch club|coffee morning)|"
    r"would (love|like|enjoy)|(she|he|they|mum|dad|nan|gran|grandad|husband|wife) (likes|loves|enjoys|liked|loved|enjoyed|used to)|"
    r"(likes|loves|enjoys) (a |her |his |their )?(game|bit|good|natter|chat|cuppa|sing|dance|read|walk|knit)\w*)\b"
)
# The writer describes themself as one ("im a 70 year old man, divorced"): not a third party.
_SELF_DESCRIBED = re.compile(
    r"\b(im|i am) (a|an) ((\d+|\w+ty \w+|\w+ty)( year| yr)?s?( old)?|old|elderly|older|retired|widowed|divorced|single|lonely)"
    r"( \w+){0,2} (man|woman|lady|gent|gentleman|chap|fella|bloke|widow|widower|pensioner)\b"
)
# Asking for a visitor for company for someone who is well ("shes home from hospital and doing well now, is there someone
# who could visit her for a chat": tune_blind_o) is asking for a befriender, not for a welfare check: the "check on them"
# rule stands down. Anything that says they are not managing keeps it (and every other report rule still fires).
_CHECK_ON_RULE = "worry_about_someone.check_on"
_SOCIAL_VISIT = re.compile(
    r"\b(visit|see|pop in on|pop round to|pop in to see|call on|call in on|sit with|come and see|come round to see)( \w+){0,3} "
    r"(for (a|some|the odd) (chat|natter|cuppa|brew|coffee|cup of tea|catch up|bit of company|company|game of \w+)|for company|"
    r"to keep (him|her|them) company)\b|\bbefriend\w*\b"
)
_THEY_ARE_WELL = re.compile(
    r"\b(doing (well|fine|ok|okay|great|grand|better|brilliantly)|(home|back home) and (well|fine|doing)|back on (his|her|their) feet|"
    r"(fine|well|better|much better|ok|okay) now|right as rain|fit as a fiddle|(hes|shes|theyre|he is|she is) (fine|well|grand) in (himself|herself))\b"
)
_NOT_MANAGING = re.compile(
    r"\b(struggling|not coping|isnt coping|not managing|cant manage|only just|lost (his|her|their) confidence|not washing|keeps falling|"
    r"fell again|confused|frail|low|down|depressed|lonely|on (his|her|their) own|alone|no one|nobody|worried|worrying|concerned|"
    r"no care|no carer|not safe|unsafe)\b"
)
_STILL_A_WORRY = re.compile(
    r"\b(wandering|wanders|getting lost|gets lost|got lost|goes missing|went missing|gone missing|not eating|isnt eating|stopped eating|"
    r"being (scammed|abused|bullied|neglected|taken advantage of|exploited|hit|robbed|conned)|taken advantage of|suicidal|"
    r"(wants?|talking about|talks about) to (die|end it)|no food|no heating|freezing)\b"
)

# Scam and doorstep: what makes it a case. At risk now: the caller is still there, on the line or coming
# (back), details or access were just handed over, or money is being demanded. Money lost: paid, sent,
# taken, moved, or signed up for.
_AT_RISK_NOW = re.compile(
    r"\b(right now|at the moment|still (here|there|on the (phone|line)|outside|at the door|in the house|waiting|knocking)|outside|"
    r"on the (phone|line|other line) now|now (says|saying|telling|asking|wants)|coming (round|back|to collect|to pick up|today|tonight|tomorrow|for)|"
    r"on (their|his|her) way|waiting (outside|at the door)|sending someone|collect|collecting|pick up|picking up|"
    r"keeps? (knocking|coming back|ringing|calling|asking)|wont take no|came back|coming back|"
    r"gave|given|told them|read out|put my|entered|let (them|him|her) (on|in|into)|clicked|pressed|typed|got into my|"
    r"(wants?|wanted|wanting) (me to|to come in|to look round|cash|money|paying|\d+|my)|needs? (to come in|\d+|money|cash)|"
    r"need to (pay|withdraw|move|transfer|send|buy)|asking( me| my \w+)? (for|to)|demanding|(said|says) it (was|is) \d+|i owe|owe (them|him|her)|"
    r"(at|on) my (door|doorstep)|at the door (says|saying|wants|is)|today|tonight|this morning|safe account|"
    r"(told|telling|tells) me to (move|transfer|withdraw|send|pay|buy)|(want|wants|wanting) (ten|double|twice|more|\w+ times))\b"
)
_MONEY_LOST = re.compile(
    r"\b(lost|taken|took|stolen|stole|paid|transferred|emptied|spent|charged|withdrew|withdrawn|conned|defrauded|been had|"
    r"ripped off|cloned|handed over|cleared|drained|out of pocket|fleeced|diddled|been done|used my card|bought|swindled|"
    r"(scammed|cheated|tricked) out of|sent (them |him |her |a lad |a man |someone )?(money|cash|£?\d+|it|the money|more)|send more|"
    r"(money|cash|savings|pension|it|everything) (has |is |s )?(gone|missing|disappeared)|taking money|moved (my|the|all my) (money|savings|pension)|"
    r"signed( me)? up|got me to sign|made me sign|talked me into|did (it|the job|the work) for|for £?\d+ cash|"
    r"(sent|given|gave|paid|transferred|lent|handed over)( \w+){0,3} (hundred|thousand|grand|quid|pounds)|"
    # a distraction burglary: what was taken while someone was kept talking
    r"(purse|handbag|bag|wallet|jewellery|jewelry|rings?|watch|cards?|bank cards?|pension book|tin) (has |had |was |is |s )?(gone|missing|disappeared))\b"
)


# Long over: "i fainted last year", "i was scammed years ago so i like the talks". Danger, scam and doorstep
# rules stand down unless something says it is happening now.
_LONG_AGO = re.compile(r"\b(years ago|a year ago|long (time )?ago|years back|when i was younger|in the past|last (year|month)|months ago|weeks ago|used to|"
                       r"in (19|20)\d\d|back in (19|20)?\d\d|(years?|winters|summers|christmases) (ago|back))\b")
_NOW = re.compile(r"\b(now|still|again|right now|tonight|today|this morning|just|help|cant|currently|at the moment)\b")
# "Now" that says it is over, not that it is happening: "years ago now", "well over it now", "hes well now", "all mended
# now" (a fall in 2019, a funny turn last year: tune_blind_g, _m, _o). Taken out before _NOW is looked for; every other
# word of the present ("again", "still", "cant", "help", "today", a "now" of its own) still keeps the rules alive.
_OVER_AGO = r"((years?|months|winters|summers|christmases|ages|long|a long time) (ago|back)|(long |all )?behind (me|him|her|us|them))"
_OVER_WELL = (
    r"((well |long )?over it|fine|ok|okay|alright|all right|better|much better|a lot better|"
    r"(im|i am|hes|shes|he is|she is|theyre|doing|keeping|very|really|quite|perfectly|all) well|recovered|(all )?mended|healed|sorted|"
    r"right as rain|back to normal|back on (my|his|her|their) feet|walking fine|doing (fine|ok|okay|great|grand|better)|"
    r"in a (good|better|much better|happy|great) place|happy|content)"
)
_SETTLED_NOW = re.compile(rf"\b({_OVER_AGO}|{_OVER_WELL}) now\b")
_PAST_SENSITIVE = frozenset({"danger", "scam", "doorstep"})
# What a text that says "fine now" may still go on to say is happening: someone lying there, a caller back at the door.
# Looked for only when the text's one "now" was a settled one.
_HAPPENING_ALL_THE_SAME = re.compile(
    r"\b(lying|not moving|isnt moving|not breathing|isnt breathing|unconscious|unresponsive|bleeding|ambulance|999|come quick|hurry|"
    r"(at|on) (my|the) (door|doorstep|front door|back door)|outside|back (at|round|again|on the phone)|"
    r"keeps? (ringing|calling|phoning|knocking|coming|texting|emailing|asking)|wants? more|wanting|demanding|on the (phone|line)|"
    r"coming (round|back)|"
    # a body failing as they write: "fine now but my face has dropped"
    r"(has|have|is|are|s|has gone|is going) (dropped|drooping|numb|weak|dead|tight)|slurring|cant (feel|speak|talk properly|see properly))\b"
)


def _nothing_now(words: str) -> bool:
    """Nothing in the text says it is happening now (see _NOW), a settled "now" ("fine now") aside."""
    if not _NOW.search(words):
        return True
    return not _NOW.search(_SETTLED_NOW.sub(" ", words)) and not _HAPPENING_ALL_THE_SAME.search(words)


# "cold caller rang, i hung up straight away": dealt with; scam and doorstep stand down unless money went.
_HANDLED = re.compile(
    r"\b(hung up|put the phone down|didnt (let them in|let him in|answer|open the door|give (them|him|her) anything|pay)|sent (them|him|her) away|"
    r"told (them|him|her) to go away|ignored (it|them|him)|deleted it|blocked (them|it|the number|him|her)|shut the door on)\b"
)
# "had a funny turn yesterday but fine now": over, for the danger rules.
_RECOVERED = re.compile(r"\b(fine now|ok now|okay now|alright now|all right now|better now|all clear|recovered|sorted now|back to normal|no harm done|"
                        r"back on my feet)\b")


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
    # Which layer decided: "rules" (a named rule) or "model" (casework.safety_model raised what the
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


# Leaving a group for an ordinary reason: "goodbye to the walking group, we're moving to Cornwall".
_ORDINARY_FAREWELL = re.compile(
    r"\b(moving|moved|move) (to|in|into|house|away|near|up|down|abroad|back)\b|\bgoing (to live|to stay) (with|near|in)\b|"
    r"\bstarted (work|working|a job|a new|at)\b|\bnew job\b|\bemigrat\w*\b|\bsheltered (housing|accommodation)\b|\bholiday\b|"
    r"\b(old|the) house\b|\bbungalow\b|\bpostcard\b|\bnew (place|flat|home)\b"
)
_FAREWELL_RULES = frozenset({"suicidal.goodbyes", "suicidal.ways_to_die"})


# Seen on the television or read in the paper: "watched casualty last night and someone collapsed", "read in the echo
# about a man who was scammed", "read about that woman who got conned by a fake roofer" (tune_blind_c, _o). The story
# is someone else's, told after it was seen: "watched", "saw", "read" a programme, a film or the paper, or "on the
# telly" (never "watching", when the writer may be in the room as it happens, nor "watched tv", the set and not a
# story). Between the programme and what happened in it, and in what happened, no one the writer knows, nobody by a
# pronoun, nothing now, going on or after it ("then", "when"); just after it, nothing at home or asking for help.
# "watched the news and my husband collapsed", "saw the news then a man was in the garden", "watched casualty and
# someone broke in the back door", "someone is trying to get in" stay emergencies.
_TOLD_OF = re.compile(
    r"\b((watched|saw|seen|read|heard|listened to)( \w+){0,3}? "
    r"(casualty|eastenders|corrie|coronation street|emmerdale|hollyoaks|holby|holby city|the archers|crimewatch|panorama|watchdog|"
    r"news|paper|papers|newspaper|echo|film|programme|documentary|drama|soap|soaps|article)|"
    r"(on|in) the (news|paper|papers|local paper|echo|telly|tv|radio|film|programme|documentary|soaps?)|read (about|that|how|of|in))"
    r"(?P<rest>( \w+){0,8})$"
)
_TOLD_BY_SOMEONE_KNOWN = re.compile(
    r"\b(i|im|ive|id|ill|me|my|mine|myself|we|our|us|he|she|hes|shes|him|her|his|they|theyre|them|their|husband|wife|partner|mum|dad|"
    r"son|daughter|nan|gran|grandad|brother|sister|neighbour|friend|mate|now|here|outside|help|please|tonight|today|just|still|"
    r"is|are|s|re|am|keeps|trying|then|after|afterwards|later|when|while|whilst|before|till|until|suddenly|next thing)\b"
)
_HERE_AT_HOME = re.compile(
    r"\b(door|doors|window|windows|garden|house|flat|bungalow|upstairs|downstairs|kitchen|bedroom|hall|hallway|stairs|landing|bathroom|"
    r"lounge|living room|front room|here|outside|now|help|please|ambulance|999|police)\b"
)


def _told_of(before: str, found: str, after: str) -> bool:
    """The match is an event in a programme or a paper the writer saw or read, told of, not happening to anyone they know."""
    told = _TOLD_OF.search(before[-160:].rstrip())
    return (
        told is not None
        and not _TOLD_BY_SOMEONE_KNOWN.search(f"{told.group('rest')} {found}")
        and not _HERE_AT_HOME.search(f"{found} {after[:40]}")
    )


# A means of suicide named (casework.safety_rules.MEANS_NAMED), meant or not.
_MEANS = re.compile(expand(MEANS_NAMED))


# A wish to die that the writer says is long behind them: "i used to think about ending it all after my wife went, years
# ago now, the befrienders helped me and im doing well, can i volunteer" (tune_blind_o). Three things together: the
# words just before the wish put it in the past ("used to", "there was a time when"), the text says it is long over AND
# that they are well, and nothing says it is back ("again", "lately", "started", "every day", "struggling"...): "i used
# to cut myself years ago and its started again" and "i thought id stopped all that years ago" stay suicidal.
_WISH_IN_THE_PAST = re.compile(
    r"\b(used to|there (was|were) (a time|times)( when| that)?|at one time|back then|in the past|years ago|long ago|when i was (younger|young|a \w+)|"
    r"went through a (time|spell|period|phase|patch)( of| when)?)"
    r"( \w+){0,4}$"
)
_LONG_BEHIND = re.compile(
    r"\b(years ago|long ago|a long time ago|years back|behind me|long gone|(well |long )?over (it|that)|got over|got through (it|that)|"
    r"came through|come through|the other side)\b"
)
_WELL_NOW = re.compile(
    r"\b(doing (really |very |so |ever so )?(well|fine|ok|okay|great|much better|better|grand)|in a (good|better|much better|happy) place|"
    r"(much |a lot )?better now|"
    r"fine now|well now|happy now|(helped|saved|got) me( through)?|enjoying life|love (my|life))\b"
)
# For a wish to die, "well now" counts as settled only where the text goes on to ask something or ends ("im doing well now,
# can i volunteer"); "doing fine now ive got tablets saved up" reads the other way once the punctuation is gone.
_SETTLED_WISH_NOW = re.compile(
    rf"\b{_OVER_AGO} now\b|\b{_OVER_WELL} now(?=( (and )?(can|could|would|id|i want|i would|im hoping|is there|are there|do you|how do|"
    rf"i (d|would) (like|love))\b|\s*$))"
)
_BACK_AGAIN = re.compile(
    r"\b(again|lately|recently|these days|this (week|month|year|morning|evening)|tonight|today|right now|at the moment|currently|still|"
    r"started|starting|creeping|returned|returning|come back|coming back|came back|back again|cant stop|every day|all the time|most days|"
    r"anymore|any more|since (he|she|my|the)|struggling|bad (day|days|patch|time)|hard (day|days|time)|worse|not coping|scared|frightened|now)\b"
)


# The rule that asks the direct question of a past wish ("used to self harm", "years ago i was suicidal") names the past
# itself; it stands down with the rest of the family.
_PAST_WISH_RULE = "despair.suicidal_negated"


def _long_behind_them(before: str, words: str, *, past_named: bool = False) -> bool:
    """The wish to die this match names is past, long over and followed by being well, and nothing says it is back: no
    "now" but a settled one ("years ago now", "doing well now, can i"), and no means of suicide named anywhere."""
    return (
        bool((past_named or _WISH_IN_THE_PAST.search(before[-80:].rstrip())) and _LONG_BEHIND.search(words) and _WELL_NOW.search(words))
        and not _BACK_AGAIN.search(_SETTLED_WISH_NOW.sub(" ", words))
        and not _MEANS.search(words)
    )


def _fires(rule: _Rule, words: str) -> tuple[str, str] | None:
    """(category, rule name) if the rule fires on `words`, after the hypothetical and negation guards."""
    # A story from the telly or the paper stands a rule down only where it is the story: any other place the
    # rule matches ("saw the bank scam on the news and i think ive been scammed") still fires.
    if rule.category in _PAST_SENSITIVE:
        found = next((m for m in rule.pattern.finditer(words) if not _told_of(words[: m.start()], m.group(0), words[m.end() :])), None)
    else:
        found = rule.pattern.search(words)
    if found is None:
        return None
    before = words[: found.start()]
    if (rule.category == "suicidal" or rule.name == _PAST_WISH_RULE) and _long_behind_them(
        before, words, past_named=rule.name == _PAST_WISH_RULE
    ):
        return None
    # "Fine now" stands a danger down only when said of it, after it: "had a stroke years ago, fine now
    # but my face has dropped" is the danger again.
    if rule.category == "danger" and (_HYPOTHETICAL.search(before[-60:]) or _RECOVERED.search(words, found.start())):
        return None
    if rule.category == "isolated" and (_NEGATED.search(before[-40:]) or _IN_THE_PAST.search(before[-40:])):
        return None
    if rule.name in _FAREWELL_RULES and "goodbye" in found.group(0) and _ORDINARY_FAREWELL.search(words):
        return None
    if rule.category == "suicidal" and _NEGATED.search(before[-40:]):
        # "im not suicidal", "i would never kill myself": still worth the direct question.
        return "despair", f"{rule.name}.negated"
    return rule.category, rule.name


def _about_other(words: str) -> bool:
    return bool(_OTHER.search(words)) and not _SELF_AS_VICTIM.search(words)


def is_about_someone_else(text: str) -> bool:
    """The text describes a third party (a neighbour, a relative, a customer), not the writer."""
    return _about_other(prepare(text))


@dataclass(frozen=True)
class _Context:
    """What the whole text says that makes some categories stand down, whichever layer would raise them."""

    topic: bool  # about an activity's topic ("the scam awareness talk"), not an incident of the writer's
    checking: bool  # asking whether a named group or class is genuine (the rules stand down; the model reads it)
    long_ago: bool  # long over, nothing says now
    handled: bool  # a caller dealt with ("i hung up"), no money went
    recovered: bool  # "fine now", "all clear"

    def stands_down(self, category: str, *, past_sensitive: frozenset[str] = _PAST_SENSITIVE, rules: bool = True) -> bool:
        return (
            (self.topic and category in _TOPIC_VETOED)
            or (rules and self.checking and category in ("scam", "doorstep"))
            or (self.long_ago and category in past_sensitive)
            or (self.handled and category in ("scam", "doorstep"))
        )


def _context(words: str) -> _Context:
    return _Context(
        topic=bool(_ACTIVITY_TOPIC.search(words)) and not _FIRST_PERSON_INCIDENT.search(words) and not _CALLER_NOW.search(words),
        checking=bool(_CHECKING_A_GROUP.search(words)) and not _FIRST_PERSON_INCIDENT.search(words),
        long_ago=bool(_LONG_AGO.search(words)) and _nothing_now(words),
        handled=bool(_HANDLED.search(words)) and not _MONEY_LOST.search(words),
        recovered=bool(_RECOVERED.search(words)),
    )


# The learned layer reads no positions, so what is over stands down more widely for it: a past
# abuse or a past lack, and anything the text says is fine now.
_MODEL_PAST_SENSITIVE = _PAST_SENSITIVE | {"abuse", "basic_needs"}


def stands_down(category: str, text: str) -> bool:
    """The rules' own knowledge of texts that are not incidents (a talk on the topic, long over, dealt
    with, fine now) says `category` must not be raised for `text`: the learned layer asks this first."""
    context = _context(prepare(text))
    if context.recovered and category in ("danger", "basic_needs"):
        return True
    return context.stands_down(category, past_sensitive=_MODEL_PAST_SENSITIVE, rules=False)


def names_a_means(text: str) -> bool:
    """The text names a means of suicide (casework.safety_rules.MEANS_NAMED), meant or not: the learned
    layer asks directly when it also leans towards suicide."""
    return bool(_MEANS.search(prepare(text)))


def _matches(words: str) -> list[Match]:
    context = _context(words)
    about_other = _about_other(words)
    caring = bool(_CARING_FOR.search(words)) and bool(_CONDITION_WORDS.search(words))
    asking = bool(_ASKING_FOR_THEM.search(words))
    self_described = bool(_SELF_DESCRIBED.search(words)) and not _OTHER.search(_SELF_DESCRIBED.sub(" ", words))
    visiting_a_well_person = (
        bool(_SOCIAL_VISIT.search(words) and _THEY_ARE_WELL.search(words))
        and not _NOT_MANAGING.search(words)
        and not _STILL_A_WORRY.search(words)
    )
    found: list[Match] = []
    for rule in _COMPILED:
        if context.stands_down(rule.category):
            continue
        fired = _fires(rule, words)
        if fired is None:
            continue
        category, name = fired
        if name == _CONDITION_ONLY_RULE and (caring or asking or self_described) and not _STILL_A_WORRY.search(words):
            continue
        if name == _CHECK_ON_RULE and visiting_a_well_person:
            continue
        if about_other and category == "isolated" and asking:
            continue  # "my nan is lonely since grandad died, she likes bingo": groups for her, not a report
        if about_other and category in _CONVERTED_TO_REPORT:
            # "the woman next door has had no heating all winter": a report about her, not a crisis of the writer's.
            category, name = "worry_about_someone", f"{name}.about_someone"
        found.append(Match(category, name))
    return sorted(found, key=lambda m: CATEGORIES.index(m.category))


def screen(text: str) -> Screening:
    """The most urgent category the message matches, with the rule that decided it, or none."""
    words = prepare(text)
    found = _matches(words)
    if not found:
        return Screening(None)
    first = found[0]
    return Screening(first.category, first.rule, tuple(_dedupe(found)), scam_flags(first.category, words))


def scam_flags(category: str, words: str) -> frozenset[str]:
    """For a scam or doorstep category: "money_lost" and "at_risk_now" as the prepared text says."""
    flags: set[str] = set()
    if TIERS[category] == "scam":
        if _MONEY_LOST.search(words):
            flags.add("money_lost")
        if _AT_RISK_NOW.search(words):
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


# --- the answer to "Are you thinking about ending your life?" -------------------------------------
# Unsure counts as yes: crisis lines treat "maybe", "i dont know" and "not at the moment" as a yes and
# keep talking. Read with a light touch of its own: the screen's texting map would turn "n" into "and".
_UNSURE = re.compile(
    r"\b(sometimes|some times|maybe|perhaps|possibly|not sure|unsure|dont know|dont no|dunno|idk|i think so|might|kind of|kinda|sort of|"
    r"a bit|a little|on and off|now and (then|again)|at times|often|all the time|every day|every night|most days|on my mind|cant say|suppose|"
    r"not at the moment|not right now|not today|not now|not really sure|a few times|used to)\b"
)
_YES = re.compile(r"^(yes+|yeah|yea|yeh|yep|yup|ye|y|aye|ya|yah|i am|im|i do|i have|ive|i was|true|correct|definitely|of course|sadly|afraid so)\b")
_NO = re.compile(
    r"^(no+|nope|nah|naw|na|n|not really|not at all|never|definitely not|of course not|god no|no way|(im|i am) (ok|okay|fine|alright|all right|good)|"
    r"not me|not thinking that|i wouldnt|i would never|(im|i am) not)\b"
)


def interpret_check_answer(text: str) -> str | None:
    """"yes", "no" or None (not an answer) for a reply to the possible-risk question. Unsure is "yes"."""
    words = words_of(text)
    if not words:
        return None
    if _UNSURE.search(words):
        return "yes"
    # "no" first: "im not", "i am fine" begin like a yes.
    if _NO.search(words):
        return "no"
    if _YES.search(words):
        return "yes"
    # "i just want to die", "whats the point": an answer in other words.
    return "yes" if screen(text).category in ("suicidal", "despair", "danger") else None
