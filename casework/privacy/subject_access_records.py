"""What a subject access answer holds: one record for each kind of thing held about a resident, as plain values
(dataclasses), which casework.privacy.subject_access fills from the application database and jobs.subject_access writes
as JSON and HTML. Each record shows only the resident's own side (see casework.privacy.subject_access on who is left out).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from casework.befriending.held import MatchRecord, RequestRecord
from casework.privacy.consent import ConsentDecision
from casework.proposed_groups.held import GroupDraftRecord

__all__ = [
    "RELAYED_TO_THEM", "ResidentRecord", "MessageRecord", "SentRecord", "FlagRecord", "ReasonRecord", "NoteRecord", "StepRecord",
    "CaseRecord", "ReportMade", "ConcernReported", "RememberedRecord", "CheckInRecord", "LonelinessRecord", "VolunteerCheckRecord",
    "TrainingRecord", "VolunteerRecord", "GroupProposedRecord", "GroupDraftRecord", "SubjectAccess",
]


RELAYED_TO_THEM = "[a text from your befriending match, passed on to you: left out, as their words]"


@dataclass(frozen=True)
class ResidentRecord:
    channel: str
    phone: str | None  # their own number
    first_contact_at: datetime
    last_contact_at: datetime
    opted_out: bool
    opted_out_at: datetime | None
    privacy_notice_at: datetime | None


@dataclass(frozen=True)
class MessageRecord:
    received_at: datetime
    channel: str
    text: str | None  # kept only until answered; usually gone
    reply: str | None
    state: str


@dataclass(frozen=True)
class SentRecord:
    created_at: datetime
    purpose: str
    body: str
    state: str
    sent_at: datetime | None


@dataclass(frozen=True)
class FlagRecord:
    raised_at: datetime
    reason: str
    state: str


@dataclass(frozen=True)
class ReasonRecord:
    raised_at: datetime
    category: str
    words: str | None  # what they wrote that raised it


@dataclass(frozen=True)
class NoteRecord:
    at: datetime
    text: str


@dataclass(frozen=True)
class StepRecord:
    at: datetime
    action: str


@dataclass(frozen=True)
class ConcernReported:
    """Someone else raised a concern about them: that much, and no more."""

    reported_at: datetime
    urgency: str


@dataclass(frozen=True)
class CaseRecord:
    reference: str
    state: str
    priority: str
    area: str | None
    lawful_basis: str
    outcome: str | None
    opened_at: datetime
    acknowledged_at: datetime | None
    visit_planned_for: datetime | None
    visited_at: datetime | None
    closed_at: datetime | None
    contact: str | None  # how they said a connector could reach them
    reasons: list[ReasonRecord] = field(default_factory=list)
    notes: list[NoteRecord] = field(default_factory=list)
    connectors_alerted: list[StepRecord] = field(default_factory=list)
    history: list[StepRecord] = field(default_factory=list)
    concerns_reported: list[ConcernReported] = field(default_factory=list)


@dataclass(frozen=True)
class ReportMade:
    """A report they made about someone else: what concerns them only."""

    reported_at: datetime
    relationship: str
    urgency: str
    asked_to_be_told: bool


@dataclass(frozen=True)
class RememberedRecord:
    """Their last search, kept to greet them with next time (casework.residents.memory); unagreed while asked."""

    interest: str | None
    place: str | None
    offered_at: datetime
    agreed_at: datetime | None  # None: asked, not (yet) agreed
    updated_at: datetime


@dataclass(frozen=True)
class CheckInRecord:
    """A "did you go?" check-in (casework.follow_ups.check_ins): the group, when it met, and what they said."""

    activity: str
    meets_at: datetime
    state: str  # offered, agreed, declined, lapsed, asked, answered, no_reply, expired
    offered_at: datetime
    asked_at: datetime | None
    answered_at: datetime | None
    went: bool | None
    why_not: str | None
    answer: str | None  # their words
    interest: str | None
    place: str | None


@dataclass(frozen=True)
class LonelinessRecord:
    """Their answers to the loneliness questions (casework.loneliness): the scores only, 3-9, and where it stands."""

    support: str  # what started it: suggestion, befriending, case
    area: str | None
    supported_at: datetime
    state: str  # due, consent_asked, asking, done, declined, lapsed, expired
    round: str  # first | follow_up
    first_score: int | None
    first_at: datetime | None
    follow_up_score: int | None
    follow_up_at: datetime | None
    next_asked_from: datetime | None  # when the next round's question may be texted, while one is due


@dataclass(frozen=True)
class VolunteerCheckRecord:
    check: str  # references | dbs
    seen_on: date


@dataclass(frozen=True)
class TrainingRecord:
    module: str
    state: str  # asked, waiting, done, stopped
    texted_at: datetime
    done_at: datetime | None


@dataclass(frozen=True)
class VolunteerRecord:
    """Their offer to be a good neighbour (casework.good_neighbours), where it stands, their checks and training."""

    reference: str
    signed_up_at: datetime
    name: str | None
    area: str
    availability: str | None
    interests: str | None
    offers: str  # in words
    contact: str | None  # what they left in web chat
    state: str  # applied, in_training, ready, paused, left
    state_changed_at: datetime
    approved_at: datetime | None
    training_completed_at: datetime | None
    checks: list[VolunteerCheckRecord] = field(default_factory=list)
    training: list[TrainingRecord] = field(default_factory=list)


@dataclass(frozen=True)
class GroupProposedRecord:
    """A group they proposed on the website or by text (casework.proposed_groups): what they sent and what became of it."""

    reference: str
    proposed_at: datetime
    group: dict[str, Any]  # the group's details as they sent them (directory.community_groups.GroupListing)
    name: str | None
    role: str
    contact: str | None
    state: str  # proposed, changes_asked, approved, declined
    state_changed_at: datetime
    note: str | None  # what a connector asked them to change (or why it was declined)
    approved_at: datetime | None


@dataclass(frozen=True)
class SubjectAccess:
    generated_at: datetime
    residents: list[ResidentRecord]
    consent: list[ConsentDecision]
    messages: list[MessageRecord]
    sent: list[SentRecord]
    flags: list[FlagRecord]
    cases: list[CaseRecord]
    reports_made: list[ReportMade]
    remembered: list[RememberedRecord] = field(default_factory=list)
    check_ins: list[CheckInRecord] = field(default_factory=list)
    volunteering: list[VolunteerRecord] = field(default_factory=list)
    groups_proposed: list[GroupProposedRecord] = field(default_factory=list)
    groups_being_proposed: list[GroupDraftRecord] = field(default_factory=list)  # by text, not sent yet
    befriending_requests: list[RequestRecord] = field(default_factory=list)
    befriending_matches: list[MatchRecord] = field(default_factory=list)
    loneliness: list[LonelinessRecord] = field(default_factory=list)

    @property
    def found(self) -> bool:
        return bool(self.residents or self.messages or self.sent or self.cases or self.reports_made or self.remembered or self.check_ins
                    or self.volunteering or self.groups_proposed or self.groups_being_proposed or self.befriending_requests
                    or self.befriending_matches or self.loneliness)
