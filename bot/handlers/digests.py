"""The pre-meeting digest in chat: its overview with the Word document, and when the next is due."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from radsbot.bot.handlers.meetings import council_label, no_meetings_reply, upcoming
from radsbot.bot.handlers.request import Request
from radsbot.bot.replies import Attachment, Reply, Section
from radsbot.data import deliveries, queries
from radsbot.data.access import allowed, audit
from radsbot.data.models import Council, Meeting
from radsbot.data.words import N_
from radsbot.reports import formatting as fmt

DOCUMENT = N_(
    "The whole digest, with status, events, challenges and one chart per goal, is in the Word document."
)
EXAMPLE_MEETING = N_("Example data: this meeting is an example in the calendar, not a fixed meeting.")


def digest_reply(req: Request, council_code: str | None) -> Reply:
    """The digest before the council's next meeting (or the first council to meet): overview + .docx."""
    from radsbot.bot.digest_replies import overview_reply
    from radsbot.reports.digest import build_digest, draw_charts
    from radsbot.reports.digest_docx import to_docx
    from radsbot.reports.documents import DOCX_MIMETYPE

    if not allowed(req.session, req.user, "digest_preview", req.admins):
        audit(
            req.session, req.user or "ukjent", "digest_preview", target=council_code or "", outcome="denied"
        )
        text = req._(
            "Only the secretariat (the staff role) can see a digest before it is posted. Each council's "
            "digest is posted in its channel before every meeting: write “next digest” for when, or "
            "“overview” for the status now."
        )
        return Reply(title=req._("No access"), summary=text, kind="refused", ephemeral=True)
    council, meeting = _council_and_meeting(req, council_code)
    if council is None:
        return no_meetings_reply(req, None)
    digest = build_digest(req.session, council, meeting, today=req.today, lang=req.lang)
    audit(
        req.session,
        req.user,
        "digest_preview",
        target=f"{council.code} {meeting.number}" if meeting else council.code,
        via="chat",
    )
    charts = draw_charts(digest)
    document = Attachment(f"{digest.slug}.docx", digest.title, to_docx(digest, charts), DOCX_MIMETYPE)
    # In a channel the goals follow in the thread; here they are in the document instead.
    overview = overview_reply(digest, req.lang, threaded=False)
    return replace(
        overview,
        sections=(*overview.sections, Section(context=req._(DOCUMENT))),
        attachments=(document,),
        private=True,  # a preview for the asker, not a post to the channel
    )


def next_digest_reply(req: Request, council_code: str | None) -> Reply:
    """When the next digest is posted, to which channel, for which meeting."""
    from radsbot.bot.digest_calendar import upcoming_digests

    council, coming = upcoming(req, council_code)
    if not coming:
        return no_meetings_reply(req, council)
    now = req.now()
    if now.date() != req.today:  # answering as of another day
        now = dt.datetime.combine(req.today, dt.time.min, req.tz)
    # The scheduler's calendar rule decides. Digests already posted (or cancelled) are behind
    # us, also those posted before the council's channel changed: the next is the first to come.
    due = [
        d
        for d in upcoming_digests(req.session, now, req.tz, council)
        if (row := deliveries.latest(req.session, d.meeting_id, d.channel.transport)) is None
        or row.status in deliveries.OPEN_STATES
    ]
    if not due:
        return no_meetings_reply(req, council)
    first = due[0]
    meeting = req.session.get(Meeting, first.meeting_id)
    if meeting is None:  # deleted since the calendar listed it
        return no_meetings_reply(req, council)
    when = _at(req, first.post_at)
    text = req._(
        "The next digest is for {council} meeting {number} ({date}); it is posted in {channel} {when}.",
        council=council_label(meeting.council),
        number=meeting.number,
        date=fmt.date(meeting.date, req.lang),
        when=when,
        channel=str(first.channel),
    )
    sections = []
    if first.preview_at is not None:
        preview = req._("The secretariat gets a preview {when}.", when=_at(req, first.preview_at))
        sections.append(Section(text=preview))
    return Reply(
        title=req._("Next digest"),
        summary=text,
        sections=tuple(sections),
        notice=req._(EXAMPLE_MEETING) if meeting.is_example else "",
        meta={"meeting": str(meeting.id)},
    )


def _council_and_meeting(req: Request, council_code: str | None) -> tuple[Council | None, Meeting | None]:
    """The council asked about and its next meeting; without a council, the first to meet."""
    council, coming = upcoming(req, council_code)
    if coming:
        return coming[0].council, coming[0]
    if council is not None:
        return council, None  # no meeting planned: the digest of the current quarter
    councils = queries.councils(req.session)
    return (councils[0] if councils else None), None


def _at(req: Request, moment: dt.datetime) -> str:
    """ "26. november 2026 kl. 08.00"."""
    clock = fmt.clock(f"{moment:%H:%M}", req.lang)
    return req._("{date} at {time}", date=fmt.date(moment.date(), req.lang), time=clock)


def approve_reply(req: Request, value: str) -> Reply:
    """The secretariat's Publiser button on a preview: post the digest at its due time."""
    return _decide(req, value, "approved")


def cancel_reply(req: Request, value: str) -> Reply:
    """The secretariat's Avbryt button on a preview: nothing is posted for that meeting."""
    return _decide(req, value, "cancelled")


def _decide(req: Request, value: str, status: str) -> Reply:
    from radsbot.bot.digest_calendar import due_times
    from radsbot.bot.scheduler import SchedulingError, decide

    action = "digest_approve" if status == "approved" else "digest_cancel"
    title = req._("Pre-meeting digest")
    if not allowed(req.session, req.user, "digest_approve", req.admins):
        audit(req.session, req.user or "ukjent", action, target=value, outcome="denied", via="chat")
        message = req._("Only the secretariat (the staff role) can publish or cancel a digest.")
        return Reply(title=title, summary=message, kind="refused", ephemeral=True)
    try:
        row = decide(req.session, int(value), req.user, status, req.now())
        meeting = req.session.get(Meeting, row.meeting_id)
        if meeting is None:  # the ledger's foreign key keeps it; answered as an unknown digest all the same
            raise ValueError(f"digest {value} has no meeting")
    except (ValueError, SchedulingError) as exc:
        if isinstance(exc, SchedulingError):
            message = req.text(exc.problem)
        else:
            message = req._("This digest was not found. Ask “next digest” to see what is planned.")
        audit(req.session, req.user or "ukjent", action, target=value, outcome="failed", error=message)
        return Reply(title=title, summary=message, kind="error", ephemeral=True)
    due = due_times(meeting.council, meeting, req.tz)
    now = req.now()
    fields = {
        "user": req.user,
        "council": council_label(meeting.council),
        "number": meeting.number,
        "date": fmt.date(meeting.date, req.lang),
        "channel": str(deliveries.channel_of(row)),
        "when": req._("right away (within a minute)") if due.post_at <= now else _at(req, due.post_at),
    }
    if status == "approved":
        message = req._(
            "Approved by {user}: the digest before {council} meeting {number} ({date}) is posted in "
            "{channel} {when}.",
            **fields,
        )
    else:
        message = req._(
            "Cancelled by {user}: the digest before {council} meeting {number} ({date}) is not posted.",
            **fields,
        )
    return Reply(title=title, summary=message)
