"""The web front of the Slack app: each request is checked, and Slack's signature verified on
its raw bytes, before anything parses it. Every refusal is a 4xx and one log line."""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable, Iterable, Sequence
from http import HTTPStatus
from urllib.parse import parse_qs

from slack_bolt import App
from slack_bolt.adapter.wsgi.http_request import WsgiHttpRequest
from slack_bolt.adapter.wsgi.http_response import WsgiHttpResponse
from slack_bolt.request import BoltRequest
from slack_sdk.signature import SignatureVerifier

log = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"
JSON = "application/json"
FORM = "application/x-www-form-urlencoded"
# Slack signs `v0:{timestamp}:{body}` and refuses replays older than five minutes.
WINDOW_SECONDS = 5 * 60
_TIMESTAMP = re.compile(r"[0-9]{1,12}")
_SIGNATURE = re.compile(r"v0=[0-9a-f]{64}")
# Slack's certificate check is the one request it does not sign: a short `ssl_check=1` form.
_SSL_CHECK_BYTES = 512
_TEXT: dict[str, Sequence[str]] = {"content-type": ["text/plain; charset=utf-8"]}


class Refused(Exception):
    """A request answered with a 4xx: the status, why (for the log line) and extra headers."""

    def __init__(self, status: HTTPStatus, reason: str, headers: dict[str, Sequence[str]] | None = None):
        super().__init__(reason)
        self.status = status
        self.reason = reason
        self.headers = headers or {}

    def response(self) -> WsgiHttpResponse:
        """A short plain-text answer naming the status."""
        return WsgiHttpResponse(self.status, {**_TEXT, **self.headers}, f"{self.status.phrase}\n")


def wsgi_app(app: App, signing_secret: str, max_body: int) -> Callable:
    """A WSGI application: Slack requests at /slack/events, 200 at /healthz, 4xx for the rest."""
    verifier = SignatureVerifier(signing_secret)

    def application(environ: dict, start_response: Callable) -> Iterable[bytes]:
        try:
            response = _route(app, verifier, max_body, environ)
        except Refused as refusal:
            log.warning(
                "Refused %s %r from %s: %d %s",
                environ.get("REQUEST_METHOD", "?"),
                environ.get("PATH_INFO", "")[:100],
                environ.get("REMOTE_ADDR", "?"),
                refusal.status,
                refusal.reason,
            )
            response = refusal.response()
        start_response(response.status, response.get_headers())
        return response.get_body()

    return application


def _route(app: App, verifier: SignatureVerifier, max_body: int, environ: dict) -> WsgiHttpResponse:
    path, method = environ.get("PATH_INFO", ""), environ.get("REQUEST_METHOD", "")
    if path == HEALTH_PATH and method in ("GET", "HEAD"):
        return WsgiHttpResponse(200, _TEXT, "ok\n")
    if path != EVENTS_PATH:
        raise Refused(HTTPStatus.NOT_FOUND, "no such path")
    if method != "POST":
        raise Refused(HTTPStatus.METHOD_NOT_ALLOWED, "only POST", {"allow": ["POST"]})
    content_type = environ.get("CONTENT_TYPE", "").split(";", 1)[0].strip().lower()
    if content_type not in (JSON, FORM):
        raise Refused(HTTPStatus.UNSUPPORTED_MEDIA_TYPE, f"content type {content_type[:60]!r}")
    body = _read_body(environ, max_body)
    unverified = _unverified(verifier, environ, body)
    if unverified:
        if content_type == FORM and _is_ssl_check(body):
            log.debug("Answered Slack's certificate check")
            return WsgiHttpResponse(200, _TEXT, "")
        raise Refused(HTTPStatus.UNAUTHORIZED, unverified)
    return _dispatch(app, environ, body.decode("utf-8"))


def _read_body(environ: dict, max_body: int) -> bytes:
    """The raw body; the server has refused larger ones already (checked again to be safe alone)."""
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        raise Refused(HTTPStatus.BAD_REQUEST, "Content-Length is not a number") from None
    if length >= max_body:
        raise Refused(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, f"body of {length} bytes")
    return environ["wsgi.input"].read(length) if length > 0 else b""


def _unverified(verifier: SignatureVerifier, environ: dict, body: bytes) -> str:
    """Why the request is not Slack's (signed by it within the last five minutes), or ''."""
    timestamp = environ.get("HTTP_X_SLACK_REQUEST_TIMESTAMP")
    signature = environ.get("HTTP_X_SLACK_SIGNATURE")
    if timestamp is None or signature is None:
        return "not signed"
    if not _TIMESTAMP.fullmatch(timestamp):
        return "X-Slack-Request-Timestamp is not a number"
    if abs(time.time() - int(timestamp)) > WINDOW_SECONDS:
        return "timestamp more than five minutes off (a replay, or a wrong clock)"
    if not _SIGNATURE.fullmatch(signature):
        return "X-Slack-Signature is malformed"
    try:
        valid = verifier.is_valid(body, timestamp, signature)
    except UnicodeDecodeError:
        return "body is not UTF-8"
    return "" if valid else "wrong signature (is SLACK_SIGNING_SECRET the app's?)"


def _is_ssl_check(body: bytes) -> bool:
    return len(body) <= _SSL_CHECK_BYTES and parse_qs(body.decode("latin-1")).get("ssl_check") == ["1"]


def _dispatch(app: App, environ: dict, text: str) -> WsgiHttpResponse:
    """Hand a verified request to Bolt; a body it cannot read is the sender's fault (400)."""
    try:
        request = BoltRequest(
            body=text, query=environ.get("QUERY_STRING", ""), headers=WsgiHttpRequest(environ).get_headers()
        )
    except Exception as exc:  # building the request only parses the body: any failure is the body's
        raise Refused(HTTPStatus.BAD_REQUEST, f"signed body is not JSON or a form ({exc!r:.80})") from None
    response = app.dispatch(request)
    return WsgiHttpResponse(response.status, response.headers, response.body)
