"""`radsbot ask "TEXT"` and `radsbot chat`: the chat core in the console, as plain text."""

from __future__ import annotations

import contextlib
import datetime as dt
import shutil
import sys
from pathlib import Path

import click
from radsbot.bot.cli import context, language
from radsbot.bot.replies import Reply
from radsbot.data.words import words

# What leaves the console chat, in either language.
LEAVE = frozenset({"exit", "quit", "avslutt", "slutt", "ha det", "hadet", "bye", ":q", "q"})


def register(cli: click.Group) -> None:
    """Add the commands."""
    cli.add_command(ask)
    cli.add_command(chat)


def _today(value: dt.date | None):
    return (lambda: value) if value else None


_as_option = click.option(
    "--as", "user", default="", metavar="BRUKER-ID", help="Svar som for denne chat-brukeren (roller)."
)
_chart_dir_option = click.option(
    "--chart-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Lagre vedlegg (grafer som PNG, dokumenter som .docx) i denne mappen.",
)
_today_option = click.option(
    "--today",
    "today",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    metavar="ÅÅÅÅ-MM-DD",
    help="Svar som om dagen var denne datoen (vurderinger og «neste møte»).",
)


@click.command()
@click.argument("text", nargs=-1, required=True)
@_as_option
@_chart_dir_option
@_today_option
def ask(text: tuple[str, ...], user: str, chart_dir: Path | None, today: dt.datetime | None) -> int:
    """Still et spørsmål og få svaret som tekst, f.eks. radsbot ask "status PLL"."""
    from radsbot.bot.engine import Engine

    ctx = context()
    ctx.database  # noqa: B018 - a database that cannot be used is the command's error, not a polite reply
    engine = Engine(ctx, today=_today(today.date() if today else None))
    reply = engine.answer(" ".join(text), user=user)
    click.echo(_render(reply, ctx.lang, chart_dir), nl=False)
    return 1 if reply.kind == "error" else 0


@click.command()
@_as_option
@_chart_dir_option
@_today_option
def chat(user: str, chart_dir: Path | None, today: dt.datetime | None) -> int:
    """Chat med Rådsbot i konsollen (Ctrl-D eller «avslutt» for å gå ut)."""
    from radsbot.bot.engine import Engine

    ctx = context()
    ctx.database  # noqa: B018 - a database that cannot be used ends the chat before it starts
    engine = Engine(ctx, today=_today(today.date() if today else None))
    history = _start_history()
    w = language()
    prompt = w.pgettext("chat prompt", "you> ")
    click.echo(
        w._(
            "Rådsbot – ask about the e-health strategy. Type “help” for examples, “exit” or Ctrl-D to "
            "leave.\n"
            "Try for example: “status PLL”, “goal 3”, “next meeting in NUIT”, “case 40/25”."
        )
    )
    try:
        while True:
            try:
                line = input("\n" + prompt)
            except EOFError:
                click.echo()
                break
            except KeyboardInterrupt:
                click.echo()
                break
            if line.strip().casefold() in LEAVE:
                break
            if not line.strip():
                continue
            reply = engine.answer(line, user=user)
            click.echo("\n" + _render(reply, ctx.lang, chart_dir), nl=False)
    finally:
        _save_history(history)
    click.echo(w._("Goodbye!"))
    return 0


def _render(reply: Reply, lang: str, chart_dir: Path | None) -> str:
    """The reply as text, with attachments saved into `chart_dir` when one is given."""
    from radsbot.bot.render.text import to_text

    saved: dict[str, str] = {}
    if chart_dir is not None and reply.attachments:
        from radsbot.bot.cli.output import stage

        chart_dir.mkdir(parents=True, exist_ok=True)
        for attachment in reply.attachments:
            path = chart_dir / attachment.filename
            stage(path, attachment.content).publish()  # never through a link planted there
            saved[attachment.filename] = str(path)
    out = to_text(reply, lang=lang, saved=saved, width=_width())
    if reply.attachments and chart_dir is None:
        hint = words(lang)._(
            "Attachments (charts and Word documents) are saved as files with --chart-dir DIR."
        )
        out += hint + "\n"
    return out


def _width() -> int:
    """The terminal's width (at most 100 columns), or 100 when the output is not a terminal."""
    if not sys.stdout.isatty():
        return 100
    return max(40, min(100, shutil.get_terminal_size((100, 24)).columns - 1))


def _start_history() -> Path | None:
    """Line editing and history with readline where available, for people at a terminal."""
    if not sys.stdin.isatty():
        return None
    try:
        import readline
    except ImportError:
        return None
    from platformdirs import user_state_dir

    path = Path(user_state_dir("radsbot", appauthor=False)) / "chat_history"
    with contextlib.suppress(OSError):  # no history yet
        readline.read_history_file(path)
    readline.set_history_length(1000)
    return path


def _save_history(path: Path | None) -> None:
    if path is None:
        return
    import readline

    # History is a convenience; never fail the chat over it.
    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        readline.write_history_file(path)
