"""Serving the app: HTTP with waitress at /slack/events (plus /healthz), or Socket Mode."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable

from slack_bolt import App

EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"


def wsgi_app(app: App) -> Callable:
    """A WSGI application: Slack requests at /slack/events, 200 at /healthz, 404 elsewhere."""
    from slack_bolt.adapter.wsgi import SlackRequestHandler

    slack = SlackRequestHandler(app, path=EVENTS_PATH)

    def application(environ: dict, start_response: Callable) -> Iterable[bytes]:
        if environ.get("PATH_INFO") == HEALTH_PATH and environ.get("REQUEST_METHOD") in ("GET", "HEAD"):
            start_response("200 OK", [("Content-Type", "text/plain; charset=utf-8")])
            return [b"ok\n"]
        return slack(environ, start_response)

    return application


class HttpServer:
    """A waitress server for the app, runnable in the foreground or in a background thread."""

    def __init__(self, app: App, host: str = "127.0.0.1", port: int = 0, threads: int = 16):
        from waitress import create_server

        self._map: dict = {}  # waitress's socket map; closing it ends the serving loop
        self._server = create_server(
            wsgi_app(app),
            map=self._map,
            host=host,
            port=port,
            threads=threads,
            ident="radsbot",
        )
        self.host = host
        self.port = self._server.effective_port
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        """Base URL of the events endpoint."""
        host = "127.0.0.1" if self.host in ("0.0.0.0", "") else self.host
        return f"http://{host}:{self.port}{EVENTS_PATH}"

    def run(self) -> None:
        """Serve until stopped (Ctrl-C or SIGTERM end it cleanly)."""
        self._server.run()

    def start(self) -> HttpServer:
        """Serve in a daemon thread (tests)."""
        self._thread = threading.Thread(target=self.run, name="radsbot-http", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop accepting requests, end the serving loop and its worker threads."""
        from waitress import wasyncore

        def close_sockets() -> None:
            wasyncore.close_all(self._map)

        if self._thread and self._thread.is_alive():
            # Sockets must be closed by the loop's own thread, or its select() fails.
            try:
                self._server.trigger.pull_trigger(close_sockets)
            except OSError:
                # The trigger's pipe is already gone (the loop is on its way out): close directly.
                close_sockets()
            self._thread.join(timeout=10)
        else:
            close_sockets()
        self._server.task_dispatcher.shutdown()


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
