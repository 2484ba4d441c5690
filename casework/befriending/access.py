"""Which connector may see and act on which befriending request and match, for the console.

A request is its case's: whoever may see the case (casework.cases.caseload.access: managers, its owner,
whoever took it or was alerted about it, the connectors of its patch) may see the request, propose a
volunteer and end its matches; a request without a case (its case erased) is a manager's. A match is its
request's. Anyone else reads it as no such request (the refusal is in the audit trail), as for cases and
volunteers. Every list and read is audited.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from casework.befriending.requests import UnknownRequest, normalise_reference
from casework.befriending.tables import BefriendingMatch, BefriendingRequest
from casework.cases import audit
from casework.cases.caseload import NotAllowed, access
from casework.cases.models import Case, Connector
from casework.models import as_utc

__all__ = ["RequestSummary", "require_request", "visible_requests"]


def _connector(session: Session, connector_id: int) -> Connector:
    connector = session.get(Connector, connector_id)
    if connector is None or not connector.active:
        raise NotAllowed("only an active connector may use the console")
    return connector


def _may_see(session: Session, connector: Connector, case_reference: str | None) -> bool:
    if connector.role == "manager":
        return True
    return case_reference is not None and access(session, reference=case_reference, connector_id=connector.id).may_see


def require_request(session: Session, *, reference: str, connector_id: int) -> str:
    """The request's reference (a match's reference leads to its request's) when this connector may see it;
    UnknownRequest otherwise (none, or not theirs: alike)."""
    connector = _connector(session, connector_id)
    wanted = normalise_reference(reference)
    query = select(BefriendingRequest.reference, Case.reference).outerjoin(Case, Case.id == BefriendingRequest.case_id)
    if wanted.startswith("BM-"):
        query = query.join(BefriendingMatch, BefriendingMatch.request_id == BefriendingRequest.id).where(BefriendingMatch.reference == wanted)
    else:
        query = query.where(BefriendingRequest.reference == wanted)
    found = session.execute(query).first()
    if found is None or not _may_see(session, connector, found[1]):
        if found is not None:
            audit.record(session, actor=audit.connector_actor(connector_id), action="befriending_refused", case_reference=wanted,
                         detail="not theirs to see")
        raise UnknownRequest(wanted)
    return str(found[0])


@dataclass(frozen=True)
class RequestSummary:
    reference: str
    state: str
    wants: str
    area: str | None
    created_at: datetime
    matches: tuple[tuple[str, str], ...]  # (reference, state), newest first


def visible_requests(session: Session, *, connector_id: int, state: str | None = None) -> list[RequestSummary]:
    """The requests this connector may see, open ones first, newest first; one state when asked. Audited (counts only)."""
    connector = _connector(session, connector_id)
    query = select(BefriendingRequest, Case.reference, Case.area).outerjoin(Case, Case.id == BefriendingRequest.case_id)
    if state:
        query = query.where(BefriendingRequest.state == state)
    shown = []
    for request, case_reference, area in session.execute(query.order_by(BefriendingRequest.created_at.desc(), BefriendingRequest.id.desc())):
        if not _may_see(session, connector, case_reference):
            continue
        matches = tuple((str(ref), str(state)) for ref, state in session.execute(select(BefriendingMatch.reference, BefriendingMatch.state).where(
            BefriendingMatch.request_id == request.id).order_by(BefriendingMatch.created_at.desc())))
        shown.append(RequestSummary(request.reference, request.state, request.wants, area, as_utc(request.created_at) or request.created_at,
                                    matches))
    shown.sort(key=lambda r: r.state != "open")
    audit.record(session, actor=audit.connector_actor(connector_id), action="listed",
                 detail=f"befriending requests: {len(shown)}" + (f"; state {state}" if state else ""))
    return shown
