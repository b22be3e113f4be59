"""`radsbot toppnotat SAKSNUMMER --out FILE` and `radsbot innkalling MØTE --out FILE`: Word documents."""

from __future__ import annotations

import contextlib
from pathlib import Path

import click
from radsbot.bot.cli import context, language
from radsbot.bot.cli.cases import lookup_error
from radsbot.bot.cli.output import OutputError, publish_audited, replaced_note, staged
from radsbot.data.access import AuditFailed, record
from radsbot.data.agenda import AgendaError, find_case
from radsbot.data.db import transaction
from radsbot.data.meeting_refs import find_meeting
from radsbot.reports import formatting as fmt

OUT = click.Path(path_type=Path, dir_okay=False)
TEMPLATE = click.Path(path_type=Path, dir_okay=False)


def register(cli: click.Group) -> None:
    """Add the commands."""
    cli.add_command(toppnotat)
    cli.add_command(innkalling)


def _check_out(out: Path) -> None:
    if out.suffix.casefold() != ".docx":
        raise click.UsageError(language()._("--out must be a .docx file, not «{name}».", name=out.name))


def _failed(actor: str, action: str, target: str, exc: Exception) -> click.ClickException:
    """Log a refused generation in its own transaction, and the error to show."""
    # If the audit log refuses this too, the user still hears what went wrong.
    with contextlib.suppress(AuditFailed):
        record(context().sessions, actor, action, target=target, outcome="failed", error=str(exc)[:500])
    return lookup_error(exc)


PDF = click.option(
    "--pdf",
    is_flag=True,
    help="Skriv også en tagget PDF (universell utforming) ved siden av, via LibreOffice.",
)


def _with_pdf(actor: str, action: str, target: str, out: Path, data: bytes, pdf: bool) -> dict[Path, bytes]:
    """The files to write: the document, and its tagged PDF beside it when asked for."""
    from radsbot.reports.pdf import PdfProblem, tagged_pdf

    if not pdf:
        return {out: data}
    try:
        return {out: data, out.with_suffix(".pdf"): tagged_pdf(data)}
    except PdfProblem as exc:
        raise _failed(actor, action, target, exc) from None


def _deliver(
    actor: str, action: str, target: str, files: dict[Path, bytes], template: Path | None, **details
) -> str:
    """Write the document (and its PDF) and log it, all or none; returns where they went.

    The files are first written complete beside their targets, then the audit entry is committed,
    and only then do the files get their names.
    """
    used = str(template) if template else "standard"  # recorded in the audit log
    try:
        with staged(files, template=template) as items:
            written = [str(item.target) for item in items]
            details.update(file=written[0], template=used, replaced=any(item.replaces for item in items))
            if len(written) > 1:
                details["pdf"] = written[1]
            publish_audited(context().sessions, items, actor, action, target, **details)
    except OutputError as exc:
        if not exc.audited:
            _failed(actor, action, target, exc)
        raise
    return f"{' + '.join(written)}{replaced_note(items)}"


@click.command("toppnotat")
@click.argument("saksnummer")
@click.option(
    "--out",
    "out",
    type=OUT,
    required=True,
    help="Word-filen som skal skrives (.docx); en fil med samme navn erstattes.",
)
@click.option("--template", type=TEMPLATE, default=None, help="Egen Word-mal i stedet for standardmalen.")
@click.option("--council", default=None, help="Rådet saken hører til (nuit, nufa, ehelseradet).")
@click.option("--no-chart", is_flag=True, help="Uten figur av indikatorene.")
@PDF
@click.option("--as", "actor", default="cli", show_default=True, help="Hvem som lager dokumentet (logges).")
def toppnotat(
    saksnummer: str,
    out: Path,
    template: Path | None,
    council: str | None,
    no_chart: bool,
    pdf: bool,
    actor: str,
) -> None:
    """Skriv toppnotatet for sak SAKSNUMMER (f.eks. 41/25) som Word-dokument."""
    from radsbot.reports.documents import TemplateProblem
    from radsbot.reports.toppnotat import toppnotat_docx

    _check_out(out)
    ctx = context()
    try:
        with transaction(ctx.sessions) as session:
            case = find_case(session, saksnummer, council)
            data = toppnotat_docx(
                session, case, today=ctx.today(), lang=ctx.lang, template=template, chart=not no_chart
            )
            number, target = case.number, f"{case.council.code} {case.number}"
            where = case.council.display_name
    except (AgendaError, TemplateProblem) as exc:
        raise _failed(actor, "toppnotat", saksnummer, exc) from None
    files = _with_pdf(actor, "toppnotat", saksnummer, out, data, pdf)
    written = _deliver(actor, "toppnotat", target, files, template, chart=not no_chart)
    click.echo(
        language()._(
            "The case paper for case {number} ({council}) is written to {file}.",
            number=number,
            council=where,
            file=written,
        )
    )


@click.command("innkalling")
@click.argument("mote", metavar="MØTE")
@click.option(
    "--out",
    "out",
    type=OUT,
    required=True,
    help="Word-filen som skal skrives (.docx); en fil med samme navn erstattes.",
)
@click.option("--council", default=None, help="Rådet møtet hører til (nuit, nufa, ehelseradet).")
@click.option("--template", type=TEMPLATE, default=None, help="Egen Word-mal i stedet for standardmalen.")
@PDF
@click.option("--as", "actor", default="cli", show_default=True, help="Hvem som lager dokumentet (logges).")
def innkalling(
    mote: str, out: Path, council: str | None, template: Path | None, pdf: bool, actor: str
) -> None:
    """Skriv innkallingen til et møte: MØTE er 4/2025, en dato (20.11.2025) eller «neste»."""
    from radsbot.reports.documents import TemplateProblem
    from radsbot.reports.innkalling import innkalling_docx

    _check_out(out)
    ctx = context()
    try:
        with transaction(ctx.sessions) as session:
            meeting = find_meeting(session, mote, council, today=ctx.today())
            data = innkalling_docx(meeting, today=ctx.today(), lang=ctx.lang, template=template)
            target = f"{meeting.council.code} {meeting.number}"
            council, number, day = meeting.council.display_name, meeting.number, meeting.date
    except (AgendaError, TemplateProblem) as exc:
        raise _failed(actor, "innkalling", mote, exc) from None
    written = _deliver(
        actor, "innkalling", target, _with_pdf(actor, "innkalling", mote, out, data, pdf), template
    )
    click.echo(
        language()._(
            "The notice of {council} meeting {number} ({day}) is written to {file}.",
            council=council,
            number=number,
            day=fmt.short_date(day, ctx.lang),
            file=written,
        )
    )
