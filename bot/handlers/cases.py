"""Cases: one case by number, and the agenda of the next meeting."""

from __future__ import annotations

from radsbot.bot.handlers.meetings import (
    agenda_section,
    asked_council,
    council_label,
    meeting_by_number_reply,
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
    where = req.t("in_council", council=council_label(council)) if council else ""
    if not found:
        return Reply(
            title=req.t("case_not_found", number=number, council=where),
            summary=req.t("case_not_found", number=number, council=where),
            sections=(Section(context=req.t("case_not_found_hint")),),
            kind="not_found",
        )
    if len(found) > 1:
        councils = ", ".join(council_label(c.council) for c in found)
        text = req.t("case_several", number=number, councils=councils, example=found[0].council.code.upper())
        return Reply(
            title=req.t("case_title", number=number, title="…"),
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
    return Reply(
        title=req.t("cases_title", meeting=title),
        summary=req.t(
            "cases_summary_one" if len(meeting.cases) == 1 else "cases_summary",
            count=len(meeting.cases),
            meeting=title,
            date=fmt.date(meeting.date, req.lang),
        ),
        sections=(agenda_section(req, meeting), meeting_section(req, meeting)),
        notice=req.t("meeting_example") if meeting.is_example else "",
        meta={"meeting": str(meeting.id)},
    )


def _case_card(req: Request, case: Case) -> Reply:
    facts = [Fact(req.t("meeting_council"), council_label(case.council))]
    meeting = case.meeting
    if meeting is not None:
        facts.append(Fact(req.t("case_meeting"), meeting_when(req, meeting)))
    elif case.meeting_label or case.meeting_date:
        label = " ".join(
            x
            for x in (case.meeting_label, fmt.date(case.meeting_date, req.lang) if case.meeting_date else "")
            if x
        )
        facts.append(Fact(req.t("case_meeting"), label))
    for key, val in (
        ("case_type", case.case_type),
        ("case_time", fmt.clock(case.agenda_time, req.lang)),
        ("case_presenter", case.presenter),
        ("case_owner", case.owner),
        ("case_officer", case.officer),
    ):
        if val:
            facts.append(Fact(req.t(key), val))
    sections = [Section(facts=tuple(facts))]
    for key, body in (
        ("case_summary", case.summary),
        ("case_proposed", case.proposed_decision),
        ("case_decision", case.decision),
    ):
        if body.strip():
            sections.append(Section(heading=req.t(key), text=body.strip()))
    if case.indicators:
        sections.append(
            Section(
                heading=req.t("case_indicators"), items=tuple(f"{i.code} – {i.name}" for i in case.indicators)
            )
        )
    if case.cites:
        sections.append(
            Section(heading=req.t("case_cites"), items=tuple(_cited_line(req, c) for c in case.cites))
        )
    if case.attachments:
        sections.append(Section(heading=req.t("case_attachments"), items=tuple(case.attachments)))
    decision = case.decision or case.proposed_decision
    summary = req.t("case_title", number=case.number, title=case.title)
    if meeting is not None:
        summary += f" – {council_label(case.council)} {meeting_when(req, meeting)}"
    summary = summary.rstrip(".")  # a title may end with a full stop of its own
    return Reply(
        title=req.t("case_title", number=case.number, title=case.title),
        summary=summary + (f". {decision.strip()}" if decision.strip() else "."),
        sections=tuple(sections),
        notice=req.t("meeting_example") if meeting is not None and meeting.is_example else "",
        meta={"case": case.number, "council": case.council.code},
    )


def _cited_line(req: Request, case: Case) -> str:
    """ "4/25 Tittel (Strategirådet, 20. mars 2025): vedtak" — councils reuse numbers every year."""
    decision = (case.decision or case.proposed_decision).strip()
    day = case_date(case)
    where = case.council.display_name + (f", {fmt.date(day, req.lang)}" if day else "")
    return f"{case.number} {case.title.strip().rstrip('.')} ({where})" + (f": {decision}" if decision else "")


def _case_line_with_council(req: Request, case: Case) -> str:
    return f"{council_label(case.council)}: {case.number} {case.title}"
