"""Storing cases and meetings from validated files, and turning stored ones back into files.

Every check against the database (council, meeting, indicators, cited cases, duplicates) runs
before anything is changed and all problems are reported together; the caller owns the
transaction, so a failed add or edit leaves nothing half-changed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, TypeVar

from radsbot.data.agenda import AgendaError, AmbiguousError, council, find_case, normalise_case_number
from radsbot.data.casefile import (
    MEETING_STATUS,
    CaseFile,
    FileProblem,
    MeetingFile,
    file_keys,
    parse,
    read_file,
)
from radsbot.data.fields import problem
from radsbot.data.lookups import indicator_lookup
from radsbot.data.meeting_refs import meeting_in
from radsbot.data.models import Case, Council, Indicator, Meeting
from radsbot.data.words import Message, join, msg
from sqlalchemy import select
from sqlalchemy.orm import Session

Stored = TypeVar("Stored", Case, Meeting)

# File fields resolved against the database; every other field is copied as it is.
KEYS = {"council", "number"}
RESOLVED = KEYS | {"meeting", "indicators", "cites"}


def load_file(model: type[CaseFile | MeetingFile], path: Path) -> tuple[Any, set[str]]:
    """A validated case or meeting file and the fields it sets."""
    parsed = parse(model, read_file(path), f"«{path.name}»")
    return parsed, parsed.model_fields_set


def save_case(session: Session, file: CaseFile, fields: set[str], *, source: str, new: bool) -> Case:
    """Add a case (`new`) or change the fields a file sets on an existing one.

    Raises:
        FileProblem: listing every field that does not fit the stored data.
    """
    problems = _unstorable(file, Case, fields, new)
    owner = _council(session, file.council, problems)
    existing = _existing(session, Case, owner, file.number, new, problems, "saksnummer")
    if new and not file.title:
        problems.append(("tittel", msg("is missing. A new case must have a title.")))
    meeting = _meeting(session, owner, file.meeting, problems) if owner and "meeting" in fields else None
    indicators = _indicators(session, file.indicators, problems) if "indicators" in fields else []
    cited = _cited(session, owner, file, problems) if owner and "cites" in fields else []
    if problems or owner is None:  # no owner: _council has said why
        raise FileProblem(source, problems)
    case = _store(session, existing or Case(council_id=owner.id, number=file.number), file, fields, new)
    resolved = {"meeting": meeting, "indicators": indicators, "cites": cited}
    for name, value in resolved.items():
        if new or name in fields:
            setattr(case, name, value)
    session.flush()
    return case


def save_meeting(session: Session, file: MeetingFile, fields: set[str], *, source: str, new: bool) -> Meeting:
    """Add a meeting (`new`) or change the fields a file sets on an existing one.

    Raises:
        FileProblem: unknown council, duplicate or unknown meeting, an end before the start.
    """
    problems = _unstorable(file, Meeting, fields, new)
    owner = _council(session, file.council, problems)
    existing = _existing(session, Meeting, owner, file.number, new, problems, "nummer")
    if file.end_date and file.end_date < file.date:
        problems.append(("sluttdato", msg("is before the day the meeting begins.")))
    if file.end_time and file.start_time and file.end_time <= file.start_time and not file.end_date:
        problem = msg(
            "the time {end} is not after the start {start}.", end=file.end_time, start=file.start_time
        )
        problems.append(("slutt", problem))
    if problems or owner is None:  # no owner: _council has said why
        raise FileProblem(source, problems)
    meeting = _store(session, existing or Meeting(council_id=owner.id, number=file.number), file, fields, new)
    session.flush()
    return meeting


def _unstorable(
    file: CaseFile | MeetingFile, model: type[Case | Meeting], fields: set[str], new: bool
) -> list[tuple[str, Message]]:
    """(file key, reason) for each value the file sets that its column cannot hold (data.fields)."""
    keys = dict(zip(type(file).model_fields, file_keys(type(file)), strict=True))
    columns = model.__table__.columns
    return [
        (keys[name], reason)
        for name in type(file).model_fields
        if name not in RESOLVED - KEYS and name in columns and (new or name in fields | KEYS)
        for reason in [problem(getattr(file, name), columns[name])]
        if reason
    ]


def _existing(
    session: Session,
    model: type[Stored],
    owner: Council | None,
    number: str,
    new: bool,
    problems: list[tuple[str, Message]],
    field: str,
) -> Stored | None:
    """The stored case or meeting with this number; a problem if `new` and it exists, or vice versa."""
    if owner is None:
        return None
    found = session.scalar(select(model).where(model.council_id == owner.id, model.number == number))
    where = {"number": number, "council": owner.display_name}
    if new and found is not None:
        exists = (
            msg("case {number} exists already in {council}. Use «case edit» to change it.", **where)
            if model is Case
            else msg(
                "meeting {number} exists already in {council}. Use «meeting edit» to change it.", **where
            )
        )
        problems.append((field, exists))
    elif not new and found is None:
        missing = (
            msg("found no case {number} in {council}. Use «case add» for new ones.", **where)
            if model is Case
            else msg("found no meeting {number} in {council}. Use «meeting add» for new ones.", **where)
        )
        problems.append((field, missing))
    return found


def _store(session: Session, target, file: CaseFile | MeetingFile, fields: set[str], new: bool):
    """Copy the file's plain fields to the stored object (all of them when it is new)."""
    if new:
        session.add(target)
    for name in type(file).model_fields:
        if name not in RESOLVED and (new or name in fields):
            setattr(target, name, getattr(file, name))
    return target


