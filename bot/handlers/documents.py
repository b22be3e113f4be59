"""Toppnotat and meeting notices as Word attachments, for the secretariat (the staff role).

Generations and refusals are written to the audit log, as `radsbot toppnotat` does.
"""

from __future__ import annotations

from radsbot.bot.handlers.meetings import meeting_example
from radsbot.bot.handlers.request import Request
from radsbot.bot.replies import Attachment, Reply, Section
from radsbot.data.access import allowed, audit
from radsbot.data.agenda import AgendaError, AmbiguousError, find_case
from radsbot.data.meeting_refs import find_meeting
from radsbot.reports import formatting as fmt


def toppnotat_reply(req: Request, number: str, council: str | None) -> Reply:
    """The case paper of a case as a .docx attachment."""
    from radsbot.reports.toppnotat import toppnotat_docx, toppnotat_filename

    refused = _refuse(req, "toppnotat", number, council)
    if refused is not None:
        return refused
    if not number:
        return _problem(req, req._("Give the case number, e.g. “case paper 40/25”."), "not_found")
    try:
        case = find_case(req.session, number, council)
    except AgendaError as exc:
        return _failed(req, "toppnotat", number, exc, example=f"toppnotat {number}")
    data = toppnotat_docx(req.session, case, today=req.today, lang=req.lang)
    where = case.council.display_name
    return _delivered(
        req,
        "toppnotat",
        case.council.code,
        case.number,
        _word(toppnotat_filename(case), req._("Case paper, case {number}", number=case.number), data),
        title=req._("Case paper: case {number} {title}", number=case.number, title=case.title),
        summary=req._(
            "The case paper for case {number} ({council}) is ready as a Word document.",
            number=case.number,
            council=where,
        ),
    )


def innkalling_reply(req: Request, meeting: str, council: str | None) -> Reply:
    """The notice of a meeting ("neste", a number or a date) as a .docx attachment."""
    from radsbot.reports.innkalling import innkalling_docx, innkalling_filename

    refused = _refuse(req, "innkalling", meeting, council)
    if refused is not None:
        return refused
    try:
        found = find_meeting(req.session, meeting, council, today=req.today)
    except AgendaError as exc:
        return _failed(req, "innkalling", meeting, exc, example=f"innkalling {meeting}")
    data = innkalling_docx(found, today=req.today, lang=req.lang)
    where = found.council.display_name
    number = fmt.meeting_number(found.number, found.date, req.lang)
    return _delivered(
        req,
        "innkalling",
        found.council.code,
        found.number,
        _word(
            innkalling_filename(found),
            req._("Notice, {council} {number}", council=where, number=number),
            data,
        ),
        title=req._("Meeting notice: {council} meeting {number}", council=where, number=number),
        summary=req._(
            "The notice of {council} meeting {number} ({date}) is ready as a Word document.",
            council=where,
            number=number,
            date=fmt.date(found.date, req.lang),
        ),
        notice=meeting_example(req) if found.is_example else "",
    )


def _delivered(
    req: Request,
    action: str,
    council: str,
    number: str,
    document: Attachment,
    *,
    title: str,
    summary: str,
    notice: str = "",
) -> Reply:
    """The document as a reply, and the generation in the audit log (same transaction)."""
    audit(req.session, req.user or "ukjent", action, target=f"{council} {number}", via="chat")
    return Reply(
        sections=(
            Section(
                context=req._("The document is a draft from the template: read and edit it before sending.")
            ),
        ),
        attachments=(document,),
        meta={"number": number, "council": council},
        title=title,
        summary=summary,
        notice=notice,
    )


def _word(filename: str, title: str, data: bytes) -> Attachment:
    from radsbot.reports.documents import DOCX_MIMETYPE

    return Attachment(filename, title, data, DOCX_MIMETYPE)


def _refuse(req: Request, document: str, target: str, council: str | None) -> Reply | None:
    """A refusal (audited) when the user may not generate documents, else None."""
    if allowed(req.session, req.user, "document", req.admins):
        return None
    audit(req.session, req.user or "ukjent", document, target=target, outcome="denied", council=council or "")
    documents = req._("case papers") if document == "toppnotat" else req._("meeting notices")
    text = req._(
        "Only the secretariat (the staff role) can create {document}. Ask an administrator for access if "
        "you need it.",
        document=documents,
    )
    return Reply(title=req._("No access"), summary=text, kind="refused", ephemeral=True)


def _failed(req: Request, action: str, target: str, exc: AgendaError, example: str) -> Reply:
    """An unknown or ambiguous case or meeting: audited as failed, explained in the reader's language."""
    audit(req.session, req.user or "ukjent", action, target=target, outcome="failed", error=str(exc)[:500])
    if isinstance(exc, AmbiguousError):
        choices = req.words.either(
            fmt.quoted(
                req.pgettext("command", "{command} in {council}", command=example, council=code), req.lang
            )
            for code in exc.codes
        )
        text = req._("{problem} Write for example {choices}.", problem=exc.text(req.lang), choices=choices)
        return _problem(req, text, "ambiguous")
    return _problem(req, exc.text(req.lang), "not_found")


def _problem(req: Request, text: str, kind: str) -> Reply:
    return Reply(title=req._("Case or meeting not found"), summary=text, kind=kind, ephemeral=True)
