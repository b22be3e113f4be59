"""`radsbot access grant|revoke|list` and `radsbot audit`: roles and the audit log."""

from __future__ import annotations

import click

from bot.cli import context
from data.access import AccessError, audit, audit_entries, grant, revoke, users
from data.db import transaction


def register(cli: click.Group) -> None:
    """Add the command groups."""
    cli.add_command(access)
    cli.add_command(audit_cmd)


@click.group()
def access() -> None:
    """Roller: member (spørre), staff (dokumenter, import, godkjenne), admin (konfigurasjon)."""


@access.command("grant")
@click.argument("user_id")
@click.argument("role")
@click.option("--name", default="", help="Navn som vises i listen.")
def access_grant(user_id: str, role: str, name: str) -> None:
    """Gi brukeren USER_ID rollen ROLE (member, staff eller admin)."""
    try:
        with transaction(context().sessions) as session:
            user = grant(session, user_id, role, name)
            audit(session, "cli", "access_grant", target=user_id, role=user.role)
    except AccessError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"{user_id} har nå rollen {user.role}.")


@access.command("revoke")
@click.argument("user_id")
def access_revoke(user_id: str) -> None:
    """Fjern brukerens rolle (brukeren blir vanlig medlem)."""
    try:
        with transaction(context().sessions) as session:
            revoke(session, user_id)
            audit(session, "cli", "access_revoke", target=user_id)
    except AccessError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"Rollen til {user_id} er fjernet.")


@access.command("list")
def access_list() -> None:
    """Vis brukere med tildelt rolle."""
    ctx = context()
    with ctx.sessions() as session:
        rows = users(session)
    for admin in ctx.settings.admins:
        click.echo(f"{admin:<14} admin   (fra RADSBOT_ADMINS)")
    if not rows and not ctx.settings.admins:
        click.echo("Ingen brukere har tildelt rolle; alle er medlemmer.")
    for u in rows:
        click.echo(f"{u.chat_user_id:<14} {u.role:<7} {u.name}")


@click.command("audit")
@click.option("--limit", default=30, show_default=True)
@click.option("--action", default=None, help="Bare én handling, f.eks. import eller toppnotat.")
def audit_cmd(limit: int, action: str | None) -> None:
    """Vis revisjonsloggen: dokumenter, importer og konfigurasjonsendringer."""
    ctx = context()
    with ctx.sessions() as session:
        for e in audit_entries(session, limit, action):
            when = f"{ctx.local_time(e.at):%d.%m.%Y %H:%M}"
            click.echo(f"{when}  {e.actor:<12} {e.action:<16} {e.outcome:<7} {e.target}")
