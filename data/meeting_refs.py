"""Find a council's meeting from what a user writes: "4/2025", a date, a database id or "next"."""

from __future__ import annotations

import datetime as dt
import re

from sqlalchemy.orm import Session

from data import queries
from data.models import Council, Meeting
from data.periods import PeriodError, parse_period

NEXT_WORDS = {"next", "neste"}
_NUMBER = re.compile(r"^(\d{1,2})\s*/\s*(\d{2}|\d{4})$")
_ID = re.compile(r"^\d+$")


class MeetingNotFound(LookupError):
    """No meeting matches; the message is Norwegian and lists the valid choices."""


def resolve_meeting(session: Session, council: Council, text: str, today: dt.date) -> Meeting | None:
    """The council's meeting that `text` names, or None for "next" when none is planned.

    Accepts a meeting number ("4/2025", also "4/25"), a date ("2025-11-20", "20.11.2025"),
    a database id ("12") or "next"/"neste".

    Raises:
        MeetingNotFound: nothing matches, or the meeting is cancelled.
    """
    key = text.strip().casefold()
    if key in NEXT_WORDS:
        return queries.next_meeting(session, council.id, today)
    candidates = queries.meetings(session, council.id, statuses=("planned", "held", "cancelled"))
    found = _match(candidates, key)
    if found is None:
        raise MeetingNotFound(
            f"Fant ikke møtet «{text}» for {council.short_name}. {choices(session, council, today)}"
        )
    if found.status == "cancelled":
        raise MeetingNotFound(
            f"Møte {found.number} i {council.short_name} er avlyst. {choices(session, council, today)}"
        )
    return found


def choices(session: Session, council: Council, today: dt.date, limit: int = 8) -> str:
    """A Norwegian sentence listing the meetings one can name (the latest held and the planned)."""
    known = queries.meetings(session, council.id)
    # The planned meetings ahead are the likely choices; show a couple of past ones too.
    past = [m for m in known if m.date < today][-2:]
    ahead = [m for m in known if m.date >= today]
    shown = (past + ahead)[:limit]
    if not shown:
        return (
            f"{council.short_name} har ingen møter registrert. "
            "Utelat --meeting for å lage sammendrag for kvartalet."
        )
    listed = ", ".join(f"{m.number} ({m.date:%d.%m.%Y})" for m in shown)
    return f"Gyldige møter: {listed}; eller «next» for neste planlagte møte."


def _match(candidates: list[Meeting], key: str) -> Meeting | None:
    if m := _NUMBER.match(key):
        year = m[2] if len(m[2]) == 4 else f"20{m[2]}"
        number = f"{int(m[1])}/{year}"
        return next((c for c in candidates if c.number.replace(" ", "") == number), None)
    if _ID.match(key):
        return next((c for c in candidates if c.id == int(key)), None)
    try:
        period = parse_period(key)
    except PeriodError:
        return None
    if period.kind != "date":
        return None
    return next((c for c in candidates if c.date == period.end), None)
