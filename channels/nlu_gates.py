"""An NLU step after the intent classifier: an intent that starts a flow of its own stands only when
the text says what the intent means; otherwise the next intent in the ranking is taken.

`report_concern` only for a worry about someone.

The classifier learned that a message about someone else is usually a worry, so "my dad needs
something to do with his hands, we live in moreton" or "any memory cafe for my husband" started the
neighbour's report ("Who are you worried about?"). The safety screen (casework.safety, pure rules,
tuned and held out on more than a thousand texts) reads worries better. Here a predicted
`report_concern` stands only when the screen reads the text as a worry about someone else, or the
text says so itself (report, worried, check on, not seen...) and is more than worried that someone is lonely while
asking what they could go to; otherwise the next intent in the
ranking is taken. The intake's own `/report_concern` payload never reaches this step (Rasa reads a
"/intent" message without the pipeline).

`need_carer` ("Caring is a lot to carry...") only when the text says the writer cares for someone:
character n-grams make "anywhere to play cards" look like "carers" to the classifier, and a resident
who asked for a game of cards was told about carers' groups. Nor when a carer asks for something named for themselves:
"looking after my husband full time ... Id love just 2hrs to do something creative for me ... Mosaic or glass?" wants
the craft, not a carers' group (blind21's tune half).

`bot_challenge` ("I'm an automatic helper... not a person") only when the text asks who or what is
answering (a bot, a computer, a real person): "somewhere in Deal for a natter and a laugh? I'm fed up of
talking to the telly!" was told the bot is not a person, and nothing about Deal.

`need_new_to_area` ("Welcome to the area!") only when the text says they are new there (moved, new to,
know nobody yet): a long wish with a place and "my husband and I" was welcomed to a town they had
danced in for years.

`volunteer` (the good neighbour sign-up) only when the text offers the writer's time or help: "Can you help me find a
ukulele group in Deal or Walmer. I can play a few chords" asked for a group and was asked for a first name to pass to a
connector as a volunteer (blind17's tune half).

`need_company` ("I'm sorry it's been lonely...") only when the text speaks of being alone or wanting company, or names nothing
else to do: "I want to get fitter but I'm not going in a gym with all the young ones ... Walmer" never said lonely and asks
for exercise (blind28's tune half); "lived alone a long time. Cycling?" is heard as both (blind19's tune half).

`need_bereaved` ("I'm so sorry for your loss...") only when the text names nothing to do but company or a bereavement group: "bird
watching? used to go with my brother before he died" asks for birdwatching (blind26's tune half).

Gates are asked in turn: when the next intent in the ranking has a gate of its own, it must stand too.
"""
from __future__ import annotations

import re
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from casework.safety.rules_layer import is_about_someone_else, only_lonely_and_company_asked_for, screen
from directory.interests import CONDITIONS, concepts_in

__all__ = ["IntentGates", "asks_who_answers", "is_a_worry", "names_only_company_or_grief", "offers_help", "says_they_are_new_there",
           "says_they_care_for_someone", "speaks_of_company"]

REPORT = "report_concern"
CARER = "need_carer"
BOT_CHALLENGE = "bot_challenge"
NEW_HERE = "need_new_to_area"
VOLUNTEER = "volunteer"
BEREAVED = "need_bereaved"
COMPANY = "need_company"
_SAYS_SO = re.compile(
    r"\b(report|reporting|worried|worry|worrying|concerned|concern|check on|checking on|look in on|keep an eye|not seen|havent seen|"
    r"hasnt been seen|not been seen|not answering|isnt answering|hasnt answered|not heard from|havent heard)\b",
    re.IGNORECASE,
)


_CARES_FOR = re.compile(
    r"\b(carer|carers|caring|care for|cares for|cared for|look after|looks after|looking after|looked after|respite|"
    r"full time care|on my own with (him|her)|his care|her care)\b",
    re.IGNORECASE,
)


_WHO_ANSWERS = re.compile(
    r"\b(robot|bot|chatbot|computer|machine|automatic|automated|auto reply|human|real|person|lady|man|woman|someone|somebody|"
    r"anyone|anybody|ai|program|programme|who (am i|is this|are you|r u|is that|am i talking to|am i texting)|whos (this|that)|"
    r"reading (this|these|my)|answering)\b",
    re.IGNORECASE,
)


# Moving home is not moving to the area: "since we moved to a flat" is said by someone who has lived there for years
# ("just moved into a flat here" is new).
_NEW_THERE = re.compile(
    r"\b(new|newly|relocated|relocating|settled|settling|arrived|only been (here|there)|(just|recently) (moved|moving)|"
    r"(moved|move|moving)(?! (in)?to (a|an|my|our) (flat|house|bungalow|home|apartment|maisonette|smaller \w+|care home|"
    r"retirement \w+|sheltered \w+|ground floor \w+)\b)|"
    r"(dont|do not) know (anyone|anybody|a soul|many people)|know (nobody|no one|noone)|not from (round|around) here)\b",
    re.IGNORECASE,
)


