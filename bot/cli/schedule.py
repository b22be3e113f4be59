"""`radsbot schedule`: the digest worker (APScheduler), and `--status` / `--once` for operators."""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import signal

import click
from radsbot.bot.cli import Failure, context, language
from radsbot.data.words import msg, words

log = logging.getLogger(__name__)


def register(cli: click.Group) -> None:
    """Add the command."""
    cli.add_command(schedule)


def make_scheduler(ctx):
    """The DigestScheduler wired to the context's publishers (bot/bootstrap.py) and the composer."""
    from radsbot.bot.digest_replies import compose
    from radsbot.bot.scheduler import DigestScheduler

    def composer(session, council, meeting, today):
        return compose(session, council, meeting, today, lang=ctx.lang)

    return DigestScheduler(
        ctx.sessions, ctx.publishers, composer, timezone=ctx.settings.timezone, lang=ctx.lang
    )


@click.command()
@click.option("--once", is_flag=True, help="Gjør det som er forfalt nå, og avslutt (for cron og feilsøking).")
@click.option("--status", "show_status", is_flag=True, help="Vis kommende sammendrag og loggen.")
@click.option("--interval", type=int, default=None, help="Sekunder mellom hver kontroll (standard 60).")
@click.option("--log-level", default="INFO", show_default=True)
def schedule(once: bool, show_status: bool, interval: int | None, log_level: str) -> int:
    """Post sammendrag før hvert rådsmøte, én gang per møte og kanal (kjøres som egen prosess)."""
    logging.basicConfig(level=log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    # APScheduler logs every run of the job at INFO; our own lines say what was done.
    logging.getLogger("apscheduler").setLevel(max(logging.WARNING, logging.getLogger().level))
    ctx = context()
    if show_status:
        _status(ctx)
        return 0
    if not ctx.publishers:
        raise Failure(msg("SLACK_BOT_TOKEN is missing: the scheduler needs the Slack token to post."))
    scheduler = make_scheduler(ctx)
    if once:
        for line in scheduler.tick():
            click.echo(line)
        return 0
    from apscheduler.schedulers.blocking import BlockingScheduler
    from apscheduler.triggers.interval import IntervalTrigger

    seconds = interval or ctx.settings.schedule_interval
    runner = BlockingScheduler(timezone=ctx.settings.timezone)

    def job() -> None:
        for line in scheduler.tick():
            log.info("%s", line)

    # The job reads the calendar and the ledger each time, so it needs no state between runs;
    # coalescing and a single instance keep a slow tick from piling up behind itself.
    runner.add_job(
        job,
        IntervalTrigger(seconds=seconds, timezone=ctx.settings.timezone),
        id="digests",
        coalesce=True,
        max_instances=1,
        misfire_grace_time=seconds,
        next_run_time=dt.datetime.now(scheduler.tz),
    )
    signal.signal(signal.SIGTERM, lambda *_: runner.shutdown(wait=True))
    log.info("Digest worker %s checks the calendar every %d s", scheduler.worker, seconds)
    with contextlib.suppress(KeyboardInterrupt, SystemExit):
        runner.start()
    return 0


def _status(ctx) -> None:
    from zoneinfo import ZoneInfo

    from radsbot.bot.digest_calendar import upcoming_digests
    from radsbot.data import deliveries
    from radsbot.data.models import Meeting
    from radsbot.reports import formatting as fmt

    # Reading the calendar needs no chat client.
    tz, w = ZoneInfo(ctx.settings.timezone), language()
    now = dt.datetime.now(tz)
    with ctx.sessions() as session:
        upcoming = upcoming_digests(session, now, tz)
        rows = deliveries.entries(session, 20)
        ids = {d.meeting_id for d in upcoming[:15]} | {r.meeting_id for r in rows}
        label = {
            m.id: f"{m.council.code} {m.number} ({fmt.date(m.date, ctx.lang)})"
            for m in (session.get(Meeting, i) for i in ids)
        }
        # A thread begun but not complete: what it still lacks.
        lacking = {r.id: deliveries.missing(session, r) for r in rows if r.root_ref and r.status != "posted"}
    click.echo(w._("Coming digests:"))
    if not upcoming:
        click.echo("  " + w._("none (no planned meetings in councils with a channel)"))
    for due in upcoming[:15]:
        preview = w._(", preview {when}", when=_when(due.preview_at, ctx.lang)) if due.preview_at else ""
        when = _when(due.post_at, ctx.lang)
        line = w._(
            "{meeting}: posted {when} in {channel}{preview}",
            when=when,
            preview=preview,
            channel=due.channel,
            meeting=label[due.meeting_id],
        )
        click.echo("  " + line)
    click.echo(w._("Log (newest first):"))
    if not rows:
        click.echo("  " + w._("empty"))
    for r in rows:
        extra = f" – {r.last_error[:80]}" if r.last_error else ""
        if lacking.get(r.id):
            extra += " – " + w._("the thread lacks {parts}", parts=", ".join(lacking[r.id]))
        channel = deliveries.channel_of(r)
        attempt = w._("{status}, attempt {attempts}", status=r.status, attempts=r.attempts)
        click.echo(f"  {label[r.meeting_id]}  {channel}  {attempt}{extra}")


def _when(moment: dt.datetime, lang: str) -> str:
    """ "03.12.2026 kl. 08.00": a moment in a line of the status."""
    from radsbot.reports import formatting as fmt

    return words(lang)._(
        "{date} at {time}", date=fmt.short_date(moment.date(), lang), time=fmt.clock(f"{moment:%H:%M}", lang)
    )
