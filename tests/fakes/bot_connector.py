"""A fake Bot Connector (the `serviceUrl` Teams gives) on a loopback port, and helpers to talk to a bot.

It records what a bot sends: `POST /v3/conversations` (a new 1:1 chat or channel post),
`POST /v3/conversations/{id}/activities[/{replyToId}]`, `PUT`/`DELETE` of an activity, and the
`PUT` of a file to the upload URL it hands out (`upload_url`). `drop_next(n)` makes it read the
next n posts of activities, record them, and close the connection without an answer (a post
that was accepted but whose answer was lost).
"""

from __future__ import annotations

import itertools
import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Received:
    """One request the fake connector took."""

    method: str
    path: str
    headers: dict[str, str]
    body: bytes
    dropped: bool = False

    @property
    def json(self) -> dict:
        """The body as JSON (activities, conversation parameters)."""
        return json.loads(self.body) if self.body else {}


@dataclass
class ConnectorState:
    """What the fake connector received, shared with its request handlers."""

    received: list[Received] = field(default_factory=list)
    drops: int = 0
    arrivals: dict[str, float] = field(default_factory=dict)  # replyToId → when its first reply came
    lock: threading.Lock = field(default_factory=threading.Lock)
    ids: itertools.count = field(default_factory=lambda: itertools.count(1))


class FakeBotConnector:
    """The fake connector; use as a context manager, `url` is the serviceUrl to give the bot."""

    def __init__(self) -> None:
        self.state = ConnectorState()
        state = self.state

        class Handler(_Handler):
            shared = state

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> FakeBotConnector:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()

    def upload_url(self, name: str) -> str:
        """Where the bot is told to PUT an accepted file."""
        return f"{self.url}upload/{name}"

    def drop_next(self, count: int = 1) -> None:
        """Record the next `count` activity posts, then close their connections unanswered."""
        with self.state.lock:
            self.state.drops = count

    @property
    def received(self) -> list[Received]:
        """Everything received so far, in order."""
        with self.state.lock:
            return list(self.state.received)

    def activities(self, conversation: str | None = None) -> list[dict]:
        """The activities posted (to one conversation, or all), in order."""
        found = []
        for r in self.received:
            parts = r.path.strip("/").split("/")
            posted = r.method == "POST" and len(parts) >= 4 and parts[:2] == ["v3", "conversations"]
            if posted and (conversation is None or parts[2] == conversation):
                found.append(r.json)
        return found

    def wait(self, count: int = 1, timeout: float = 60) -> list[dict]:
        """The activities posted, once there are at least `count` (a bot answers after its 202)."""
        deadline = time.monotonic() + timeout
        while len(self.activities()) < count:
            assert time.monotonic() < deadline, f"fewer than {count} activities: {self.received}"
            time.sleep(0.02)
        return self.activities()

    def created(self) -> list[dict]:
        """The conversations the bot created (POST /v3/conversations), their parameters."""
        return [
            r.json for r in self.received if r.method == "POST" and r.path.rstrip("/") == "/v3/conversations"
        ]

    def uploads(self) -> list[Received]:
        """The files PUT to upload URLs."""
        return [r for r in self.received if r.method == "PUT" and r.path.startswith("/upload/")]

    def clear(self) -> None:
        """Forget what was received."""
        with self.state.lock:
            self.state.received.clear()


class _Handler(BaseHTTPRequestHandler):
    shared: ConnectorState
    protocol_version = "HTTP/1.1"

    def log_message(self, *_args) -> None:  # quiet
        return

    def _take(self) -> Received:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        return Received(self.command, self.path, {k.lower(): v for k, v in self.headers.items()}, body)

    def _answer(self, status: int, body: dict | None = None) -> None:
        data = json.dumps(body or {}).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self) -> None:
        request = self._take()
        state = self.shared
        parts = request.path.strip("/").split("/")
        with state.lock:
            if len(parts) == 5 and parts[3] == "activities":
                state.arrivals.setdefault(parts[4], time.time())
            number = next(state.ids)
            drop = state.drops > 0 and request.path.rstrip("/") != "/v3/conversations"
            if drop:
                state.drops -= 1
                request.dropped = True
            state.received.append(request)
        if drop:
            self.close_connection = True
            self.connection.close()
            return
        if request.path.rstrip("/") == "/v3/conversations":
            self._answer(201, {"id": f"a:personal-{number}", "activityId": f"act-{number}"})
            return
        self._answer(200, {"id": f"act-{number}"})

    def do_GET(self) -> None:
        if self.path == "/_arrivals":  # for benchmarks: when each message's first reply arrived
            with self.shared.lock:
                self._answer(200, dict(self.shared.arrivals))
            return
        self._answer(404)

    def do_PUT(self) -> None:
        request = self._take()
        with self.shared.lock:
            self.shared.received.append(request)
        self._answer(201 if request.path.startswith("/upload/") else 200, {"id": "updated"})

    def do_DELETE(self) -> None:
        request = self._take()
        with self.shared.lock:
            self.shared.received.append(request)
        self._answer(200)


def main() -> None:
    """Run in a process of its own: print the URL, serve until stdin closes (benchmarks), or until
    Ctrl-C with `--print`, printing what the bot posts (trying the bot by hand)."""
    import sys

    with FakeBotConnector() as fake:
        print(fake.url, flush=True)
        if "--print" not in sys.argv:
            sys.stdin.read()
            return
        shown = 0
        try:
            while True:
                time.sleep(0.2)
                for activity in fake.activities()[shown:]:
                    print(_describe(activity), flush=True)
                    shown += 1
        except KeyboardInterrupt:
            return


def _describe(activity: dict) -> str:
    """One posted activity as a reader would see it: its text and its cards' text blocks."""
    lines = [f"→ {activity.get('conversation', {}).get('id', '?')}: {activity.get('text') or ''}"]
    for attachment in activity.get("attachments") or ():
        body = (attachment.get("content") or {}).get("body") or []
        lines += [f"   {item['text']}" for item in body if isinstance(item, dict) and item.get("text")]
        if not body:
            lines.append(f"   [{attachment.get('contentType')}] {attachment.get('name') or ''}")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
