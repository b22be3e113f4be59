"""Posts that survive a lost answer: each message carries a key, and is looked for before a retry.

chat.postMessage and files.completeUploadExternal are not idempotent. When the answer to one is
lost — the connection dropped, Slack answered 5xx, or it answered after the client stopped
waiting — Slack may or may not have done it. So every message goes with message metadata
holding a key, and before trying again we look for that key in the thread
(conversations.replies) or among the channel's latest messages (conversations.history); a file
is looked for by its id among the messages that share it. Only when Slack does not have it is
it sent again (bot/publisher.py's `once`, which every transport shares). 429 and requests that
never left are retried by the client itself (bot/slack/client.py).

What this cannot cover: Slack storing a message later than our last look (more than the
back-off after a lost answer), and a file share Slack makes visible only after that.
"""

from __future__ import annotations

import http.client
import logging
import time
import urllib.request
from collections.abc import Callable, Iterator, Mapping
from typing import Any, TypeVar

from radsbot.bot.publisher import Retry
from radsbot.bot.publisher import once as once_after_looking
from radsbot.bot.replies import Attachment
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

log = logging.getLogger(__name__)

T = TypeVar("T")

RETRIES = Retry.retries  # further attempts after a lost answer, each after looking first
BACKOFF = Retry.backoff  # seconds before the first look; doubles with each attempt
# How far back in a channel a lost top-level message is looked for (clocks may differ a little).
LOOKBACK = 600
PAGES = 10  # pages of 200 messages looked through at most
ALT_TEXT_LIMIT = 1000  # files.getUploadURLExternal refuses a longer alt_txt (alt_txt_too_large)

DEFAULT_RETRY = Retry()


class UploadError(RuntimeError):
    """Slack's upload URL refused the file's bytes."""


def lost(exc: BaseException) -> bool:
    """Whether an error leaves it unknown if Slack did the work: 5xx, a dropped connection, a timeout."""
    if isinstance(exc, SlackApiError):
        return getattr(exc.response, "status_code", 200) >= 500
    return isinstance(exc, OSError | http.client.HTTPException)


