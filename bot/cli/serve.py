"""`radsbot serve`: the web process — the public dashboard, and the Slack app over HTTP
(waitress) or Socket Mode when Slack is configured."""

from __future__ import annotations

import logging
import signal

import click
from radsbot.bot.cli import context, language
from radsbot.bot.cli.options import ENGINE_PROCESSES, LOG_FORMAT, LOG_LEVEL

log = logging.getLogger(__name__)

# Time given to answers already acknowledged when the server is asked to stop.
DRAIN_SECONDS = 25


def register(cli: click.Group) -> None:
    """Add the command."""
    cli.add_command(serve)


@click.command()
@click.option("--port", type=int, default=None, help="Port for HTTP (standard: $PORT eller 3000).")
@click.option("--host", default=None, help="Adresse å lytte på (standard: $RADSBOT_HOST eller 0.0.0.0).")
@ENGINE_PROCESSES
@LOG_LEVEL
def serve(port: int | None, host: str | None, engine_processes: int | None, log_level: str) -> None:
    """Kjør webprosessen: dashbordet på /, og Slack-appen (HTTP på /slack/events, eller Socket Mode
    når SLACK_APP_TOKEN er satt) når Slack er satt opp."""
    ctx = context()
    settings = ctx.settings
    socket_mode = _secret(settings.slack_app_token)
    required = {"SLACK_BOT_TOKEN": settings.slack_bot_token}
    if not socket_mode:
        required["SLACK_SIGNING_SECRET"] = settings.slack_signing_secret
    missing = [name for name, value in required.items() if not _secret(value)]
    # No Slack variable at all: Slack is off. Some but not all: a mistake worth stopping for.
    slack_off = len(missing) == len(required) and not socket_mode
    w = language()
    if missing and not slack_off:
        click.echo(
            w.ngettext(
                "Error: {names} is missing. Set it in the environment before «radsbot serve», e.g.\n"
                "  export SLACK_BOT_TOKEN=xoxb-…        (OAuth & Permissions at https://api.slack.com/apps)\n"
                "  export SLACK_SIGNING_SECRET=…        (Basic Information → App Credentials)",
                "Error: {names} are missing. Set them in the environment before «radsbot serve», e.g.\n"
                "  export SLACK_BOT_TOKEN=xoxb-…        (OAuth & Permissions at https://api.slack.com/apps)\n"
                "  export SLACK_SIGNING_SECRET=…        (Basic Information → App Credentials)",
                len(missing),
                names=w.both(missing),
            ),
            err=True,
        )
        raise click.exceptions.Exit(2)
    if slack_off and not settings.dashboard:
        click.echo(
            w._(
                "Error: nothing to run. The dashboard is turned off (RADSBOT_DASHBOARD=off), and Slack is "
                "not set up (SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET). Turn the dashboard on or set the "
                "Slack variables."
            ),
            err=True,
        )
        raise click.exceptions.Exit(2)

    logging.basicConfig(level=log_level.upper(), format=LOG_FORMAT)
    ctx.database  # noqa: B018 - create, migrate and seed the database before the first request
    signal.signal(signal.SIGTERM, _interrupt)
    if slack_off:
        click.echo(
            w._(
                "Slack is off: SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET are not set, so only the "
                "dashboard runs."
            ),
            err=True,
        )
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
        language()._(
            "Rådsbot listens on {url} (the dashboard; {threads} threads, at most {connections} connections).",
            url=server.url,
            threads=ctx.settings.web_threads,
            connections=server.connections,
        ),
        err=True,
    )
    server.run()
    click.echo(language()._("Stopping."), err=True)


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
            click.echo(language()._("Rådsbot listens on {url} (the dashboard).", url=server.url), err=True)
        click.echo(
            language().ngettext(
                "Rådsbot connects to Slack with Socket Mode ({count} answering process) …",
                "Rådsbot connects to Slack with Socket Mode ({count} answering processes) …",
                processes,
                count=processes,
            ),
            err=True,
        )
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
        w = language()
        where = (
            w._("the dashboard is at {url}", url=server.base_url)
            if dashboard
            else w._("the dashboard is off (RADSBOT_DASHBOARD=off)")
        )
        click.echo(
            w.ngettext(
                "Rådsbot listens on {url} ({threads} threads, at most {connections} connections, "
                "{count} answering process); {where}.",
                "Rådsbot listens on {url} ({threads} threads, at most {connections} connections, "
                "{count} answering processes); {where}.",
                processes,
                url=server.url,
                threads=settings.web_threads,
                connections=server.connections,
                count=processes,
                where=where,
            ),
            err=True,
        )
        server.run()
    click.echo(language()._("Stopping: waiting for answers in progress …"), err=True)
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
            language()._(
                "Error: the answering processes could not start. Run «radsbot ask help» to see the error."
            ),
            err=True,
        )
        raise click.exceptions.Exit(1) from exc


def _close(responder) -> None:
    if hasattr(responder, "close"):
        responder.close()


def _build(ctx, responder, build_app, workers):
    """The app, or a clear error when Slack refuses the token or cannot be reached."""
    from radsbot.bot.slack.app import TokenRefused

    w = language()
    try:
        return build_app(ctx, workers=workers, responder=responder)
    except TokenRefused as exc:
        click.echo(
            w._(
                "Error: Slack did not accept SLACK_BOT_TOKEN ({reason}). Check the token under "
                "«OAuth & Permissions».",
                reason=exc,
            ),
            err=True,
        )
        raise click.exceptions.Exit(2) from exc
    except OSError as exc:
        click.echo(
            w._(
                "Error: could not reach Slack at {url} ({reason}). Check the network and SLACK_API_URL.",
                url=ctx.settings.api_url,
                reason=exc,
            ),
            err=True,
        )
        raise click.exceptions.Exit(1) from exc


def _secret(value) -> str:
    return value.get_secret_value().strip() if value is not None else ""


def _interrupt(_signum, _frame) -> None:
    # waitress and the Socket Mode handler both stop cleanly on KeyboardInterrupt.
    raise KeyboardInterrupt