def _council(session: Session, text: str, problems: list[tuple[str, Message]]) -> Council | None:
    try:
        return council(session, text)
    except AgendaError as exc:
        problems.append(("råd", exc.problem))
        return None


def _meeting(
    session: Session, owner: Council, number: str, problems: list[tuple[str, Message]]
) -> Meeting | None:
    if not number:
        return None
    try:
        return meeting_in(session, number, owner)
    except AgendaError:
        problem = msg(
            "found no meeting {number} in {council}. Add it with «meeting add» first.",
            number=number,
            council=owner.display_name,
        )
        problems.append(("møte", problem))
        return None


def _indicators(session: Session, names: list[str], problems: list[tuple[str, Message]]) -> list[Indicator]:
    lookup = indicator_lookup(session)
    ids: list[int] = []
    for i, name in enumerate(names, start=1):
        found = lookup.ids.get(str(name).casefold())
        if found is None:
            problems.append((f"indikatorer[{i}]", lookup.explain_unknown(str(name))))
        elif found not in ids:
            ids.append(found)
    return [indicator for i in ids if (indicator := session.get(Indicator, i)) is not None]


def _cited(
    session: Session, owner: Council, file: CaseFile, problems: list[tuple[str, Message]]
) -> list[Case]:
    """The cases a file cites: "4/25" in the same council, or "<council> 4/25" in another."""
    found: list[Case] = []
    for i, ref in enumerate(file.cites, start=1):
        where = f"viser_til[{i}]"
        name, _, number = str(ref).strip().rpartition(" ")
        try:
            wanted = normalise_case_number(number)
            cited = find_case(session, wanted, name or owner.code)
        except AmbiguousError as exc:
            problems.append((where, exc.problem))
            continue
        except AgendaError as exc:
            hint = msg("Write «4/25» for a case in the same council, or «ehelseradet 4/25».")
            problems.append((where, join(exc.problem, hint)))
            continue
        if cited.council_id == owner.id and cited.number == file.number:
            problems.append((where, msg("a case cannot refer to itself.")))
        elif cited not in found:
            found.append(cited)
    return found


def case_to_file(case: Case) -> dict[str, Any]:
    """A stored case as the fields of a case file (for `case show --format yaml`), in file order."""
    resolved = {
        "council": case.council.code,
        "number": case.number,
        "meeting": case.meeting.number if case.meeting else "",
        "indicators": [i.code for i in case.indicators],
        "cites": [
            c.number if c.council_id == case.council_id else f"{c.council.code} {c.number}"
            for c in case.cites
        ],
    }
    return _as_file(CaseFile, lambda name: resolved[name] if name in resolved else getattr(case, name))


def meeting_to_file(meeting: Meeting) -> dict[str, Any]:
    """A stored meeting as the fields of a meeting file (for `meeting show --format yaml`)."""
    resolved = {
        "council": meeting.council.code,
        "status": MEETING_STATUS.get(meeting.status),
    }
    return _as_file(MeetingFile, lambda name: resolved.get(name) or getattr(meeting, name))


def _as_file(model: type[CaseFile] | type[MeetingFile], value) -> dict[str, Any]:
    """{file key: value} in the model's field order."""
    keys = dict(zip(model.model_fields, file_keys(model), strict=True))
    return {key: value(name) for name, key in keys.items()}
