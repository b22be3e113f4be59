"""Read-only queries the reports and the bot share; they never commit."""

from __future__ import annotations

import datetime as dt

import pandas as pd
from radsbot.data.models import (
    Ambition,
    Case,
    Council,
    CouncilDestination,
    Goal,
    GoalNarrative,
    Indicator,
    Measurement,
    Meeting,
)
from radsbot.data.statuses import MeetingStatus, Purpose
from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

SERIES_COLUMNS = ["period", "period_end", "value", "is_example"]


def series(session: Session, indicator_id: int, breakdown: str = "", group: str = "") -> pd.DataFrame:
    """The indicator's values over time (national unless a breakdown is given), oldest first."""
    rows = session.execute(
        select(Measurement.period, Measurement.period_end, Measurement.value, Measurement.is_example)
        .where(
            Measurement.indicator_id == indicator_id,
            Measurement.breakdown == breakdown,
            Measurement.breakdown_value == group,
        )
        .order_by(Measurement.period_end)
    ).all()
    return pd.DataFrame(rows, columns=SERIES_COLUMNS)


def national_values(session: Session, indicator_id: int) -> list[Measurement]:
    """The indicator's national measurements with their notes and sources, oldest first."""
    return list(
        session.scalars(
            select(Measurement)
            .where(Measurement.indicator_id == indicator_id, Measurement.breakdown == "")
            .order_by(Measurement.period_end, Measurement.id)
        )
    )


def latest_notes(session: Session, indicator_id: int) -> list[tuple[str, str]]:
    """(period, note) of the national values that carry a note, newest first."""
    rows = session.execute(
        select(Measurement.period, Measurement.note)
        .where(
            Measurement.indicator_id == indicator_id,
            Measurement.breakdown == "",
            Measurement.note != "",
        )
        .order_by(Measurement.period_end.desc())
    ).all()
    return [(p, n) for p, n in rows]


def goals(session: Session) -> list[Goal]:
    """All goals in display order (overarching first), with their indicators loaded."""
    return list(
        session.scalars(
            select(Goal)
            .options(selectinload(Goal.indicators).selectinload(Indicator.ambitions))
            .order_by(Goal.sort_order, Goal.id)
        )
    )


def indicators(session: Session, *, top_level: bool = False) -> list[Indicator]:
    """Every indicator (or only those without a parent), with goal and ambitions loaded."""
    query = select(Indicator).options(
        selectinload(Indicator.goal),
        selectinload(Indicator.ambitions),
        selectinload(Indicator.children),
    )
    if top_level:
        query = query.where(Indicator.parent_id.is_(None))
    return list(session.scalars(query.order_by(Indicator.goal_id, Indicator.sort_order, Indicator.id)))


def primary_ambition(indicator: Indicator) -> Ambition | None:
    """The ambition to judge the indicator against: the latest-dated one with a target value."""
    with_value = [a for a in indicator.ambitions if a.target_value is not None and a.target_date]
    if with_value:
        return max(with_value, key=lambda a: a.target_date or dt.date.min)  # all dated
    return max(indicator.ambitions, key=lambda a: a.target_date or dt.date.min, default=None)


def narrative(session: Session, goal_id: int, quarter: str) -> GoalNarrative | None:
    """The goal's narrative in force for a quarter ("2026-Q2"): its newest version, if one was written."""
    return session.scalar(
        select(GoalNarrative)
        .where(GoalNarrative.goal_id == goal_id, GoalNarrative.quarter == quarter)
        .order_by(GoalNarrative.version.desc())
        .limit(1)
    )


def latest_narrative(session: Session, goal_id: int, up_to_quarter: str) -> GoalNarrative | None:
    """The goal's newest narrative at or before a quarter (the newest version of that quarter)."""
    return session.scalar(
        select(GoalNarrative)
        .where(GoalNarrative.goal_id == goal_id, GoalNarrative.quarter <= up_to_quarter)
        .order_by(GoalNarrative.quarter.desc(), GoalNarrative.version.desc())
        .limit(1)
    )


