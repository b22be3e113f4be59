"""A fake Slack Web API on a free loopback port: records every call and answers like Slack.

Start it with the `slack_api` fixture (tests/test_slack_e2e.py) or as a context manager. Point
SLACK_API_URL (or a WebClient's base_url) at `fake.url`. It serves the methods Rådsbot uses,
the upload URLs it hands out, and response_url endpoints (`fake.response_url(name)`).
"""

from __future__ import annotations

import itertools
import json
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

BOT_USER_ID = "U0RADSBOT"
STATS_PATH = "/_stats"
BOT_ID = "B0RADSBOT"
TEAM_ID = "T0NUIT"


@dataclass
class Call:
    """One request the fake received."""

    method: str  # "chat.postMessage", "upload", "response" …
    params: dict[str, Any]
    headers: dict[str, str]
    body: bytes = b""
    status: int = 200
    path: str = ""  # what the fake answered (429 and 5xx for injected failures)
    at: float = field(default_factory=time.monotonic)

    def json_param(self, name: str) -> Any:
        """A parameter that Slack accepts as a JSON string in forms (blocks, files)."""
        value = self.params.get(name)
        return json.loads(value) if isinstance(value, str) else value


@dataclass
class Failure:
    status: int
    retry_after: int | None
    times: int
    after: int = 0  # calls answered normally before the failures begin


