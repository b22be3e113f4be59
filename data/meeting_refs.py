"""Meetings named in user text: a number ("4/2025", "4/25"), a date, "neste" or a database id.

Every command and chat answer that takes a meeting finds it here, and every "not found" names
the meetings one can choose from.
"""

from __future__ import annotations

import datetime as dt
import re

from radsbot.data import queries
from radsbot.data.agenda import AgendaError, AmbiguousError, council, in_council
from radsbot.data.fields import quote
from radsbot.data.models import Council, Meeting
from radsbot.data.periods import PeriodError, is_iso_day, parse_day
from radsbot.data.words import Message, join, msg, verbatim
from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session, selectinload

NEXT_WORDS = {"neste", "next", "kommende"}
_MEETING_NUMBER = re.compile(r"^(?:møte\s+)?(\d{1,2})\s*/\s*(\d{2}|\d{4})$", re.IGNORECASE)
_ID = re.compile(r"^\d+$")


class MeetingNotFound(AgendaError):
    """No meeting matches (or it is cancelled); `known` are the meeting numbers one can name."""

    def __init__(self, message: Message, known: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.known = known


def normalise_meeting_number(text: str) -> str:
    """A meeting number as stored ("4/2025") from "4/2025", "4/25" or "møte 4/2025".

    A meeting whose number no document gives is stored under its ISO date ("2025-02-13").

    Raises:
        AgendaError: when the text is neither a meeting number nor an ISO date.
    """
    if is_iso_day(text) and _day(text):
        return text.strip()
    m = _MEETING_NUMBER.match(text.strip())
    if not m:
        raise AgendaError(
            msg("{value} is not a meeting number. Write it as number/year, e.g. 4/2025.", value=quote(text))
        )
    year = m[2] if len(m[2]) == 4 else f"20{m[2]}"
    return f"{int(m[1])}/{year}"


def meetings_by_number(session: Session, number: str, council_id: int | None = None) -> list[Meeting]:
    """Meetings with this number ("4/2025"), in one council or any, with council and cases loaded."""
    return _meetings(session, Meeting.number == number, council_id)


def meetings_named(session: Session, text: str, council_id: int | None = None) -> list[Meeting]:
    """Meetings with this number ("4/2025") or held on this day ("2025-11-20"), in one council or any.

    Raises:
        AgendaError: the text is written as a date that does not exist ("2025-02-30").
    """
    day = _day(text) if is_iso_day(text) else None
    if day is None:
        return meetings_by_number(session, text, council_id)
    # A two-day meeting (Fagrådet 21.–22. januar) is held on its second day too.
    held = or_(Meeting.date == day, and_(Meeting.date <= day, Meeting.end_date >= day))
    return _meetings(session, held, council_id)


def find_meeting(
    session: Session, text: str, council_name: str | None = None, *, today: dt.date | None = None
) -> Meeting:
    """The meeting named by number ("4/2025"), date ("2025-11-20", "20.11.2025") or "neste".

    Raises:
        AgendaError: the council is unknown, no planned meeting is ahead, or the text is
            neither a number, a date nor "neste".
        MeetingNotFound: no meeting has that number or date.
        AmbiguousError: several councils match and none was named.
    """
    chosen = council(session, council_name) if council_name else None
    return meeting_in(session, text, chosen, today=today)


def meeting_in(
    session: Session, text: str, chosen: Council | None, *, today: dt.date | None = None
) -> Meeting:
    """The meeting `text` names, in `chosen` or in any council; raises as `find_meeting`."""
    where = in_council(chosen)
    council_id = chosen.id if chosen else None
    if is_next(text):
        if today is None:
            raise ValueError("today is required to find the next meeting")
        found = queries.next_meeting(session, council_id, today)
        if found is None:
            raise AgendaError(msg("No meeting is planned{where} after {day}.", where=where, day=today))
        return found
    day = _day(text)
    named: dt.date | str
    if day is not None:
        matches, named = _meetings(session, Meeting.date == day, council_id), day
    else:
        try:
            number = normalise_meeting_number(text)
        except AgendaError:
            problem = msg(
                "{value} is neither a meeting number (4/2025), a date (20.11.2025) nor «next».",
                value=quote(text),
            )
            raise _not_found(session, problem, chosen, today) from None
        matches, named = meetings_by_number(session, number, council_id), number
    if not matches:
        raise _not_found(
            session, msg("Found no meeting {meeting}{where}.", meeting=named, where=where), chosen, today
        )
    if len(matches) > 1:
        raise AmbiguousError.of(msg("Meeting {meeting}", meeting=named), [m.council for m in matches])
    return matches[0]


def resolve_meeting(session: Session, chosen: Council, text: str, today: dt.date) -> Meeting | None:
    """The council's meeting for a digest, or None for "neste" when none is planned.

    Accepts what `find_meeting` does and a database id ("12").

    Raises:
        AgendaError: nothing matches, or the meeting is cancelled (a `MeetingNotFound` then).
    """
    if is_next(text):
        return queries.next_meeting(session, chosen.id, today)
    if _ID.match(text.strip()):
        found = session.get(Meeting, int(text))
        if found is None or found.council_id != chosen.id:
            problem = msg(
                "Found no meeting with id {id} in {council}.", id=text.strip(), council=chosen.display_name
            )
            raise _not_found(session, problem, chosen, today)
    else:
        found = meeting_in(session, text, chosen, today=today)
    if found.status == "cancelled":
        problem = msg(
            "Meeting {meeting} in {council} is cancelled.", meeting=found.number, council=chosen.display_name
        )
        raise _not_found(session, problem, chosen, today)
    return found


def is_next(text: str) -> bool:
    """Whether the text asks for the next planned meeting ("neste", "next", "kommende")."""
    return text.strip().casefold() in NEXT_WORDS


def choices(
    session: Session, chosen: Council, today: dt.date | None, limit: int = 8
) -> tuple[tuple[str, ...], Message]:
    """The meetings one can name (the latest held and the planned): their numbers, and a sentence."""
    known = queries.meetings(session, chosen.id)
    # The planned meetings ahead are the likely choices; show a couple of past ones too.
    if today is None:
        shown = known[-limit:]
    else:
        shown = ([m for m in known if m.date < today][-2:] + [m for m in known if m.date >= today])[:limit]
    if not shown:
        return (), msg("{council} has no meetings registered.", council=chosen.display_name)
    listed = join(*(verbatim("{number} ({day})").fill(number=m.number, day=m.date) for m in shown), sep=", ")
    sentence = msg("Valid meetings: {meetings}; or «next» for the next planned meeting.", meetings=listed)
    return tuple(m.number for m in shown), sentence


def _not_found(
    session: Session, message: Message, chosen: Council | None, today: dt.date | None
) -> MeetingNotFound:
    if chosen is None:
        return MeetingNotFound(message)
    known, sentence = choices(session, chosen, today)
    return MeetingNotFound(join(message, sentence), known)


def _meetings(session: Session, where, council_id: int | None) -> list[Meeting]:
    query = select(Meeting).options(selectinload(Meeting.council), selectinload(Meeting.cases)).where(where)
    if council_id is not None:
        query = query.where(Meeting.council_id == council_id)
    return list(session.scalars(query.order_by(Meeting.date, Meeting.council_id)))


def _day(text: str) -> dt.date | None:
    try:
        return parse_day(text)
    except PeriodError as exc:
        raise AgendaError(exc.problem) from None
