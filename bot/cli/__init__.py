"""The `radsbot` command line: one CLI drives every Procfile line; `main(argv) -> int`.

Every message the commands print is in the user's language (RADSBOT_LANGUAGE): `say(message)`
puts a catalogue message into it. The --help texts are bokmål: they document the commands and
options as the secretariat names them (`toppnotat`, `innkalling`, `--council nuit`), and click
builds them when the CLI is imported, before the settings are read.
"""

from __future__ import annotations

import logging
import sys

import click
from radsbot.bot.bootstrap import Context, bootstrap
from radsbot.data.words import DEFAULT_LANGUAGE, Message, Words, words


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="radsbot", message="Rådsbot %(version)s")
@click.pass_context
def cli(ctx: click.Context) -> None:
    """Rådsbot – status for nasjonal e-helsestrategi i chat, sammendrag før møter og toppnotater."""
    if ctx.obj is None:
        ctx.obj = bootstrap()
    ctx.call_on_close(ctx.obj.close)


def context() -> Context:
    """The Context of the running command."""
    return click.get_current_context().find_root().obj


def language() -> Words:
    """The message catalogue in the running command's language."""
    ctx = click.get_current_context(silent=True)
    obj = ctx.find_root().obj if ctx is not None else None
    return words(obj.lang if obj is not None else DEFAULT_LANGUAGE)


def say(message: Message | str) -> str:
    """A deferred message (a domain error's) in the running command's language."""
    return language().text(message)


class Failure(click.ClickException):
    """A command's error, put into the user's language: a domain error or a catalogue message."""

    def __init__(self, problem: Exception | Message | str) -> None:
        from radsbot.data.errors import DomainError

        if isinstance(problem, DomainError):
            problem = problem.problem
        elif isinstance(problem, Exception):  # not a domain error: its own message
            problem = str(problem)
        super().__init__(say(problem))


def register() -> None:
    """Attach every command module to the root group, and the check of --as to every command with it."""
    from radsbot.bot.cli import (
        access,
        ask,
        cases,
        council,
        db,
        digest,
        documents,
        imports,
        info,
        narratives,
        schedule,
        serve,
        teams,
    )

    commands = (
        info,
        ask,
        db,
        imports,
        access,
        council,
        digest,
        documents,
        cases,
        narratives,
        serve,
        schedule,
        teams,
    )
    for module in commands:
        module.register(cli)
    for command in _commands(cli):
        for param in command.params:
            if "--as" in param.opts:
                param.callback = _check_actor


def _commands(group: click.Group) -> list[click.Command]:
    found = []
    for command in group.commands.values():
        found += _commands(command) if isinstance(command, click.Group) else [command]
    return found


def _check_actor(_ctx: click.Context, _param: click.Parameter, value: str) -> str:
    """--as names who acted in the audit log: refuse, before anything is done, what it cannot hold."""
    from radsbot.data.access import check_actor
    from radsbot.data.fields import FieldError

    try:
        return check_actor(value)
    except FieldError as exc:
        raise click.UsageError(f"--as: {say(exc.problem)}") from None


def main(argv: list[str] | None = None, obj: Context | None = None) -> int:
    """Run the CLI in-process and return the exit code (0 on success).

    A database that cannot be used and a value that cannot be stored (any domain error) end the
    command with a message in the user's language and exit code 1, whichever command met them.
    """
    from radsbot.bot.settings import SettingsProblem, load_settings
    from radsbot.data.db import DatabaseUnavailable, database_problem
    from radsbot.data.errors import DomainError
    from radsbot.data.fields import quote

    args = sys.argv[1:] if argv is None else list(argv)
    for arg in args:
        if not _is_unicode(arg):
            try:
                lang = obj.lang if obj is not None else load_settings().language
            except SettingsProblem:
                lang = DEFAULT_LANGUAGE
            problem = words(lang)._(
                "{value} has bytes that are not valid UTF-8. Write it again, in UTF-8.", value=quote(arg)
            )
            click.echo(words(lang)._("Invalid command: {problem}", problem=problem), err=True)
            return 2
    if obj is None:
        try:
            obj = bootstrap()
        except SettingsProblem as exc:
            w = words(exc.lang)
            click.echo(exc.text(exc.lang), err=True)
            click.echo(w._("Correct the value (or remove the variable) and try again."), err=True)
            return 2
    w = words(obj.lang)
    logging.lastResort = _BriefHandler()  # no traceback reaches a user through an unconfigured log
    try:
        result = cli.main(args=args, prog_name="radsbot", standalone_mode=False, obj=obj)
    except DatabaseUnavailable as exc:
        click.echo(exc.text(obj.lang), err=True)
        return 1
    except DomainError as exc:
        click.echo(w._("Error: {problem}", problem=exc.text(obj.lang)), err=True)
        return 1
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except click.UsageError as exc:
        command = exc.ctx.command_path if exc.ctx else "radsbot"
        click.echo(w._("Invalid command: {problem}", problem=exc.format_message()), err=True)
        click.echo(w._("See «{command} --help».", command=command), err=True)
        return 2
    except click.ClickException as exc:
        click.echo(w._("Error: {problem}", problem=exc.format_message()), err=True)
        return exc.exit_code
    except click.Abort:
        click.echo(w._("Cancelled."), err=True)
        return 130
    except Exception as exc:
        unavailable = database_problem(exc, obj.settings.database_url)
        if unavailable is None:
            raise
        click.echo(unavailable.text(obj.lang), err=True)
        return 1
    return result if isinstance(result, int) else 0


def _is_unicode(text: str) -> bool:
    """Whether a command-line argument is text: undecodable bytes arrive as lone surrogates."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


class _BriefHandler(logging.StreamHandler):
    """Warnings and errors of an unconfigured log as one line each on stderr, without a traceback."""

    def __init__(self) -> None:
        super().__init__(sys.stderr)
        self.setLevel(logging.WARNING)

    def format(self, record: logging.LogRecord) -> str:
        return record.getMessage()


register()

if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
