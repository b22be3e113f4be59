"""Storing cases and meetings from validated files, and turning stored ones back into files.

Every check against the database (council, meeting, indicators, cited cases, duplicates) runs
before anything is changed and all problems are reported together; the caller owns the
transaction, so a failed add or edit leaves nothing half-changed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from data.agenda import AgendaError, AmbiguousError, council, find_case, find_meeting, normalise_case_number
from data.casefile import CaseFile, FileProblem, MeetingFile, file_keys, parse, read_file
from data.catalogue import indicator_lookup
from data.models import Case, Council, Indicator, Meeting

# File fields copied to the model as they are (the others are resolved against the database).
CASE_PLAIN = (
    "title",
    "case_type",
    "agenda_time",
    "presenter",
    "owner",
    "officer",
    "summary",
    "proposed_decision",
    "purpose",
    "background",
    "further_process",
    "attachments",
    "decision",
    "topics",
    "has_toppnotat",
    "meeting_label",
    "meeting_date",
    "sort_order",
)
MEETING_PLAIN = (
    "date",
    "end_date",
    "start_time",
    "end_time",
    "place",
    "status",
    "members",
    "notes",
    "is_example",
)


def load_case_file(path: Path) -> tuple[CaseFile, set[str]]:
    """A validated case file and the fields it sets."""
    data = read_file(path)
    model = parse(CaseFile, data, f"«{path.name}»")
    return model, model.model_fields_set


def load_meeting_file(path: Path) -> tuple[MeetingFile, set[str]]:
    """A validated meeting file and the fields it sets."""
    data = read_file(path)
    model = parse(MeetingFile, data, f"«{path.name}»")
    return model, model.model_fields_set


def save_case(session: Session, file: CaseFile, fields: set[str], *, source: str, new: bool) -> Case:
    """Add a case (`new`) or change the fields a file sets on an existing one.

    Raises:
        FileProblem: listing every field that does not fit the stored data.
    """
    problems: list[tuple[str, str]] = []
    owner = _council(session, file.council, problems)
    existing = _existing_case(session, owner, file.number) if owner else None
    if new and existing is not None:
        problems.append(
            (
                "saksnummer",
                f"sak {file.number} finnes allerede i {_name(owner)}. Bruk «case edit» for å endre den.",
            )
        )
    if not new and owner and existing is None:
        problems.append(
            ("saksnummer", f"fant ingen sak {file.number} i {_name(owner)}. Bruk «case add» for en ny sak.")
        )
    if new and not file.title:
        problems.append(("tittel", "mangler. En ny sak må ha en tittel."))
    meeting = _meeting(session, owner, file.meeting, problems) if owner and "meeting" in fields else None
    indicators = _indicators(session, file.indicators, problems) if "indicators" in fields else []
    cited = _cited(session, owner, file, problems) if owner and "cites" in fields else []
    if problems:
        raise FileProblem(source, problems)
    case = existing or Case(council_id=owner.id, number=file.number)
    if new:
        session.add(case)
    for name in CASE_PLAIN:
        if new or name in fields:
            setattr(case, name, getattr(file, name))
    if new or "meeting" in fields:
        case.meeting = meeting
    if new or "indicators" in fields:
        case.indicators = indicators
    if new or "cites" in fields:
        case.cites = cited
    session.flush()
    return case


def save_meeting(session: Session, file: MeetingFile, fields: set[str], *, source: str, new: bool) -> Meeting:
    """Add a meeting (`new`) or change the fields a file sets on an existing one.

    Raises:
        FileProblem: unknown council, duplicate or unknown meeting, an end before the start.
    """
    problems: list[tuple[str, str]] = []
    owner = _council(session, file.council, problems)
    existing = None
    if owner:
        existing = session.scalar(
            select(Meeting).where(Meeting.council_id == owner.id, Meeting.number == file.number)
        )
    if owner and new and existing is not None:
        problems.append(
            (
                "nummer",
                f"møte {file.number} finnes allerede i {_name(owner)}. Bruk «meeting edit» for å endre det.",
            )
        )
    if owner and not new and existing is None:
        problems.append(("nummer", f"fant ikke møte {file.number} i {_name(owner)}. Bruk «meeting add»."))
    if file.end_date and file.end_date < file.date:
        problems.append(("sluttdato", "er før datoen møtet begynner."))
    if file.end_time and file.start_time and file.end_time <= file.start_time and not file.end_date:
        problems.append(("slutt", f"klokkeslettet {file.end_time} er ikke etter start {file.start_time}."))
    if problems:
        raise FileProblem(source, problems)
    meeting = existing or Meeting(council_id=owner.id, number=file.number)
    if new:
        session.add(meeting)
    for name in MEETING_PLAIN:
        if new or name in fields:
            setattr(meeting, name, getattr(file, name))
    session.flush()
    return meeting


def _name(owner: Council) -> str:
    return owner.short_name or owner.name


def _council(session: Session, text: str, problems: list[tuple[str, str]]) -> Council | None:
    try:
        return council(session, text)
    except AgendaError as exc:
        problems.append(("råd", str(exc)))
        return None


def _existing_case(session: Session, owner: Council, number: str) -> Case | None:
    return session.scalar(select(Case).where(Case.council_id == owner.id, Case.number == number))


def _meeting(
    session: Session, owner: Council, number: str, problems: list[tuple[str, str]]
) -> Meeting | None:
    if not number:
        return None
    try:
        return find_meeting(session, number, owner.code)
    except AgendaError:
        problems.append(
            ("møte", f"fant ikke møte {number} i {_name(owner)}. Legg det til med «meeting add» først.")
        )
        return None


def _indicators(session: Session, names: list[str], problems: list[tuple[str, str]]) -> list[Indicator]:
    lookup = indicator_lookup(session)
    ids: list[int] = []
    for i, name in enumerate(names, start=1):
        found = lookup.ids.get(str(name).casefold())
        if found is None:
            problems.append((f"indikatorer[{i}]", lookup.explain_unknown(str(name))))
        elif found not in ids:
            ids.append(found)
    return [session.get(Indicator, i) for i in ids]


def _cited(session: Session, owner: Council, file: CaseFile, problems: list[tuple[str, str]]) -> list[Case]:
    """The cases a file cites: "4/25" in the same council, or "<council> 4/25" in another."""
    found: list[Case] = []
    for i, ref in enumerate(file.cites, start=1):
        where = f"viser_til[{i}]"
        name, _, number = str(ref).strip().rpartition(" ")
        try:
            wanted = normalise_case_number(number)
            cited = find_case(session, wanted, name or owner.code)
        except AmbiguousError as exc:
            problems.append((where, str(exc)))
            continue
        except AgendaError as exc:
            problems.append((where, f"{exc} Skriv «4/25» for en sak i samme råd, eller «ehelseradet 4/25»."))
            continue
        if cited.council_id == owner.id and cited.number == file.number:
            problems.append((where, "en sak kan ikke vise til seg selv."))
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
        "status": {"planned": "planlagt", "held": "avholdt", "cancelled": "avlyst"}.get(meeting.status),
    }
    return _as_file(MeetingFile, lambda name: resolved.get(name) or getattr(meeting, name))


def _as_file(model: type, value) -> dict[str, Any]:
    """{file key: value} in the model's field order."""
    keys = dict(zip(model.model_fields, file_keys(model), strict=True))
    return {key: value(name) for name, key in keys.items()}
