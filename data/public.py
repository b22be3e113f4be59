"""What the public dashboard may show of meetings and cases, and when the data last changed.

Public means what the councils publish in their notices and minutes:

- a meeting that is held or planned (a cancelled one is not shown);
- a case on the agenda of such a meeting, or an earlier decision that a case paper cites (a case
  without a meeting that has a recorded decision and its meeting named);
- of a case only its agenda fields (number, title, type, time, presenter, the notice's summary,
  the proposed decision and the decision) — never the case paper's text under work (purpose,
  background, further process, owner, officer).

A case that is on no meeting's agenda and has no decision is under work and is never shown.
"""

from __future__ import annotations

import datetime as dt
import re

from radsbot.data.models import AuditLog, Case, ImportBatch, Indicator, Meeting
from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session, selectinload

PUBLIC_STATUSES = ("held", "planned")
_VERSION = re.compile(r"v?(\d+(?:\.\d+)*)")


def _public_case_clause():
    """Cases of held or planned meetings, and recorded earlier decisions known from citations."""
    on_agenda = Case.meeting_id.in_(select(Meeting.id).where(Meeting.status.in_(PUBLIC_STATUSES)))
    earlier_decision = and_(Case.meeting_id.is_(None), Case.decision != "", Case.meeting_label != "")
    return or_(on_agenda, earlier_decision)


def meetings(session: Session) -> list[Meeting]:
    """Held and planned meetings, newest first, with council and cases loaded."""
    return list(
        session.scalars(
            select(Meeting)
            .options(selectinload(Meeting.council), selectinload(Meeting.cases))
            .where(Meeting.status.in_(PUBLIC_STATUSES))
            .order_by(Meeting.date.desc(), Meeting.id.desc())
        )
    )


def meeting(session: Session, meeting_id: int) -> Meeting | None:
    """A held or planned meeting by id, or None (also for a cancelled one)."""
    return session.scalar(
        select(Meeting)
        .options(selectinload(Meeting.council), selectinload(Meeting.cases).selectinload(Case.indicators))
        .where(Meeting.id == meeting_id, Meeting.status.in_(PUBLIC_STATUSES))
    )


def case(session: Session, case_id: int) -> Case | None:
    """A public case by id, or None for an unknown case or one under work."""
    return session.scalar(
        select(Case)
        .options(selectinload(Case.council), selectinload(Case.meeting), selectinload(Case.indicators))
        .where(Case.id == case_id, _public_case_clause())
    )


def cases_for_indicator(session: Session, indicator_id: int) -> list[Case]:
    """The public cases that concern an indicator, newest first."""
    query = (
        select(Case)
        .options(selectinload(Case.council), selectinload(Case.meeting))
        .where(Case.indicators.any(Indicator.id == indicator_id), _public_case_clause())
    )
    found = list(session.scalars(query))
    return sorted(found, key=lambda c: (case_date(c) or dt.date.min, c.id), reverse=True)


def case_date(case: Case) -> dt.date | None:
    """The day a case is (or was) treated: its meeting's date, or the cited meeting's date."""
    return case.meeting.date if case.meeting is not None else case.meeting_date


def data_changed_at(session: Session) -> dt.datetime | None:
    """When the figures last changed: the newest import or seed load, or undo of an import."""
    loaded = session.scalar(select(func.max(ImportBatch.created_at)))
    undone = session.scalar(
        select(func.max(AuditLog.at)).where(AuditLog.action == "import_undo", AuditLog.outcome == "ok")
    )
    moments = [_aware(m) for m in (loaded, undone) if m is not None]
    return max(moments, default=None)


def newest_dashboard_version(session: Session) -> str:
    """The newest dashboard draft any indicator belongs to ("v0.95"), or "" when none does."""
    versions = {v for row in session.scalars(select(Indicator.dashboard_versions)) for v in row or ()}
    return max(versions, key=_version_key, default="")


def _version_key(version: str) -> tuple[int, ...]:
    match = _VERSION.fullmatch(version.strip())
    return tuple(int(p) for p in match.group(1).split(".")) if match else (-1,)


def _aware(moment: dt.datetime) -> dt.datetime:
    # SQLite keeps no offset; stored times are UTC.
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