class FakeSlackAPI:
    """The fake server; thread-safe, since the app calls it from many threads at once."""

    def __init__(self, host: str = "127.0.0.1"):
        self.calls: list[Call] = []
        self.uploads: dict[str, bytes] = {}
        self.messages: dict[str, list[dict[str, Any]]] = defaultdict(list)  # channel -> oldest first
        self._failures: dict[str, list[Failure]] = defaultdict(list)
        self._refused_channels: dict[str, str] = {}
        # Slack accepts "#name" when posting but answers with, and lists by, channel ids.
        self.channel_ids: dict[str, str] = {}
        self._token_error = ""
        self._changed = threading.Condition()
        self._ts = itertools.count(1)
        self._file_ids = itertools.count(1)
        self._server = ThreadingHTTPServer((host, 0), self._handler_class())
        self._server.daemon_threads = True
        self.host, self.port = self._server.server_address[:2]
        self._thread: threading.Thread | None = None

    # -- lifecycle -------------------------------------------------------------------------

    @property
    def url(self) -> str:
        """The Web API base URL (SLACK_API_URL)."""
        return f"http://{self.host}:{self.port}/api/"

    def response_url(self, name: str = "cmd") -> str:
        """A response_url that records what is posted to it as method "response"."""
        return f"http://{self.host}:{self.port}/response/{name}"

    def start(self) -> FakeSlackAPI:
        """Serve in a background thread."""
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.05,), name="fake-slack", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and free the port."""
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> FakeSlackAPI:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    # -- what tests ask --------------------------------------------------------------------

    def fail(
        self, method: str, status: int = 429, retry_after: int | None = 1, times: int = 1, after: int = 0
    ) -> None:
        """Answer `times` calls of `method` with `status` (429: Retry-After), after `after` good ones."""
        with self._changed:
            failure = Failure(status, retry_after if status == 429 else None, times, after)
            self._failures[method].append(failure)

    def refuse_channel(self, channel: str, error: str = "not_in_channel") -> None:
        """Posting to `channel` fails as it does when the bot is not a member."""
        with self._changed:
            self._refused_channels[channel] = error

    def refuse_token(self, error: str = "invalid_auth") -> None:
        """Every call fails as with a revoked or mistyped token (HTTP 200, ok: false)."""
        with self._changed:
            self._token_error = error

    def calls_to(self, method: str, predicate: Callable[[Call], bool] | None = None) -> list[Call]:
        """The calls of one method answered OK so far, optionally filtered."""
        with self._changed:
            return [c for c in self.calls if c.method == method and c.status == 200 and _ok(predicate, c)]

    def wait_for(
        self, method: str, predicate: Callable[[Call], bool] | None = None, timeout: float = 10
    ) -> Call:
        """The first OK call of `method` matching `predicate`, waiting up to `timeout` seconds for it."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                for call in self.calls:
                    if call.method == method and call.status == 200 and _ok(predicate, call):
                        return call
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    seen = ", ".join(f"{c.method}:{c.status}" for c in self.calls) or "nothing"
                    raise AssertionError(f"no {method} call within {timeout} s; received {seen}")
                self._changed.wait(remaining)

    def answers(self) -> int:
        """Requests answered so far: first messages posted (not continuations in a thread the
        bot started) and response_url replies."""
        with self._changed:
            own = {m["ts"] for messages in self.messages.values() for m in messages}
        firsts = self.calls_to("chat.postMessage", lambda c: c.params.get("thread_ts") not in own)
        return len(firsts) + len(self.calls_to("response"))

    def stats(self) -> dict[str, Any]:
        """Counts of OK calls per method, and answers (served at /_stats)."""
        with self._changed:
            counts: dict[str, int] = defaultdict(int)
            for call in self.calls:
                if call.status == 200:
                    counts[call.method] += 1
        return {"answers": self.answers(), "calls": dict(counts)}

    # -- the server --------------------------------------------------------------------------

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self):
                fake._handle(self)

            def do_POST(self):
                fake._handle(self)

            def log_message(self, *args):  # keep test output quiet
                pass

        return Handler

    def _handle(self, request: BaseHTTPRequestHandler) -> None:
        length = int(request.headers.get("Content-Length") or 0)
        body = request.rfile.read(length) if length else b""
        split = urlsplit(request.path)
        if split.path == STATS_PATH:  # for a test in another process; not recorded as a call
            _send(request, 200, self.stats(), {})
            return
        headers = {k.lower(): v for k, v in request.headers.items()}
        kind, _, name = split.path.strip("/").partition("/")
        # Upload URLs take raw file bytes, whatever content type the client claims.
        params = _params(split.query, b"" if kind == "upload" else body, headers.get("content-type", ""))
        method = {"api": name, "upload": "upload", "response": "response"}.get(kind, split.path)
        status, payload, extra = self._answer(kind, method, name, params, body)
        with self._changed:
            self.calls.append(Call(method, params, headers, body, status, split.path))
            self._changed.notify_all()
        _send(request, status, payload, extra)

    def _answer(self, kind: str, method: str, name: str, params: dict, body: bytes) -> tuple[int, Any, dict]:
        with self._changed:
            queue = self._failures.get(method)
            if queue and queue[0].after > 0:
                queue[0].after -= 1
            elif queue:
                failure = queue[0]
                failure.times -= 1
                if failure.times <= 0:
                    queue.pop(0)
                extra = {"Retry-After": str(failure.retry_after)} if failure.retry_after is not None else {}
                error = "ratelimited" if failure.status == 429 else "fatal_error"
                return failure.status, {"ok": False, "error": error}, extra
        if self._token_error and kind == "api":
            return 200, {"ok": False, "error": self._token_error}, {}
        if method == "upload":
            with self._changed:
                self.uploads[name] = body
            return 200, "OK - " + str(len(body)), {}
        if method == "response":
            return 200, "ok", {}
        handler = getattr(self, "_api_" + method.replace(".", "_"), None)
        if handler is None:
            return 200, {"ok": False, "error": "unknown_method"}, {}
        return 200, handler(params), {}

    # -- Web API methods ----------------------------------------------------------------------

    def _api_auth_test(self, params: dict) -> dict:
        return {
            "ok": True,
            "url": "https://fake.slack.com/",
            "team": "Nasjonal e-helse (fake)",
            "user": "radsbot",
            "team_id": TEAM_ID,
            "user_id": BOT_USER_ID,
            "bot_id": BOT_ID,
        }

    def _next_ts(self) -> str:
        return f"{1_700_000_000 + next(self._ts)}.000100"

    def _refused(self, channel: str) -> dict | None:
        with self._changed:
            error = self._refused_channels.get(channel)
        return {"ok": False, "error": error} if error else None

    def add_channel(self, name: str) -> str:
        """Create a channel as a workspace admin would; returns its id."""
        return self.channel_id("#" + name.lstrip("#"))

    def channel_id(self, channel: str) -> str:
        """The id of a channel given as "#name" (made up on first use), or the id itself."""
        if not channel.startswith("#"):
            return channel
        with self._changed:
            return self.channel_ids.setdefault(channel[1:], f"C{len(self.channel_ids) + 1:08d}")

    def _api_conversations_list(self, params: dict) -> dict:
        with self._changed:
            listed = [
                {"id": cid, "name": name, "is_archived": False} for name, cid in self.channel_ids.items()
            ]
        return {"ok": True, "channels": listed, "response_metadata": {"next_cursor": ""}}

    def _api_chat_postMessage(self, params: dict) -> dict:
        channel = params.get("channel", "")
        if refused := self._refused(channel):
            return refused
        channel = self.channel_id(channel)
        message = {
            "type": "message",
            "user": BOT_USER_ID,
            "bot_id": BOT_ID,
            "ts": self._next_ts(),
            "text": params.get("text", ""),
            "blocks": _json(params.get("blocks")) or [],
        }
        if params.get("thread_ts"):
            message["thread_ts"] = params["thread_ts"]
        if params.get("metadata"):
            message["metadata"] = _json(params["metadata"])
        with self._changed:
            self.messages[channel].append(message)
        return {"ok": True, "channel": channel, "ts": message["ts"], "message": message}

    def _api_chat_postEphemeral(self, params: dict) -> dict:
        if refused := self._refused(params.get("channel", "")):
            return refused
        return {"ok": True, "message_ts": self._next_ts()}

    def _api_chat_update(self, params: dict) -> dict:
        channel, ts = params.get("channel", ""), params.get("ts", "")
        with self._changed:
            for message in self.messages.get(channel, []):
                if message["ts"] == ts:
                    message["text"] = params.get("text", message["text"])
                    message["blocks"] = _json(params.get("blocks")) or message["blocks"]
                    return {"ok": True, "channel": channel, "ts": ts, "text": message["text"]}
        return {"ok": False, "error": "message_not_found"}

    def _api_views_publish(self, params: dict) -> dict:
        view = _json(params.get("view")) or {}
        return {"ok": True, "view": {"id": f"V{next(self._file_ids):08d}", **view}}

    def _api_conversations_open(self, params: dict) -> dict:
        users = str(params.get("users", ""))
        return {"ok": True, "channel": {"id": "D" + users.split(",")[0].lstrip("U")}}

    def _api_files_getUploadURLExternal(self, params: dict) -> dict:
        file_id = f"F{next(self._file_ids):08d}"
        return {
            "ok": True,
            "file_id": file_id,
            "upload_url": f"http://{self.host}:{self.port}/upload/{file_id}",
        }

    def _api_files_completeUploadExternal(self, params: dict) -> dict:
        channel = params.get("channel_id") or params.get("channels", "")
        if channel and (refused := self._refused(channel)):
            return refused
        files = _json(params.get("files")) or []
        return {
            "ok": True,
            "files": [{"id": f["id"], "title": f.get("title", ""), "name": f["id"]} for f in files],
        }

    def _api_apps_connections_open(self, params: dict) -> dict:
        # Socket Mode: a WebSocket URL where nothing listens (this fake speaks no WebSocket).
        return {"ok": True, "url": f"ws://{self.host}:9/link/?ticket=fake"}

    def _api_users_info(self, params: dict) -> dict:
        user = params.get("user", "")
        return {
            "ok": True,
            "user": {"id": user, "name": user.lower(), "real_name": f"Bruker {user}", "tz": "Europe/Oslo"},
        }

    def _api_conversations_history(self, params: dict) -> dict:
        channel = params.get("channel", "")
        limit = int(params.get("limit") or 100)
        with self._changed:
            newest_first = list(reversed(self.messages.get(channel, [])))
        top_level = [m for m in newest_first if m.get("thread_ts") in (None, m["ts"])]
        return {"ok": True, "messages": top_level[:limit], "has_more": len(top_level) > limit}


