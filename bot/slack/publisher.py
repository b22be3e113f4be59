"""Slack's Publisher (bot/publisher.py): Block Kit messages, threads, file shares, found by key.

Every message carries message metadata: its tag's kind as event type ("radsbot_digest",
"radsbot_digest_part" …) and its key and payload, so that a lost answer is looked for before
anything is posted again (bot/slack/keyed.py) and a thread an earlier attempt left incomplete
can be read back (conversations.replies). A file is known by its name among the thread's files.
Slack allows about one message per second per channel, so replies in a thread are spaced out.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

from radsbot.bot.publisher import Retry, Tag, ThreadContents, Trouble
from radsbot.bot.replies import Attachment, Reply
from radsbot.bot.slack import keyed
from radsbot.bot.slack.blocks import Block, to_messages
from radsbot.bot.slack.failures import explain
from radsbot.data.statuses import Transport
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

log = logging.getLogger(__name__)

NOTICE = "digest_notice"


def event_type(tag: Tag) -> str:
    """The message metadata event type of a tag's kind."""
    return f"radsbot_{tag.kind or 'answer'}"


@dataclass
class SlackPublisher:
    """The Publisher for Slack, on one WebClient.

    `footer` (such as who asked a slash command) closes the first message of every reply;
    `spacing` is the pause between replies in one thread.
    """

    client: WebClient
    lang: str = "nb"
    spacing: float = 1.1  # seconds between messages in one channel (Slack: ~1 per second)
    sleep: Callable[[float], None] = time.sleep
    retries: int = keyed.RETRIES  # further attempts after a lost answer, each after looking first
    footer: Block | None = None
    transport: str = Transport.SLACK
    _ids: dict[str, str] = field(default_factory=dict)

    def pages(self, reply: Reply) -> int:
        """How many messages the reply takes (at most 50 blocks each)."""
        return len(to_messages(reply, self.lang, self.footer))

    def post_overview(self, address: str, reply: Reply, tag: Tag) -> str:
        """chat.postMessage of the reply's first message at the top of the channel; its ts."""
        return self._post(address, reply, tag, 1, None)

    def post_reply(self, address: str, thread: str, reply: Reply, tag: Tag, page: int = 1) -> str:
        """chat.postMessage of one of the reply's messages in a thread; its ts."""
        return self._post(address, reply, tag, page, thread)

    def upload_file(self, address: str, thread: str | None, attachment: Attachment, tag: Tag) -> str:
        """Upload and share a file (files.completeUploadExternal, once); its file id."""
        return keyed.upload_file(self.client, self.channel_id(address), attachment, thread, self._retry)

    def find_post(self, address: str, tag: Tag, thread: str | None = None) -> str | None:
        """The ts of the message carrying the tag's key and event type, if Slack has it."""
        return keyed.find_message(self.client, self.channel_id(address), tag.key, event_type(tag), thread)

    def thread_contents(self, address: str, thread: str) -> ThreadContents:
        """The thread's keyed messages (conversations.replies) and its files by name."""
        messages = list(keyed.messages(self.client, self.channel_id(address), thread))
        keyed_messages = {key: m["ts"] for m in messages if (key := keyed.key_of(m))}
        return ThreadContents(keyed_messages, keyed.files_in(messages))

    def update_message(self, address: str, ref: str, reply: Reply) -> None:
        """chat.update of a message with the reply's first message (repeating it is harmless)."""
        message = to_messages(reply, self.lang, self.footer)[0]
        self.client.chat_update(channel=self.channel_id(address), ts=ref, **message)

    def notify(self, address: str, text: str) -> str:
        """A plain message (keyed like every post, so never doubled); its ts."""
        return keyed.post_message(
            self.client,
            self.channel_id(address),
            {"text": text},
            event_type=event_type(Tag("", NOTICE)),
            key=f"notice:{uuid.uuid4().hex}",
            retry=self._retry,
        )

    def explain(self, exc: BaseException, address: str) -> Trouble:
        """What went wrong, and what to do about it (for the secretariat), as a catalogue message."""
        return explain(exc, address)

    def pause(self) -> None:
        """Slack takes about one message per second per channel."""
        self.sleep(self.spacing)

    def channel_id(self, channel: str) -> str:
        """The channel's id; "#name" is looked up once (uploads and history need ids)."""
        if not channel.startswith("#"):
            return channel
        name = channel[1:]
        if name not in self._ids:
            self._ids.update(self._list_channels())
        if name not in self._ids:
            # Slack's own errors are English and stay in the log; explain() words this one for people.
            raise SlackApiError(
                f"channel #{name} not found (is Rådsbot invited?)",
                {"ok": False, "error": "channel_not_found"},
            )
        return self._ids[name]

    @property
    def _retry(self) -> Retry:
        return Retry(self.retries, self.sleep)

    def _post(self, address: str, reply: Reply, tag: Tag, page: int, thread: str | None) -> str:
        message = to_messages(reply, self.lang, self.footer)[page - 1]
        return keyed.post_message(
            self.client,
            self.channel_id(address),
            message,
            event_type=event_type(tag),
            key=tag.key,
            payload=tag.payload,
            thread_ts=thread,
            retry=self._retry,
        )

    def _list_channels(self) -> dict[str, str]:
        found: dict[str, str] = {}
        cursor = None
        while True:
            response = self.client.conversations_list(
                types="public_channel,private_channel", exclude_archived=True, limit=1000, cursor=cursor
            )
            listed: list[dict[str, str]] = response.get("channels", [])
            found.update({c["name"]: c["id"] for c in listed})
            cursor = (response.get("response_metadata") or {}).get("next_cursor")
            if not cursor:
                return found
