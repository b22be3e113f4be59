"""The Slack Web API client: base URL, token and timeout from settings, and safe retries.

A call that creates something (a message, a file share) is not idempotent: when its answer is
lost, Slack may well have done it. The client therefore retries those only when Slack cannot
have processed them — a 429 (rate limited: not processed) or a request that never left
(refused connection, unknown host). Every other lost answer of such a call goes back to the
caller, which looks for the message before posting again (bot/slack/keyed.py). Reads and
other idempotent calls are retried on 5xx and lost connections as before.
"""

from __future__ import annotations

from urllib.error import HTTPError, URLError
from urllib.parse import urlsplit

from radsbot.bot.settings import Settings
from slack_sdk import WebClient
from slack_sdk.http_retry import RetryHandler
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)

# Slack asks clients to wait Retry-After seconds on 429; a few waits cover short bursts
# without holding a worker for minutes.
RATE_LIMIT_RETRIES = 3
CONNECTION_RETRIES = 2
SERVER_ERROR_RETRIES = 2
TIMEOUT_SECONDS = 30

# Web API methods Rådsbot calls that create something each time they are processed.
NOT_IDEMPOTENT = frozenset({"chat.postMessage", "chat.postEphemeral", "files.completeUploadExternal"})


def idempotent(url: str) -> bool:
    """Whether a request to `url` may be repeated blindly: a Web API method not in NOT_IDEMPOTENT.

    Anything else (a response_url, an upload URL) counts as not idempotent.
    """
    path = urlsplit(url).path
    if "/api/" not in path:
        return False
    return path.rsplit("/", 1)[-1] not in NOT_IDEMPOTENT


def never_sent(error: Exception | None) -> bool:
    """Whether the request failed before it was sent whole (urllib wraps those in URLError)."""
    return isinstance(error, URLError) and not isinstance(error, HTTPError)


class SafeConnectionErrorRetryHandler(ConnectionErrorRetryHandler):
    """Lost connections: idempotent calls are retried; others only if the request never left."""

    def _can_retry(self, *, state, request, response=None, error=None) -> bool:
        if not super()._can_retry(state=state, request=request, response=response, error=error):
            return False
        return idempotent(request.url) or never_sent(error)


class SafeServerErrorRetryHandler(ServerErrorRetryHandler):
    """500 and 503: Slack may have done the work first, so only idempotent calls are retried."""

    def _can_retry(self, *, state, request, response=None, error=None) -> bool:
        return idempotent(request.url) and super()._can_retry(
            state=state, request=request, response=response, error=error
        )


def retry_handlers() -> list[RetryHandler]:
    """Retry on 429 (honouring Retry-After); on 5xx, lost connections and timeouts when safe."""
    return [
        RateLimitErrorRetryHandler(max_retry_count=RATE_LIMIT_RETRIES),
        SafeConnectionErrorRetryHandler(
            max_retry_count=CONNECTION_RETRIES,
            error_types=[URLError, ConnectionResetError, TimeoutError],
        ),
        SafeServerErrorRetryHandler(max_retry_count=SERVER_ERROR_RETRIES),
    ]


def make_client(settings: Settings) -> WebClient:
    """A WebClient for the bot token, talking to SLACK_API_URL."""
    token = settings.slack_bot_token.get_secret_value() if settings.slack_bot_token else None
    return WebClient(
        token=token,
        base_url=settings.api_url,
        # slack_sdk types the timeout as int; it hands it to urllib, which takes seconds as a float.
        timeout=settings.slack_timeout,  # type: ignore[arg-type]
        retry_handlers=retry_handlers(),
    )
