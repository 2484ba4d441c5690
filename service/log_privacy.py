"""Keep residents' words and numbers out of the logs, Rasa's own lines included.

Our code logs only message ids, lengths and masked numbers. Rasa and rasa-sdk do not: when a custom
action fails, the action server answers 500 with the request it got (rasa-sdk's exception handler
puts the whole tracker, every text of the conversation, in `request_body`), Rasa wraps that answer in
`ClientResponseError("500, Internal Server Error, body='...'")` and `MessageProcessor._run_action`
logs it with `logger.exception(...)` at ERROR (rasa 3.6.21 rasa/core/processor.py; the 400 path of
rasa/core/actions/action.py logs the rejection's message). Rasa's structlog lines carry `text=`,
`user_text=` and the like (rasa/utils/log_utils.py lists them for its paid anonymiser), and a failed
SQL statement carries its parameters (message bodies) unless the engine hides them.

`PrivacyFilter` rewrites every record at INFO and above before any handler formats it:
- the body of an action server answer (`body='...'`) and SQL `[parameters: ...]` are withheld;
- on any line holding a tracker or events dump or a `text`-like field (JSON, a Python dict repr or
  structlog's key=value), the dump is withheld from its opening bracket on; a structlog JSON line
  keeps its keys with those values withheld;
- anything shaped like a phone number (10 to 14 digits) is masked to its last three digits;
- the same goes for the traceback (`exc_text`), which is where the action server's answer is.
DEBUG records are left alone: `--debug` is for a developer's machine.

`install()` puts one filter on the root logger's handlers and on every other handler already
configured, and also cleans records as they are made (logging's record factory), which covers
handlers added later (Sanic adds its own when the server starts). Call it after logging is set up.
"""
from __future__ import annotations

import json
import logging
import re
import traceback
from typing import Any

__all__ = ["PrivacyFilter", "redact", "install", "uninstall", "traceback_without_messages", "mask", "WITHHELD"]

WITHHELD = "[withheld: may hold what a resident wrote]"

# Keys whose values are a resident's words or a conversation (Rasa's anonymisable keys and ours).
SENSITIVE_KEYS = frozenset({
    "text", "response_text", "user_text", "slot_values", "parse_data_text", "parse_data_entities",
    "prediction_events", "tracker_latest_message", "prefilled_slots", "message", "response",
    "slot_candidates", "rasa_event", "rasa_events", "tracker_states", "current_states", "old_states",
    "states", "entity", "current_entity", "next_entity", "token_text", "user_message", "json_message",
    "tracker", "events", "latest_message", "slots", "request_body", "body", "metadata", "parse_data",
    "entities", "value", "data", "sender", "from", "to",
})
# Rasa call sites that log a text the action server chose, whole: rasa/core/actions/action.py
# RemoteAction.run logs an ActionExecutionRejection's message, which is the `error` of the action
# server's 400 answer (free text, e.g. a validation message quoting the resident). Its other ERROR
# line there ("Failed to run custom action ... Couldn't connect ...") is kept.
_FOREIGN_TEXT = {("rasa.core.actions.action", "run"): "Failed to run custom action "}
_FOREIGN_REPLACEMENT = "a custom action was rejected by the action server (its reason is withheld: it may quote a resident)"

# A quoted sensitive key followed by a colon: the start of a JSON object or dict repr we must not print.
_KEYS = "|".join(sorted(map(re.escape, SENSITIVE_KEYS)))
_DUMP_KEY = re.compile(r"""(["'])(""" + _KEYS + r""")\1\s*:""")
# structlog's console renderer: key=value, the value quoted or up to the next space.
_KEY_VALUE = re.compile(r"""\b(""" + _KEYS + r""")=(?!\[withheld)('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|\S+)""")
# rasa.utils.endpoints.ClientResponseError: "<status>, <reason>, body='<the answer>'" to the end of the line.
_RESPONSE_BODY = re.compile(r"body=(?:b?'|\")[^\n]*")
# SQLAlchemy's "[parameters: ...]" up to "(Background on this error" or the end.
_SQL_PARAMETERS = re.compile(r"\[parameters: .*?\](?=\s*(?:\(Background|$))", re.DOTALL)
# 10 to 14 digits, optionally +/00 and separators; not part of a longer word, id, decimal or uuid.
_NOT_DIGITS = re.compile(r"[^\d+]")
_PHONE = re.compile(r"(?<![\w.+-])(?:\+|00)?\d(?:[ ()-]?\d){9,13}(?![\w.])")


def mask(number: str) -> str:
    """What a log line may show of a number: its last three digits."""
    digits = _NOT_DIGITS.sub("", number or "")
    return "***" + digits[-3:] if len(digits) >= 3 else "***"


