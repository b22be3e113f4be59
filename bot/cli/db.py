"""`radsbot db upgrade|seed`: migrate the schema and (re)load the seed dataset."""

from __future__ import annotations

import click
from radsbot.bot.cli import context
from radsbot.data.db import current_revision, open_database, transaction, upgrade
from radsbot.data.migrations import HEAD_REVISION


def register(cli: click.Group) -> None:
    """Add the command group."""
    cli.add_command(db)


@click.group()
def db() -> None:
    """Databaseskjema og grunndata."""


@db.command("upgrade")
@click.option("--revision", default="head", show_default=True, help="Alembic-revisjon å oppgradere til.")
def db_upgrade(revision: str) -> None:
    """Migrer databasen til nyeste skjema (Alembic)."""
    # Use a plain engine: the context's engine would seed as well, which `upgrade` should not.
    engine = open_database(context().settings.database_url, ready=False)
    try:
        before = current_revision(engine)
        upgrade(engine, revision)
        after = current_revision(engine)
    finally:
        engine.dispose()
    if before == after:
        click.echo(f"Databasen er allerede på skjemaversjon {after}.")
    else:
        click.echo(f"Databasen er migrert fra {before or 'tom'} til {after} (nyeste: {HEAD_REVISION}).")


@db.command("seed")
def db_seed() -> None:
    """Last grunndataene (indikatorer, ambisjoner, møter, saker) på nytt fra data/seed."""
    from radsbot.data.access import audit
    from radsbot.data.seed import SeedError, load_seed

    ctx = context()
    try:
        with transaction(ctx.sessions) as session:
            done = load_seed(session)
            audit(
                session,
                "cli",
                "seed",
                target=done.batch.filename,
                added=done.added,
                updated=done.updated,
                removed=done.removed,
            )
    except SeedError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"Grunndata lastet. {seed_summary(done)}")


def seed_summary(done) -> str:
    """What a seed load did to the measurements, in Norwegian."""
    if done.added or done.updated or done.removed:
        text = (
            f"Målinger: {done.added} nye, {done.updated} endret, {done.removed} fjernet, "
            f"{done.unchanged} uendret."
        )
    else:
        text = f"Ingen målinger er endret ({done.unchanged} uendret)."
    if done.kept:
        values = "verdi" if done.kept == 1 else "verdier"
        text += (
            f" {done.kept} importerte {values} er beholdt der grunndataene har en annen verdi; "
            "angre importen («radsbot import --undo NR») for å bruke grunndataene."
        )
    return text
