"""`radsbot case add|edit|show` and `radsbot meeting add|edit|show`: agenda data from files."""

from __future__ import annotations

from pathlib import Path

import click
from radsbot.bot.cli import context
from radsbot.data.access import audit
from radsbot.data.agenda import AgendaError, AmbiguousError, find_case
from radsbot.data.agenda_store import (
    case_to_file,
    load_file,
    meeting_to_file,
    save_case,
    save_meeting,
)
from radsbot.data.casefile import MEETING_STATUS, CaseFile, FileProblem, MeetingFile, dump_yaml
from radsbot.data.db import transaction
from radsbot.data.meeting_refs import find_meeting
from radsbot.data.models import Case, Meeting

FILE = click.Path(path_type=Path, dir_okay=False)
FORMAT = click.Choice(["text", "yaml"])
CASE_SECTIONS = (
    ("Sammendrag", "summary"),
    ("Forslag til vedtak", "proposed_decision"),
    ("Hensikt med saken", "purpose"),
    ("Bakgrunn", "background"),
    ("Videre saksprosess", "further_process"),
    ("Vedtak", "decision"),
)


def register(cli: click.Group) -> None:
    """Add the command groups."""
    cli.add_command(case)
    cli.add_command(meeting)


def lookup_error(exc: Exception) -> click.ClickException:
    """The CLI error for a case, meeting or council that was not found or is ambiguous."""
    if isinstance(exc, AmbiguousError):
        codes = " eller ".join(f"--council {code}" for code in exc.codes)
        return click.ClickException(f"{exc} Legg til {codes}.")
    return click.ClickException(str(exc))


@click.group()
def case() -> None:
    """Saker: legg til og endre fra en YAML- eller Markdown-fil, eller vis en lagret sak."""


@case.command("add")
@click.argument("file", type=FILE)
@click.option("--as", "actor", default="cli", show_default=True, help="Hvem som gjør endringen (logges).")
def case_add(file: Path, actor: str) -> None:
    """Legg til en ny sak fra FILE (se data/examples/sak.yaml)."""
    _save("case", file, actor, new=True)


@case.command("edit")
@click.argument("file", type=FILE)
@click.option("--as", "actor", default="cli", show_default=True, help="Hvem som gjør endringen (logges).")
def case_edit(file: Path, actor: str) -> None:
    """Endre en lagret sak: feltene i FILE erstatter de lagrede, andre felt står urørt."""
    _save("case", file, actor, new=False)


def _save(kind: str, file: Path, actor: str, *, new: bool) -> None:
    """Validate a case or meeting file and store it in one transaction, audited."""
    model, save = (CaseFile, save_case) if kind == "case" else (MeetingFile, save_meeting)
    try:
        parsed, fields = load_file(model, file)
        with transaction(context().sessions) as session:
            stored = save(session, parsed, fields, source=f"«{file.name}»", new=new)
            where = stored.council.display_name
            changed = sorted(fields - {"council", "number"})
            target = f"{stored.council.code} {stored.number}"
            action = f"{kind}_{'add' if new else 'edit'}"
            audit(session, actor, action, target=target, file=str(file), fields=changed)
    except FileProblem as exc:
        raise click.ClickException(str(exc)) from None
    verb = "lagt til" if new else f"endret ({len(changed)} felt)"
    if kind == "case":
        click.echo(f"Sak {stored.number} i {where} er {verb}: {stored.title}")
    else:
        click.echo(f"Møte {stored.number} i {where} ({stored.date:%d.%m.%Y}) er {verb}.")


@case.command("show")
@click.argument("saksnummer")
@click.option("--council", default=None, help="Rådet saken hører til (nuit, nufa, ehelseradet).")
@click.option("--format", "format_", type=FORMAT, default="text", show_default=True)
def case_show(saksnummer: str, council: str | None, format_: str) -> None:
    """Vis en lagret sak; med --format yaml får du en fil du kan endre og gi til «case edit»."""
    with context().sessions() as session:
        try:
            found = find_case(session, saksnummer, council)
        except AgendaError as exc:
            raise lookup_error(exc) from None
        click.echo(dump_yaml(case_to_file(found)) if format_ == "yaml" else case_text(found), nl=False)


