"""`radsbot digest --council CODE [--meeting ID|next] --out DIR`: the pre-meeting digest as files."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click
from radsbot.bot.cli import context


def register(cli: click.Group) -> None:
    """Add the command."""
    cli.add_command(digest)


@click.command()
@click.option(
    "--council",
    "council_name",
    required=True,
    metavar="KODE",
    help="Rådet: nuit, nufa eller ehelseradet (også gamle og nye navn).",
)
@click.option(
    "--meeting",
    "meeting_ref",
    default=None,
    metavar="NR|DATO|ID|next",
    help="Møtet: nummer (4/2025), dato (2025-11-20), id eller «next». Standard: neste planlagte møte.",
)
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Mappen dokumentene og grafene skrives til; filer med samme navn erstattes.",
)
@click.option("--post", is_flag=True, help="Post sammendraget i rådets kanal i stedet (én gang per møte).")
@click.option("--as", "actor", default="cli", show_default=True, help="Hvem som lager det (logges).")
def digest(council_name: str, meeting_ref: str | None, out_dir: Path | None, post: bool, actor: str) -> int:
    """Lag sammendraget før et rådsmøte: dokument (Markdown og Word) og én graf per mål."""
    if post == (out_dir is not None):
        raise click.UsageError("Oppgi enten --out MAPPE (skriv filer) eller --post (post i rådets kanal).")

    ctx = context()
    today = ctx.today()
    if post:
        channel = _post(ctx, council_name, meeting_ref, today, actor)
        _progress(f"Ferdig: sammendraget er postet i {channel}.")
        return 0
    from radsbot.bot.cli.output import publish_audited, replaced_note, staged

    assert out_dir is not None  # --out or --post, checked above
    files = build(ctx, council_name, meeting_ref, today)
    # Everything is made in memory and written beside its name first, then audited, then named:
    # an error leaves nothing half-written, and a refused audit entry leaves no file.
    out_dir.mkdir(parents=True, exist_ok=True)
    with staged({out_dir / name: content for name, content in files.items()}) as items:
        replaced = [item.target.name for item in items if item.replaces]
        details = {"meeting": meeting_ref or "", "out": str(out_dir), "replaced": replaced}
        publish_audited(ctx.sessions, items, actor, "digest", council_name, **details)
    _progress(f"Ferdig: {len(files)} filer skrevet til {out_dir}{replaced_note(items)}")
    return 0


def build(ctx, council_name: str, meeting_ref: str | None, today: dt.date) -> dict[str, bytes]:
    """Compose the digest and render the document, the Word file and the charts, by file name."""
    # Imported here: pandas, matplotlib and docx load slowly, and `radsbot ask` needs none of them.
    from radsbot.reports.digest import build_digest, draw_charts
    from radsbot.reports.digest_docx import to_docx
    from radsbot.reports.digest_markdown import to_markdown

    council, meeting = _resolve(ctx, council_name, meeting_ref, today)
    when = f", møte {meeting.number} ({meeting.date:%d.%m.%Y})" if meeting else ""
    _progress(f"Setter sammen sammendraget for {council.short_name}{when} …")
    with ctx.sessions() as session:
        # Load both again in this session: the digest follows their relationships.
        council, meeting = session.merge(council, load=False), meeting and session.merge(meeting, load=False)
        digest = build_digest(session, council, meeting, today=today, lang=ctx.lang)
    total = len(digest.goals)
    charts = draw_charts(digest, lambda i, n, goal: _progress(f"Tegner graf {i}/{n}: {goal.label} …"))
    _progress(f"Skriver dokumentet ({total} mål) …")
    files = {f"{digest.slug}.md": to_markdown(digest).encode("utf-8")}
    _progress("Skriver Word-dokumentet …")
    files[f"{digest.slug}.docx"] = to_docx(digest, charts)
    files.update(charts)
    return files


def _resolve(ctx, council_name: str, meeting_ref: str | None, today: dt.date):
    """The council and meeting (None: the current quarter), or a Norwegian error listing choices."""
    from radsbot.data.agenda import AgendaError
    from radsbot.data.councils import CouncilError, find_council
    from radsbot.data.meeting_refs import MeetingNotFound, resolve_meeting

    with ctx.sessions() as session:
        try:
            council = find_council(session, council_name)
            meeting = resolve_meeting(session, council, meeting_ref or "neste", today)
        except MeetingNotFound as exc:
            # A council without meetings still has the quarter's digest.
            hint = "" if exc.known else " Utelat --meeting for å lage sammendrag for kvartalet."
            raise click.ClickException(f"{exc}{hint}") from None
        except (CouncilError, AgendaError) as exc:
            raise click.ClickException(str(exc)) from None
    if meeting is None:
        _progress(f"{council.short_name} har ikke noe planlagt møte; lager sammendrag for kvartalet.")
    return council, meeting


def _post(ctx, council_name: str, meeting_ref: str | None, today: dt.date, actor: str) -> str:
    """Post through the scheduler's ledger (which audits it), so a meeting's digest is never posted twice."""
    from radsbot.bot.cli.schedule import make_scheduler
    from radsbot.bot.digest_notices import listing
    from radsbot.bot.digest_replies import digest_replies
    from radsbot.bot.digest_thread import digest_thread, post_thread
    from radsbot.bot.scheduler import SchedulingError
    from radsbot.data.access import audit
    from radsbot.data.db import transaction
    from radsbot.data.destinations import channels
    from radsbot.reports.digest import build_digest

    if not ctx.publishers:
        raise click.ClickException("SLACK_BOT_TOKEN mangler: sett tokenet for å poste i Slack.")
    council, meeting = _resolve(ctx, council_name, meeting_ref, today)
    scheduler = make_scheduler(ctx)
    with ctx.sessions() as session:
        targets = [c for c in channels(session.merge(council, load=False)) if c.transport in ctx.publishers]
    where = listing([str(c) for c in targets])
    if meeting is not None:
        _progress(f"Poster sammendraget før {council.short_name} {meeting.number} i {where} …")
        try:
            return scheduler.post_now(meeting.id, actor=actor)
        except SchedulingError as exc:
            raise click.ClickException(str(exc)) from None
    if not targets:
        raise click.ClickException(
            f"{council.short_name} har ingen kanal. Sett den med «radsbot council set»."
        )
    with ctx.sessions() as session:
        digest = build_digest(session, session.merge(council, load=False), None, today=today, lang=ctx.lang)
    replies = digest_replies(digest, ctx.lang)
    for channel in targets:
        post_thread(
            ctx.publishers[channel.transport], digest_thread(channel.address, 0), replies, lang=ctx.lang
        )
        with transaction(ctx.sessions) as session:  # a digest of no meeting has no ledger row to audit it
            audit(
                session,
                actor,
                "digest_post",
                target=council_name,
                meeting="",
                transport=channel.transport,
                channel=channel.address,
            )
    return where


def _progress(message: str) -> None:
    click.echo(message, err=True)
