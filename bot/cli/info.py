"""`radsbot info`: version, where the database is, and what is configured (secrets masked)."""

from __future__ import annotations

from importlib.metadata import version

import click
from radsbot.bot.cli import context, language
from radsbot.data.db import current_revision
from radsbot.data.queries import content_counts


def register(cli: click.Group) -> None:
    """Add the command."""
    cli.add_command(info)


@click.command()
def info() -> None:
    """Vis versjon, database og konfigurasjon (hemmeligheter maskert)."""
    ctx, w = context(), language()
    click.echo(f"Rådsbot {version('radsbot')}")
    for key, val in ctx.settings.describe(ctx.lang).items():
        click.echo(f"  {key:<22} {val}")
    engine = ctx.database
    db_kind = w._("embedded SQLite") if engine.dialect.name == "sqlite" else engine.dialect.name
    url = engine.url.render_as_string(hide_password=True)
    click.echo(w._("Database ({kind}): {url}", kind=db_kind, url=url))
    if engine.dialect.name == "sqlite":
        click.echo("  " + w._("file: {path}", path=engine.url.database))
    click.echo("  " + w._("schema version: {version}", version=current_revision(engine)))
    with ctx.sessions() as s:
        counts = content_counts(s)
    content = [
        w.ngettext(
            "{count} indicator", "{count} indicators", counts["indicators"], count=counts["indicators"]
        ),
        w.ngettext(
            "{count} measurement",
            "{count} measurements",
            counts["measurements"],
            count=counts["measurements"],
        ),
        w.ngettext("{count} meeting", "{count} meetings", counts["meetings"], count=counts["meetings"]),
        w.ngettext("{count} case", "{count} cases", counts["cases"], count=counts["cases"]),
    ]
    click.echo("  " + w._("content: {counts}", counts=", ".join(content)))
