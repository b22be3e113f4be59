"""`radsbot teams`: the Microsoft Teams bot (Agents SDK, aiohttp) on $PORT (3978), and
`radsbot teams manifest`: the Teams app package."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

import click
from radsbot.bot.cli import Failure, context, language
from radsbot.bot.cli.options import ENGINE_PROCESSES, LOG_FORMAT, LOG_LEVEL

log = logging.getLogger(__name__)


def register(cli: click.Group) -> None:
    """Add the command group."""
    cli.add_command(teams)


@click.group(invoke_without_command=True)
@click.option("--port", type=int, default=None, help="Port for HTTP (standard: $PORT eller 3978).")
@click.option("--host", default=None, help="Adresse å lytte på (standard: $RADSBOT_HOST eller 0.0.0.0).")
@ENGINE_PROCESSES
@LOG_LEVEL
@click.pass_context
def teams(
    click_ctx: click.Context, port: int | None, host: str | None, engine_processes: int | None, log_level: str
) -> None:
    """Kjør Teams-boten: POST /api/messages og GET /healthz (Microsoft 365 Agents SDK)."""
    if click_ctx.invoked_subcommand is not None:
        return
    from radsbot.bot.teams.answering import default_processes
    from radsbot.bot.teams.config import TeamsConfigProblem, teams_config

    ctx, w = context(), language()
    try:
        config = teams_config(ctx.settings, port)
    except TeamsConfigProblem as exc:
        click.echo(w._("Error: {problem}", problem=exc.text(ctx.lang)), err=True)
        raise click.exceptions.Exit(2) from None
    logging.basicConfig(level=log_level.upper(), format=LOG_FORMAT)
    if log_level.upper() != "DEBUG":  # the SDK logs every reply at INFO; Rådsbot logs one line a turn
        logging.getLogger("microsoft_agents").setLevel(logging.WARNING)
    ctx.database  # noqa: B018 - create, migrate and seed the database before the first request
    from radsbot.bot.teams.app import build_app
    from radsbot.bot.teams.server import serve

    if config.anonymous:
        click.echo(_anonymous_warning(w), err=True)
        # Said once above; the SDK would repeat "App ID is not provided" on every turn.
        logging.getLogger("microsoft_agents.hosting.core.connector.client.user_token_client").setLevel(
            logging.ERROR
        )
    processes = default_processes() if engine_processes is None else engine_processes
    app = build_app(ctx, config, processes=processes)

    def listening(url: str) -> None:
        click.echo(w._("Rådsbot listens on {url} (Microsoft Teams: {url}/api/messages).", url=url), err=True)

    asyncio.run(serve(app, host or ctx.settings.host, config.port, listening))
    click.echo(w._("Stopping."), err=True)


def _anonymous_warning(w) -> str:
    line = "!" * 78
    body = w._(
        "WARNING: Rådsbot runs UNAUTHENTICATED (CONNECTIONS__SERVICE_CONNECTION__SETTINGS__ANONYMOUS_ALLOWED"
        "=true): anyone who reaches this port can ask as any user, and no token is checked. Use it only "
        "locally, never where Teams or the internet reaches it."
    )
    return f"{line}\n{body}\n{line}"


@teams.command("manifest")
@click.option("--app-id", required=True, help="Botens Application (client) ID fra Entra.")
@click.option("--host", "app_host", required=True, help="Vertsnavnet boten nås på (radsbot.example.no).")
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("radsbot-teams.zip"),
    show_default=True,
    help="Zip-filen som lastes opp i Teams.",
)
def manifest(app_id: str, app_host: str, out: Path) -> None:
    """Lag Teams-apppakken (manifest.json og ikoner i en zip)."""
    from radsbot.bot.teams.manifest import build_manifest_zip
    from radsbot.data.errors import DomainError

    try:
        written = build_manifest_zip(app_id=app_id, host=app_host, out=out)
    except DomainError as exc:
        raise Failure(exc) from None
    click.echo(language()._("Wrote {path}.", path=str(written or out)))
