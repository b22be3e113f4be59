"""Status of indicators and goals: the figures every answer, digest and case paper shows."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

import pandas as pd
from radsbot.data import queries
from radsbot.data.db import Session
from radsbot.data.models import Ambition, Goal, Indicator
from radsbot.reports.analytics import Assessment, Target, Verdict, assess, change_since

# Display order of verdicts in counts and legends.
VERDICT_ORDER = (
    Verdict.REACHED,
    Verdict.ON_TRACK,
    Verdict.UNCERTAIN,
    Verdict.OFF_TRACK,
    Verdict.NO_TARGET,
    Verdict.NO_DATA,
)


@dataclass(frozen=True)
class IndicatorStatus:
    """An indicator with its series, ambition and assessment, and its sub-indicators' status."""

    indicator: Indicator
    ambition: Ambition | None
    series: pd.DataFrame
    assessment: Assessment
    children: tuple[IndicatorStatus, ...] = ()
    change_since_date: float | None = None

    @property
    def verdict(self) -> Verdict:
        """The on-track verdict."""
        return self.assessment.verdict

    @property
    def has_example_data(self) -> bool:
        """Whether any number shown for this indicator (or its parts) is example data."""
        return self.assessment.has_example_data or any(c.has_example_data for c in self.children)

    @property
    def leaves(self) -> tuple[IndicatorStatus, ...]:
        """The indicators actually reported on: the parts of a composite, or the indicator itself."""
        if self.children and self.series.empty:
            return tuple(leaf for c in self.children for leaf in c.leaves)
        return (self,)


@dataclass(frozen=True)
class GoalStatus:
    """A goal with the status of its indicators and counts per verdict."""

    goal: Goal
    indicators: tuple[IndicatorStatus, ...]
    counts: Counter = field(default_factory=Counter)

    @property
    def has_example_data(self) -> bool:
        """Whether any figure in the goal is example data."""
        return any(s.has_example_data for s in self.indicators)


def target_of(ambition: Ambition | None) -> Target | None:
    """The analytics target for an ambition."""
    if ambition is None:
        return None
    return Target(ambition.target_value, ambition.target_date, ambition.target_label, ambition.status)


def indicator_status(
    session: Session,
    indicator: Indicator,
    today: dt.date,
    *,
    since: dt.date | None = None,
    with_children: bool = True,
) -> IndicatorStatus:
    """Assess one indicator (and its sub-indicators) as of `today`.

    Args:
        since: also compute the change since this date (e.g. the council's previous meeting).
    """
    ambition = queries.primary_ambition(indicator)
    series = queries.series(session, indicator.id)
    bounds = (0.0, 100.0) if indicator.unit == "%" else (0.0, None)
    assessment = assess(series, target_of(ambition), indicator.direction, today, bounds=bounds)
    children = (
        tuple(indicator_status(session, c, today, since=since) for c in indicator.children)
        if with_children
        else ()
    )
    delta = change_since(series, since) if since and not series.empty else None
    return IndicatorStatus(indicator, ambition, series, assessment, children, delta)


def goal_status(
    session: Session,
    goal: Goal,
    today: dt.date,
    *,
    since: dt.date | None = None,
    indicator_set: str = "dashbord",
) -> GoalStatus:
    """Assess every top-level indicator of a goal in one indicator set ("dashbord" or "plan2023")."""
    statuses = tuple(
        indicator_status(session, ind, today, since=since)
        for ind in goal.indicators
        if ind.parent_id is None and ind.indicator_set == indicator_set
    )
    counts = Counter(leaf.verdict for s in statuses for leaf in s.leaves)
    return GoalStatus(goal, statuses, counts)


def overview(
    session: Session, today: dt.date, *, since: dt.date | None = None, indicator_set: str = "dashbord"
) -> list[GoalStatus]:
    """Every goal's status, overarching goals first."""
    return [
        goal_status(session, g, today, since=since, indicator_set=indicator_set)
        for g in queries.goals(session)
    ]


def total_counts(goals: list[GoalStatus]) -> Counter:
    """Counts per verdict over all goals."""
    total: Counter = Counter()
    for g in goals:
        total.update(g.counts)
    return total
