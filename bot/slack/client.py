"""The Slack Web API client: base URL and token from settings, retries on 429, 5xx and lost connections."""

from __future__ import annotations

from slack_sdk import WebClient
from slack_sdk.http_retry import RetryHandler
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)

from bot.settings import Settings

# Slack asks clients to wait Retry-After seconds on 429; a few waits cover short bursts
# without holding a worker for minutes.
RATE_LIMIT_RETRIES = 3
CONNECTION_RETRIES = 2
SERVER_ERROR_RETRIES = 2
TIMEOUT_SECONDS = 30


def retry_handlers() -> list[RetryHandler]:
    """Retry on 429 (honouring Retry-After), on 500/503 and on connection errors."""
    return [
        RateLimitErrorRetryHandler(max_retry_count=RATE_LIMIT_RETRIES),
        ConnectionErrorRetryHandler(max_retry_count=CONNECTION_RETRIES),
        ServerErrorRetryHandler(max_retry_count=SERVER_ERROR_RETRIES),
    ]


def make_client(settings: Settings) -> WebClient:
    """A WebClient for the bot token, talking to SLACK_API_URL."""
    token = settings.slack_bot_token.get_secret_value() if settings.slack_bot_token else None
    return WebClient(
        token=token,
        base_url=settings.api_url,
        timeout=TIMEOUT_SECONDS,
        retry_handlers=retry_handlers(),
    )
