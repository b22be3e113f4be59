"""`radsbot toppnotat SAKSNUMMER --out FILE` and `radsbot innkalling MØTE --out FILE`: Word documents."""

from __future__ import annotations

from pathlib import Path

import click

from bot.cli import context
from bot.cli.cases import lookup_error
from bot.cli.output import write_atomically
from data.access import audit
from data.agenda import AgendaError, find_case
from data.db import transaction
from data.meeting_refs import find_meeting

OUT = click.Path(path_type=Path, dir_okay=False)
TEMPLATE = click.Path(path_type=Path, dir_okay=False)


def register(cli: click.Group) -> None:
    """Add the commands."""
    cli.add_command(toppnotat)
    cli.add_command(innkalling)


def _check_out(out: Path) -> None:
    if out.suffix.casefold() != ".docx":
        raise click.UsageError(f"--out må være en .docx-fil, ikke «{out.name}».")


def _failed(actor: str, action: str, target: str, exc: Exception) -> click.ClickException:
    """Log a refused generation in its own transaction, and the error to show."""
    with transaction(context().sessions) as session:
        audit(session, actor, action, target=target, outcome="failed", error=str(exc)[:500])
    return lookup_error(exc)


def _deliver(
    session, actor: str, action: str, target: str, out: Path, data: bytes, template: Path | None, **details
) -> Path:
    """Write the document whole and log it with the rest of the transaction."""
    written = write_atomically(out, data)
    used = str(template) if template else "standard"
    audit(session, actor, action, target=target, file=str(written), template=used, **details)
    return written


@click.command("toppnotat")
@click.argument("saksnummer")
@click.option("--out", "out", type=OUT, required=True, help="Word-filen som skal skrives (.docx).")
@click.option("--template", type=TEMPLATE, default=None, help="Egen Word-mal i stedet for standardmalen.")
@click.option("--council", default=None, help="Rådet saken hører til (nuit, nufa, ehelseradet).")
@click.option("--no-chart", is_flag=True, help="Uten figur av indikatorene.")
@click.option("--as", "actor", default="cli", show_default=True, help="Hvem som lager dokumentet (logges).")
def toppnotat(
    saksnummer: str, out: Path, template: Path | None, council: str | None, no_chart: bool, actor: str
) -> None:
    """Skriv toppnotatet for sak SAKSNUMMER (f.eks. 41/25) som Word-dokument."""
    from reports.documents import TemplateProblem
    from reports.toppnotat import toppnotat_docx

    _check_out(out)
    ctx = context()
    try:
        with transaction(ctx.sessions) as session:
            case = find_case(session, saksnummer, council)
            data = toppnotat_docx(
                session, case, today=ctx.today(), lang=ctx.lang, template=template, chart=not no_chart
            )
            target = f"{case.council.code} {case.number}"
            written = _deliver(session, actor, "toppnotat", target, out, data, template, chart=not no_chart)
            where = case.council.display_name
    except (AgendaError, TemplateProblem) as exc:
        raise _failed(actor, "toppnotat", saksnummer, exc) from None
    click.echo(f"Toppnotat for sak {case.number} ({where}) er skrevet til {written}.")


@click.command("innkalling")
@click.argument("mote", metavar="MØTE")
@click.option("--out", "out", type=OUT, required=True, help="Word-filen som skal skrives (.docx).")
@click.option("--council", default=None, help="Rådet møtet hører til (nuit, nufa, ehelseradet).")
@click.option("--template", type=TEMPLATE, default=None, help="Egen Word-mal i stedet for standardmalen.")
@click.option("--as", "actor", default="cli", show_default=True, help="Hvem som lager dokumentet (logges).")
def innkalling(mote: str, out: Path, council: str | None, template: Path | None, actor: str) -> None:
    """Skriv innkallingen til et møte: MØTE er 4/2025, en dato (20.11.2025) eller «neste»."""
    from reports.documents import TemplateProblem
    from reports.innkalling import innkalling_docx

    _check_out(out)
    ctx = context()
    try:
        with transaction(ctx.sessions) as session:
            meeting = find_meeting(session, mote, council, today=ctx.today())
            data = innkalling_docx(meeting, today=ctx.today(), lang=ctx.lang, template=template)
            target = f"{meeting.council.code} {meeting.number}"
            written = _deliver(session, actor, "innkalling", target, out, data, template)
            where = meeting.council.display_name
    except (AgendaError, TemplateProblem) as exc:
        raise _failed(actor, "innkalling", mote, exc) from None
    click.echo(
        f"Innkalling til {where} møte {meeting.number} ({meeting.date:%d.%m.%Y}) er skrevet til {written}."
    )
