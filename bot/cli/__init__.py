"""The `radsbot` command line: one CLI drives every Procfile line; `main(argv) -> int`."""

from __future__ import annotations

import sys

import click

from bot.bootstrap import Context, bootstrap


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
    """Attach every command module to the root group."""
    from bot.cli import access, ask, cases, council, db, digest, documents, imports, info, schedule, serve

    for module in (info, ask, db, imports, access, council, digest, documents, cases, serve, schedule):
        module.register(cli)


def main(argv: list[str] | None = None, obj: Context | None = None) -> int:
    """Run the CLI in-process and return the exit code (0 on success)."""
    try:
        result = cli.main(args=argv, prog_name="radsbot", standalone_mode=False, obj=obj)
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
    return result if isinstance(result, int) else 0


register()

if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
