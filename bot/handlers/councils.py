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
from radsbot.reports import formatting as fmt


def settings_facts(req: Request, council: Council) -> tuple[Fact, ...]:
    """A council's destinations (every transport's) and digest settings as labelled values."""
    channel, secretariat = (", ".join(str(c) for c in channels(council, p)) or "–" for p in Purpose)
    return (
        Fact(req.t("council_channel"), channel),
        Fact(req.t("council_secretariat"), secretariat),
        Fact(
            req.t("council_when"),
            req.t(
                {0: "council_when_same_day", 1: "council_when_one_day"}.get(
                    council.digest_lead_days, "council_when_value"
                ),
                days=council.digest_lead_days,
                time=fmt.clock(f"{council.digest_hour:02d}:00", req.lang),
            ),
        ),
        Fact(req.t("council_preview"), req.t("council_yes" if council.preview_first else "council_no")),
    )


def council_reply(req: Request, command: CouncilCommand) -> Reply:
    """Show one or every council's settings, or change one council's (admins only)."""
    title = req.t("council_title")
    if command.problem:
        message = req.t(f"council_{command.problem}", word=command.word, usage=USAGE)
        return _error(title, message)
    if command.setting:
        return _change(req, command, title)
    try:
        shown = [find_council(req.session, command.council)] if command.council else councils(req.session)
    except CouncilError as exc:
        return _error(title, str(exc))
    sections = tuple(
        Section(heading=f"{c.display_name} ({c.code})", facts=settings_facts(req, c)) for c in shown
    )
    return Reply(
        title=title,
        summary=req.t("council_summary", count=len(shown)),
        sections=(*sections, Section(context=req.t("council_hint", usage=USAGE))),
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
        return _error(title, req.t("council_refused"), kind="refused")
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
        return _error(title, str(exc))
    if changed:
        audit(
            req.session,
            req.user,
            "council_set",
            target=council.code,
            via="chat",
            changes={k: [str(a), str(b)] for k, (a, b) in changed.items()},
        )
    summary = req.t("council_changed" if changed else "council_unchanged", council=council.display_name)
    # The outcome is the title, so every transport shows it above the settings.
    return Reply(title=summary, summary=summary, sections=(Section(facts=settings_facts(req, council)),))


def _error(title: str, message: str, kind: str = "error") -> Reply:
    return Reply(title=title, summary=message, kind=kind, ephemeral=True)
