"""`radsbot council list|show|set`: destinations, lead days, hour and preview per council."""

from __future__ import annotations

import click
from radsbot.bot.cli import Failure, context, language
from radsbot.data.access import audit
from radsbot.data.councils import CouncilError, find_council, update_council
from radsbot.data.db import transaction
from radsbot.data.destinations import channels
from radsbot.data.queries import councils
from radsbot.data.statuses import Purpose


def register(cli: click.Group) -> None:
    """Add the command group."""
    cli.add_command(council)


@click.group()
def council() -> None:
    """Rådenes kanaler og innstillinger for sammendrag før møter."""


def _describe(c) -> str:
    w, hour = language(), f"{c.digest_hour:02d}"
    channel, secretariat = (", ".join(str(d) for d in channels(c, p)) or "–" for p in Purpose)
    settings = w._(
        "channel {channel}, secretariat {secretariat}, {days} days before at {hour}:00, "
        "preview first: {preview}",
        channel=channel,
        secretariat=secretariat,
        days=c.digest_lead_days,
        hour=hour,
        preview=w._("yes") if c.preview_first else w._("no"),
    )
    return f"{c.code:<12} {c.short_name} ({c.name})\n{'':<12} {settings}"


@council.command("list")
def council_list() -> None:
    """Vis alle råd og innstillingene deres."""
    with context().sessions() as session:
        for c in councils(session):
            click.echo(_describe(c))


@council.command("show")
@click.argument("code")
def council_show(code: str) -> None:
    """Vis ett råd (kode eller navn, gammelt eller nytt)."""
    with context().sessions() as session:
        try:
            c = find_council(session, code)
        except CouncilError as exc:
            raise Failure(exc) from None
        click.echo(_describe(c))
        if c.former_names:
            click.echo(f"{'':<12} " + language()._("former names: {names}", names=", ".join(c.former_names)))


@council.command("set")
@click.argument("code")
@click.option(
    "--channel",
    help="Kanalen sammendraget postes i: #navn eller kanal-ID i Slack, eller TRANSPORT:ID "
    "(slack:C0123ABCD, teams:19:…@thread.tacv2). Tom ID («teams:») fjerner kanalen.",
)
@click.option(
    "--secretariat",
    help="Sekretariatets kanal (forhåndsvisning og feilmeldinger), skrevet som --channel.",
)
@click.option("--lead-days", type=int, help="Antall dager før møtet sammendraget postes (0–60).")
@click.option("--hour", type=int, help="Klokkeslett (time, 0–23, Europe/Oslo).")
@click.option("--preview/--no-preview", default=None, help="Sekretariatet godkjenner først.")
@click.option("--as", "actor", default="cli", show_default=True, help="Hvem som endrer (logges).")
def council_set(code, channel, secretariat, lead_days, hour, preview, actor) -> None:
    """Endre et råds innstillinger for sammendrag."""
    try:
        with transaction(context().sessions) as session:
            c = find_council(session, code)
            changed = update_council(
                session,
                c,
                channel=channel,
                secretariat=secretariat,
                digest_lead_days=lead_days,
                digest_hour=hour,
                preview_first=preview,
            )
            if changed:
                audit(
                    session,
                    actor,
                    "council_set",
                    target=c.code,
                    changes={k: [str(a), str(b)] for k, (a, b) in changed.items()},
                )
            text = _describe(c)
    except CouncilError as exc:
        raise Failure(exc) from None
    click.echo(language()._("Changed:") + "\n" + text if changed else language()._("No changes."))
