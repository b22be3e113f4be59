"""The web process's HTTP server (waitress) and what it serves: the dashboard, /healthz, and the
Slack app at /slack/events when Slack is configured.

The server bounds what unauthenticated clients can hold: connections (the longest-idle make room
at the limit), silence on a connection, header and body sizes (a larger body is refused with 413
before it is read), and memory per connection (bodies spill to a temporary file).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable

from radsbot.bot.settings import WebLimits
from waitress.adjustments import Adjustments
from waitress.channel import HTTPChannel
from waitress.server import TcpWSGIServer
from waitress.task import ErrorTask

log = logging.getLogger(__name__)

HEALTH_PATH = "/healthz"
SLACK_PREFIX = "/slack/"
_TEXT = [("Content-Type", "text/plain; charset=utf-8"), ("X-Content-Type-Options", "nosniff")]

# Slack's requests carry a few headers of well under 1 KB; proxies add a few more.
HEADER_BYTES = 16 * 1024
# Bodies larger than this wait in a temporary file rather than in memory.
SPOOL_BYTES = 64 * 1024
# Open files kept apart from client connections: database, worker pipes, logs, charts.
FD_RESERVE = 128
# waitress's own count includes its listening socket and its wake-up pipe, and it may accept one
# more connection in the loop turn that closes the idle ones.
_WAITRESS_EXTRA = 3


class HttpServer:
    """A waitress server for the app, runnable in the foreground or in a background thread."""

    def __init__(
        self,
        application: Callable,
        host: str = "127.0.0.1",
        port: int = 0,
        threads: int = 16,
        *,
        limits: WebLimits | None = None,
    ):
        limits = limits or WebLimits()
        self.connections = fit_open_files(limits.connections)
        adj = Adjustments(
            host=host,
            port=port,
            threads=threads,
            ident="radsbot",
            connection_limit=self.connections + _WAITRESS_EXTRA,
            channel_timeout=limits.idle_timeout,
            cleanup_interval=1,
            max_request_header_size=HEADER_BYTES,
            # A body of this size or more is refused with 413 as soon as its length is known.
            max_request_body_size=limits.body_bytes,
            inbuf_overflow=SPOOL_BYTES,
            # poll() has no FD_SETSIZE ceiling of 1024 sockets, unlike select().
            asyncore_use_poll=True,
        )
        self._map: dict = {}  # waitress's socket map; closing it ends the serving loop
        self._server = _Server(application, self.connections, map=self._map, adj=adj)
        self.host = host
        self.port = self._server.effective_port  # type: ignore[attr-defined]  # types-waitress lacks it
        self._thread: threading.Thread | None = None

    @property
    def base_url(self) -> str:
        """The server's address, ending in "/"."""
        host = "127.0.0.1" if self.host in ("0.0.0.0", "") else self.host
        return f"http://{host}:{self.port}/"

    @property
    def url(self) -> str:
        """The server's address (the dashboard's front page)."""
        return self.base_url

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
            # Sockets must be closed by the loop's own thread, or its poll() fails.
            try:
                # types-waitress has `trigger: int`; it is waitress's trigger object.
                self._server.trigger.pull_trigger(close_sockets)  # type: ignore[attr-defined]
            except OSError:
                # The trigger's pipe is already gone (the loop is on its way out): close directly.
                close_sockets()
            self._thread.join(timeout=10)
        else:
            close_sockets()
        self._server.task_dispatcher.shutdown()


class _LoggedErrorTask(ErrorTask):
    """waitress's answer to a request it refuses itself (too large, malformed), with one log line."""

    def execute(self) -> None:
        # types-waitress types an ErrorTask's request as the Error; it is the parser holding it.
        error = self.request.error  # type: ignore[attr-defined]
        addr = self.channel.addr[0] if isinstance(self.channel.addr, tuple) else self.channel.addr
        log.warning("Refused a request from %s: %d %s (%s)", addr, error.code, error.reason, error.body)
        super().execute()


class _Channel(HTTPChannel):
    error_task_class = _LoggedErrorTask

    def send_continue(self) -> None:
        # waitress would invite a body it has already refused (too large) and read it up to the
        # cap before answering; answer the refusal at once instead.
        request = self.request
        if request is not None and request.error is not None:
            request.expect_continue = False
            return
        super().send_continue()


class _Server(TcpWSGIServer):
    """waitress's server, except that at the connection limit the longest-idle connections (no
    request in progress) are closed to make room, instead of everyone waiting for their timeout."""

    channel_class = _Channel

    def __init__(self, application, connections: int, **kw):
        self.connections = connections
        self._warned_at = -60.0
        super().__init__(application, **kw)

    @property
    def _channels(self) -> dict[int, HTTPChannel]:
        """The open connections by file descriptor."""
        # types-waitress types active_channels as one HTTPChannel; it is this dict.
        return self.active_channels  # type: ignore[return-value]

    def readable(self) -> bool:
        if self.accepting and len(self._channels) >= self.connections:
            self._make_room()
        return super().readable()

    def _make_room(self) -> None:
        idle = [c for c in self._channels.values() if not c.requests and not c.will_close]
        idle.sort(key=lambda channel: channel.last_activity)
        closing = idle[: max(1, self.connections // 10)]
        for channel in closing:
            channel.will_close = True  # closed by the loop in this turn, as waitress's timeout does
        now = time.monotonic()
        if now - self._warned_at >= 60:  # one line a minute while the limit is pressed
            self._warned_at = now
            log.warning(
                "%d connections open, the limit (RADSBOT_MAX_CONNECTIONS): closing the %d longest idle",
                len(self._channels),
                len(closing),
            )


def fit_open_files(connections: int) -> int:
    """How many connections the process's open-file limit allows (a socket and a spooled body
    each): the soft limit is raised up to the hard one when needed, else fewer connections."""
    try:
        import resource
    except ImportError:  # not POSIX: no limit to read
        return connections
    need = 2 * connections + FD_RESERVE
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft != resource.RLIM_INFINITY and soft < need:
        target = need if hard == resource.RLIM_INFINITY else min(need, hard)
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
            soft = target
        except (ValueError, OSError):
            pass
    if soft == resource.RLIM_INFINITY or soft >= need:
        return connections
    fitted = max(10, (soft - FD_RESERVE) // 2)
    log.warning(
        "The open-file limit (%d) allows %d connections, not %d: raise it (ulimit -n %d) to have them all",
        soft,
        fitted,
        connections,
        need,
    )
    return fitted


def compose(*, dashboard: Callable | None = None, slack: Callable | None = None) -> Callable:
    """One WSGI application: /healthz, Slack's paths to the Slack gate (only when Slack is
    configured), every other path to the dashboard (only when it is on); 404 for the rest."""

    def application(environ: dict, start_response: Callable) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if path == HEALTH_PATH and environ.get("REQUEST_METHOD") in ("GET", "HEAD"):
            start_response("200 OK", list(_TEXT))
            return [b"ok\n"]
        # Slack's gate keeps its own rules (signature first) for everything under /slack/.
        if slack is not None and (path.startswith(SLACK_PREFIX) or dashboard is None):
            return slack(environ, start_response)
        if dashboard is not None and not path.startswith(SLACK_PREFIX):
            return dashboard(environ, start_response)
        start_response("404 Not Found", list(_TEXT))
        return [b"Not Found\n"]

    return application
