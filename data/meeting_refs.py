"""Meetings named in user text: a number ("4/2025", "4/25"), a date, "neste" or a database id.

Every command and chat answer that takes a meeting finds it here, and every "not found" names
the meetings one can choose from.
"""

from __future__ import annotations

import datetime as dt
import re

from radsbot.data import queries
from radsbot.data.agenda import AgendaError, AmbiguousError, council
from radsbot.data.fields import quote
from radsbot.data.models import Council, Meeting
from radsbot.data.periods import PeriodError, parse_day
from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session, selectinload

NEXT_WORDS = {"neste", "next", "kommende"}
_MEETING_NUMBER = re.compile(r"^(?:møte\s+)?(\d{1,2})\s*/\s*(\d{2}|\d{4})$", re.IGNORECASE)
_ISO_DATE = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}$")
_ID = re.compile(r"^\d+$")


class MeetingNotFound(AgendaError):
    """No meeting matches (or it is cancelled); `known` are the meeting numbers one can name."""

    def __init__(self, message: str, known: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.known = known


def normalise_meeting_number(text: str) -> str:
    """A meeting number as stored ("4/2025") from "4/2025", "4/25" or "møte 4/2025".

    A meeting whose number no document gives is stored under its ISO date ("2025-02-13").

    Raises:
        AgendaError: when the text is neither a meeting number nor an ISO date.
    """
    if _ISO_DATE.match(text.strip()) and _day(text):
        return text.strip()
    m = _MEETING_NUMBER.match(text.strip())
    if not m:
        raise AgendaError(f"{quote(text)} er ikke et møtenummer. Skriv det som nummer/år, f.eks. 4/2025.")
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
    day = _day(text) if _ISO_DATE.match(text.strip()) else None
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
    where = f" i {chosen.display_name}" if chosen else ""
    council_id = chosen.id if chosen else None
    if is_next(text):
        if today is None:
            raise ValueError("today is required to find the next meeting")
        found = queries.next_meeting(session, council_id, today)
        if found is None:
            raise AgendaError(f"Det er ikke planlagt noe møte{where} etter {today:%d.%m.%Y}.")
        return found
    day = _day(text)
    if day is not None:
        found, what = _meetings(session, Meeting.date == day, council_id), f"møte {day:%d.%m.%Y}"
    else:
        try:
            number = normalise_meeting_number(text)
        except AgendaError:
            problem = f"{quote(text)} er verken et møtenummer (4/2025), en dato (20.11.2025) eller «neste»."
            raise _not_found(session, problem, chosen, today) from None
        found, what = meetings_by_number(session, number, council_id), f"møte {number}"
    if not found:
        raise _not_found(session, f"Fant ikke {what}{where}.", chosen, today)
    if len(found) > 1:
        raise AmbiguousError.of(what[0].upper() + what[1:], [m.council for m in found])
    return found[0]


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
            raise _not_found(
                session, f"Fant ikke møte med id {text.strip()} i {chosen.display_name}.", chosen, today
            )
    else:
        found = meeting_in(session, text, chosen, today=today)
    if found.status == "cancelled":
        raise _not_found(session, f"Møte {found.number} i {chosen.display_name} er avlyst.", chosen, today)
    return found


def is_next(text: str) -> bool:
    """Whether the text asks for the next planned meeting ("neste", "next", "kommende")."""
    return text.strip().casefold() in NEXT_WORDS


def choices(session: Session, chosen: Council, today: dt.date | None, limit: int = 8) -> tuple[str, str]:
    """The meetings one can name (the latest held and the planned): their numbers, and a sentence."""
    known = queries.meetings(session, chosen.id)
    # The planned meetings ahead are the likely choices; show a couple of past ones too.
    if today is None:
        shown = known[-limit:]
    else:
        shown = ([m for m in known if m.date < today][-2:] + [m for m in known if m.date >= today])[:limit]
    if not shown:
        return (), f"{chosen.display_name} har ingen møter registrert."
    listed = ", ".join(f"{m.number} ({m.date:%d.%m.%Y})" for m in shown)
    return tuple(m.number for m in shown), f"Gyldige møter: {listed}; eller «neste» for neste planlagte møte."


def _not_found(
    session: Session, message: str, chosen: Council | None, today: dt.date | None
) -> MeetingNotFound:
    if chosen is None:
        return MeetingNotFound(message)
    known, sentence = choices(session, chosen, today)
    return MeetingNotFound(f"{message} {sentence}", known)


def _meetings(session: Session, where, council_id: int | None) -> list[Meeting]:
    query = select(Meeting).options(selectinload(Meeting.council), selectinload(Meeting.cases)).where(where)
    if council_id is not None:
        query = query.where(Meeting.council_id == council_id)
    return list(session.scalars(query.order_by(Meeting.date, Meeting.council_id)))


def _day(text: str) -> dt.date | None:
    try:
        return parse_day(text)
    except PeriodError as exc:
        raise AgendaError(str(exc)) from None
