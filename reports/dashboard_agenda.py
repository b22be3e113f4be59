"""The dashboard's pages of meetings and cases as data: public agenda fields only.

What is public is `radsbot.data.public`'s to say; here it is formatted for readers.
"""

from __future__ import annotations

from dataclasses import dataclass

from radsbot.data import public
from radsbot.data.db import Session
from radsbot.data.models import Case, Meeting
from radsbot.reports import formatting as fmt


@dataclass(frozen=True)
class CaseLink:
    """A public case, as a line in a list."""

    id: int
    number: str
    council: str
    title: str
    meeting: str  # "Porteføljerådet 4/2025, 20. november 2025"
    has_decision: bool
    is_example: bool


@dataclass(frozen=True)
class MeetingRow:
    """A held or planned meeting in the list of meetings."""

    id: int
    council: str
    number: str
    date: str
    status: str  # "held" | "planned"
    cases: int
    is_example: bool


@dataclass(frozen=True)
class CaseView:
    """A public case's agenda fields, never the case paper's text under work."""

    link: CaseLink
    case_type: str
    time: str
    presenter: str
    summary: str
    proposed_decision: str
    decision: str
    meeting_id: int | None
    indicators: tuple[tuple[str, str], ...]  # (code, name)


@dataclass(frozen=True)
class MeetingPage:
    """A meeting's public agenda: when, where, and its cases with their decisions."""

    row: MeetingRow
    council_code: str
    date_long: str
    time: str
    place: str
    cases: tuple[CaseView, ...]


def meetings_page(session: Session, lang: str = "nb") -> tuple[MeetingRow, ...]:
    """Every held and planned meeting, newest first."""
    return tuple(_meeting_row(m, lang) for m in public.meetings(session))


def meeting_page(session: Session, meeting_id: int, lang: str = "nb") -> MeetingPage | None:
    """A held or planned meeting's agenda, or None."""
    meeting = public.meeting(session, meeting_id)
    if meeting is None:
        return None
    start, end = meeting.start_time, meeting.end_time
    time = f"{fmt.clock(start, lang)}–{fmt.clock(end, lang)}" if start and end else fmt.clock(start, lang)
    day = fmt.date(meeting.date, lang)
    if meeting.end_date and meeting.end_date != meeting.date:
        day = f"{day}–{fmt.date(meeting.end_date, lang)}"
    return MeetingPage(
        row=_meeting_row(meeting, lang),
        council_code=meeting.council.code,
        date_long=day,
        time=time,
        place=meeting.place,
        cases=tuple(case_view(c, lang) for c in meeting.cases),
    )


def case_page(session: Session, case_id: int, lang: str = "nb") -> CaseView | None:
    """A public case by id, or None for an unknown one or one under work."""
    found = public.case(session, case_id)
    return case_view(found, lang) if found is not None else None


def case_view(case: Case, lang: str) -> CaseView:
    """A case's agenda fields for readers."""
    return CaseView(
        link=case_link(case, lang),
        case_type=case.case_type,
        time=fmt.clock(case.agenda_time, lang),
        presenter=case.presenter,
        summary=case.summary.strip(),
        proposed_decision=case.proposed_decision.strip(),
        decision=case.decision.strip(),
        meeting_id=case.meeting_id,
        indicators=tuple((i.code, i.name) for i in case.indicators),
    )


def case_link(case: Case, lang: str) -> CaseLink:
    """A case as one line: number, council, title and its meeting."""
    meeting = case.meeting
    council = case.council.display_name
    if meeting is not None:
        number = fmt.meeting_number(meeting.number, meeting.date, lang)
        label = f"{council} {number}" if "/" in meeting.number else council
        where = fmt.marked(f"{label}, {fmt.date(meeting.date, lang)}", meeting.is_example, lang)
    else:
        where = case.meeting_label or (fmt.date(case.meeting_date, lang) if case.meeting_date else "")
    return CaseLink(
        id=case.id,
        number=case.number,
        council=council,
        title=case.title,
        meeting=where,
        has_decision=bool(case.decision.strip()),
        is_example=bool(meeting and meeting.is_example),
    )


def _meeting_row(meeting: Meeting, lang: str) -> MeetingRow:
    return MeetingRow(
        id=meeting.id,
        council=meeting.council.display_name,
        number=fmt.meeting_number(meeting.number, meeting.date, lang),
        date=fmt.date(meeting.date, lang),
        status=meeting.status,
        cases=len(meeting.cases),
        is_example=meeting.is_example,
    )
