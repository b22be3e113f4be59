"""`radsbot info`: version, where the database is, and what is configured (secrets masked)."""

from __future__ import annotations

from importlib.metadata import version

import click
from radsbot.bot.cli import context
from radsbot.data.db import current_revision
from radsbot.data.queries import content_counts


def register(cli: click.Group) -> None:
    """Add the command."""
    cli.add_command(info)


@click.command()
def info() -> None:
    """Vis versjon, database og konfigurasjon (hemmeligheter maskert)."""
    ctx = context()
    click.echo(f"Rådsbot {version('radsbot')}")
    for key, val in ctx.settings.describe().items():
        click.echo(f"  {key:<22} {val}")
    engine = ctx.database
    db_kind = "innebygd SQLite" if engine.dialect.name == "sqlite" else engine.dialect.name
    click.echo(f"Database ({db_kind}): {engine.url.render_as_string(hide_password=True)}")
    if engine.dialect.name == "sqlite":
        click.echo(f"  fil: {engine.url.database}")
    click.echo(f"  skjemaversjon: {current_revision(engine)}")
    with ctx.sessions() as s:
        counts = content_counts(s)
    click.echo("  innhold: " + ", ".join(f"{n} {k}" for k, n in counts.items()))
