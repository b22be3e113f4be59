"""A fake Slack Web API on a free loopback port: records every call and answers like Slack.

Start it with the `slack_api` fixture (tests/test_slack_e2e.py) or as a context manager. Point
SLACK_API_URL (or a WebClient's base_url) at `fake.url`. It serves the methods Rådsbot uses,
the upload URLs it hands out, and response_url endpoints (`fake.response_url(name)`).

Faults a proxy or Slack itself can cause are injected with `fail` (an error status before
anything is processed) and `fault` (a connection dropped before or after processing, a 500
after processing, an answer slower than the client waits, a request held until released).
The fake stores only what the bot posts; people's messages are not in its channels.
"""

from __future__ import annotations

import contextlib
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
    status: int = 200  # what the fake answered: 429 and 5xx for injected faults, 0 for no answer
    path: str = ""
    at: float = field(default_factory=time.monotonic)
    processed: bool = True  # whether the call took effect (a message stored), answered or not

    def json_param(self, name: str) -> Any:
        """A parameter that Slack accepts as a JSON string in forms (blocks, files)."""
        value = self.params.get(name)
        return json.loads(value) if isinstance(value, str) else value


FAULT_MODES = ("status", "drop_before", "drop_after", "error_after", "slow", "hold")


@dataclass
class Fault:
    """An injected fault: `times` matching calls of a method fail in `mode`, after `after` good ones.

    status       answer `status` (429 with Retry-After) without processing the call
    drop_before  read the request, process nothing, close the connection without an answer
    drop_after   process the call (a message is stored), close the connection without an answer
    error_after  process the call, then answer 500
    slow         process the call, answer only after `delay` seconds (beyond the client's timeout)
    hold         process nothing; wait until `release()` (a test kills the caller meanwhile)
    """

    mode: str
    times: int = 1
    after: int = 0  # matching calls answered normally before the faults begin
    status: int = 500
    retry_after: int | None = None
    delay: float = 0.0
    when: Callable[[dict[str, Any]], bool] | None = None  # which calls count (by their params)
    hit: threading.Event = field(default_factory=threading.Event)  # set when the first fault fires
    released: threading.Event = field(default_factory=threading.Event)

    def release(self) -> None:
        """Let a held request go (it is then dropped unprocessed)."""
        self.released.set()


