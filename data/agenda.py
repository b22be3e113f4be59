"""Cases on the councils' agendas: case numbers, look-ups by number, and earlier decisions.

Meetings named in user text are found in data/meeting_refs.py, councils in data/councils.py.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from radsbot.data.councils import CouncilError, find_council
from radsbot.data.errors import DomainError
from radsbot.data.fields import quote
from radsbot.data.models import Case, CaseIndicator, Council
from radsbot.data.words import Message, msg
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

_CASE_NUMBER = re.compile(r"^(?:sak\s+)?(\d{1,3})\s*/\s*(\d{2}|\d{4})$", re.IGNORECASE)


class AgendaError(DomainError, LookupError):
    """A case or meeting that cannot be found or is ambiguous; the message says what to write."""


@dataclass
class AmbiguousError(AgendaError):
    """The number or date exists in several councils; `codes` and `names` are the choices.

    Plain strings, not ORM objects, so that the error stays readable after a rollback.
    """

    what: Message
    codes: list[str]
    names: list[str]

    @classmethod
    def of(cls, what: Message, councils: list[Council]) -> AmbiguousError:
        """The error for these councils, in code order."""
        ordered = sorted(councils, key=lambda c: c.code)
        return cls(what, [c.code for c in ordered], [c.display_name for c in ordered])

    @property
    def problem(self) -> Message:
        """What exists in which councils, and what to do."""
        names = ", ".join(f"{n} ({c})" for c, n in zip(self.codes, self.names, strict=True))
        return msg(
            "{what} exists in several councils: {names}. Say which council you mean.",
            what=self.what,
            names=names,
        )


def normalise_case_number(text: str) -> str:
    """A case number as stored ("40/25") from "40/25", "sak 40/25" or "40/2025".

    Raises:
        AgendaError: when the text is not a case number.
    """
    m = _CASE_NUMBER.match(text.strip())
    if not m:
        raise AgendaError(
            msg("{value} is not a case number. Write it as number/year, e.g. 40/25.", value=quote(text))
        )
    return f"{int(m[1])}/{m[2][-2:]}"


def council(session: Session, text: str) -> Council:
    """The council named by code, name, short name, former name or alias.

    Raises:
        AgendaError: listing the councils' codes when nothing matches.
    """
    try:
        return find_council(session, text)
    except CouncilError as exc:
        raise AgendaError(exc.problem) from None


def cases_by_number(session: Session, number: str, council_id: int | None = None) -> list[Case]:
    """Cases with this number ("40/25"), in one council or any, with council, meeting and links loaded."""
    query = (
        select(Case)
        .options(
            selectinload(Case.council),
            selectinload(Case.meeting),
            selectinload(Case.cites),
            selectinload(Case.indicators),
        )
        .where(Case.number == number)
    )
    if council_id is not None:
        query = query.where(Case.council_id == council_id)
    return list(session.scalars(query))


def find_case(session: Session, number: str, council_name: str | None = None) -> Case:
    """The case with this number, in the named council when given.

    Raises:
        AgendaError: the number is malformed or unknown.
        AmbiguousError: the number exists in several councils and none was named.
    """
    wanted = normalise_case_number(number)
    chosen = council(session, council_name) if council_name else None
    found = cases_by_number(session, wanted, chosen.id if chosen else None)
    where = in_council(chosen)
    if not found:
        raise AgendaError(msg("Found no case numbered {number}{where}.", number=wanted, where=where))
    if len(found) > 1:
        raise AmbiguousError.of(msg("Case {number}", number=wanted), [c.council for c in found])
    return found[0]


def in_council(council: Council | None) -> Message | str:
    """ " i Porteføljerådet" after what was not found there; "" for every council."""
    return msg(" in {council}", council=council.display_name) if council is not None else ""


def case_date(case: Case) -> dt.date | None:
    """The day the case was (or will be) treated: its meeting's date, or the date a paper cites."""
    return case.meeting.date if case.meeting is not None else case.meeting_date


def case_year(case: Case) -> int:
    """The year a case belongs to: its date's year, or the year in its number ("4/25" is 2025)."""
    day = case_date(case)
    if day is not None:
        return day.year
    m = _CASE_NUMBER.match(case.number)
    return 2000 + int(m[2][-2:]) if m else 0


def _number_order(case: Case) -> int:
    m = _CASE_NUMBER.match(case.number)
    return int(m[1]) if m else 0


def has_decision(case: Case) -> bool:
    """Whether the case carries a decision or at least a proposed decision."""
    return bool(case.decision.strip() or case.proposed_decision.strip())


def previous_decisions(session: Session, case: Case, *, related_limit: int = 8) -> list[Case]:
    """Earlier decisions to show with a case, newest first and without duplicates.

    These are the cases it cites, plus up to `related_limit` earlier cases linked to one of the
    same indicators or sharing a topic tag. Only cases with a decision or proposed decision
    count, and never the case itself.
    """
    cited = [c for c in case.cites if c.id != case.id and has_decision(c)]
    cited_ids = {c.id for c in cited}
    indicator_ids = [i.id for i in case.indicators]
    by_indicator: set[int] = set()
    if indicator_ids:
        by_indicator = set(
            session.scalars(
                select(CaseIndicator.case_id).where(CaseIndicator.indicator_id.in_(indicator_ids))
            )
        )
    topics = {t.casefold() for t in case.topics}
    candidates = session.scalars(
        select(Case)
        .options(selectinload(Case.meeting), selectinload(Case.council))
        .where(Case.id != case.id, (Case.decision != "") | (Case.proposed_decision != ""))
    )
    related = [
        c
        for c in candidates
        if c.id not in cited_ids
        and (c.id in by_indicator or topics & {t.casefold() for t in c.topics})
        and has_decision(c)
        and _earlier(c, case)
    ]
    return _newest_first(cited + _newest_first(related)[:related_limit])


def _earlier(other: Case, case: Case) -> bool:
    """Whether `other` was treated before `case`; without both dates, only an earlier year counts."""
    day, other_day = case_date(case), case_date(other)
    if other_day is not None and day is not None:
        return other_day < day
    return case_year(other) < case_year(case)


def _newest_first(cases: list[Case]) -> list[Case]:
    """Cases newest first: by year, then date (undated last within a year), then case number."""
    return sorted(
        cases,
        key=lambda c: (case_year(c), case_date(c) or dt.date.min, _number_order(c), c.council_id),
        reverse=True,
    )
