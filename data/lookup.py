"""Single look-ups by code or number that the chat core needs; read-only, they never commit."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from data.models import Council, Goal, Indicator, Meeting


def indicator_by_code(session: Session, code: str) -> Indicator | None:
    """The indicator with this code, with goal, ambitions, parent and sub-indicators loaded."""
    return session.scalar(
        select(Indicator)
        .options(
            selectinload(Indicator.goal),
            selectinload(Indicator.ambitions),
            selectinload(Indicator.parent),
            selectinload(Indicator.children).selectinload(Indicator.ambitions),
            selectinload(Indicator.children).selectinload(Indicator.children),
        )
        .where(Indicator.code == code)
    )


def goal_by_code(session: Session, code: str) -> Goal | None:
    """The goal with this code, with its indicators, their ambitions and sub-indicators loaded."""
    return session.scalar(
        select(Goal)
        .options(
            selectinload(Goal.indicators).selectinload(Indicator.ambitions),
            selectinload(Goal.indicators).selectinload(Indicator.children).selectinload(Indicator.ambitions),
        )
        .where(Goal.code == code)
    )


def council_by_code(session: Session, code: str) -> Council | None:
    """The council with this code."""
    return session.scalar(select(Council).where(Council.code == code))


def meeting_by_number(session: Session, number: str, council_id: int | None = None) -> list[Meeting]:
    """Meetings with this number ("4/2025"), in one council or any, with cases loaded."""
    query = (
        select(Meeting)
        .options(selectinload(Meeting.council), selectinload(Meeting.cases))
        .where(Meeting.number == number)
    )
    if council_id is not None:
        query = query.where(Meeting.council_id == council_id)
    return list(session.scalars(query.order_by(Meeting.date)))


def next_meetings(session: Session, today: dt.date, council_id: int | None = None) -> list[Meeting]:
    """Planned meetings on or after today, soonest first, with council and cases loaded."""
    query = (
        select(Meeting)
        .options(selectinload(Meeting.council), selectinload(Meeting.cases))
        .where(Meeting.status == "planned", Meeting.date >= today)
    )
    if council_id is not None:
        query = query.where(Meeting.council_id == council_id)
    return list(session.scalars(query.order_by(Meeting.date, Meeting.id)))