def metadata(event_type: str, key: str, payload: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Slack message metadata carrying `key` (and the rest of the payload)."""
    return {"event_type": event_type, "event_payload": {**(payload or {}), "key": key}}


def key_of(message: Mapping[str, Any], event_type: str | None = None) -> str | None:
    """The key in a message's metadata (of `event_type`, when given), if any."""
    meta = message.get("metadata") or {}
    if event_type is not None and meta.get("event_type") != event_type:
        return None
    return (meta.get("event_payload") or {}).get("key")


def post_message(
    client: WebClient,
    channel: str,
    message: Mapping[str, Any],
    *,
    event_type: str,
    key: str,
    payload: Mapping[str, str] | None = None,
    thread_ts: str | None = None,
    retry: Retry = DEFAULT_RETRY,
) -> str:
    """chat.postMessage once: `key` in its metadata, looked for before any retry; returns its ts.

    `channel` must be an id (conversations.history and .replies take no names). `key` must be
    unique among the thread's messages, or among the channel's latest top-level messages.
    """
    since = time.time() - LOOKBACK
    meta = metadata(event_type, key, payload)

    def post() -> str:
        return client.chat_postMessage(channel=channel, thread_ts=thread_ts, metadata=meta, **message)["ts"]

    def look() -> str | None:
        return find_message(client, channel, key, event_type, thread_ts, since)

    return once(post, look, retry, f"message {key!r} in {channel}")


def find_message(
    client: WebClient,
    channel: str,
    key: str,
    event_type: str | None = None,
    thread_ts: str | None = None,
    since: float | None = None,
) -> str | None:
    """The ts of the message carrying `key`: in the thread, or among top-level messages since `since`."""
    for message in messages(client, channel, thread_ts, since):
        if key_of(message, event_type) == key:
            return message["ts"]
    return None


def messages(
    client: WebClient, channel: str, thread_ts: str | None = None, since: float | None = None
) -> Iterator[dict[str, Any]]:
    """A thread's messages (parent first), or the channel's top-level ones (newest first), with metadata."""
    cursor = None
    for _page in range(PAGES):
        args: dict[str, Any] = {"channel": channel, "include_all_metadata": True, "limit": 200}
        if cursor:
            args["cursor"] = cursor
        if since is not None:
            args["oldest"] = f"{since:.6f}"
        if thread_ts:
            response = client.conversations_replies(ts=thread_ts, **args)
        else:
            response = client.conversations_history(**args)
        yield from response.get("messages", [])
        cursor = (response.get("response_metadata") or {}).get("next_cursor")
        if not cursor:
            return


def files_in(found: list[dict[str, Any]]) -> dict[str, str]:
    """File name -> file id of the files shared by these messages."""
    return {f["name"]: f["id"] for m in found for f in m.get("files") or () if f.get("name")}


def upload_file(
    client: WebClient,
    channel: str,
    attachment: Attachment,
    thread_ts: str | None = None,
    retry: Retry = DEFAULT_RETRY,
) -> str:
    """Upload a file and share it once in the channel (or thread); returns the file id.

    The bytes go to an upload URL first (repeated freely: an unshared file is seen by no one);
    the share (files.completeUploadExternal) is retried only after looking for the file's id.
    """
    file_id = _stage(client, attachment, retry)
    since = time.time() - LOOKBACK

    def share() -> str:
        client.files_completeUploadExternal(
            files=[{"id": file_id, "title": attachment.title}], channel_id=channel, thread_ts=thread_ts
        )
        return file_id

    def look() -> str | None:
        shared = files_in(list(messages(client, channel, thread_ts, since)))
        return file_id if file_id in shared.values() else None

    return once(share, look, retry, f"file {attachment.filename!r} in {channel}")


def once(do: Callable[[], T], look: Callable[[], T | None], retry: Retry, what: str) -> T:
    """Run `do`; after a lost answer look first, and do it again only if Slack does not have it."""
    return once_after_looking(do, look, lost, retry, what)


def _stage(client: WebClient, attachment: Attachment, retry: Retry) -> str:
    """Get an upload URL and send the bytes there; returns the (not yet shared) file id."""
    for attempt in range(retry.retries + 1):
        slot = client.files_getUploadURLExternal(
            filename=attachment.filename, length=len(attachment.content), alt_txt=alt_text(attachment)
        )
        try:
            _send_bytes(client, slot["upload_url"], attachment.content)
            return slot["file_id"]
        except Exception as exc:
            if not lost(exc) or attempt == retry.retries:
                raise
            log.warning("Uploading %r failed (%s); trying a new upload URL", attachment.filename, exc)
            retry.sleep(retry.backoff * 2**attempt)
    raise AssertionError("unreachable")


def alt_text(attachment: Attachment) -> str | None:
    """An image's description within Slack's limit (cut at a word, marked with "…"); None for others."""
    if not attachment.is_image or not attachment.alt:
        return None
    if len(attachment.alt) <= ALT_TEXT_LIMIT:
        return attachment.alt
    return attachment.alt[: ALT_TEXT_LIMIT - 1].rsplit(" ", 1)[0] + "…"


def _send_bytes(client: WebClient, url: str, content: bytes) -> None:
    """POST the file's bytes to the upload URL, through the client's proxy and TLS settings."""
    request = urllib.request.Request(url, data=content, method="POST")
    if client.proxy:
        opener = urllib.request.build_opener(
            urllib.request.ProxyHandler({"http": client.proxy, "https": client.proxy}),
            urllib.request.HTTPSHandler(context=client.ssl),
        )
        response = opener.open(request, timeout=client.timeout)
    else:
        response = urllib.request.urlopen(request, context=client.ssl, timeout=client.timeout)
    with response:
        body = response.read()
        if response.status != 200:
            raise UploadError(f"upload URL answered {response.status}: {body[:200]!r}")
