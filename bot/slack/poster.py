"""Post a Reply to Slack: the message (and its continuations), then its files.

Used by the chat listeners and by the digest scheduler; it takes a ready WebClient and does no
database work.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_sdk import WebClient
from slack_sdk.webhook import WebhookClient

from bot.replies import Attachment, Reply
from bot.slack.blocks import Block, to_message, to_messages
from bot.slack.client import TIMEOUT_SECONDS, retry_handlers

log = logging.getLogger(__name__)


class ResponseUrlError(RuntimeError):
    """Slack refused a message sent to a response_url."""


def post_reply(
    client: WebClient,
    channel: str,
    reply: Reply,
    thread_ts: str | None = None,
    user: str | None = None,
    lang: str = "nb",
    footer: Block | None = None,
) -> str:
    """Post `reply` to a channel (in a thread when `thread_ts` is given) and return its ts.

    An ephemeral reply goes only to `user` (chat.postEphemeral); files cannot be ephemeral, so
    an ephemeral reply's attachments are not posted. A reply too long for one message continues
    in the thread of its first message. `reply.meta` travels as message metadata, so that
    conversations.history can find the message again (the digest uses this).
    """
    if reply.ephemeral and user:
        message = to_message(reply, lang)
        response = client.chat_postEphemeral(channel=channel, user=user, thread_ts=thread_ts, **message)
        if reply.attachments:
            log.warning("Ephemeral reply %r: %d file(s) not posted", reply.title, len(reply.attachments))
        return response["message_ts"]
    messages = to_messages(reply, lang, footer)
    first = client.chat_postMessage(
        channel=channel, thread_ts=thread_ts, metadata=_metadata(reply), **messages[0]
    )
    ts = first["ts"]
    for message in messages[1:]:
        client.chat_postMessage(channel=channel, thread_ts=thread_ts or ts, **message)
    for attachment in reply.attachments:
        upload(client, channel, attachment, thread_ts=thread_ts)
    return ts


def upload(client: WebClient, channel: str, attachment: Attachment, thread_ts: str | None = None) -> str:
    """Upload one file (a chart PNG or a document) to a channel or thread; returns the file id."""
    response = client.files_upload_v2(
        channel=channel,
        thread_ts=thread_ts,
        content=attachment.content,
        filename=attachment.filename,
        title=attachment.title,
    )
    return response["file"]["id"]


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


def _metadata(reply: Reply) -> dict[str, Any] | None:
    if not reply.meta:
        return None
    return {"event_type": f"radsbot_{reply.kind or 'answer'}", "event_payload": dict(reply.meta)}
