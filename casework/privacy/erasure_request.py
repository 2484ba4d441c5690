"""A resident asks to be forgotten: "FORGET ME" or "DELETE MY DATA", by text or in the web chat.

    FORGET ME  -> utter_erasure_confirm ("Reply DELETE to delete ..."; web chat: "Type YES")  flag erasure_asked
    DELETE/YES -> utter_erasure_done (or ..._case_kept, naming the cases kept)   flag erasure_confirmed
    NO         -> utter_erasure_cancelled
    anything else: the question is dropped and the message is handled as usual

Runs inside the intake's transaction, before the opt-out words, so someone who texted STOP can still
have their data deleted. The reply goes at once; the erasure itself (jobs.erasure: every store,
Rasa's included) is carried out by the worker, which picks up the open `erasure_confirmed` flag within
a second (`confirmed_erasures`). The flag holds the request's reference, the only thing the resident
is given: the Erasure record keeps it, with no personal data beside it.

Pending state lives in the flag table, like the safety screen's question (casework.cases.triage).
"""
from __future__ import annotations

import re
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session

from casework.models import Flag, utcnow
from casework.privacy.retention import cases_kept_on_erasure, retention_policy
from casework.residents.flags import raise_flag
from service.settings import Settings

__all__ = [
    "ERASURE_ASKED",
    "ERASURE_CONFIRMED",
    "CONFIRMATION_VALID_FOR",
    "ErasureStep",
    "ConfirmedErasure",
    "asks_to_be_forgotten",
    "erasure_step",
    "confirmed_erasures",
    "new_erasure_reference",
]

ERASURE_ASKED = "erasure_asked"  # we asked "Reply DELETE to delete" (SMS: a bare YES is Twilio's opt-in word)
ERASURE_CONFIRMED = "erasure_confirmed"  # they said yes: the worker erases them
# Long enough to read the question and answer it; a YES the next day is not an answer to it.
CONFIRMATION_VALID_FOR = timedelta(hours=1)

_REQUEST = re.compile(
    r"^\W*(please\W+)?(forget\W*me|delete\W+(all\W+)?my\W+(data|details|info|information|messages)|erase\W+(me|my\W+data))"
    r"(\W+please)?\W*$",
    re.IGNORECASE,
)
_YES = frozenset({"YES", "Y", "YES PLEASE", "YES DELETE", "YES DELETE IT", "DELETE", "DELETE IT"})
# Not CANCEL or STOP: those are opt-out words with a meaning of their own.
_NO = frozenset({"NO", "N", "NO THANKS", "NO THANK YOU", "KEEP", "KEEP IT"})
_REFERENCE_LETTERS = "ACDEFGHJKLMNPQRTUVWXY34679"  # no look-alikes (0/O, 1/I, 5/S, 8/B, 2/Z)


@dataclass(frozen=True)
class ErasureStep:
    """What to answer: a response of the domain (bot/domain/responses_privacy.yml) and its values."""

    response: str
    values: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class ConfirmedErasure:
    sender_id: str
    reference: str
    confirmed_at: datetime


def asks_to_be_forgotten(text: str) -> bool:
    return bool(_REQUEST.match(text or ""))


def _answer(text: str) -> str | None:
    words = " ".join(re.sub(r"[^A-Za-z]+", " ", text or "").upper().split())
    return "yes" if words in _YES else "no" if words in _NO else None


def new_erasure_reference() -> str:
    return "ER-" + "".join(secrets.choice(_REFERENCE_LETTERS) for _ in range(6))


def _close(session: Session, sender_id: str, reason: str, state: str) -> None:
    session.execute(
        update(Flag).where(Flag.sender_id == sender_id, Flag.reason == reason, Flag.state == "open")
        .values(state=state).execution_options(synchronize_session=False)
    )


# Asked of every message the intake takes, so built once.
_PENDING = select(Flag.id).where(Flag.sender_id == bindparam("sender_id"), Flag.reason == ERASURE_ASKED, Flag.state == "open",
                                 Flag.raised_at >= bindparam("since")).limit(1)


def _pending(session: Session, sender_id: str, now: datetime) -> bool:
    return session.execute(_PENDING, {"sender_id": sender_id, "since": now - CONFIRMATION_VALID_FOR}).first() is not None


def erasure_step(session: Session, *, sender_id: str, message_id: str, text: str, settings: Settings,
                 now: datetime | None = None, asked: bool = True) -> ErasureStep | None:
    """The answer when this message asks to be forgotten or answers our question; None otherwise.
    `asked` False: the caller read that no question of ours is open (casework.conversation.questions,
    which names an open ERASURE_ASKED flag of any age), so there is nothing to look up."""
    now = now or utcnow()
    if asks_to_be_forgotten(text):
        _close(session, sender_id, ERASURE_ASKED, "replaced")  # asked again: the question starts afresh
        raise_flag(session, sender_id=sender_id, reason=ERASURE_ASKED, source="erasure_request", message_id=message_id)
        return ErasureStep("utter_erasure_confirm")
    if not asked or not _pending(session, sender_id, now):
        return None
    answer = _answer(text)
    _close(session, sender_id, ERASURE_ASKED, "answered")
    if answer == "no":
        return ErasureStep("utter_erasure_cancelled")
    if answer != "yes":
        return None  # they moved on: the message is handled as usual
    reference = new_erasure_reference()
    # Not raise_flag: that would reuse an open confirmation, and this one carries its own reference.
    session.add(Flag(sender_id=sender_id, reason=ERASURE_CONFIRMED, source="erasure_request", message_id=reference,
                     raised_at=now, state="open"))
    session.flush()
    kept = cases_kept_on_erasure(session, [sender_id], policy=retention_policy(settings), now=now)
    if kept:
        return ErasureStep("utter_erasure_done_case_kept", {"reference": reference, "cases": ", ".join(kept)})
    return ErasureStep("utter_erasure_done", {"reference": reference})


def confirmed_erasures(session: Session) -> list[ConfirmedErasure]:
    """Requests confirmed and not yet carried out, oldest first (the worker's queue)."""
    rows = session.execute(
        select(Flag.sender_id, Flag.message_id, Flag.raised_at)
        .where(Flag.reason == ERASURE_CONFIRMED, Flag.state == "open").order_by(Flag.raised_at, Flag.id)
    ).all()
    return [ConfirmedErasure(r.sender_id, r.message_id or new_erasure_reference(), r.raised_at) for r in rows]
