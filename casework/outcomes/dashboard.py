"""Who may read the outcomes (casework.outcomes), and the audit trail of each read.

Managers read them in the console; a system holding an API token reads them over the API. The
figures carry no personal data, but a read is still recorded: who looked at which period, and how.
"""
from __future__ import annotations

from sqlalchemy.orm import Session

from casework.cases import audit
from casework.cases.caseload import require_manager
from casework.outcomes import Outcomes, Period, outcomes

__all__ = ["manager_outcomes", "api_outcomes"]


def _read(session: Session, *, actor: str, period: Period, how: str) -> Outcomes:
    found = outcomes(session, period=period)
    audit.record(session, actor=actor, action="outcomes_read",
                 detail=f"{how}: {period.start.isoformat()} to {period.end.isoformat()}")
    return found


def manager_outcomes(session: Session, *, connector_id: int, period: Period, how: str = "dashboard") -> Outcomes:
    """The outcomes for a manager (raises casework.cases.caseload.NotAllowed for anyone else); `how`: dashboard | csv."""
    require_manager(session, connector_id)
    return _read(session, actor=audit.connector_actor(connector_id), period=period, how=how)


def api_outcomes(session: Session, *, actor: str, period: Period) -> Outcomes:
    """The outcomes for an API caller whose token has been checked (`actor`: api:<token name>)."""
    return _read(session, actor=actor, period=period, how="api")
