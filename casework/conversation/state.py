"""What an SMS resident's next short reply refers to: the numbered choices and the parts after MORE.

Plain values in and out; the rows never leave this module.
"""
from __future__ import annotations

import json

from sqlalchemy.orm import Session

from casework.models import SmsConversationState, utcnow

__all__ = ["remember_reply", "take_more", "choices_for"]


def remember_reply(session: Session, sender_id: str, *, choices: dict[str, str], more: list[str]) -> None:
    """Keep what the reply just sent offers: "1", "2"... and the rest of a long reply.

    Written only when that changed: most replies offer what the last one did (often nothing), and a
    row not written since the retention cutoff only ever holds choices too old to honour anyway."""
    choices_json = json.dumps(choices) if choices else None
    more_json = json.dumps(more) if more else None
    state = session.get(SmsConversationState, sender_id)
    if state is None:
        if choices_json is None and more_json is None:
            return
        state = SmsConversationState(sender_id=sender_id)
        session.add(state)
    elif (state.choices_json, state.more_json) == (choices_json, more_json):
        return
    state.choices_json, state.more_json, state.updated_at = choices_json, more_json, utcnow()


def take_more(session: Session, sender_id: str) -> str | None:
    """The next part of the last long reply, or None when nothing is waiting."""
    state = session.get(SmsConversationState, sender_id)
    if state is None or not state.more_json:
        return None
    parts = json.loads(state.more_json)
    state.more_json = json.dumps(parts[1:]) if len(parts) > 1 else None
    return str(parts[0])


def choices_for(session: Session, sender_id: str) -> dict[str, str]:
    state = session.get(SmsConversationState, sender_id)
    return json.loads(state.choices_json) if state is not None and state.choices_json else {}
