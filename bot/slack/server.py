"""Serving the Slack app: its HTTP server (the web process's, with the Slack gate mounted), or
Socket Mode."""

from __future__ import annotations

from collections.abc import Callable

from radsbot.bot.settings import WebLimits
from radsbot.bot.slack.gate import EVENTS_PATH, HEALTH_PATH, wsgi_app
from radsbot.bot.web import server as web
from slack_bolt import App

__all__ = ["EVENTS_PATH", "HEALTH_PATH", "HttpServer", "run_socket_mode", "slack_wsgi"]


def slack_wsgi(app: App, signing_secret: str, limits: WebLimits) -> Callable:
    """The Slack gate as a WSGI application: the signature checked on the raw body first."""
    return wsgi_app(app, signing_secret, limits.body_bytes)


class HttpServer(web.HttpServer):
    """The web server with the Slack app at /slack/events (and the dashboard, when given)."""

    def __init__(
        self,
        app: App,
        host: str = "127.0.0.1",
        port: int = 0,
        threads: int = 16,
        *,
        signing_secret: str,
        limits: WebLimits | None = None,
        dashboard: Callable | None = None,
    ):
        limits = limits or WebLimits()
        application = web.compose(dashboard=dashboard, slack=slack_wsgi(app, signing_secret, limits))
        super().__init__(application, host, port, threads, limits=limits)

    @property
    def url(self) -> str:
        """URL of the events endpoint."""
        return self.base_url.rstrip("/") + EVENTS_PATH


def run_socket_mode(app: App, app_token: str) -> None:
    """Connect to Slack over Socket Mode (no public URL needed) and serve until stopped."""
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    handler = SocketModeHandler(app, app_token)
    try:
        handler.start()
    except KeyboardInterrupt:  # Ctrl-C or SIGTERM: a normal stop
        pass
    finally:
        handler.close()
