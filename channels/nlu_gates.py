"""An NLU step after the intent classifier: an intent that starts a flow of its own stands only when
the text says what the intent means; otherwise the next intent in the ranking is taken.

`report_concern` only for a worry about someone.

The classifier learned that a message about someone else is usually a worry, so "my dad needs
something to do with his hands, we live in moreton" or "any memory cafe for my husband" started the
neighbour's report ("Who are you worried about?"). The safety screen (casework.safety, pure rules,
tuned and held out on more than a thousand texts) reads worries better. Here a predicted
`report_concern` stands only when the screen reads the text as a worry about someone else, or the
text says so itself (report, worried, check on, not seen...); otherwise the next intent in the
ranking is taken. The intake's own `/report_concern` payload never reaches this step (Rasa reads a
"/intent" message without the pipeline).

`need_carer` ("Caring is a lot to carry...") only when the text says the writer cares for someone:
character n-grams make "anywhere to play cards" look like "carers" to the classifier, and a resident
who asked for a game of cards was told about carers' groups.
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

from casework.safety.rules_layer import is_about_someone_else, screen

__all__ = ["IntentGates", "is_a_worry", "says_they_care_for_someone"]

REPORT = "report_concern"
CARER = "need_carer"
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


def is_a_worry(text: str) -> bool:
    screening = screen(text)
    return screening.tier == "report" or (screening.flagged and is_about_someone_else(text)) or bool(_SAYS_SO.search(text or ""))


def says_they_care_for_someone(text: str) -> bool:
    return bool(_CARES_FOR.search(text or ""))


# intent: what the text must say for it to stand
_GATES = {REPORT: is_a_worry, CARER: says_they_care_for_someone}


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class IntentGates(GraphComponent):
    @classmethod
    def create(cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> IntentGates:
        return cls()

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            name = (message.get(INTENT) or {}).get(INTENT_NAME_KEY)
            stands = _GATES.get(str(name))
            if stands is None or stands(str(message.get(TEXT) or "")):
                continue
            ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get(INTENT_NAME_KEY) != name]
            if ranking:
                message.set(INTENT, ranking[0], add_to_output=True)
                message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
        return messages