# Offering help, time, a lift or a visit; not asking for help ("can you help me find", "help with my shopping").
_OFFERS_HELP = re.compile(
    r"\b(volunteer\w*|help(ing)?( out)?(?! (me|us|my|him|her|them|find|finding|with|to find|getting|get)\b)|give (something )?back|"
    r"good neighbou?rs?|befriend\w*|(visit|ring|call|phone|sit with|drive|take) (someone|somebody|people|folk|an older|older|a lonely|"
    r"lonely)|(give|giving|offer|offering|do|doing) lifts|(offer|spare|give|giving|donate) (a few|a couple of|some|my)( \w+)? (hours|time)|"
    r"time on my hands|make a difference|do (something|my bit) for|sign me up|are you looking for|do you need)\b",
    re.IGNORECASE,
)


# A letter's opening is not a concern ("To whom it may concern. My neighbour gave me this number ... a keep fit class":
# blind8's tune half).
_LETTER_OPENING = re.compile(r"\b(to whom (it|this) may concern|whom it may concern)\b", re.IGNORECASE)


def is_a_worry(text: str) -> bool:
    text = _LETTER_OPENING.sub(" ", text or "")
    screening = screen(text)
    if screening.tier == "report":
        return True
    # "I do worry she's lonely, she loves a quiz, any ideas for her?": worried only that she is lonely, asking what she
    # could go to (issue 15): groups for her, though the text says "worry".
    if only_lonely_and_company_asked_for(text):
        return False
    return (screening.flagged and is_about_someone_else(text)) or bool(_SAYS_SO.search(text or ""))


def says_they_care_for_someone(text: str) -> bool:
    return bool(_CARES_FOR.search(text or "")) and not asks_for_a_thing_for_themselves(text)


# Something for the carer's own time: "for me", "me time", "just for me", "for myself".
_FOR_THEMSELVES = re.compile(r"\b(for me|for myself|me time|time for me|time to myself|something of my own)\b", re.IGNORECASE)
# What the word map reads in a carer's text that is not a thing to do: caring, company, how someone is.
_NOT_A_THING_TO_DO = CONDITIONS | {"carers", "social", "wellbeing", "learning", "volunteering", "faith", "safety", "care_work"}


def _things_to_do_named(text: str) -> set[str]:
    """What the word map reads in the text that is a thing to do (not caring, company or how someone is)."""
    return concepts_in(text or "") - _NOT_A_THING_TO_DO


def asks_for_a_thing_for_themselves(text: str) -> bool:
    """A carer asks for something to do, named, for their own time ("something creative for me ... mosaic or glass?")."""
    return bool(_FOR_THEMSELVES.search(text or "")) and bool(_things_to_do_named(text))


def names_only_company_or_grief(text: str) -> bool:
    """A lonely or bereaved writer's text names nothing to do beyond company or a bereavement group (need_company and
    need_bereaved stand)."""
    return not _things_to_do_named(text) - {"bereavement", "coffee", "lunch"}


_ALONE = re.compile(r"\b(lonely|loneliness|alone|on my own|on me own|by myself|isolated|no one|nobody|noone|no friends|company|"
                    r"with others|other people|meet people|new friends|make friends|a chat|natter|talk to)\b", re.IGNORECASE)


def speaks_of_company(text: str) -> bool:
    """The text speaks of being alone or of company, or names nothing else to do (need_company stands)."""
    return bool(_ALONE.search(text or "")) or names_only_company_or_grief(text)


def asks_who_answers(text: str) -> bool:
    return bool(_WHO_ANSWERS.search((text or "").replace("'", "")))


def offers_help(text: str) -> bool:
    return bool(_OFFERS_HELP.search((text or "").replace("'", "")))


def says_they_are_new_there(text: str) -> bool:
    return bool(_NEW_THERE.search((text or "").replace("'", "")))


# intent: what the text must say for it to stand
_GATES = {REPORT: is_a_worry, CARER: says_they_care_for_someone, BOT_CHALLENGE: asks_who_answers,
          NEW_HERE: says_they_are_new_there, VOLUNTEER: offers_help, BEREAVED: names_only_company_or_grief,
          COMPANY: speaks_of_company}


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class IntentGates(GraphComponent):
    @classmethod
    def create(cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> IntentGates:
        return cls()

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            text = str(message.get(TEXT) or "")
            ranking = list(message.get(INTENT_RANKING_KEY) or [])
            name = (message.get(INTENT) or {}).get(INTENT_NAME_KEY)
            while (stands := _GATES.get(str(name))) is not None and not stands(text):
                rest = [r for r in ranking if r.get(INTENT_NAME_KEY) != name]
                if not rest:
                    break  # nothing else ranked: nothing to fall back to
                ranking, name = rest, rest[0].get(INTENT_NAME_KEY)
                message.set(INTENT, rest[0], add_to_output=True)
                message.set(INTENT_RANKING_KEY, rest, add_to_output=True)
        return messages
