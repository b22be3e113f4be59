"""The `radsbot` command line: one CLI drives every Procfile line; `main(argv) -> int`."""

from __future__ import annotations

import logging
import sys

import click
from radsbot.bot.bootstrap import Context, bootstrap


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
        schedule,
        serve,
    )

    for module in (info, ask, db, imports, access, council, digest, documents, cases, serve, schedule):
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
        raise click.UsageError(f"--as: {exc}") from None


def main(argv: list[str] | None = None, obj: Context | None = None) -> int:
    """Run the CLI in-process and return the exit code (0 on success).

    A database that cannot be used and a value that cannot be stored end the command with a
    Norwegian message and exit code 1, whichever command met them.
    """
    from radsbot.data.db import DatabaseUnavailable, database_problem
    from radsbot.data.fields import FieldError, quote

    args = sys.argv[1:] if argv is None else list(argv)
    for arg in args:
        if not _is_unicode(arg):
            click.echo(
                f"Ugyldig kommando: {quote(arg)} har bytes som ikke er gyldig UTF-8. "
                "Skriv det på nytt, i UTF-8.",
                err=True,
            )
            return 2
    if obj is None:
        from radsbot.bot.settings import SettingsProblem

        try:
            obj = bootstrap()
        except SettingsProblem as exc:
            click.echo(f"{exc}\nRett verdien (eller fjern variabelen) og prøv igjen.", err=True)
            return 2
    logging.lastResort = _BriefHandler()  # no traceback reaches a user through an unconfigured log
    try:
        result = cli.main(args=args, prog_name="radsbot", standalone_mode=False, obj=obj)
    except DatabaseUnavailable as exc:
        click.echo(str(exc), err=True)
        return 1
    except FieldError as exc:
        click.echo(f"Feil: {exc}", err=True)
        return 1
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except click.UsageError as exc:
        hint = f"Se «{exc.ctx.command_path} --help»." if exc.ctx else "Se «radsbot --help»."
        click.echo(f"Ugyldig kommando: {exc.format_message()}\n{hint}", err=True)
        return 2
    except click.ClickException as exc:
        click.echo(f"Feil: {exc.format_message()}", err=True)
        return exc.exit_code
    except click.Abort:
        click.echo("Avbrutt.", err=True)
        return 130
    except Exception as exc:
        problem = database_problem(exc, obj.settings.database_url)
        if problem is None:
            raise
        click.echo(str(problem), err=True)
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
