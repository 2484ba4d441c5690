"""The action-result validation fix behaves exactly like Rasa's own check, without re-checking the schema."""
from __future__ import annotations

from unittest import mock

import pytest
from jsonschema import Draft202012Validator, ValidationError
from rasa.core.actions.action import RemoteAction
from rasa.utils.endpoints import EndpointConfig

from channels import rasa_fixes
from service import log_privacy

GOOD = {"events": [{"event": "slot", "name": "interest", "value": None}], "responses": [{"response": "utter_search_again"}]}
BAD = {"events": [{"name": "interest"}], "responses": []}


@pytest.fixture(autouse=True)
def _privacy_filter_removed_afterwards():
    # apply() installs service.log_privacy for the process; keep other tests' log captures raw.
    yield
    log_privacy.uninstall()


def test_apply_installs_the_log_privacy_filter_on_the_root_handlers() -> None:
    import logging

    handler = logging.NullHandler()
    logging.getLogger().addHandler(handler)
    try:
        rasa_fixes.apply()
        assert any(isinstance(f, log_privacy.PrivacyFilter) for f in handler.filters)
    finally:
        logging.getLogger().removeHandler(handler)


def test_the_tracker_store_engine_hides_statement_parameters(tmp_path) -> None:
    from rasa.core.tracker_store import SQLTrackerStore

    rasa_fixes.apply()
    store = SQLTrackerStore(dialect="sqlite", db=str(tmp_path / "tracker.db"))
    assert store.engine.hide_parameters is True


@pytest.fixture
def action() -> RemoteAction:
    rasa_fixes.apply()
    return RemoteAction("action_search_activities", EndpointConfig("http://127.0.0.1:9/webhook"))


def test_a_valid_reply_passes_and_the_schema_is_not_checked_again(action: RemoteAction) -> None:
    assert action._validate_action_result(GOOD)
    with mock.patch.object(Draft202012Validator, "check_schema", side_effect=AssertionError("checked again")):
        for _ in range(3):
            assert action._validate_action_result(GOOD)


def test_an_invalid_reply_is_refused_with_rasas_message(action: RemoteAction) -> None:
    with pytest.raises(ValidationError) as refused:
        action._validate_action_result(BAD)
    assert "'event' is a required property" in refused.value.message
    assert "Failed to validate Action server response" in refused.value.message


def test_event_types_resolve_as_rasa_resolves_them() -> None:
    from rasa.shared.core.events import ActionExecuted, Event, SlotSet, UserUttered
    from rasa.shared.utils.common import all_subclasses

    expected = {}
    for cls in all_subclasses(Event):
        expected.setdefault(cls.type_name, cls)
    rasa_fixes.apply()
    for type_name, cls in expected.items():
        assert Event.resolve_by_type(type_name) is cls
    assert Event.resolve_by_type("topic") is None
    assert Event.resolve_by_type("nonsense", default=SlotSet) is SlotSet
    with pytest.raises(ValueError, match="Unknown event name"):
        Event.resolve_by_type("nonsense")
    events = [UserUttered("hello", {"name": "greet"}).as_dict(), ActionExecuted("utter_greet").as_dict(), SlotSet("place", "Wallasey").as_dict()]
    assert [type(Event.from_parameters(e)) for e in events] == [UserUttered, ActionExecuted, SlotSet]