def narrative_versions(session: Session, goal_id: int, quarter: str) -> list[GoalNarrative]:
    """Every version of the goal's narrative for a quarter, newest first."""
    return list(
        session.scalars(
            select(GoalNarrative)
            .where(GoalNarrative.goal_id == goal_id, GoalNarrative.quarter == quarter)
            .order_by(GoalNarrative.version.desc())
        )
    )


def councils(session: Session) -> list[Council]:
    """All councils by code."""
    return list(session.scalars(select(Council).order_by(Council.id)))


def meetings(
    session: Session,
    council_id: int | None = None,
    *,
    after: dt.date | None = None,
    year: int | None = None,
    statuses: tuple[str, ...] = ("planned", "held"),
) -> list[Meeting]:
    """Meetings in date order, filtered by council, start date, year and status."""
    query = select(Meeting).options(selectinload(Meeting.council)).where(Meeting.status.in_(statuses))
    if council_id is not None:
        query = query.where(Meeting.council_id == council_id)
    if after is not None:
        query = query.where(Meeting.date >= after)
    if year is not None:
        query = query.where(Meeting.date >= dt.date(year, 1, 1), Meeting.date <= dt.date(year, 12, 31))
    return list(session.scalars(query.order_by(Meeting.date, Meeting.id)))


def planned_meetings(session: Session, today: dt.date, council_id: int | None = None) -> list[Meeting]:
    """Planned meetings on or after today, soonest first, with council and cases loaded."""
    query = (
        select(Meeting)
        .options(selectinload(Meeting.council), selectinload(Meeting.cases))
        .where(Meeting.status == "planned", Meeting.date >= today)
    )
    if council_id is not None:
        query = query.where(Meeting.council_id == council_id)
    return list(session.scalars(query.order_by(Meeting.date, Meeting.id)))


def digest_meetings(
    session: Session, since: dt.date, council_id: int | None = None
) -> list[tuple[Meeting, Council]]:
    """Planned meetings on or after `since` of councils with a channel to post to, soonest first."""
    has_channel = Council.destinations.any(CouncilDestination.purpose == Purpose.COUNCIL)
    query = (
        select(Meeting, Council)
        .join(Council, Meeting.council_id == Council.id)
        .where(Meeting.status == MeetingStatus.PLANNED, Meeting.date >= since, has_channel)
        .order_by(Meeting.date, Meeting.id)
    )
    if council_id is not None:
        query = query.where(Council.id == council_id)
    return [(m, c) for m, c in session.execute(query).all()]


def next_meeting(session: Session, council_id: int | None, today: dt.date) -> Meeting | None:
    """The first planned meeting on or after today."""
    found = planned_meetings(session, today, council_id)
    return found[0] if found else None


def previous_meeting(session: Session, meeting: Meeting) -> Meeting | None:
    """The council's last held or planned meeting before this one."""
    return session.scalar(
        select(Meeting)
        .where(
            Meeting.council_id == meeting.council_id,
            Meeting.date < meeting.date,
            Meeting.status != "cancelled",
        )
        .order_by(Meeting.date.desc())
        .limit(1)
    )


def all_names(session: Session) -> tuple[list, list, list[Council]]:
    """The rows the chat core's names (bot/names.py) are built from: goals, indicators and councils."""
    goals = session.execute(
        select(Goal.id, Goal.code, Goal.name, Goal.kind, Goal.number, Goal.aliases).order_by(
            Goal.sort_order, Goal.id
        )
    ).all()
    indicators = session.execute(
        select(
            Indicator.id,
            Indicator.code,
            Indicator.name,
            Indicator.short_name,
            Indicator.aliases,
            Indicator.goal_id,
            Indicator.parent_id,
            Indicator.indicator_set,
            Indicator.number,
        ).order_by(Indicator.goal_id, Indicator.sort_order, Indicator.id)
    ).all()
    return list(goals), list(indicators), list(session.scalars(select(Council).order_by(Council.id)))


def content_counts(session: Session) -> dict[str, int]:
    """How much the database holds, for `radsbot info`: indicators, measurements, meetings, cases."""
    return {
        "indicators": session.scalar(select(func.count(Indicator.id))) or 0,
        "measurements": session.scalar(select(func.count(Measurement.id))) or 0,
        "meetings": session.scalar(select(func.count(Meeting.id))) or 0,
        "cases": session.scalar(select(func.count(Case.id))) or 0,
    }
