"""Post a chat answer to Slack: the message (and its continuations), then its files.

The listeners' way into the core's `post_reply` (bot/publisher.py) through SlackPublisher, plus
what only Slack has: ephemeral messages and response_url answers. It takes a ready WebClient and
does no database work.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from radsbot.bot import publisher
from radsbot.bot.publisher import Tag
from radsbot.bot.replies import Reply
from radsbot.bot.slack.blocks import Block, to_message
from radsbot.bot.slack.client import TIMEOUT_SECONDS, retry_handlers
from radsbot.bot.slack.keyed import DEFAULT_RETRY, Retry
from radsbot.bot.slack.publisher import SlackPublisher
from slack_sdk import WebClient
from slack_sdk.webhook import WebhookClient

log = logging.getLogger(__name__)


class ResponseUrlError(RuntimeError):
    """Slack refused a message sent to a response_url."""


@dataclass
class Trail:
    """How a reply's messages and files are keyed, what Slack already has, and who hears of new ones.

    Every message of the reply carries its tag's key (continuations `key/2`, `key/3` …) in its
    metadata, with the tag's kind as event type and its payload; a file is known as
    `key/file:NAME`. Parts whose key is in `found` are not posted again; `record(part_key,
    ts_or_file_id)` is called after each new one.
    """

    tag: Tag
    found: Mapping[str, str] = field(default_factory=dict)
    record: Callable[[str, str], None] = lambda _key, _value: None


def trail_for(reply: Reply, key: str | None = None) -> Trail:
    """A reply's own trail: its kind and meta in its tag, a fresh key unless given."""
    return Trail(Tag(key or uuid.uuid4().hex, reply.kind or "answer", dict(reply.meta)))


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
    slack = SlackPublisher(client, lang, retries=retry.retries, sleep=retry.sleep, footer=footer)
    return publisher.post_reply(slack, channel, reply, trail.tag, thread_ts, trail.found, trail.record)


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
