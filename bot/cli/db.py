"""`radsbot db upgrade|seed`: migrate the schema and (re)load the seed dataset."""

from __future__ import annotations

import click
from radsbot.bot.cli import Failure, context, language
from radsbot.data.db import current_revision, open_database, transaction, upgrade
from radsbot.data.migrations import HEAD_REVISION
from radsbot.data.words import Words


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
    w = language()
    if before == after:
        click.echo(w._("The database is on schema version {version} already.", version=after))
    else:
        click.echo(
            w._(
                "The database is migrated from {before} to {after} (newest: {newest}).",
                before=before or w._("empty"),
                after=after,
                newest=HEAD_REVISION,
            )
        )


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
        raise Failure(exc) from None
    w = language()
    click.echo(w._("Seed data loaded. {summary}", summary=seed_summary(done, w)))


def seed_summary(done, w: Words) -> str:
    """What a seed load did to the measurements."""
    if done.added or done.updated or done.removed:
        text = w._(
            "Measurements: {added} new, {updated} changed, {removed} removed, {unchanged} unchanged.",
            added=done.added,
            updated=done.updated,
            removed=done.removed,
            unchanged=done.unchanged,
        )
    else:
        text = w._("No measurements are changed ({unchanged} unchanged).", unchanged=done.unchanged)
    if done.kept:
        kept = w.ngettext(
            "{count} imported value is kept where the seed data has another; undo the import "
            "(«radsbot import --undo NR») to use the seed data.",
            "{count} imported values are kept where the seed data has others; undo the import "
            "(«radsbot import --undo NR») to use the seed data.",
            done.kept,
            count=done.kept,
        )
        text = f"{text} {kept}"
    return text
