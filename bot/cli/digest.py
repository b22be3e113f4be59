"""`radsbot digest --council CODE [--meeting ID|next] --out DIR`: the pre-meeting digest as files."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click
from radsbot.bot.cli import Failure, context, language
from radsbot.bot.cli.documents import PDF
from radsbot.data.words import join, msg


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
@PDF
@click.option("--as", "actor", default="cli", show_default=True, help="Hvem som lager det (logges).")
def digest(
    council_name: str, meeting_ref: str | None, out_dir: Path | None, post: bool, pdf: bool, actor: str
) -> int:
    """Lag sammendraget før et rådsmøte: dokument (Markdown og Word) og én graf per mål."""
    if post == (out_dir is not None):
        raise click.UsageError(
            language()._("Give either --out FOLDER (write files) or --post (post in the council's channel).")
        )

    if post and pdf:
        raise click.UsageError(language()._("--pdf goes with --out: a posted digest has no PDF."))
    ctx = context()
    today = ctx.today()
    if post:
        channel = _post(ctx, council_name, meeting_ref, today, actor)
        _progress(language()._("Done: the digest is posted in {channel}.", channel=channel))
        return 0
    from radsbot.bot.cli.output import publish_audited, replaced_note, staged

    assert out_dir is not None  # --out or --post, checked above
    files = build(ctx, council_name, meeting_ref, today, pdf=pdf)
    # Everything is made in memory and written beside its name first, then audited, then named:
    # an error leaves nothing half-written, and a refused audit entry leaves no file.
    out_dir.mkdir(parents=True, exist_ok=True)
    with staged({out_dir / name: content for name, content in files.items()}) as items:
        replaced = [item.target.name for item in items if item.replaces]
        details = {"meeting": meeting_ref or "", "out": str(out_dir), "replaced": replaced}
        publish_audited(ctx.sessions, items, actor, "digest", council_name, **details)
    done = language().ngettext(
        "Done: {count} file written to {folder}{replaced}",
        "Done: {count} files written to {folder}{replaced}",
        len(files),
        count=len(files),
        folder=out_dir,
        replaced=replaced_note(items),
    )
    _progress(done)
    return 0


def build(
    ctx, council_name: str, meeting_ref: str | None, today: dt.date, *, pdf: bool = False
) -> dict[str, bytes]:
    """Compose the digest and render the document, the Word file (and its PDF) and the charts."""
    # Imported here: pandas, matplotlib and docx load slowly, and `radsbot ask` needs none of them.
    from radsbot.reports.digest import build_digest, draw_charts
    from radsbot.reports.digest_docx import to_docx
    from radsbot.reports.digest_markdown import to_markdown

    council, meeting = _resolve(ctx, council_name, meeting_ref, today)
    w = language()
    when = w._(", meeting {number} ({date})", number=meeting.number, date=meeting.date) if meeting else ""
    _progress(w._("Putting the digest together for {council}{when} …", council=council.short_name, when=when))
    with ctx.sessions() as session:
        # Load both again in this session: the digest follows their relationships.
        council, meeting = session.merge(council, load=False), meeting and session.merge(meeting, load=False)
        digest = build_digest(session, council, meeting, today=today, lang=ctx.lang)
    total = len(digest.goals)
    charts = draw_charts(
        digest,
        lambda i, n, goal: _progress(w._("Drawing chart {i}/{n}: {goal} …", i=i, n=n, goal=goal.label)),
    )
    _progress(
        w.ngettext(
            "Writing the document ({count} goal) …",
            "Writing the document ({count} goals) …",
            total,
            count=total,
        )
    )
    files = {f"{digest.slug}.md": to_markdown(digest).encode("utf-8")}
    _progress(w._("Writing the Word document …"))
    files[f"{digest.slug}.docx"] = to_docx(digest, charts)
    if pdf:
        files[f"{digest.slug}.pdf"] = _pdf(files[f"{digest.slug}.docx"])
    files.update(charts)
    return files


def _pdf(docx: bytes) -> bytes:
    """The Word file as a tagged PDF, or the reason it could not be made."""
    from radsbot.reports.pdf import PdfProblem, tagged_pdf

    _progress(language()._("Writing the tagged PDF …"))
    try:
        return tagged_pdf(docx)
    except PdfProblem as exc:
        raise click.ClickException(exc.text(context().lang)) from None


def _resolve(ctx, council_name: str, meeting_ref: str | None, today: dt.date):
    """The council and meeting (None: the current quarter), or an error listing the choices."""
    from radsbot.data.agenda import AgendaError
    from radsbot.data.councils import CouncilError, find_council
    from radsbot.data.meeting_refs import MeetingNotFound, resolve_meeting

    with ctx.sessions() as session:
        try:
            council = find_council(session, council_name)
            meeting = resolve_meeting(session, council, meeting_ref or "neste", today)
        except MeetingNotFound as exc:
            # A council without meetings still has the quarter's digest.
            if exc.known:
                raise Failure(exc) from None
            hint = msg("Leave out --meeting to make the digest for the quarter.")
            raise Failure(join(exc.problem, hint)) from None
        except (CouncilError, AgendaError) as exc:
            raise Failure(exc) from None
    if meeting is None:
        _progress(
            language()._(
                "{council} has no planned meeting; making the digest for the quarter.",
                council=council.short_name,
            )
        )
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
        raise Failure(msg("SLACK_BOT_TOKEN is missing: set the token to post in Slack."))
    council, meeting = _resolve(ctx, council_name, meeting_ref, today)
    scheduler = make_scheduler(ctx)
    with ctx.sessions() as session:
        targets = [c for c in channels(session.merge(council, load=False)) if c.transport in ctx.publishers]
    where = listing([str(c) for c in targets], ctx.lang)
    if meeting is not None:
        _progress(
            language()._(
                "Posting the digest before {council} {number} in {channel} …",
                council=council.short_name,
                number=meeting.number,
                channel=where,
            )
        )
        try:
            return scheduler.post_now(meeting.id, actor=actor)
        except SchedulingError as exc:
            raise Failure(exc) from None
    if not targets:
        raise Failure(
            msg("{council} has no channel. Set it with «radsbot council set».", council=council.short_name)
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
