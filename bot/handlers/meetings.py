"""Meetings: the next one (of a council or of any), a year's meetings, and one by number."""

from __future__ import annotations

import datetime as dt

from radsbot.bot.handlers.request import Request
from radsbot.bot.replies import Fact, Reply, Section
from radsbot.data import queries
from radsbot.data.agenda import AgendaError
from radsbot.data.councils import council_by_code
from radsbot.data.meeting_refs import meetings_named
from radsbot.data.models import Council, Meeting
from radsbot.reports import formatting as fmt


def council_label(council: Council) -> str:
    """ "Porteføljerådet (NUIT)": the current name with the best-known former one."""
    main = council.display_name
    former = next((f for f in council.former_names if f.casefold() != main.casefold()), "")
    return f"{main} ({former})" if former else main


def asked_council(req: Request, council_code: str | None) -> Council | None:
    """The council a question names (by the code the intent found), or None for every council."""
    return council_by_code(req.session, council_code) if council_code else None


def upcoming(req: Request, council_code: str | None) -> tuple[Council | None, list[Meeting]]:
    """The council asked about (if any) and its (or every council's) planned meetings from today."""
    council = asked_council(req, council_code)
    return council, queries.planned_meetings(req.session, req.today, council.id if council else None)


def no_meetings_reply(req: Request, council: Council | None) -> Reply:
    """There is no planned meeting ahead (of this council)."""
    date = fmt.date(req.today, req.lang)
    text = (
        req._("{council} has no planned meetings after {date}.", council=council_label(council), date=date)
        if council
        else req._("There are no planned meetings after {date}.", date=date)
    )
    return Reply(title=text, summary=text, kind="not_found")


def next_meeting_reply(req: Request, council_code: str | None) -> Reply:
    """The next planned meeting with its agenda; without a council, also each council's next."""
    council, coming = upcoming(req, council_code)
    if not coming:
        return no_meetings_reply(req, council)
    first = coming[0]
    sections = [meeting_section(req, first), agenda_section(req, first)]
    shown = [first]
    if council is None and len(per_council := first_per_council(coming)) > 1:
        shown = per_council
        items = tuple(meeting_line(req, m) for m in per_council)
        sections.append(Section(heading=req._("Next meeting of each council"), items=items))
    return Reply(
        title=meeting_title(req, first),
        summary=req._(
            "Next meeting: {council} {number}, {date}.",
            council=council_label(first.council),
            number=first.number,
            date=fmt.date(first.date, req.lang),
        ),
        sections=tuple(sections),
        notice=_example_notice(req, shown),
        meta={"meeting": str(first.id)},
    )


def meetings_reply(req: Request, council_code: str | None, year: int | None) -> Reply:
    """The meetings of a year (or the coming ones), in date order."""
    council = asked_council(req, council_code)
    council_id = council.id if council else None
    if year is not None:
        found = queries.meetings(req.session, council_id, year=year)
        when = req._("in {year}", year=year)
    else:
        found = queries.planned_meetings(req.session, req.today, council_id)
        when = req._("ahead")
    if council is not None:
        when += in_council(req, council)
    if not found:
        text = req._("No meetings {when}.", when=when)
        return Reply(title=text, summary=text, kind="not_found")
    return Reply(
        title=req._("Meetings {when}", when=when),
        summary=req.ngettext(
            "One meeting {when}.", "{count} meetings {when}.", len(found), count=len(found), when=when
        ),
        sections=(Section(items=tuple(meeting_line(req, m) for m in found)),),
        notice=_meetings_example(req) if any(m.is_example for m in found) else "",
        meta={"meetings": ",".join(str(m.id) for m in found)},
    )


def meeting_by_number_reply(req: Request, number: str, council_code: str | None) -> Reply:
    """One meeting by its number ("4/2025") or date ("2025-11-20"), with its agenda."""
    council = asked_council(req, council_code)
    day = _day(number)
    label = fmt.date(day, req.lang) if day else number
    try:
        found = meetings_named(req.session, number, council.id if council else None)
    except AgendaError:
        found = []  # a date that does not exist ("31.02.2026")
    if len(found) != 1:
        where = in_council(req, council) if council else ""
        if found:
            items = tuple(meeting_line(req, m) for m in found)
            example = found[0].council.code.upper()
            return Reply(
                title=req._("{council} – meeting {number}", council="…", number=label),
                summary=req._(
                    "{count} councils have meeting {number}. Write e.g. “meeting {number} in {example}”.",
                    count=len(found),
                    number=label,
                    example=example,
                ),
                sections=(Section(items=items),),
                kind="ambiguous",
            )
        year = day.year if day else number.split("/")[-1]
        text = req._(
            "Meeting {number}{council} not found. Write “meetings in {year}” to list that year's meetings.",
            number=label,
            council=where,
            year=year,
        )
        return Reply(title=text, summary=text, kind="not_found")
    meeting = found[0]
    return Reply(
        title=meeting_title(req, meeting),
        summary=meeting_line(req, meeting),
        sections=(meeting_section(req, meeting), agenda_section(req, meeting)),
        notice=meeting_example(req) if meeting.is_example else "",
        meta={"meeting": str(meeting.id)},
    )


