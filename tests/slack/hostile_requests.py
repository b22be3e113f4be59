"""Hostile requests for /slack/events, as raw bytes: each a function of the URL (so that its
timestamp is fresh when sent) paired with the status it must get."""

from __future__ import annotations

import hashlib
import hmac
import time

import pytest
from radsbot.bot.settings import WebLimits

from tests.fakes.raw_http import chunked, request_head
from tests.slack.messages import SECRET

JSON = "application/json"
FORM = "application/x-www-form-urlencoded"
LIMITS = WebLimits()


def signed(body: bytes, content_type: str | None = JSON, method: str = "POST", timestamp=None):
    """A raw request for /slack/events with Slack's signature over the raw bytes of `body`,
    made when it is sent (so that it is fresh)."""

    def build(url: str) -> bytes:
        ts = str(int(time.time())) if timestamp is None else timestamp
        mac = hmac.new(SECRET.encode(), b"v0:" + ts.encode("latin-1") + b":" + body, hashlib.sha256)
        headers = {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": "v0=" + mac.hexdigest()}
        return unsigned(body, content_type, method, **headers)(url)

    return build


def unsigned(body: bytes, content_type: str | None = JSON, method: str = "POST", **headers):
    """A raw request for /slack/events without a signature (or with the given headers)."""

    def build(url: str) -> bytes:
        head = {"Content-Length": str(len(body)), **headers}
        if content_type:
            head["Content-Type"] = content_type
        return request_head(url, method, head) + body

    return build


def bad_signature(body: bytes, signature: str):
    """A fresh timestamp with the given (malformed) signature."""
    return lambda url: unsigned(
        body, **{"X-Slack-Request-Timestamp": str(int(time.time())), "X-Slack-Signature": signature}
    )(url)


def raw_head(after: bytes = b"", **headers: str):
    """A JSON POST's request line and `headers` as they are, then `after` (a body, or not)."""
    return lambda url: request_head(url, headers={"Content-Type": JSON, **headers}) + after


def garbage(data: bytes):
    """Bytes that are not an HTTP request at all."""
    return lambda url: data


BAD_REQUESTS = [
    pytest.param(unsigned(b'{"type": "event_callback", '), 401, id="unsigned-malformed-json"),
    pytest.param(unsigned(b"payload=%7Bnot-json", FORM), 401, id="unsigned-malformed-form-payload"),
    pytest.param(unsigned(b"\xff\xfe{}"), 401, id="unsigned-not-utf8"),
    pytest.param(signed(b"\xff\xfe{}"), 401, id="signed-raw-bytes-not-utf8"),
    pytest.param(signed(b"{}", timestamp="soon"), 401, id="timestamp-not-a-number"),
    pytest.param(signed(b"{}", timestamp="\xb2"), 401, id="timestamp-superscript-digit"),
    pytest.param(signed(b"{}", timestamp=""), 401, id="timestamp-empty"),
    pytest.param(signed(b"{}", timestamp=str(int(time.time()) - 400)), 401, id="timestamp-stale"),
    pytest.param(signed(b"{}", timestamp=str(int(time.time()) + 3600)), 401, id="timestamp-future"),
    pytest.param(bad_signature(b"{}", "v0=é"), 401, id="signature-not-ascii"),
    pytest.param(bad_signature(b"{}", "v0=" + "0" * 64), 401, id="signature-wrong"),
    pytest.param(signed(b'{"type": "event_callback", '), 400, id="signed-malformed-json"),
    pytest.param(signed(b"[1, 2]"), 400, id="signed-json-array"),
    pytest.param(signed(b"[" * 100_000), 400, id="signed-json-nested-too-deep"),
    pytest.param(signed(b"payload=%7Bnot-json", FORM), 400, id="signed-malformed-form-payload"),
    pytest.param(signed(b"", method="GET"), 405, id="get"),
    pytest.param(signed(b"{}", method="PUT"), 405, id="put"),
    pytest.param(signed(b"{}", "text/plain"), 415, id="content-type-text"),
    pytest.param(signed(b"{}", None), 415, id="content-type-missing"),
    pytest.param(raw_head(**{"Content-Length": str(3 * 2**20)}), 413, id="declared-body-over-the-cap"),
    pytest.param(
        raw_head(**{"Content-Length": str(3 * 2**20), "Expect": "100-continue"}),
        413,
        id="declared-body-over-the-cap-expecting-continue",
    ),
    pytest.param(raw_head(**{"Content-Length": "99999999999999"}), 413, id="declared-body-absurd"),
    pytest.param(
        raw_head(chunked(b"x" * (LIMITS.body_bytes + 1024)), **{"Transfer-Encoding": "chunked"}),
        413,
        id="chunked-body-over-the-cap",
    ),
    pytest.param(raw_head(**{"X-Padding": "x" * 20_000}), 431, id="headers-over-the-cap"),
    pytest.param(raw_head(b"zz\r\n", **{"Transfer-Encoding": "chunked"}), 400, id="chunked-encoding-broken"),
    pytest.param(raw_head(**{"Content-Length": "ten"}), 400, id="content-length-not-a-number"),
    pytest.param(garbage(b"HELLO\r\n\r\n"), 400, id="not-http"),
]
