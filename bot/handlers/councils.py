"""Councils' digest settings in chat: anyone may look; changing them needs the admin role."""

from __future__ import annotations

from radsbot.bot.council_command import USAGE, CouncilCommand
from radsbot.bot.handlers.request import Request
from radsbot.bot.replies import Fact, Reply, Section
from radsbot.data.access import allowed, audit
from radsbot.data.councils import CouncilError, find_council, update_council
from radsbot.data.destinations import channels
from radsbot.data.models import Council
from radsbot.data.queries import councils
from radsbot.data.statuses import Purpose
from radsbot.data.words import N_
from radsbot.reports import formatting as fmt

# What a malformed command is told (CouncilCommand.problem); {usage} is the command's syntax.
PROBLEMS = {
    "quote": N_("A quotation mark is missing its partner. Write for example: “{usage}”."),
    "which_council": N_("Which council? Write for example: “{usage}”."),
    "missing_value": N_("{word} needs a value. Write for example: “{usage}”."),
    "unknown_option": N_(
        "Unknown option “{word}”. Use --channel, --secretariat, --lead-days, --hour and --preview or "
        "--no-preview."
    ),
    "nothing": N_("Nothing to change. Write for example: “{usage}”."),
}


def settings_facts(req: Request, council: Council) -> tuple[Fact, ...]:
    """A council's destinations (every transport's) and digest settings as labelled values."""
    channel, secretariat = (", ".join(str(c) for c in channels(council, p)) or "–" for p in Purpose)
    return (
        Fact(req._("Channel"), channel),
        Fact(req._("Secretariat's channel"), secretariat),
        Fact(req._("Posted"), _when(req, council)),
        Fact(req._("Preview first"), req._("yes") if council.preview_first else req._("no")),
    )


def _when(req: Request, council: Council) -> str:
    """ "7 dager før møtet kl. 08.00": when the council's digest is posted."""
    days, time = council.digest_lead_days, fmt.clock(f"{council.digest_hour:02d}:00", req.lang)
    if days == 0:
        return req._("on the day of the meeting at {time}", time=time)
    if days == 1:
        return req._("1 day before the meeting at {time}", time=time)
    return req._("{days} days before the meeting at {time}", days=days, time=time)


def council_reply(req: Request, command: CouncilCommand) -> Reply:
    """Show one or every council's settings, or change one council's (admins only)."""
    title = req._("Councils' digest settings")
    if command.problem:
        message = req._(PROBLEMS[command.problem], word=command.word, usage=req._(USAGE))
        return _error(title, message)
    if command.setting:
        return _change(req, command, title)
    try:
        shown = [find_council(req.session, command.council)] if command.council else councils(req.session)
    except CouncilError as exc:
        return _error(title, req.text(exc.problem))
    sections = tuple(
        Section(heading=f"{c.display_name} ({c.code})", facts=settings_facts(req, c)) for c in shown
    )
    return Reply(
        title=title,
        summary=req._("Settings of {count} council(s).", count=len(shown)),
        sections=(
            *sections,
            Section(context=req._("Admins can change them: “{usage}”.", usage=req._(USAGE))),
        ),
    )


def _change(req: Request, command: CouncilCommand, title: str) -> Reply:
    if not allowed(req.session, req.user, "configure", req.admins):
        audit(
            req.session,
            req.user or "ukjent",
            "council_set",
            target=command.council,
            outcome="denied",
            via="chat",
        )
        message = req._("Only administrators can change the councils' settings. Contact the secretariat.")
        return _error(title, message, kind="refused")
    try:
        council = find_council(req.session, command.council)
        # Validated as a whole before anything is set: an invalid value changes nothing.
        changed = update_council(req.session, council, **dict(command.changes))
    except CouncilError as exc:
        audit(
            req.session,
            req.user,
            "council_set",
            target=command.council,
            outcome="failed",
            error=str(exc),
            via="chat",
        )
        return _error(title, req.text(exc.problem))
    if changed:
        audit(
            req.session,
            req.user,
            "council_set",
            target=council.code,
            via="chat",
            changes={k: [str(a), str(b)] for k, (a, b) in changed.items()},
        )
    if changed:
        summary = req._("The settings of {council} have been changed.", council=council.display_name)
    else:
        summary = req._("No changes for {council}: the values were already so.", council=council.display_name)
    # The outcome is the title, so every transport shows it above the settings.
    return Reply(title=summary, summary=summary, sections=(Section(facts=settings_facts(req, council)),))


def _error(title: str, message: str, kind: str = "error") -> Reply:
    return Reply(title=title, summary=message, kind=kind, ephemeral=True)