def _day(text: str) -> dt.date | None:
    """The day an ISO date names, or None (a meeting number, or no such day)."""
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def meeting_title(req: Request, meeting: Meeting) -> str:
    """ "Porteføljerådet (NUIT) – møte 4/2025" (or "– møte 13. februar 2025" without a number)."""
    number = fmt.meeting_number(meeting.number, meeting.date, req.lang)
    return req._("{council} – meeting {number}", council=council_label(meeting.council), number=number)


def meeting_when(req: Request, meeting: Meeting) -> str:
    """ "4/2025, 20. november 2025", or just the date for a meeting no document numbers."""
    return fmt.meeting(meeting.number, meeting.date, req.lang)


def in_council(req: Request, council: Council) -> str:
    """ " i Porteføljerådet (NUIT)", after what was asked of one council."""
    return req._(" in {council}", council=council_label(council))


def meeting_example(req: Request) -> str:
    """The notice on a meeting that is example data."""
    return req._("Example data: this meeting is an example in the calendar, not a fixed meeting.")


def _meetings_example(req: Request) -> str:
    return req._("Meetings marked (example data) are examples in the calendar, not fixed meetings.")


def meeting_section(req: Request, meeting: Meeting) -> Section:
    """Date, time, place, council and status of a meeting."""
    day = fmt.date(meeting.date, req.lang)
    if meeting.end_date and meeting.end_date != meeting.date:
        day = f"{day} – {fmt.date(meeting.end_date, req.lang)}"
    start, end = fmt.clock(meeting.start_time, req.lang), fmt.clock(meeting.end_time, req.lang)
    facts = [
        Fact(req._("Council"), council_label(meeting.council)),
        Fact(req._("Date"), day),
        Fact(req._("Time"), req.pgettext("from … to", "{start}–{end}", start=start, end=end)),
    ]
    if meeting.place:
        facts.append(Fact(req._("Place"), meeting.place))
    facts.append(Fact(req._("Status"), fmt.meeting_status(meeting.status, req.lang).capitalize()))
    return Section(facts=tuple(facts), context=meeting.notes.strip())


def agenda_section(req: Request, meeting: Meeting) -> Section:
    """The cases on a meeting's agenda, or a sentence saying there are none yet."""
    if not meeting.cases:
        return Section(
            heading=req._("Cases"), text=req._("No cases have been registered for this meeting yet.")
        )
    return Section(heading=req._("Cases"), items=tuple(case_line(req, c) for c in meeting.cases))


def case_line(req: Request, case) -> str:
    """ "40/25 Nasjonal e-helsestrategi – strategiske indikatorer (Drøfting)"."""
    kind = f" ({case.case_type})" if case.case_type else ""
    return f"{case.number} {case.title}{kind}"


def meeting_line(req: Request, meeting: Meeting) -> str:
    """ "26. november 2026: Porteføljerådet (NUIT) møte 4/2026 (eksempeldata)"."""
    date, council = fmt.date(meeting.date, req.lang), council_label(meeting.council)
    if "/" in meeting.number:
        line = req._("{date}: {council} meeting {number}", date=date, council=council, number=meeting.number)
    else:
        line = f"{date}: {council}"
    return fmt.marked(line, meeting.is_example, req.lang)


def first_per_council(coming: list[Meeting]) -> list[Meeting]:
    """The first meeting of each council among the coming ones (those listed per council)."""
    seen: dict[int, Meeting] = {}
    for m in coming:
        seen.setdefault(m.council_id, m)
    return list(seen.values())


def _example_notice(req: Request, shown: list[Meeting]) -> str:
    if not any(m.is_example for m in shown):
        return ""
    return _meetings_example(req) if len(shown) > 1 else meeting_example(req)