def _ok(predicate: Callable[[Call], bool] | None, call: Call) -> bool:
    return predicate is None or predicate(call)


def _json(value: Any) -> Any:
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def _params(query: str, body: bytes, content_type: str) -> dict[str, Any]:
    """Query string, form fields and JSON body merged into one dict (single values unwrapped)."""
    params: dict[str, Any] = {k: v[-1] for k, v in parse_qs(query).items()}
    if "application/json" in content_type and body:
        params.update(json.loads(body))
    elif "application/x-www-form-urlencoded" in content_type and body:
        params.update({k: v[-1] for k, v in parse_qs(body.decode("utf-8"), keep_blank_values=True).items()})
    return params


def _send(request: BaseHTTPRequestHandler, status: int, payload: Any, extra: dict[str, str]) -> None:
    if isinstance(payload, str):
        data, content_type = payload.encode("utf-8"), "text/plain; charset=utf-8"
    else:
        data, content_type = json.dumps(payload).encode("utf-8"), "application/json; charset=utf-8"
    request.send_response(status)
    request.send_header("Content-Type", content_type)
    request.send_header("Content-Length", str(len(data)))
    for key, value in extra.items():
        request.send_header(key, value)
    request.end_headers()
    request.wfile.write(data)


def main() -> None:
    """Serve in a process of its own (benchmarks): print the URL, serve until stdin closes."""
    import sys

    with FakeSlackAPI() as fake:
        print(fake.url, flush=True)
        sys.stdin.read()


if __name__ == "__main__":
    main()
