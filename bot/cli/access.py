"""`radsbot access grant|revoke|list` and `radsbot audit`: roles and the audit log.

The audit log keeps values as they were given (a refused request's text included), so it is
printed such that no value can pass for another row or column: control and direction characters
escaped, and a value with spaces or quotes in quotes; `--format json` gives one JSON object a line.
"""

from __future__ import annotations

import json
import unicodedata

import click
from radsbot.bot.cli import Failure, context, language
from radsbot.data.access import AccessError, audit, audit_entries, grant, revoke, user_key, users
from radsbot.data.db import transaction
from radsbot.data.fields import printable
from radsbot.reports import formatting as fmt


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
    """Gi brukeren USER_ID rollen ROLE (member, staff eller admin).

    USER_ID er Slack-brukerens ID (U012ABC) eller en Teams-bruker som aad:<objekt-ID i Entra>."""
    try:
        with transaction(context().sessions) as session:
            user = grant(session, user_key(user_id), role, name)
            audit(session, "cli", "access_grant", target=user.chat_user_id, role=user.role)
    except AccessError as exc:
        raise Failure(exc) from None
    click.echo(language()._("{user} now has the role {role}.", user=user.chat_user_id, role=user.role))


@access.command("revoke")
@click.argument("user_id")
def access_revoke(user_id: str) -> None:
    """Fjern brukerens rolle (brukeren blir vanlig medlem)."""
    try:
        with transaction(context().sessions) as session:
            user_id = user_key(user_id)
            revoke(session, user_id)
            audit(session, "cli", "access_revoke", target=user_id)
    except AccessError as exc:
        raise Failure(exc) from None
    click.echo(language()._("The role of {user} is removed.", user=user_id))


@access.command("list")
def access_list() -> None:
    """Vis brukere med tildelt rolle."""
    ctx, w = context(), language()
    with ctx.sessions() as session:
        rows = users(session)
    # Slack ids are short, Teams ids (aad:<guid>) 40 characters: one column wide enough for both.
    width = max([14, *(len(a) for a in ctx.settings.admins), *(len(u.chat_user_id) for u in rows)])
    for admin in ctx.settings.admins:
        click.echo(f"{admin:<{width}} admin   " + w._("(from RADSBOT_ADMINS)"))
    if not rows and not ctx.settings.admins:
        click.echo(w._("No user has a role granted; everyone is a member."))
    for u in rows:
        click.echo(f"{u.chat_user_id:<{width}} {u.role:<7} {u.name}")


@click.command("audit")
@click.option("--limit", default=30, show_default=True)
@click.option("--action", default=None, help="Bare én handling, f.eks. import eller toppnotat.")
@click.option(
    "--format",
    "format_",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="json: én linje per hendelse, for maskiner.",
)
def audit_cmd(limit: int, action: str | None, format_: str) -> None:
    """Vis revisjonsloggen: dokumenter, importer og konfigurasjonsendringer."""
    ctx = context()
    with ctx.sessions() as session:
        for e in audit_entries(session, limit, action):
            moment = ctx.local_time(e.at)
            if format_ == "json":
                record = {
                    "at": moment.isoformat(),
                    "actor": e.actor,
                    "action": e.action,
                    "outcome": e.outcome,
                    "target": e.target,
                    "details": e.details,
                }
                click.echo(_json_line(record))
                continue
            actor, action_, outcome, target = (_field(v) for v in (e.actor, e.action, e.outcome, e.target))
            when = f"{fmt.short_date(moment, ctx.lang)} {moment:%H:%M}"
            click.echo(f"{when}  {actor:<12} {action_:<16} {outcome:<7} {target}")


def _field(value: str) -> str:
    """A value as one unmistakable column: escaped, and quoted when it has spaces, quotes or escapes."""
    shown = printable(value)
    if shown == value and value and not any(ch.isspace() or ch == '"' for ch in value):
        return value
    return '"' + shown.replace('"', '\\"') + '"'


def _json_line(record: dict) -> str:
    """One JSON object on one line, with letters as they are but invisible characters escaped."""
    text = json.dumps(record, ensure_ascii=False, default=str)
    invisible = ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp")
    return "".join(json.dumps(ch)[1:-1] if unicodedata.category(ch) in invisible else ch for ch in text)
