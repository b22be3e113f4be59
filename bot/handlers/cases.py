"""Cases: one case by number, and the agenda of the next meeting."""

from __future__ import annotations

from radsbot.bot.handlers.meetings import (
    agenda_section,
    asked_council,
    council_label,
    in_council,
    meeting_by_number_reply,
    meeting_example,
    meeting_section,
    meeting_title,
    meeting_when,
    no_meetings_reply,
    upcoming,
)
from radsbot.bot.handlers.request import Request
from radsbot.bot.replies import Fact, Reply, Section
from radsbot.data.agenda import case_date, cases_by_number, normalise_case_number
from radsbot.data.models import Case
from radsbot.reports import formatting as fmt


def case_reply(req: Request, number: str, council_code: str | None) -> Reply:
    """The case with this number: meeting, type, proposed decision or decision, and what it cites."""
    council = asked_council(req, council_code)
    found = cases_by_number(req.session, number, council.id if council else None)
    where = in_council(req, council) if council else ""
    if not found:
        text = req._("No case {number}{council} found.", number=number, council=where)
        hint = req._("Check the case number (e.g. 40/25) or write “cases at the next meeting”.")
        return Reply(title=text, summary=text, sections=(Section(context=hint),), kind="not_found")
    if len(found) > 1:
        councils = ", ".join(council_label(c.council) for c in found)
        text = req._(
            "Case {number} exists in several councils: {councils}. Write e.g. “case {number} in {example}”.",
            number=number,
            councils=councils,
            example=found[0].council.code.upper(),
        )
        return Reply(
            title=_case_title(req, number, "…"),
            summary=text,
            sections=(Section(items=tuple(_case_line_with_council(req, c) for c in found)),),
            kind="ambiguous",
        )
    return _case_card(req, found[0])


def meeting_or_case_reply(req: Request, number: str, council_code: str | None) -> Reply:
    """The meeting "4/2025" (or on "2025-11-20"); a "40/2025" that is no meeting but a case is that case."""
    reply = meeting_by_number_reply(req, number, council_code)
    if reply.kind == "not_found" and "/" in number:
        case_number = normalise_case_number(number)
        council = asked_council(req, council_code)
        if cases_by_number(req.session, case_number, council.id if council else None):
            return case_reply(req, case_number, council_code)
    return reply


def cases_at_next_meeting_reply(req: Request, council_code: str | None) -> Reply:
    """The agenda of the next planned meeting (of one council, or the first of any)."""
    council, coming = upcoming(req, council_code)
    if not coming:
        return no_meetings_reply(req, council)
    meeting = coming[0]
    title = meeting_title(req, meeting)
    count = len(meeting.cases)
    return Reply(
        title=req._("Cases for {meeting}", meeting=title),
        summary=req.ngettext(
            "One case for {meeting}, {date}.",
            "{count} cases for {meeting}, {date}.",
            count,
            count=count,
            meeting=title,
            date=fmt.date(meeting.date, req.lang),
        ),
        sections=(agenda_section(req, meeting), meeting_section(req, meeting)),
        notice=meeting_example(req) if meeting.is_example else "",
        meta={"meeting": str(meeting.id)},
    )


def _case_card(req: Request, case: Case) -> Reply:
    facts = [Fact(req._("Council"), council_label(case.council))]
    meeting = case.meeting
    if meeting is not None:
        facts.append(Fact(req._("Meeting"), meeting_when(req, meeting)))
    elif case.meeting_label or case.meeting_date:
        label = " ".join(
            x
            for x in (case.meeting_label, fmt.date(case.meeting_date, req.lang) if case.meeting_date else "")
            if x
        )
        facts.append(Fact(req._("Meeting"), label))
    for label, val in (
        (req._("Case type"), case.case_type),
        (req.pgettext("case", "Time"), fmt.clock(case.agenda_time, req.lang)),
        (req._("Presented by"), case.presenter),
        (req._("Case owner"), case.owner),
        (req._("Case officer"), case.officer),
    ):
        if val:
            facts.append(Fact(label, val))
    sections = [Section(facts=tuple(facts))]
    for heading, body in (
        (req._("About the case"), case.summary),
        (req._("Proposed decision"), case.proposed_decision),
        (req._("Decision"), case.decision),
    ):
        if body.strip():
            sections.append(Section(heading=heading, text=body.strip()))
    if case.indicators:
        items = tuple(f"{i.code} – {i.name}" for i in case.indicators)
        sections.append(Section(heading=req._("Indicators in the case"), items=items))
    if case.cites:
        items = tuple(_cited_line(req, c) for c in case.cites)
        sections.append(Section(heading=req._("Previous decisions"), items=items))
    if case.attachments:
        sections.append(Section(heading=req._("Attachments"), items=tuple(case.attachments)))
    decision = case.decision or case.proposed_decision
    summary = _case_title(req, case.number, case.title)
    if meeting is not None:
        summary += f" – {council_label(case.council)} {meeting_when(req, meeting)}"
    summary = summary.rstrip(".")  # a title may end with a full stop of its own
    return Reply(
        title=_case_title(req, case.number, case.title),
        summary=summary + (f". {decision.strip()}" if decision.strip() else "."),
        sections=tuple(sections),
        notice=meeting_example(req) if meeting is not None and meeting.is_example else "",
        meta={"case": case.number, "council": case.council.code},
    )


def _case_title(req: Request, number: str, title: str) -> str:
    return req._("Case {number}: {title}", number=number, title=title)


def _cited_line(req: Request, case: Case) -> str:
    """ "4/25 Tittel (Strategirådet, 20. mars 2025): vedtak" — councils reuse numbers every year."""
    decision = (case.decision or case.proposed_decision).strip()
    day = case_date(case)
    where = case.council.display_name + (f", {fmt.date(day, req.lang)}" if day else "")
    return f"{case.number} {case.title.strip().rstrip('.')} ({where})" + (f": {decision}" if decision else "")


def _case_line_with_council(req: Request, case: Case) -> str:
    return f"{council_label(case.council)}: {case.number} {case.title}"
