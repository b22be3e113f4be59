"""`radsbot serve`: the web process — the public dashboard, and the Slack app over HTTP
(waitress) or Socket Mode when Slack is configured."""

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
NOTHING = (
    "Feil: ingenting å kjøre. Dashbordet er slått av (RADSBOT_DASHBOARD=off), og Slack er ikke satt "
    "opp (SLACK_BOT_TOKEN og SLACK_SIGNING_SECRET). Slå på dashbordet eller sett Slack-variablene."
)
SLACK_OFF = "Slack er av: SLACK_BOT_TOKEN og SLACK_SIGNING_SECRET er ikke satt, så bare dashbordet kjører."
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
    """Kjør webprosessen: dashbordet på /, og Slack-appen (HTTP på /slack/events, eller Socket Mode
    når SLACK_APP_TOKEN er satt) når Slack er satt opp."""
    from radsbot.bot.slack.processes import LOG_FORMAT

    ctx = context()
    settings = ctx.settings
    socket_mode = _secret(settings.slack_app_token)
    required = {"SLACK_BOT_TOKEN": settings.slack_bot_token}
    if not socket_mode:
        required["SLACK_SIGNING_SECRET"] = settings.slack_signing_secret
    missing = [name for name, value in required.items() if not _secret(value)]
    # No Slack variable at all: Slack is off. Some but not all: a mistake worth stopping for.
    slack_off = len(missing) == len(required) and not socket_mode
    if missing and not slack_off:
        click.echo(
            MISSING.format(names=" og ".join(missing), them="den" if len(missing) == 1 else "dem"), err=True
        )
        raise click.exceptions.Exit(2)
    if slack_off and not settings.dashboard:
        click.echo(NOTHING, err=True)
        raise click.exceptions.Exit(2)

    logging.basicConfig(level=log_level.upper(), format=LOG_FORMAT)
    ctx.database  # noqa: B018 - create, migrate and seed the database before the first request
    signal.signal(signal.SIGTERM, _interrupt)
    if slack_off:
        click.echo(SLACK_OFF, err=True)
        _serve_dashboard(ctx, host, port)
        return

    from radsbot.bot.slack.app import WORK_THREADS, build_app
    from radsbot.bot.slack.processes import default_processes
    from radsbot.bot.slack.workers import Workers

    processes = default_processes() if engine_processes is None else engine_processes
    responder = _responder(ctx, processes)
    try:
        app = _build(ctx, responder, build_app, Workers(max(WORK_THREADS, 2 * processes)))
        _warm_up(responder)
        responder.prune()
        _run(ctx, app, socket_mode, host, port, processes)
    finally:
        _close(responder)


def _dashboard(ctx):
    """The dashboard's WSGI application, or None when RADSBOT_DASHBOARD=off."""
    if not ctx.settings.dashboard:
        return None
    from radsbot.bot.web.app import Dashboard

    return Dashboard(ctx)


def _dashboard_server(ctx, dashboard, host: str | None, port: int | None):
    """The web server with only the dashboard (and /healthz) mounted."""
    from radsbot.bot.web.server import HttpServer, compose

    settings = ctx.settings
    return HttpServer(
        compose(dashboard=dashboard),
        host or settings.host,
        settings.port if port is None else port,
        threads=settings.web_threads,
        limits=settings.web_limits,
    )


def _serve_dashboard(ctx, host: str | None, port: int | None) -> None:
    """Serve only the dashboard (and /healthz) until stopped."""
    server = _dashboard_server(ctx, _dashboard(ctx), host, port)
    click.echo(
        f"Rådsbot lytter på {server.url} (dashbordet; {ctx.settings.web_threads} tråder, høyst "
        f"{server.connections} forbindelser).",
        err=True,
    )
    server.run()
    click.echo("Stopper.", err=True)


def _run(ctx, app, socket_mode: str, host: str | None, port: int | None, processes: int) -> None:
    """Serve until stopped: Socket Mode (and the dashboard over HTTP), or HTTP with a graceful stop."""
    from radsbot.bot.slack.app import work_pool

    settings = ctx.settings
    dashboard = _dashboard(ctx)
    port = settings.port if port is None else port
    if socket_mode:
        from radsbot.bot.slack.server import run_socket_mode

        server = None
        if dashboard is not None:
            server = _dashboard_server(ctx, dashboard, host, port).start()
            click.echo(f"Rådsbot lytter på {server.url} (dashbordet).", err=True)
        click.echo(f"Rådsbot kobler til Slack med Socket Mode ({processes} svarprosess(er)) …", err=True)
        try:
            run_socket_mode(app, socket_mode)
        finally:
            if server is not None:
                server.stop()
    else:
        from radsbot.bot.slack.server import HttpServer

        server = HttpServer(
            app,
            host or settings.host,
            port,
            threads=settings.web_threads,
            signing_secret=settings.slack_signing_secret.get_secret_value(),  # as build_app has it
            limits=settings.web_limits,
            dashboard=dashboard,
        )
        where = (
            f"dashbordet er på {server.base_url}" if dashboard else "dashbordet er av (RADSBOT_DASHBOARD=off)"
        )
        click.echo(
            f"Rådsbot lytter på {server.url} ({settings.web_threads} tråder, høyst {server.connections} "
            f"forbindelser, {processes} svarprosess(er)); {where}.",
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