def case_text(c: Case) -> str:
    """A stored case for reading in a terminal."""
    lines = [f"Sak {c.number}: {c.title}"]
    meeting = ""
    if c.meeting:
        meeting = f"{c.meeting.date:%d.%m.%Y}"
        meeting = f"{c.meeting.number}, {meeting}" if "/" in c.meeting.number else meeting
    if not meeting and (c.meeting_label or c.meeting_date):
        meeting = " ".join(
            filter(None, [c.meeting_label, f"{c.meeting_date:%d.%m.%Y}" if c.meeting_date else ""])
        )
    facts = [
        ("Råd", f"{c.council.display_name} ({c.council.code})"),
        ("Møte", meeting),
        ("Sakstype", c.case_type),
        ("Tidspunkt", c.agenda_time),
        ("Presentert av", c.presenter),
        ("Sakseier", c.owner),
        ("Saksbehandler", c.officer),
        ("Toppnotat", "ja" if c.has_toppnotat else "nei"),
        ("Temaer", ", ".join(c.topics)),
        ("Indikatorer", ", ".join(i.code for i in c.indicators)),
        ("Viser til", ", ".join(f"{x.council.code} {x.number}" for x in c.cites)),
        ("Vedlegg", "; ".join(c.attachments)),
    ]
    lines += [f"  {label + ':':<15} {value}" for label, value in facts if value]
    for heading, name in CASE_SECTIONS:
        text = getattr(c, name).strip()
        if text:
            lines += ["", heading, *(f"  {line}" for line in text.splitlines())]
    return "\n".join(lines) + "\n"


@click.group()
def meeting() -> None:
    """Møter: legg til og endre fra en YAML-fil, eller vis et lagret møte med sakene."""


@meeting.command("add")
@click.argument("file", type=FILE)
@click.option("--as", "actor", default="cli", show_default=True, help="Hvem som gjør endringen (logges).")
def meeting_add(file: Path, actor: str) -> None:
    """Legg til et nytt møte fra FILE (se data/examples/mote.yaml)."""
    _save("meeting", file, actor, new=True)


@meeting.command("edit")
@click.argument("file", type=FILE)
@click.option("--as", "actor", default="cli", show_default=True, help="Hvem som gjør endringen (logges).")
def meeting_edit(file: Path, actor: str) -> None:
    """Endre et lagret møte: feltene i FILE erstatter de lagrede, andre felt står urørt."""
    _save("meeting", file, actor, new=False)


@meeting.command("show")
@click.argument("mote", metavar="MØTE")
@click.option("--council", default=None, help="Rådet møtet hører til (nuit, nufa, ehelseradet).")
@click.option("--format", "format_", type=FORMAT, default="text", show_default=True)
def meeting_show(mote: str, council: str | None, format_: str) -> None:
    """Vis et møte (4/2025, 20.11.2025 eller «neste»); --format yaml gir en fil for «meeting edit»."""
    with context().sessions() as session:
        try:
            found = find_meeting(session, mote, council, today=context().today())
        except AgendaError as exc:
            raise lookup_error(exc) from None
        click.echo(dump_yaml(meeting_to_file(found)) if format_ == "yaml" else meeting_text(found), nl=False)


def meeting_text(m: Meeting) -> str:
    """A stored meeting and its agenda for reading in a terminal."""
    status = MEETING_STATUS.get(m.status, m.status)
    day = f"{m.date:%d.%m.%Y}" + (f"–{m.end_date:%d.%m.%Y}" if m.end_date and m.end_date != m.date else "")
    lines = [f"Møte {m.number} i {m.council.display_name} ({m.council.code})"]
    facts = [
        ("Dato", day),
        ("Tid", f"{m.start_time}–{m.end_time}" if m.start_time else ""),
        ("Sted", m.place),
        ("Status", status + (" (eksempeldata)" if m.is_example else "")),
        ("Medlemmer", "; ".join(m.members)),
    ]
    lines += [f"  {label + ':':<11} {value}" for label, value in facts if value]
    lines += ["", "Saker:" if m.cases else "Ingen saker er lagt til ennå."]
    lines += [
        f"  {c.number:<7} {c.agenda_time:<6} {c.title}" + (f" ({c.case_type})" if c.case_type else "")
        for c in m.cases
    ]
    return "\n".join(lines) + "\n"