class FakeSlackAPI:
    """The fake server; thread-safe, since the app calls it from many threads at once."""

    def __init__(self, host: str = "127.0.0.1"):
        self.calls: list[Call] = []
        self.uploads: dict[str, bytes] = {}
        self.messages: dict[str, list[dict[str, Any]]] = defaultdict(list)  # channel -> oldest first
        self._faults: dict[str, list[Fault]] = defaultdict(list)
        self._pending_files: dict[str, dict[str, Any]] = {}  # file id -> name, until completed
        self._refused_channels: dict[str, str] = {}
        # Slack accepts "#name" when posting but answers with, and lists by, channel ids.
        self.channel_ids: dict[str, str] = {}
        self._token_error = ""
        self._changed = threading.Condition()
        self._last_ts = 0  # microseconds: every ts is unique and later than the one before
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
        self.fault(
            method,
            "status",
            times=times,
            after=after,
            status=status,
            retry_after=retry_after if status == 429 else None,
        )

    def fault(
        self,
        method: str,
        mode: str,
        times: int = 1,
        after: int = 0,
        *,
        status: int = 500,
        retry_after: int | None = None,
        delay: float = 0.0,
        when: Callable[[dict[str, Any]], bool] | None = None,
    ) -> Fault:
        """Inject a fault (see `Fault`) into the next calls of `method` for which `when` holds."""
        if mode not in FAULT_MODES:
            raise ValueError(f"unknown fault mode {mode!r}")
        fault = Fault(mode, times, after, status, retry_after, delay, when)
        with self._changed:
            self._faults[method].append(fault)
        return fault

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

        def record(status: int, processed: bool = True) -> None:
            with self._changed:
                self.calls.append(
                    Call(method, params, headers, body, status, split.path, processed=processed)
                )
                self._changed.notify_all()

        fault = self._next_fault(method, params)
        mode = fault.mode if fault else ""
        if mode == "status":
            extra = {"Retry-After": str(fault.retry_after)} if fault.retry_after is not None else {}
            error = "ratelimited" if fault.status == 429 else "fatal_error"
            record(fault.status, processed=False)
            _send(request, fault.status, {"ok": False, "error": error}, extra)
            return
        if mode in ("drop_before", "hold"):
            fault.hit.set()
            if mode == "hold":
                fault.released.wait(120)
            record(0, processed=False)
            request.close_connection = True  # no answer at all: the client sees the connection drop
            return
        status, payload, extra = self._answer(kind, method, name, params, body)
        if mode == "drop_after":
            record(0)
            request.close_connection = True
            return
        if mode == "error_after":
            record(500)
            _send(request, 500, {"ok": False, "error": "fatal_error"}, {})
            return
        record(status)
        if mode == "slow":
            fault.hit.set()
            time.sleep(fault.delay)
            with contextlib.suppress(OSError):  # the client gave up waiting and closed the connection
                _send(request, status, payload, extra)
            request.close_connection = True
            return
        _send(request, status, payload, extra)

    def _next_fault(self, method: str, params: dict) -> Fault | None:
        """The fault this call meets, if any (counting it against its `after` and `times`)."""
        with self._changed:
            queue = self._faults.get(method) or []
            # The first fault injected for calls like this one; faults for other calls wait.
            fault = next((f for f in queue if f.when is None or f.when(params)), None)
            if fault is None:
                return None
            if fault.after > 0:
                fault.after -= 1
                return None
            fault.times -= 1
            if fault.times <= 0:
                queue.remove(fault)
            return fault

    def _answer(self, kind: str, method: str, name: str, params: dict, body: bytes) -> tuple[int, Any, dict]:
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
        """A message ts as Slack makes them: the time in seconds with six decimals, never repeated."""
        with self._changed:
            self._last_ts = max(int(time.time() * 1_000_000), self._last_ts + 1)
            return f"{self._last_ts // 1_000_000}.{self._last_ts % 1_000_000:06d}"

    def _store(self, channel: str, message: dict[str, Any]) -> None:
        """Add a message to a channel; a reply makes its parent a thread (thread_ts, reply_count)."""
        with self._changed:
            messages = self.messages[channel]
            parent_ts = message.get("thread_ts")
            for parent in messages if parent_ts else ():
                if parent["ts"] == parent_ts:
                    parent["thread_ts"] = parent_ts
                    parent["reply_count"] = parent.get("reply_count", 0) + 1
                    parent["latest_reply"] = message["ts"]
            messages.append(message)

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
        self._store(channel, message)
        return {"ok": True, "channel": channel, "ts": message["ts"], "message": dict(message)}

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

    def _api_views_open(self, params: dict) -> dict:
        # Slack refuses a modal without a trigger_id, or with one it did not issue (expired after 3 s).
        if not str(params.get("trigger_id", "")).endswith(".trigger"):
            return {"ok": False, "error": "invalid_trigger_id"}
        view = _json(params.get("view")) or {}
        if view.get("type") != "modal" or not view.get("title") or len(view.get("blocks") or ()) > 100:
            return {"ok": False, "error": "invalid_arguments"}
        return {"ok": True, "view": {"id": f"V{next(self._file_ids):08d}", **view}}

    def _api_conversations_open(self, params: dict) -> dict:
        users = str(params.get("users", ""))
        return {"ok": True, "channel": {"id": "D" + users.split(",")[0].lstrip("U")}}

    def _api_files_getUploadURLExternal(self, params: dict) -> dict:
        alt = params.get("alt_txt")
        if alt is not None and len(str(alt)) > 1000:
            return {"ok": False, "error": "alt_txt_too_large"}
        file_id = f"F{next(self._file_ids):08d}"
        with self._changed:
            self._pending_files[file_id] = {
                "name": params.get("filename", ""),
                "length": params.get("length"),
                "alt_txt": alt,
            }
        return {
            "ok": True,
            "file_id": file_id,
            "upload_url": f"http://{self.host}:{self.port}/upload/{file_id}",
        }

    def _api_files_completeUploadExternal(self, params: dict) -> dict:
        channel = params.get("channel_id") or params.get("channels", "")
        if channel and (refused := self._refused(channel)):
            return refused
        requested = _json(params.get("files")) or []
        with self._changed:
            if any(f.get("id") not in self._pending_files for f in requested):
                return {"ok": False, "error": "file_not_found"}
            staged = {f["id"]: self._pending_files.pop(f["id"]) for f in requested}
            files = [
                {
                    "id": f["id"],
                    "name": staged[f["id"]]["name"],
                    "title": f.get("title", ""),
                    "alt_txt": staged[f["id"]]["alt_txt"],
                    "user": BOT_USER_ID,
                }
                for f in requested
            ]
        if channel:
            # Sharing posts a message carrying the files, in the thread when one is given.
            message = {
                "type": "message",
                "user": BOT_USER_ID,
                "bot_id": BOT_ID,
                "ts": self._next_ts(),
                "text": params.get("initial_comment", ""),
                "files": files,
                "upload": True,
            }
            if params.get("thread_ts"):
                message["thread_ts"] = params["thread_ts"]
            self._store(self.channel_id(channel), message)
        return {"ok": True, "files": files}

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
        """The channel's top-level messages, newest first, between `oldest` and `latest`, paged."""
        channel = params.get("channel", "")
        with self._changed:
            newest_first = [dict(m) for m in reversed(self.messages.get(channel, []))]
        top_level = [m for m in newest_first if m.get("thread_ts") in (None, m["ts"])]
        return _page(_between(top_level, params), params, default_limit=100)

    def _api_conversations_replies(self, params: dict) -> dict:
        """A thread: its parent first, then the replies oldest first, between `oldest` and `latest`."""
        channel, ts = params.get("channel", ""), params.get("ts", "")
        with self._changed:
            messages = [dict(m) for m in self.messages.get(channel, [])]
        parent = [m for m in messages if m["ts"] == ts]
        replies = [m for m in messages if m.get("thread_ts") == ts and m["ts"] != ts]
        if not parent and not replies:
            return {"ok": False, "error": "thread_not_found"}
        # Slack returns the parent whatever the time range.
        return _page(parent + _between(replies, params), params, default_limit=1000)


def _between(messages: list[dict], params: dict) -> list[dict]:
    """The messages within `oldest`/`latest` (exclusive unless `inclusive`), metadata only when asked."""
    inclusive = _flag(params.get("inclusive"))
    oldest, latest = params.get("oldest"), params.get("latest")
    kept = []
    for message in messages:
        ts = float(message["ts"])
        if oldest and (ts < float(oldest) or (ts == float(oldest) and not inclusive)):
            continue
        if latest and (ts > float(latest) or (ts == float(latest) and not inclusive)):
            continue
        if not _flag(params.get("include_all_metadata")):
            message.pop("metadata", None)
        kept.append(message)
    return kept


def _page(messages: list[dict], params: dict, default_limit: int) -> dict:
    """One page of messages with Slack's cursor pagination (the cursor is an offset here)."""
    limit = int(params.get("limit") or default_limit)
    start = int(params.get("cursor") or 0)
    page = messages[start : start + limit]
    more = start + limit < len(messages)
    return {
        "ok": True,
        "messages": page,
        "has_more": more,
        "response_metadata": {"next_cursor": str(start + limit) if more else ""},
    }


def _flag(value: Any) -> bool:
    return value in (True, 1, "1", "true", "True")


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
