"""Targeted fixes to Rasa 3.6.21 (the last open-source release, pinned in requirements.lock).

Applied by the channels when `rasa run` builds them (`from_credentials`); applying twice is harmless. The
conversation tests' in-process agent takes the same fixes to Rasa's classes (`patch_rasa`), so it runs turns as the
service does.

1. Action-result validation. RemoteAction checks every action server reply with
   `jsonschema.validate(result, schema)`, which first checks the schema itself against the 2020-12
   metaschema, on every call. Profiling `rasa run` under SMS load (py-spy, 8 concurrent residents)
   put about a quarter of the server's samples there. The schema is a constant, so we build its
   validator once; the reply is still validated on every call, with Rasa's own error message.
2. Event type lookup. Every event read from the tracker store is matched to its class by walking all
   Event subclasses (with `inspect.isabstract` on each), so a turn's cost grew with the length of
   the conversation: 16% of the server's samples late in a 200-message conversation. We keep a
   name-to-class table, rebuilt when a name is missing (a subclass imported later), same first
   match and same fallbacks as Rasa.
3. Privacy of the logs. A failed custom action makes Rasa log the action server's answer, which
   holds the whole tracker (every text of the conversation) at ERROR; service.log_privacy's filter
   withholds it, and any other text or phone number, from every line at INFO and above. The SQL
   tracker store's engine is built with `hide_parameters`, so a failed save (which the fail-safe
   store logs with the error) never carries the events it was writing.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import best_match
from rasa.core import tracker_store
from rasa.core.actions.action import RemoteAction
from rasa.shared.constants import DOCS_BASE_URL
from rasa.shared.core.events import Event
from rasa.shared.utils.common import all_subclasses

from service import log_privacy


@lru_cache(maxsize=1)
def _action_result_validator() -> Draft202012Validator:
    schema = RemoteAction.action_response_format_spec()
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def _validate_action_result(self: RemoteAction, result: dict[str, Any]) -> bool:
    error = best_match(_action_result_validator().iter_errors(result))
    if error is None:
        return True
    error.message += (
        ". Failed to validate Action server response from API, "
        "make sure your response from the Action endpoint is valid. "
        f"For more information about the format visit {DOCS_BASE_URL}/custom-actions"
    )
    raise error


_EVENT_TYPES: dict[str, type[Event]] = {}


def _resolve_event_type(type_name: str, default: type[Event] | None = None) -> type[Event] | None:
    event_class = _EVENT_TYPES.get(type_name)
    if event_class is None:
        _EVENT_TYPES.clear()
        for candidate in all_subclasses(Event):
            _EVENT_TYPES.setdefault(candidate.type_name, candidate)
        event_class = _EVENT_TYPES.get(type_name)
    if event_class is not None:
        return event_class
    if type_name == "topic":
        return None  # Rasa's backwards compatibility for old TopicSet events
    if default is not None:
        return default
    raise ValueError(f"Unknown event name '{type_name}'.")


_rasa_engine_kwargs = tracker_store.create_engine_kwargs


def _engine_kwargs_hiding_parameters(url: Any) -> dict[str, Any]:
    return {**_rasa_engine_kwargs(url), "hide_parameters": True}


def apply() -> None:
    """Everything `rasa run` needs: the privacy of the process's logs and the fixes to Rasa's own classes."""
    log_privacy.install()
    patch_rasa()


def patch_rasa() -> None:
    """Fixes 1 and 2 and the tracker store's engine, without touching the process's logging: what an agent loaded
    in another process (the conversation tests') needs to run the turns exactly as the service does."""
    tracker_store.create_engine_kwargs = _engine_kwargs_hiding_parameters  # type: ignore[assignment]
    RemoteAction._validate_action_result = _validate_action_result  # type: ignore[method-assign]
    Event.resolve_by_type = staticmethod(_resolve_event_type)  # type: ignore[method-assign,assignment]
