"""`radsbot case add|edit|show` and `radsbot meeting add|edit|show`: agenda data from files."""

from __future__ import annotations

from pathlib import Path

import click
from radsbot.bot.cli import Failure, context, language, say
from radsbot.data.access import audit
from radsbot.data.agenda import AgendaError, AmbiguousError, find_case
from radsbot.data.agenda_store import (
    case_to_file,
    load_file,
    meeting_to_file,
    save_case,
    save_meeting,
)
from radsbot.data.casefile import CaseFile, FileProblem, MeetingFile, dump_yaml
from radsbot.data.db import transaction
from radsbot.data.meeting_refs import find_meeting
from radsbot.data.models import Case, Meeting
from radsbot.data.words import N_
from radsbot.reports import formatting as fmt

FILE = click.Path(path_type=Path, dir_okay=False)
FORMAT = click.Choice(["text", "yaml"])
# A case's texts under the headings of a case paper (and of a case file's Markdown).
CASE_SECTIONS = (
    (N_("Summary"), "summary"),
    (N_("Proposed decision"), "proposed_decision"),
    (N_("Purpose of the case"), "purpose"),
    (N_("Background"), "background"),
    (N_("Further process"), "further_process"),
    (N_("Decision"), "decision"),
)


def register(cli: click.Group) -> None:
    """Add the command groups."""
    cli.add_command(case)
    cli.add_command(meeting)


def lookup_error(exc: Exception) -> click.ClickException:
    """The CLI error for a case, meeting or council that was not found or is ambiguous."""
    if isinstance(exc, AmbiguousError):
        w = language()
        codes = w.either(f"--council {code}" for code in exc.codes)
        return click.ClickException(w._("{problem} Add {options}.", problem=say(exc.problem), options=codes))
    return Failure(exc)


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
        raise Failure(exc) from None
    w = language()
    done = (
        w._("added")
        if new
        else w.ngettext(
            "changed ({count} field)", "changed ({count} fields)", len(changed), count=len(changed)
        )
    )
    if isinstance(stored, Case):  # kind "case"
        click.echo(
            w._(
                "Case {number} in {council} is {done}: {title}",
                number=stored.number,
                council=where,
                done=done,
                title=stored.title,
            )
        )
    else:
        click.echo(
            w._(
                "Meeting {number} in {council} ({day}) is {done}.",
                number=stored.number,
                council=where,
                day=fmt.short_date(stored.date, context().lang),
                done=done,
            )
        )


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
    lang = context().lang
    w = language()
    lines = [w._("Case {number}: {title}", number=c.number, title=c.title)]
    meeting = fmt.meeting(c.meeting.number, c.meeting.date, lang, short=True) if c.meeting else ""
    if not meeting and (c.meeting_label or c.meeting_date):
        day = fmt.short_date(c.meeting_date, lang) if c.meeting_date else ""
        meeting = " ".join(filter(None, [c.meeting_label, day]))
    facts = [
        (w._("Council"), f"{c.council.display_name} ({c.council.code})"),
        (w._("Meeting"), meeting),
        (w._("Case type"), c.case_type),
        (w.pgettext("case", "Time"), c.agenda_time),
        (w._("Presented by"), c.presenter),
        (w._("Case owner"), c.owner),
        (w._("Case officer"), c.officer),
        (w._("Case paper"), w._("yes") if c.has_toppnotat else w._("no")),
        (w._("Topics"), ", ".join(c.topics)),
        (w._("Indicators"), ", ".join(i.code for i in c.indicators)),
        (w._("Refers to"), ", ".join(f"{x.council.code} {x.number}" for x in c.cites)),
        (w._("Attachments"), "; ".join(c.attachments)),
    ]
    lines += [f"  {label + ':':<15} {value}" for label, value in facts if value]
    for heading, name in CASE_SECTIONS:
        text = getattr(c, name).strip()
        if text:
            lines += ["", w._(heading), *(f"  {line}" for line in text.splitlines())]
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
    lang = context().lang
    w = language()
    day = fmt.short_date(m.date, lang)
    if m.end_date and m.end_date != m.date:
        day += f"–{fmt.short_date(m.end_date, lang)}"
    council = f"{m.council.display_name} ({m.council.code})"
    lines = [w._("Meeting {number} in {council}", number=m.number, council=council)]
    facts = [
        (w._("Date"), day),
        (w._("Time"), f"{m.start_time}–{m.end_time}" if m.start_time else ""),
        (w._("Place"), m.place),
        (w._("Status"), fmt.marked(fmt.meeting_status(m.status, lang), m.is_example, lang)),
        (w._("Members"), "; ".join(m.members)),
    ]
    lines += [f"  {label + ':':<11} {value}" for label, value in facts if value]
    lines += ["", w._("Cases:") if m.cases else w._("No cases have been added yet.")]
    lines += [
        f"  {c.number:<7} {c.agenda_time:<6} {c.title}" + (f" ({c.case_type})" if c.case_type else "")
        for c in m.cases
    ]
    return "\n".join(lines) + "\n"
