"""`radsbot serve`: the Slack app over HTTP (waitress) or Socket Mode."""

from __future__ import annotations

import logging
import signal

import click
from radsbot.bot.cli import context

log = logging.getLogger(__name__)

MISSING = (
    "Feil: {names} mangler. Sett {them} i miljøet før «radsbot serve», f.eks.\n"
    "  export SLACK_BOT_TOKEN=xoxb-…        (OAuth & Permissions på https://api.slack.com/apps)\n"
    "  export SLACK_SIGNING_SECRET=…        (Basic Information → App Credentials)"
)
# Time given to answers already acknowledged when the server is asked to stop.
DRAIN_SECONDS = 25


def register(cli: click.Group) -> None:
    """Add the command."""
    cli.add_command(serve)


@click.command()
@click.option("--port", type=int, default=None, help="Port for HTTP (standard: $PORT eller 3000).")
@click.option("--host", default=None, help="Adresse å lytte på (standard: $RADSBOT_HOST eller 0.0.0.0).")
@click.option(
    "--engine-processes",
    type=click.IntRange(min=0),
    default=None,
    help="Prosesser som lager svarene (standard: antall kjerner minus én; 0 = i webprosessen).",
)
@click.option(
    "--log-level",
    type=click.Choice(["DEBUG", "INFO", "WARNING", "ERROR"], case_sensitive=False),
    default="INFO",
    show_default=True,
    help="Hvor mye som logges.",
)
def serve(port: int | None, host: str | None, engine_processes: int | None, log_level: str) -> None:
    """Kjør Slack-appen: HTTP på /slack/events, eller Socket Mode når SLACK_APP_TOKEN er satt."""
    ctx = context()
    settings = ctx.settings
    socket_mode = _secret(settings.slack_app_token)
    required = {"SLACK_BOT_TOKEN": settings.slack_bot_token}
    if not socket_mode:
        required["SLACK_SIGNING_SECRET"] = settings.slack_signing_secret
    missing = [name for name, value in required.items() if not _secret(value)]
    if missing:
        click.echo(
            MISSING.format(names=" og ".join(missing), them="den" if len(missing) == 1 else "dem"), err=True
        )
        raise click.exceptions.Exit(2)

    from radsbot.bot.slack.app import WORK_THREADS, build_app
    from radsbot.bot.slack.processes import LOG_FORMAT, default_processes
    from radsbot.bot.slack.workers import Workers

    logging.basicConfig(level=log_level.upper(), format=LOG_FORMAT)
    ctx.database  # noqa: B018 - create, migrate and seed the database before the first request
    processes = default_processes() if engine_processes is None else engine_processes
    responder = _responder(ctx, processes)
    try:
        app = _build(ctx, responder, build_app, Workers(max(WORK_THREADS, 2 * processes)))
        _warm_up(responder)
        responder.prune()
        _run(ctx, app, socket_mode, host, port, processes)
    finally:
        _close(responder)


def _run(ctx, app, socket_mode: str, host: str | None, port: int | None, processes: int) -> None:
    """Serve until stopped: Socket Mode, or HTTP with a graceful stop on SIGTERM."""
    from radsbot.bot.slack.app import work_pool

    settings = ctx.settings
    signal.signal(signal.SIGTERM, _interrupt)
    if socket_mode:
        from radsbot.bot.slack.server import run_socket_mode

        click.echo(f"Rådsbot kobler til Slack med Socket Mode ({processes} svarprosess(er)) …", err=True)
        run_socket_mode(app, socket_mode)
    else:
        from radsbot.bot.slack.server import HttpServer

        port = settings.port if port is None else port
        server = HttpServer(
            app,
            host or settings.host,
            port,
            threads=settings.web_threads,
            signing_secret=settings.slack_signing_secret.get_secret_value(),  # as build_app has it
            limits=settings.web_limits,
        )
        click.echo(
            f"Rådsbot lytter på {server.url} ({settings.web_threads} tråder, høyst {server.connections} "
            f"forbindelser, {processes} svarprosess(er)).",
            err=True,
        )
        server.run()
    click.echo("Stopper: venter på svar som er under arbeid …", err=True)
    if not work_pool(app).wait_idle(DRAIN_SECONDS):
        log.warning("Stopped with %d answer(s) still in progress", work_pool(app).pending)


def _responder(ctx, processes: int):
    """Who answers: worker processes (the default), or this process when 0."""
    if processes == 0:
        from radsbot.bot.engine import Engine
        from radsbot.bot.slack.delivery import Responder

        return Responder(ctx, Engine(ctx))
    from radsbot.bot.slack.processes import ProcessResponder

    return ProcessResponder(ctx, processes, log_level=logging.getLogger().level)


def _warm_up(responder) -> None:
    """Start the worker processes now; a clear error if they cannot build the engine."""
    from concurrent.futures.process import BrokenProcessPool

    if not hasattr(responder, "warm_up"):
        return
    try:
        responder.warm_up()
    except BrokenProcessPool as exc:
        click.echo(
            "Feil: svarprosessene kunne ikke starte. Kjør «radsbot ask hjelp» for å se feilen.", err=True
        )
        raise click.exceptions.Exit(1) from exc


def _close(responder) -> None:
    if hasattr(responder, "close"):
        responder.close()


def _build(ctx, responder, build_app, workers):
    """The app, or a clear Norwegian error when Slack refuses the token or cannot be reached."""
    from radsbot.bot.slack.app import TokenRefused

    try:
        return build_app(ctx, workers=workers, responder=responder)
    except TokenRefused as exc:
        click.echo(
            f"Feil: Slack godtok ikke SLACK_BOT_TOKEN ({exc}). Sjekk tokenet under «OAuth & Permissions».",
            err=True,
        )
        raise click.exceptions.Exit(2) from exc
    except OSError as exc:
        click.echo(
            f"Feil: fikk ikke kontakt med Slack på {ctx.settings.api_url} ({exc}). "
            "Sjekk nettverket og SLACK_API_URL.",
            err=True,
        )
        raise click.exceptions.Exit(1) from exc


def _secret(value) -> str:
    return value.get_secret_value().strip() if value is not None else ""


def _interrupt(_signum, _frame) -> None:
    # waitress and the Socket Mode handler both stop cleanly on KeyboardInterrupt.
    raise KeyboardInterrupt