def _scrub_json(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: (WITHHELD if k in SENSITIVE_KEYS and k != "event" else _scrub_json(v)) for k, v in value.items()}
    if isinstance(value, list):
        return [_scrub_json(v) for v in value]
    if isinstance(value, str):
        return _mask_numbers(value)
    return value


def _mask_numbers(text: str) -> str:
    return _PHONE.sub(lambda m: mask(m.group()), text)


def _redact_line(line: str) -> str:
    stripped = line.strip()
    if stripped.startswith("{") and stripped.endswith("}"):
        try:
            parsed = json.loads(stripped)
        except ValueError:
            parsed = None
        if isinstance(parsed, dict):  # a structlog JSON line: keep its shape, withhold the values
            return line[: len(line) - len(line.lstrip())] + json.dumps(_scrub_json(parsed), ensure_ascii=False)
    line = _RESPONSE_BODY.sub("body=" + WITHHELD, line)
    found = _DUMP_KEY.search(line)
    if found:
        start = max(line.rfind("{", 0, found.start()), line.rfind("[", 0, found.start()))
        line = line[: start if start >= 0 else found.start()] + WITHHELD
    line = _KEY_VALUE.sub(lambda m: m.group(1) + "=" + WITHHELD, line)
    return _mask_numbers(line)


def redact(text: str) -> str:
    """The text with conversation dumps, answer bodies, SQL parameters and phone numbers withheld."""
    if not text:
        return text
    text = _SQL_PARAMETERS.sub("[parameters withheld]", text)
    return "\n".join(_redact_line(line) for line in text.split("\n"))


def _clean(record: logging.LogRecord) -> logging.LogRecord:
    if getattr(record, "_privacy_checked", False) or record.levelno < logging.INFO:
        return record
    try:
        message = record.getMessage()
    except Exception:  # a broken format string: let logging report it as usual
        return record
    kept_prefix = _FOREIGN_TEXT.get((record.name, record.funcName))
    if kept_prefix is not None and not message.startswith(kept_prefix):
        message = _FOREIGN_REPLACEMENT
    record.msg, record.args = redact(message), None
    if record.exc_info and not record.exc_text:
        record.exc_text = "".join(traceback.format_exception(*record.exc_info)).rstrip("\n")
    if record.exc_text:
        record.exc_text = redact(record.exc_text)
        # Formatters use exc_text as it is; with exc_info gone no handler can format the raw one again.
        record.exc_info = None
    record._privacy_checked = True
    return record


def traceback_without_messages(error: BaseException) -> str:
    """Where an exception came from (frames and exception types, causes included), without its message.

    For exceptions raised inside custom actions, whose messages may quote anything they handled.
    """
    parts: list[str] = []
    current: BaseException | None = error
    while current is not None:
        frames = "".join(traceback.format_list(traceback.extract_tb(current.__traceback__)))
        parts.append(f"Traceback (most recent call last):\n{frames}{type(current).__module__}.{type(current).__qualname__}"
                     " (message withheld)")
        current = current.__cause__ or (None if current.__suppress_context__ else current.__context__)
    return "\n\nwhile handling the above, or caused by it:\n\n".join(reversed(parts))


class PrivacyFilter(logging.Filter):
    """Rewrites records at INFO and above (see the module docstring); never drops one."""

    def filter(self, record: logging.LogRecord) -> bool:
        _clean(record)
        return True


_FILTER = PrivacyFilter()
_previous_factory: Any = None


def _all_handlers() -> list[logging.Handler]:
    loggers = [logging.getLogger()] + [
        candidate for candidate in logging.Logger.manager.loggerDict.values() if isinstance(candidate, logging.Logger)
    ]
    return [handler for candidate in loggers for handler in candidate.handlers]


def install() -> PrivacyFilter:
    """Filter every configured handler and every record made from now on; idempotent."""
    global _previous_factory
    for handler in _all_handlers():
        if _FILTER not in handler.filters:
            handler.addFilter(_FILTER)
    if _previous_factory is None:
        previous = _previous_factory = logging.getLogRecordFactory()

        def make_record(*args: Any, **kwargs: Any) -> logging.LogRecord:
            return _clean(previous(*args, **kwargs))

        logging.setLogRecordFactory(make_record)
    return _FILTER


def uninstall() -> None:
    """Undo `install` (tests; a process that installed it keeps it for its life)."""
    global _previous_factory
    for handler in _all_handlers():
        handler.removeFilter(_FILTER)
    if _previous_factory is not None:
        logging.setLogRecordFactory(_previous_factory)
        _previous_factory = None
