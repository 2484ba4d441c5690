"""How long personal data is kept, and the purge of what casework holds past it.

Periods (environment, or `Settings.extra`, which overrides it; `.env.example` lists them):
- RETENTION_CONVERSATION_DAYS (365): a resident, their conversation (Rasa's tracker store too) and
  their flags, counted from their last contact. Someone with an open case is kept while it is open.
- RETENTION_CLOSED_CASE_DAYS (730): a case, from when it was closed.
- RETENTION_INBOUND_DAYS (30): the inbound message log once a message is answered, the outbox once a
  message is finished (sent, failed...), and the SMS "1, 2, MORE" state. They exist to answer each
  message once and to show what was sent; after a month they only hold copies of replies. Texts relayed
  between a befriending match are messages too: their words (sealed in the outbox) and the record of
  each go after the same period.
- A group being proposed by text (casework.proposed_groups.by_text): its answers so far, a day after its
  last question (DRAFT_VALID_FOR), when it can no longer be continued.

Safeguarding: when a resident is erased (at their request, or here when their period runs out), a
case opened to protect them (lawful basis vital_interests or public_task) is kept, minimised, while it
is open and for RETENTION_CLOSED_CASE_DAYS after it closes (`RetentionPolicy.keeps`); other cases go.

The resident and tracker parts of the purge go through the erasure code (jobs.retention), which
reaches every store; this module does what lives in the application database alone.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import Table, and_, delete, func, select, update
from sqlalchemy.orm import Session

from casework.befriending.tables import BefriendingRequest, BefriendingText
from casework.cases.models import Case
from casework.conversation.inbound import UNANSWERED
from casework.models import Flag, InboundMessage, Resident, SmsConversationState, as_utc
from casework.outbox.messages import OutboxMessage
from casework.privacy.provider_copies import ProviderCopy, queue_deletions
from casework.privacy.removal import delete_cases
from casework.proposed_groups.models import DRAFT_VALID_FOR, GroupDraft
from casework.residents.memory import forget_unanswered_offers
from casework.residents.memory_models import ResidentMemory
from service.settings import Settings, SettingsError

__all__ = ["DEFAULT_DAYS", "SAFEGUARDING_BASES", "FINISHED_OUTBOX_STATES", "RetentionPolicy", "retention_policy",
           "cases_kept_on_erasure", "CaseworkPurge", "purge_casework", "residents_past_retention", "protected_senders"]

DEFAULT_DAYS = {"RETENTION_CONVERSATION_DAYS": 365, "RETENTION_CLOSED_CASE_DAYS": 730, "RETENTION_INBOUND_DAYS": 30}
SAFEGUARDING_BASES = ("vital_interests", "public_task")
FINISHED_OUTBOX_STATES = ("sent", "delivered", "undelivered", "failed", "expired", "blocked_opted_out")


@dataclass(frozen=True)
class RetentionPolicy:
    conversation: timedelta
    closed_case: timedelta
    inbound: timedelta

    def keeps(self, *, state: str, lawful_basis: str, closed_at: datetime | None, now: datetime) -> bool:
        """Whether a case survives its resident's erasure (kept, minimised) rather than going with them."""
        if lawful_basis not in SAFEGUARDING_BASES:
            return False
        if state != "closed":
            return True
        closed = as_utc(closed_at)
        return closed is not None and closed > now - self.closed_case


def _days(settings: Settings, name: str) -> timedelta:
    raw = settings.value(name, str(DEFAULT_DAYS[name]))
    try:
        days = float(raw)
    except ValueError:
        raise SettingsError(f"{name} must be a number of days, got {raw!r}") from None
    if days <= 0:
        raise SettingsError(f"{name} must be more than 0")
    return timedelta(days=days)


def retention_policy(settings: Settings) -> RetentionPolicy:
    return RetentionPolicy(
        conversation=_days(settings, "RETENTION_CONVERSATION_DAYS"),
        closed_case=_days(settings, "RETENTION_CLOSED_CASE_DAYS"),
        inbound=_days(settings, "RETENTION_INBOUND_DAYS"),
    )


def cases_kept_on_erasure(session: Session, sender_ids: Sequence[str], *, policy: RetentionPolicy, now: datetime) -> list[str]:
    """References of the resident's cases an erasure would keep (minimised): what they are told."""
    rows = session.execute(
        select(Case.reference, Case.state, Case.lawful_basis, Case.closed_at).where(Case.sender_id.in_(list(sender_ids))).order_by(Case.created_at)
    ).all()
    return [r.reference for r in rows if policy.keeps(state=r.state, lawful_basis=r.lawful_basis, closed_at=r.closed_at, now=now)]


