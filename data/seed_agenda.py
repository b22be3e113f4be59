"""The seed's councils, meetings, cases and the earlier decisions they cite."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from radsbot.data.destinations import AddressError, check_channel, set_destination
from radsbot.data.models import MEETING_STATUSES, Case, Council, Indicator, Meeting
from radsbot.data.seed_files import SeedError, choice, entries, need, parse_date, upsert
from radsbot.data.statuses import Purpose
from radsbot.data.words import Message, msg
from sqlalchemy.orm import Session

CASE_FIELDS = (
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
)
COUNCIL_SETTINGS = ("digest_lead_days", "digest_hour", "preview_first")
# The seed's channel keys (Slack channels, "[TRANSPORT:]ADDRESS" like `radsbot council set`) and
# the destinations they become.
COUNCIL_DESTINATIONS = {"slack_channel": Purpose.COUNCIL, "secretariat_channel": Purpose.SECRETARIAT}


def sync_councils(session: Session, entries: list[dict]) -> dict[str, Council]:
    councils = {}
    for i, entry in enumerate(entries):
        where = msg("councils.yaml, council no. {number}", number=i + 1)
        code = need(entry, "code", where)
        council = councils[code] = upsert(
            session,
            Council,
            {"code": code},
            {
                "name": need(entry, "name", where),
                "short_name": need(entry, "short_name", where),
                "former_names": list(entry.get("former_names", []) or []),
                "aliases": list(entry.get("aliases", []) or []),
            },
            insert_only={k: entry[k] for k in COUNCIL_SETTINGS if k in entry},
        )
        if council.id is None:  # like the settings, channels are only the seed's for a new council
            _seed_destinations(session, council, entry, where)
    session.flush()
    return councils


def _seed_destinations(session: Session, council: Council, entry: dict, where: Message) -> None:
    for key, purpose in COUNCIL_DESTINATIONS.items():
        if entry.get(key):
            try:
                set_destination(session, council, purpose, check_channel(entry[key]))
            except AddressError as exc:
                raise SeedError(
                    msg("{where}: «{key}»: {problem}", where=where, key=key, problem=exc.problem)
                ) from None


def sync_meetings(
    session: Session, path: Path, councils: dict[str, Council], indicators: dict[str, Indicator]
) -> None:
    meetings = entries(path, "meetings")
    previous = entries(path, "previous_decisions")
    cases: dict[tuple[str, str], tuple[Case, dict, Message]] = {}

    def council_of(entry: dict, where: Message) -> Council:
        code = need(entry, "council", where)
        if code not in councils:
            raise SeedError(
                msg(
                    "{where}: unknown council «{code}». Valid: {codes}.",
                    where=where,
                    code=code,
                    codes=", ".join(councils),
                )
            )
        return councils[code]

    def add_case(entry: dict, council: Council, meeting: Meeting | None, order: int, where: Message) -> None:
        number = str(need(entry, "number", where))
        w = msg("{where}, case {number}", where=where, number=number)
        if (council.code, number) in cases:
            raise SeedError(msg("{where}: the case appears twice.", where=w))
        # Fields left out are reset, so that deleting a line in the file clears the field.
        values: dict[str, Any] = {f: ([] if f in ("attachments", "topics") else "") for f in CASE_FIELDS}
        values["has_toppnotat"] = True
        values.update({f: entry[f] for f in CASE_FIELDS if entry.get(f) is not None})
        values["meeting_date"] = parse_date(entry.get("meeting_date"), w, "meeting_date")
        for f in ("attachments", "topics"):
            values[f] = list(values.get(f, []))
        values.update(meeting=meeting, sort_order=order)
        case = upsert(
            session,
            Case,
            {"council_id": council.id, "number": number},
            {"title": need(entry, "title", w), **values},
        )
        cases[(council.code, number)] = (case, entry, w)

    for i, entry in enumerate(meetings):
        where = msg("meetings.yaml, meeting no. {number}", number=i + 1)
        council = council_of(entry, where)
        number = str(need(entry, "number", where))
        where = msg("meetings.yaml, {council} meeting {number}", council=council.code, number=number)
        meeting = upsert(
            session,
            Meeting,
            {"council_id": council.id, "number": number},
            {
                "date": parse_date(need(entry, "date", where), where, "date"),
                "end_date": parse_date(entry.get("end_date"), where, "end_date"),
                "start_time": str(entry.get("start_time", "10:00")),
                "end_time": str(entry.get("end_time", "16:00")),
                "place": entry.get("place", "") or "",
                "status": choice(entry, "status", MEETING_STATUSES, "planned", where),
                "is_example": bool(entry.get("is_example", False)),
                "members": list(entry.get("members", []) or []),
                "notes": entry.get("notes", "") or "",
            },
        )
        session.flush()
        for order, case in enumerate(entry.get("cases", []) or []):
            add_case(case, council, meeting, order, where)
    for i, entry in enumerate(previous):
        where = msg("meetings.yaml, earlier decision no. {number}", number=i + 1)
        add_case(entry, council_of(entry, where), None, 0, where)
    session.flush()
    for case, entry, where in cases.values():
        cites = []
        for ref in entry.get("cites", []) or []:
            key = (ref.get("council"), str(ref.get("number")))
            if key not in cases:
                raise SeedError(
                    msg(
                        "{where}: refers to the unknown case {number} in «{council}».",
                        where=where,
                        number=key[1],
                        council=key[0],
                    )
                )
            cites.append(cases[key][0])
        codes = list(entry.get("indicators", []) or [])
        unknown = [c for c in codes if c not in indicators]
        if unknown:
            raise SeedError(
                msg("{where}: unknown indicator codes {codes}.", where=where, codes=", ".join(unknown))
            )
        if [c.id for c in case.cites] != [c.id for c in cites]:
            case.cites = cites
        linked = [indicators[c] for c in codes]
        if [i.id for i in case.indicators] != [i.id for i in linked]:
            case.indicators = linked
