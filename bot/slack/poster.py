"""Post a Reply to Slack: the message (and its continuations), then its files.

Used by the chat listeners and by the digest scheduler; it takes a ready WebClient and does no
database work.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from radsbot.bot.replies import Reply
from radsbot.bot.slack import keyed
from radsbot.bot.slack.blocks import Block, to_message, to_messages
from radsbot.bot.slack.client import TIMEOUT_SECONDS, retry_handlers
from radsbot.bot.slack.keyed import DEFAULT_RETRY, Retry
from slack_sdk import WebClient
from slack_sdk.webhook import WebhookClient

log = logging.getLogger(__name__)


class ResponseUrlError(RuntimeError):
    """Slack refused a message sent to a response_url."""


@dataclass
class Trail:
    """How a reply's messages and files are keyed, what Slack already has, and who hears of new ones.

    Every message of the reply carries `key` (continuations `key/2`, `key/3` …) in its metadata
    of `event_type`, with `payload`; a file is known as `key/file:NAME`. Parts whose key is in
    `found` are not posted again; `record(part_key, ts_or_file_id)` is called after each new one.
    """

    key: str
    event_type: str
    payload: Mapping[str, str] = field(default_factory=dict)
    found: Mapping[str, str] = field(default_factory=dict)
    record: Callable[[str, str], None] = lambda _key, _value: None

    def part(self, n: int) -> str:
        """The key of the reply's n-th message (1 is the first)."""
        return self.key if n == 1 else f"{self.key}/{n}"

    def file(self, filename: str) -> str:
        """The key of one of the reply's files."""
        return f"{self.key}/file:{filename}"


def trail_for(reply: Reply, key: str | None = None) -> Trail:
    """A reply's own trail: its kind as event type, its meta as payload, a fresh key unless given."""
    return Trail(key or uuid.uuid4().hex, f"radsbot_{reply.kind or 'answer'}", dict(reply.meta))


def post_reply(
    client: WebClient,
    channel: str,
    reply: Reply,
    thread_ts: str | None = None,
    user: str | None = None,
    lang: str = "nb",
    footer: Block | None = None,
    trail: Trail | None = None,
    retry: Retry = DEFAULT_RETRY,
) -> str:
    """Post `reply` to a channel (in a thread when `thread_ts` is given) and return its ts.

    An ephemeral reply goes only to `user` (chat.postEphemeral); files cannot be ephemeral, so
    an ephemeral reply's attachments are not posted, and an ephemeral message cannot be looked
    for, so one whose answer is lost is not sent again. A reply too long for one message
    continues in the thread of its first message. Each message carries its `trail` key as
    message metadata (bot/slack/keyed.py), so that a lost answer is looked for, never doubled;
    `reply.meta` travels in the same metadata. `channel` must be an id.
    """
    if reply.ephemeral and user:
        message = to_message(reply, lang)
        response = client.chat_postEphemeral(channel=channel, user=user, thread_ts=thread_ts, **message)
        if reply.attachments:
            log.warning("Ephemeral reply %r: %d file(s) not posted", reply.title, len(reply.attachments))
        return response["message_ts"]
    trail = trail or trail_for(reply)
    messages = to_messages(reply, lang, footer)
    first = _post_part(client, channel, messages[0], trail, 1, thread_ts, retry)
    for n, message in enumerate(messages[1:], start=2):
        _post_part(client, channel, message, trail, n, thread_ts or first, retry)
    for attachment in reply.attachments:
        key = trail.file(attachment.filename)
        if key not in trail.found:
            trail.record(key, keyed.upload_file(client, channel, attachment, thread_ts, retry))
    return first


def _post_part(
    client: WebClient,
    channel: str,
    message: dict[str, Any],
    trail: Trail,
    n: int,
    thread_ts: str | None,
    retry: Retry,
) -> str:
    """One message of a reply, unless Slack has it already; returns its ts."""
    key = trail.part(n)
    if key in trail.found:
        return trail.found[key]
    ts = keyed.post_message(
        client,
        channel,
        message,
        event_type=trail.event_type,
        key=key,
        payload=trail.payload,
        thread_ts=thread_ts,
        retry=retry,
    )
    trail.record(key, ts)
    return ts


def respond_reply(response_url: str, reply: Reply, lang: str = "nb", in_channel: bool = False) -> None:
    """Answer through a slash command's or action's response_url (works where the bot is not a member).

    Files cannot travel this way; the caller says so when the reply has any.
    """
    message = to_message(reply, lang)
    webhook = WebhookClient(response_url, timeout=TIMEOUT_SECONDS, retry_handlers=retry_handlers())
    response = webhook.send(
        text=message["text"],
        blocks=message["blocks"],
        response_type="in_channel" if in_channel else "ephemeral",
    )
    if response.status_code != 200:
        raise ResponseUrlError(f"response_url answered {response.status_code}: {response.body[:200]}")
