"""The loneliness figures: first scores given in the period, and follow-up scores given in it with their change
from the first (casework.loneliness: the UCLA three items, 3-9), added to the tallies and broken down as the
distribution of change for everyone, by area and by kind of support."""
from __future__ import annotations

from collections import Counter
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from casework.loneliness.models import SUPPORT_KINDS, LonelinessScore
from casework.outcomes.figures import LonelinessChange, Tallies

__all__ = ["count_loneliness"]


def count_loneliness(session: Session, tallies: Tallies, lo: datetime, hi: datetime) -> tuple[
        LonelinessChange, tuple[LonelinessChange, ...], tuple[LonelinessChange, ...]]:
    """First scores given in the period, and follow-up scores given in it with their change from the first;
    returns the change for everyone, by area and by kind of support."""
    for area, at in session.execute(select(LonelinessScore.area, LonelinessScore.first_at)
                                    .where(LonelinessScore.first_at >= lo, LonelinessScore.first_at < hi)):
        for tally in tallies.at(tallies.local_day(at), area):
            tally.loneliness_baseline += 1
    everyone: Counter[int] = Counter()
    by_area: dict[str | None, Counter[int]] = {}
    by_support: dict[str, Counter[int]] = {kind: Counter() for kind in SUPPORT_KINDS}
    followed_up = select(LonelinessScore.area, LonelinessScore.support, LonelinessScore.follow_up_at, LonelinessScore.first_score,
                         LonelinessScore.follow_up_score).where(LonelinessScore.follow_up_at >= lo, LonelinessScore.follow_up_at < hi,
                                                                LonelinessScore.first_score.isnot(None),
                                                                LonelinessScore.follow_up_score.isnot(None))
    for area, support, at, first, second in session.execute(followed_up):
        moved = int(second) - int(first)
        for tally in tallies.at(tallies.local_day(at), area):
            tally.loneliness_changes.append(moved)
        everyone[moved] += 1
        by_area.setdefault(area, Counter())[moved] += 1
        by_support.setdefault(support, Counter())[moved] += 1

    def change(label: str | None, counts: Counter[int]) -> LonelinessChange:
        return LonelinessChange(label, tuple(sorted(counts.items())))

    areas = sorted(by_area.items(), key=lambda item: (item[0] is None, item[0] or ""))
    return (change(None, everyone), tuple(change(area, counts) for area, counts in areas),
            tuple(change(kind, counts) for kind, counts in by_support.items() if counts))
