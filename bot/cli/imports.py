"""`radsbot import FILE [--dry-run]`, `--list` and `--undo BATCH`: measurements from CSV/XLSX."""

from __future__ import annotations

from pathlib import Path

import click
from radsbot.bot.cli import Failure, context, language
from radsbot.data.access import audit
from radsbot.data.batches import UndoError, list_batches, undo_batch
from radsbot.data.db import transaction
from radsbot.data.importer import import_file
from radsbot.reports import formatting as fmt


def register(cli: click.Group) -> None:
    """Add the command."""
    cli.add_command(import_cmd)


@click.command("import")
@click.argument("file", required=False, type=click.Path(path_type=Path))
@click.option("--dry-run", is_flag=True, help="Kontroller filen uten å lagre noe.")
@click.option("--list", "list_", is_flag=True, help="Vis de siste importene.")
@click.option("--undo", type=int, metavar="NR", help="Angre import nummer NR.")
@click.option("--as", "actor", default="cli", show_default=True, help="Hvem som importerer (logges).")
def import_cmd(file: Path | None, dry_run: bool, list_: bool, undo: int | None, actor: str) -> int:
    """Importer målinger fra en CSV- eller XLSX-fil: alle rader eller ingen."""
    ctx, w = context(), language()
    if sum(bool(x) for x in (file, list_, undo is not None)) != 1:
        raise click.UsageError(w._("Give one file, or --list, or --undo NR."))
    if list_:
        with ctx.sessions() as session:
            batches = list_batches(session)
        if not batches:
            click.echo(w._("No imports yet."))
        for b in batches:
            moment = ctx.local_time(b.created_at)
            when = f"{fmt.short_date(moment, ctx.lang)} {moment:%H:%M}"
            state = w.pgettext("import", "undone") if b.status == "undone" else w.pgettext("import", "active")
            rows = w._("{added} new, {updated} changed", added=b.rows_added, updated=b.rows_updated)
            click.echo(f"{b.id:>5}  {when}  {b.kind:<6}  {state:<6}  {b.filename}  {rows}  {b.actor}")
        return 0
    if undo is not None:
        try:
            with transaction(ctx.sessions) as session:
                batch = undo_batch(session, undo)
                audit(session, actor, "import_undo", target=str(undo), filename=batch.filename)
        except UndoError as exc:
            raise Failure(exc) from None
        click.echo(w._("Import no. {number} ({file}) is undone.", number=undo, file=batch.filename))
        return 0
    assert file is not None  # exactly one of file, --list and --undo, checked above
    if not file.exists():
        raise click.ClickException(w._("Found no file {file}. Check the name and the folder.", file=file))
    with transaction(ctx.sessions) as session:
        # On errors import_file writes nothing, so this commit stores nothing.
        report = import_file(session, file, dry_run=dry_run, actor=actor)
    with transaction(ctx.sessions) as session:
        audit(
            session,
            actor,
            "import",
            target=file.name,
            outcome="ok" if report.ok else "failed",
            dry_run=dry_run,
            added=report.added,
            updated=report.updated,
            errors=len(report.errors),
            batch=report.batch_id,
        )
    click.echo(report.summary(ctx.lang), err=not report.ok)
    return 0 if report.ok else 1
