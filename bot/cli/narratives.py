"""`radsbot narrative export|import|show`: the goals' quarterly status texts, round-tripped through Word."""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

import click
from radsbot.bot.cli import Failure, context, language
from radsbot.bot.cli.output import OutputError, publish_audited, replaced_note, staged
from radsbot.data.access import AuditFailed, audit, record
from radsbot.data.narratives import (
    HEADINGS,
    NarrativeError,
    check_quarter,
    find_goal,
    ordered_goals,
    store_quarter,
)
from radsbot.data.periods import quarter_of
from radsbot.reports import formatting as fmt

OUT = click.Path(path_type=Path, dir_okay=False)


def register(cli: click.Group) -> None:
    """Add the command group."""
    cli.add_command(narrative)


@click.group("narrative")
def narrative() -> None:
    """Statustekstene per mål for et kvartal: til Word, tilbake fra Word, og visning."""


@narrative.command("export")
@click.option("--quarter", required=True, help="Kvartalet teksten skal gjelde, f.eks. 2026-Q4.")
@click.option("--out", "out", type=OUT, required=True, help="Word-filen som skal skrives (.docx).")
@click.option("--as", "actor", default="cli", show_default=True, help="Hvem som lager dokumentet (logges).")
def export(quarter: str, out: Path, actor: str) -> None:
    """Skriv kvartalets statustekster som redigerbart Word-dokument, fylt ut med siste tekst per mål."""
    from radsbot.reports.narrative_docx import export_docx

    ctx, w = context(), language()
    if out.suffix.casefold() != ".docx":
        raise click.UsageError(w._("--out must be a .docx file, not «{name}».", name=out.name))
    try:
        quarter = check_quarter(quarter)
    except NarrativeError as exc:
        raise Failure(exc) from None
    with ctx.sessions() as session:
        data, goals = export_docx(session, quarter, today=ctx.today(), lang=ctx.lang)
    carried = [g for g in goals if g.source_quarter and g.source_quarter != quarter]
    try:
        with staged({out: data}) as items:
            publish_audited(
                ctx.sessions, items, actor, "narrative_export", quarter, file=str(out), carried=len(carried)
            )
    except OutputError as exc:
        if not exc.audited:
            with contextlib.suppress(AuditFailed):
                record(
                    ctx.sessions, actor, "narrative_export", quarter, outcome="failed", error=str(exc)[:500]
                )
        raise
    click.echo(
        w._(
            "The status texts for {quarter} are written to {file}.",
            quarter=fmt.period(quarter, ctx.lang),
            file=f"{out}{replaced_note(items)}",
        )
    )
    if carried:
        click.echo(
            w.ngettext(
                "{count} goal has the text of an earlier quarter, marked «… – update»: "
                "update it before import.",
                "{count} goals have the text of an earlier quarter, marked «… – update»: "
                "update them before import.",
                len(carried),
                count=len(carried),
            )
        )


@narrative.command("import")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--dry-run", is_flag=True, help="Kontroller filen uten å lagre noe.")
@click.option(
    "--accept-carried-over",
    is_flag=True,
    help="Godta tekster som fortsatt er merket «fra … – oppdater», og lagre dem som kvartalets.",
)
@click.option("--as", "actor", default="cli", show_default=True, help="Hvem som importerer (logges).")
def import_(file: Path, dry_run: bool, accept_carried_over: bool, actor: str) -> int:
    """Les inn et redigert statusdokument: kvartalets tekster lagres alle eller ingen."""
    from radsbot.reports.narrative_read import NarrativeFileError, read_narratives

    ctx, w = context(), language()
    data = _read(file)
    try:
        with ctx.sessions() as session:
            read = read_narratives(data, ordered_goals(session), accept_carried_over=accept_carried_over)
    except NarrativeFileError as exc:
        with contextlib.suppress(AuditFailed):
            record(
                ctx.sessions,
                actor,
                "narrative_import",
                file.name,
                outcome="failed",
                problems=len(exc.problems),
            )
        click.echo(w._("{file} is not imported; nothing is stored:", file=file.name), err=True)
        for problem in exc.problems:
            click.echo(f"- {w.text(problem)}", err=True)
        return 1
    details: dict[str, Any] = {"quarter": read.quarter, "carried_over": len(read.carried), "dry_run": dry_run}
    session = ctx.sessions()
    try:
        stored = store_quarter(session, read.quarter, list(read.texts), actor=actor)
        details.update(changed=stored.changed, unchanged=stored.unchanged)
        if dry_run:
            session.rollback()
        else:
            # The texts and their audit entry are stored together, or neither.
            audit(session, actor, "narrative_import", target=file.name, **details)
            session.commit()
    except NarrativeError as exc:
        session.rollback()
        raise Failure(exc) from None
    finally:
        session.close()
    if dry_run:
        record(ctx.sessions, actor, "narrative_import", file.name, **details)
    _report(read, stored, dry_run)
    return 0


def _read(file: Path) -> bytes:
    from radsbot.reports.narrative_read import MAX_FILE_BYTES

    w = language()
    try:
        if not file.is_file():
            raise click.ClickException(w._("Found no file {file}. Check the name and the folder.", file=file))
        if file.stat().st_size > MAX_FILE_BYTES:
            raise click.ClickException(w._("{file} is too large for a status document.", file=file.name))
        return file.read_bytes()
    except OSError as exc:
        raise click.ClickException(
            w._("{file} cannot be read: {reason}", file=file, reason=exc.strerror)
        ) from None


def _report(read, stored, dry_run: bool) -> None:
    ctx, w = context(), language()
    quarter = fmt.period(read.quarter, ctx.lang)
    changed, unchanged = len(stored.changed), len(stored.unchanged)
    if dry_run:
        line = w._(
            "Checked: {changed} goals would get a new text for {quarter}, {unchanged} are unchanged. "
            "Nothing is stored (--dry-run).",
            changed=changed,
            quarter=quarter,
            unchanged=unchanged,
        )
    else:
        line = w._(
            "Stored: {changed} goals have a new text for {quarter}, {unchanged} are unchanged.",
            changed=changed,
            quarter=quarter,
            unchanged=unchanged,
        )
    click.echo(line)
    for goal in read.blank:
        click.echo(
            w._("{goal}: no text written; the goal has none for {quarter}.", goal=goal, quarter=quarter)
        )
    for goal, section in read.carried:
        click.echo(
            w._("{goal}, «{section}»: carried over as it was.", goal=goal, section=w._(HEADINGS[section]))
        )


@narrative.command("show")
@click.argument("goal")
@click.option("--quarter", default=None, help="Kvartalet, f.eks. 2026-Q2 (standard: inneværende).")
@click.option(
    "--version", "version", type=int, default=None, help="Vis en eldre versjon av kvartalets tekst."
)
def show(goal: str, quarter: str | None, version: int | None) -> None:
    """Vis målets statustekst for et kvartal (mal2, «mål 2»), med tidligere versjoner."""
    from radsbot.reports.narrative_text import narrative_text

    ctx = context()
    try:
        quarter = check_quarter(quarter) if quarter else quarter_of(ctx.today())
        with ctx.sessions() as session:
            found = find_goal(session, goal)
            click.echo(narrative_text(session, found, quarter, version=version, lang=ctx.lang))
    except NarrativeError as exc:
        raise Failure(exc) from None