@dataclass
class CaseworkPurge:
    rows: Counter[str] = field(default_factory=Counter)
    outbox_ids: set[int] = field(default_factory=set)  # their lines in the dry-run outbox file go too
    provider_copies: int = 0  # Twilio's copies of the purged messages, queued for deletion


def _delete(session: Session, table: Table, condition: object, purge: CaseworkPurge) -> None:
    deleted = session.execute(delete(table).where(condition).execution_options(synchronize_session=False)).rowcount
    if deleted:
        purge.rows[table.name] += deleted


def purge_casework(session: Session, *, policy: RetentionPolicy, now: datetime, settings: Settings | None = None) -> CaseworkPurge:
    """Delete, in the caller's transaction, what the application database holds past its period
    (residents themselves are erased through jobs.erasure, which reaches Rasa's store too). With
    `settings`, Twilio's copies of the messages purged here are queued for deletion too."""
    purge = CaseworkPurge()
    inbound_cutoff, conversation_cutoff = now - policy.inbound, now - policy.conversation
    inbound: Table = InboundMessage.__table__  # type: ignore[assignment]
    old_inbound = and_(inbound.c.state.notin_(UNANSWERED), func.coalesce(inbound.c.answered_at, inbound.c.received_at) < inbound_cutoff)
    outbox: Table = OutboxMessage.__table__  # type: ignore[assignment]
    finished = and_(outbox.c.state.in_(FINISHED_OUTBOX_STATES), outbox.c.created_at < inbound_cutoff)
    if settings is not None:
        # Each text a resident sent, the reply sent to it as TwiML, and what the outbox sent.
        texts = session.execute(select(inbound.c.message_id, inbound.c.reply_sid).where(old_inbound, inbound.c.channel == "sms")).all()
        sids = [*(sid for row in texts for sid in row),
                *session.execute(select(outbox.c.provider_sid).where(finished, outbox.c.provider_sid.isnot(None))).scalars()]
        purge.provider_copies = queue_deletions(session, sids, reason="retention", settings=settings, now=now)
    _delete(session, inbound, old_inbound, purge)
    copies: Table = ProviderCopy.__table__  # type: ignore[assignment]
    _delete(session, copies, and_(copies.c.state != "pending", copies.c.done_at < inbound_cutoff), purge)
    purge.outbox_ids |= set(session.execute(select(outbox.c.id).where(finished)).scalars())
    _delete(session, outbox, finished, purge)
    relayed: Table = BefriendingText.__table__  # type: ignore[assignment]
    _delete(session, relayed, relayed.c.created_at < inbound_cutoff, purge)
    state: Table = SmsConversationState.__table__  # type: ignore[assignment]
    _delete(session, state, state.c.updated_at < inbound_cutoff, purge)
    flags: Table = Flag.__table__  # type: ignore[assignment]
    _delete(session, flags, flags.c.raised_at < conversation_cutoff, purge)
    # A group being proposed by text that nobody came back to: its answers go once it can no longer be continued.
    drafts: Table = GroupDraft.__table__  # type: ignore[assignment]
    _delete(session, drafts, drafts.c.asked_at < now - DRAFT_VALID_FOR, purge)
    # "Shall I remember...?" left unanswered: what it was about goes once it can no longer be answered.
    unanswered = forget_unanswered_offers(session, now=now)
    if unanswered:
        purge.rows[ResidentMemory.__tablename__] += unanswered
    closed = list(session.execute(
        select(Case.id).where(Case.state == "closed", Case.closed_at < now - policy.closed_case)).scalars())
    # A befriending request outlives the case that opened it (a match may be going well): it goes with the resident.
    session.execute(update(BefriendingRequest).where(BefriendingRequest.case_id.in_(closed)).values(case_id=None)
                    .execution_options(synchronize_session=False))
    counts, outbox_ids = delete_cases(session.connection(), closed)
    purge.rows += counts
    purge.outbox_ids |= outbox_ids
    return purge


def protected_senders(session: Session) -> set[str]:
    """Residents with an open case: kept whatever their last contact, while a connector works with them."""
    return set(session.execute(select(Case.sender_id).where(Case.state != "closed", Case.sender_id.isnot(None))).scalars())


def residents_past_retention(session: Session, *, policy: RetentionPolicy, now: datetime) -> list[str]:
    """Sender ids of residents whose last contact is older than the conversation period."""
    cutoff = now - policy.conversation
    found = session.execute(select(Resident.sender_id).where(Resident.last_contact_at < cutoff)).scalars()
    protected = protected_senders(session)
    return sorted(s for s in found if s not in protected)
