"""The slot, entity and intent names the actions share (actions/slots.py) are the domain's own
(bot/domain/*.yml): a name misspelt on either side would leave a slot never set or never read,
silently."""
from __future__ import annotations

from functools import cache
from typing import Any

import yaml

from actions import slots
from service.settings import ROOT


@cache
def domain() -> dict[str, Any]:
    """bot/domain's files merged, as Rasa merges a domain folder (slots, entities, intents, forms)."""
    merged: dict[str, Any] = {"slots": {}, "entities": [], "intents": [], "forms": {}}
    for path in sorted((ROOT / "bot" / "domain").glob("*.yml")):
        part = yaml.safe_load(path.read_text()) or {}
        merged["slots"].update(part.get("slots") or {})
        merged["forms"].update(part.get("forms") or {})
        merged["entities"] += [e if isinstance(e, str) else next(iter(e)) for e in part.get("entities") or []]
        merged["intents"] += [i if isinstance(i, str) else next(iter(i)) for i in part.get("intents") or []]
    return merged


def test_every_slot_name_is_a_slot_of_the_domain() -> None:
    names = [slots.INTEREST, slots.PLACE, slots.SEARCH_STATE, slots.REMEMBERED_INTEREST, slots.REMEMBERED_PLACE, slots.RETURNING,
             *slots.REPORT_SLOTS, *slots.VOLUNTEER_SLOTS]
    assert [name for name in names if name not in domain()["slots"]] == []


def test_the_entity_names_are_the_domains_entities() -> None:
    entities = domain()["entities"]
    assert [name for name in (slots.INTEREST, slots.PLACE, slots.DAY, slots.TIME_OF_DAY, slots.FILTER, slots.NUMBER)
            if name not in entities] == []


def test_the_forms_ask_in_the_order_the_actions_list_them() -> None:
    forms = domain()["forms"]
    assert tuple(forms["report_form"]["required_slots"]) == slots.REPORT_SLOTS
    assert tuple(forms["volunteer_form"]["required_slots"]) == slots.VOLUNTEER_SLOTS
    assert forms["activity_search_form"]["required_slots"] == [slots.INTEREST, slots.PLACE]
    assert slots.REQUESTED_SLOT == "requested_slot"  # Rasa's own name for the slot a form is asking


def test_each_need_is_an_intent_that_fills_the_interest() -> None:
    found = domain()
    assert slots.NEED_INTENTS <= set(found["intents"])
    mapped = {m["intent"] for m in found["slots"][slots.INTEREST]["mappings"] if m.get("type") == "from_intent"}
    assert mapped == slots.NEED_INTENTS, "a need fills the interest from the domain (actions keep it, never ask)"
